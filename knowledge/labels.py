"""Speaker labels: which line openings name a speaker, and who that speaker is.

A transcript marks speakers in many ways (``[主持人]``, ``记者：``, ``问：``,
``交通运输部部长 李小鹏：``, ``沈 冰：``, ``Host:``). This module recognises a
label syntactically and classifies it; the parser decides, with document-wide
evidence (how often a label recurs), which candidates really are speakers.
All matching runs on Simplified text; the caller keeps the original for output.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from knowledge.models import Role

TIME_OF_DAY = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

_BRACKET_LABEL = re.compile(
    rf"^[\[【〔［]\s*(?P<label>[^\]】〕］\n]{{1,30}}?)\s*[\]】〕］]\s*"
    rf"(?P<time>{TIME_OF_DAY})?\s*[:：]?\s*(?P<rest>.*)$"
)
_TIMED_LABEL = re.compile(
    rf"^(?P<label>[^\s:：]{{1,20}}(?:\s[^\s:：]{{1,12}})?)\s+(?P<time>{TIME_OF_DAY})\s*[:：]?\s*$"
)
_ALIAS_LABEL = re.compile(
    r"^(?P<label>[^:：，。！？；]{1,30}?)\s*[（(]\s*以下(?:简称|称)\s*[:：]?\s*[“\"「『]?(?P<alias>[^”\"」』)）]{1,12})[”\"」』]?\s*[)）]"
    r"\s*[:：]\s*(?P<rest>.*)$"
)
# A press conference names the position in brackets the first time: 李明（市交通运输局局长）：
# and 主持人（市政府新闻办副主任 王蕾）：.
_NOTED_LABEL = re.compile(
    r"^(?P<label>[^:：，。！？；,.!?;“”\"「」《》（()]{1,20}?)\s*[（(]\s*(?P<note>[^)）:：\n]{2,40}?)\s*[)）]"
    r"\s*[:：]\s*(?P<rest>.*)$"
)
# Online interviews quote a netizen's nickname: 网友“云溪老周”：.
_NETIZEN_LABEL = re.compile(
    r"^(?P<label>(?:网友|網友)\s*[“\"「『][^”\"」』:：\n]{1,20}[”\"」』])\s*[:：]\s*(?P<rest>.*)$"
)
_COLON_LABEL = re.compile(
    r"^(?P<label>[^:：，。！？；,.!?;“”\"「」《》]{1,30}?)\s*[:：]\s*(?P<rest>.*)$"
)
_ONLY_BRACKETS = re.compile(r"^(?:[\[【〔［][^\]】〕］]{1,12}[\]】〕］]\s*)+$")
# Live text broadcasts put the time first: 10:05:12 主持人：….
_TIME_THEN_LABEL = re.compile(
    rf"^(?P<time>{TIME_OF_DAY})\s+(?P<label>[^\s:：，。！？；,.!?;“”\"「」《》]{{1,30}}?)\s*[:：]\s*"
    r"(?P<rest>.*)$"
)
# A microblog interview's posts: @网友昵称：…, @邵恒宇V：… (V: a verified account), and
# the answers @霁北城管 回复@网友昵称：….
_POST_LABEL = re.compile(
    r"^@(?P<label>[^\s:：@，。！？]{1,30}?)\s*(?P<reply>(?:回复|回覆)\s*@[^\s:：@]{1,30}?)?\s*[:：]\s*"
    r"(?P<rest>.*)$"
)
# Programme transcripts put a bracketed time code first: [00:12:35] 主持人：….
_TIME_CODE = re.compile(rf"^[\[【〔［(（]\s*(?P<time>{TIME_OF_DAY})\s*[\]】〕］)）]\s*")
# Copied pages keep Markdown bold around a label: **记者**： or **记者：**.
_EMPHASIS_LABEL = re.compile(
    r"^(?P<open>\*\*|__)\s*(?P<label>[^*_:：\n]{1,30}?)\s*(?:(?P=open)\s*[:：]|[:：]\s*(?P=open))"
    r"\s*(?P<rest>.*)$"
)
# Newspapers mark the two sides with squares or bullets: □记者： and ■陈局长：.
_MARKED_LABEL = re.compile(
    r"^[□■◆◇●○▲△★☆▶►◎]\s*(?P<label>[^:：，。！？；,.!?;“”\"「」《》]{1,30}?)\s*[:：]\s*(?P<rest>.*)$"
)
# Numbered questions (Q1：, 问2：) are one speaker, not one speaker per number.
_NUMBERED_QUESTION = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、?)?(?P<label>Q|q|问|問|问题|問題)\s*"
    r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})?$"
)
_LATIN_LABEL = re.compile(
    r"^(?P<label>[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,4})\s*:\s*(?P<rest>.*)$"
)
ALIAS_ANYWHERE = re.compile(
    r"(?P<label>[^\s，。；：:、“”（()]{2,30}?)\s*[（(]\s*以下(?:简称|称)\s*[:：]?\s*[“\"「『]?(?P<alias>[^”\"」』)）]{1,12})[”\"」』]?\s*[)）]"
)

_INTERVIEWER_EXACT = {
    "主持人",
    "主持",
    "主播",
    "记者",
    "本报记者",
    "本刊记者",
    "本台记者",
    "本网记者",
    "问",
    "提问",
    "网友",
    "观众",
    "编者",
    "采访者",
    "访问者",
    "问题",
    "新闻发布会主持人",
    "q",
    "question",
    "host",
    "moderator",
    "reporter",
    "interviewer",
    "journalist",
}
_INTERVIEWEE_EXACT = {
    "答",
    "回答",
    "a",
    "answer",
    "嘉宾",
    "受访者",
    "访谈嘉宾",
    "特邀嘉宾",
    "受访人",
}
# What English pages put before a colon that is no speaker.
_LATIN_NOT_SPEAKERS = {
    *("share", "tags", "tag", "editor", "editors", "proofreader", "source", "sources", "by"),
    *("photo", "photos", "video", "updated", "published", "posted", "date", "time", "note"),
    *("related", "related stories", "related news", "read more", "see also", "copyright"),
    *("email", "e-mail", "tel", "phone", "fax", "address", "home", "contact", "keywords"),
    *("translated by", "edited by", "reported by", "written by", "caption", "summary"),
}
_OTHER_EXACT = {
    *("旁白", "解说", "画外音", "字幕", "同期声", "编者按", "注", "备注", "背景", "现场"),
    *("短片", "视频", "vcr", "片花", "专题片", "宣传片", "现场连线", "连线", "暗访"),
}
_OUTLET_ENDINGS = (
    *("日报", "晚报", "早报", "时报", "商报", "报社", "周报", "青年报", "法治报", "报"),
    *("电视台", "广播电台", "电台", "卫视", "通讯社", "新闻社", "社", "网", "杂志社", "杂志"),
    *("周刊", "客户端", "频道", "新闻", "传媒", "融媒体中心", "记者站", "总台"),
)
_OUTLET_SUFFIX = re.compile(f"({'|'.join(_OUTLET_ENDINGS)})$")
# A name may end in 报, 社 or 网 (李建社), never in 日报 or 电视台: 江临日报 is no person.
_OUTLET_WORD_SUFFIX = re.compile(f"({'|'.join(e for e in _OUTLET_ENDINGS if len(e) > 1)})$")
_NOT_A_LABEL_END = re.compile(
    r"(表示|指出|说|称|介绍|强调|认为|透露|坦言|答道|问道|提到|说道|告诉记者|如下|包括|为|是|有|"
    r"在于|来说|而言|例如|比如|即|目标|要求|原则|方面|内容|主要|重点|具体|其中|分别|特别是|注意|提示|"
    r"公告|通知|附件|电话|地址|时间|日期|地点|主题|题目|标题|网址|邮箱|传真|邮编|联系人|简介|备注|"
    r"举措|措施|步骤|做法|经验|成效|意义|问题|原因|背景|任务|工作|情况|总结|结论|一|二|三|四|五|"
    r"首先|其次|最后|另外|此外|同时|因此|所以|但是|然而|总之|关键词|标签|来源|来历|作者|编辑)$"
)
_METADATA_KEYS = re.compile(
    r"^(来源|来历|出处|作者|责任编辑|责编|编辑|校对|审核|发布时间|发布日期|时间|日期|地点|主题|"
    r"访谈主题|访谈时间|访谈地点|访谈嘉宾|嘉宾简介|简介|关键词|标签|电话|地址|网址|邮箱|传真|邮编|"
    r"联系人|附件|字体|字号|分享到|图片|图|视频|音频|摘要|导语|提要|编者按|按|"
    r"播出时间|播出频道|播出|首播|重播|频道|栏目|节目|本期主题|整理|记录|速记|撰稿|出品|制片|导演)$"
)
_LIST_MARKER = re.compile(
    r"^([0-9０-９]+|[一二三四五六七八九十]+|第[一二三四五六七八九十\d]+|[（(][^)）]{1,3}[)）]|[a-z]\W)"
)
_POSITION_SUFFIX = (
    r"(?:长|书记|主任|委员|主席|总监|总经理|经理|董事长|发言人|负责人|主管|专员|院士|教授|研究员|"
    r"工程师|政委|司令员|大使|参事|巡视员|调研员|秘书|队长|组长|总师|专家|处长|科长|所长|站长|馆长|"
    r"台长|社长|总编辑|主编|政委|监事|会长|理事|督察|行长|代表|县长|乡长|镇长|省长|市长|区长|州长|盟长|旗长)"
)
_POSITION_THEN_NAME = re.compile(
    rf"^(?P<position>.{{2,40}}?{_POSITION_SUFFIX})\s*(?P<name>[{_CJK}·]{{2,4}})$"
)
_SURNAME_TITLE = re.compile(rf"^[{_CJK}]{{1,2}}{_POSITION_SUFFIX}$")
_CJK_RUN = re.compile(rf"^[{_CJK}·]+$")
_SPACE_INSIDE_CJK = re.compile(rf"(?<=[{_CJK}])[ \u3000\u00a0]+(?=[{_CJK}])")

_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
    "宇文",
    "司徒",
    "西门",
    "南宫",
    "独孤",
    "端木",
    "申屠",
    "呼延",
    "轩辕",
    "百里",
    "东郭",
    "闻人",
    "万俟",
    "澹台",
    "公冶",
    "太史",
    "赫连",
    "拓跋",
    "完颜",
    "爱新觉罗",
)
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由贝"
)


@dataclass(frozen=True, slots=True)
class LabelCandidate:
    """A line that opens like a speaker label; ``rest`` is the text after the label on that line."""

    label: str
    rest: str
    rest_offset: int
    time: str | None
    style: str  # "bracket" | "colon" | "timed" | "latin" | "own_line"
    alias: str | None = None
    note: str | None = None  # the position a label gives in brackets: 李明（市交通运输局局长）
    role: Role | None = None  # the role its form implies: a microblog reply answers


def clean_label(raw: str) -> str:
    """``沈 冰`` → ``沈冰``; outer spaces and trailing colons go."""
    label = _SPACE_INSIDE_CJK.sub("", raw.strip().strip(":：").strip())
    numbered = _NUMBERED_QUESTION.match(label)
    return numbered.group("label") if numbered else label


def match_label(line: str, simplified: str) -> LabelCandidate | None:
    """A syntactic candidate; ``line`` and ``simplified`` are the same line in two scripts."""
    code = _TIME_CODE.match(simplified)
    if code:
        # [00:01:05] 嘉宾（市住建局局长 韩素云）：…: a programme's time code, then any label.
        inner = match_label(line[code.end() :], simplified[code.end() :])
        if inner is not None and inner.style != "latin":
            return dataclasses.replace(
                inner,
                rest_offset=inner.rest_offset + code.end(),
                time=code.group("time").replace("：", ":"),
                style="timed" if inner.style == "colon" else inner.style,
            )
    post = _POST_LABEL.match(simplified)
    if post:
        return _post_candidate(line, post)
    for style, pattern in (
        ("bracket", _BRACKET_LABEL),
        ("latin", _LATIN_LABEL),
        ("alias", _ALIAS_LABEL),
        ("noted", _NOTED_LABEL),
        ("netizen", _NETIZEN_LABEL),
        ("timed", _TIMED_LABEL),
        ("timed", _TIME_THEN_LABEL),
        ("emphasis", _EMPHASIS_LABEL),
        ("marked", _MARKED_LABEL),
        ("colon", _COLON_LABEL),
    ):
        match = pattern.match(simplified)
        if not match:
            continue
        if style == "bracket" and _ONLY_BRACKETS.match(match.group("rest") or ""):
            continue  # 【文字实录】【图片直播】【视频回放】: a page's tabs, not a speaker
        if style == "noted" and not _is_position_note(match):
            continue
        if simplified[match.end("label") - 1].isdigit() and _COLON_OF_A_CLOCK.match(
            simplified, match.end("label")
        ):
            continue  # 记者张语彤／澄海报导 上午 08:40 is a byline, the colon a time's
        label = clean_label(line[match.start("label") : match.end("label")])
        groups = match.groupdict()
        if "rest" in groups and match.group("rest") is not None:
            rest_offset = match.start("rest")
            rest = line[rest_offset:].strip()
        else:
            rest_offset, rest = len(line), ""
        time = groups.get("time")
        alias = groups.get("alias")
        note = groups.get("note")
        if note and _role_of_wording(label) == "interviewee":
            # 嘉宾（市住建局局长 韩素云）：the guest is the person the brackets name.
            name, position = split_name(note)
            if name:
                label = name
                note = position
        candidate = LabelCandidate(
            label=label,
            rest=rest,
            rest_offset=rest_offset,
            time=time.replace("：", ":") if time else None,
            style="colon"
            if style in ("alias", "emphasis", "marked", "noted", "netizen")
            else style,
            alias=clean_label(line[match.start("alias") : match.end("alias")]) if alias else None,
            note=note.strip() if note else None,
        )
        if plausible_label(
            clean_label(simplified[match.start("label") : match.end("label")]), style
        ):
            return candidate
    return None


def _post_candidate(line: str, post: re.Match[str]) -> LabelCandidate:
    """A microblog post's author as a label: netizens ask, and an account that replies
    (回复@…) or is verified (邵恒宇V) answers."""
    label = line[post.start("label") : post.end("label")]
    verified = label[-1:] in ("V", "v") and _is_bare_name(label[:-1])
    if verified:
        label = label[:-1]
    return LabelCandidate(
        label=label,
        rest=line[post.start("rest") :].strip(),
        rest_offset=post.start("rest"),
        time=None,
        style="post",
        role="interviewee" if verified or post.group("reply") else "interviewer",
    )


# No speaker's name holds markup: a Markdown table cell (| `主持人`) is not a label.
_MARKUP = re.compile(r"[|`*#<>{}=\\]")
# Nor a headline's separator: 专访／观光交通署长林志远：… is a title.
_HEADLINE_SEPARATOR = re.compile(r"[／/丨｜]")
_COLON_OF_A_CLOCK = re.compile(r"\s*[:：]\d{2}")


def _is_position_note(match: re.Match[str]) -> bool:
    """Whether the brackets after a label hold who the speaker is (a position, maybe
    with a name), not an aside such as （以下简称…） or （笑）."""
    note = clean_label(match.group("note"))
    return bool(re.search(_POSITION_SUFFIX + "$", note)) or split_name(note)[1] is not None


def match_own_line_label(line: str, simplified: str) -> LabelCandidate | None:
    """A line that is nothing but a speaker's name or role (记者, 周建国), the turn's text
    following on the next lines. Only recurring ones are taken as speakers."""
    text = clean_label(simplified)
    if text != simplified.strip() or not 2 <= len(text) <= 12:
        return None
    if not (
        _role_of_wording(text) in ("interviewer", "interviewee")
        or _is_bare_name(text)
        or (_SURNAME_TITLE.match(text) and text[0] in _SURNAMES)
    ):
        return None
    return LabelCandidate(label=line, rest="", rest_offset=len(line), time=None, style="own_line")


_CAST_ROLES = {
    *("主持人", "主持", "嘉宾", "访谈嘉宾", "出席嘉宾", "特邀嘉宾", "发布人", "出席"),
    *("记者", "本报记者", "通讯员", "文", "图", "摄影"),  # a byline: 记者：林晓
}
_CAST_SEPARATORS = re.compile(r"[；;，,、\s]+")


def is_cast_line(label: str, rest: str) -> bool:
    """``主持人：临澜融媒记者 唐悦`` or ``嘉宾：局长 韩素琴`` in a page's header: who takes
    part, not a turn. The rest is names with positions, no sentence."""
    if label not in _CAST_ROLES or not rest or len(rest) > 120 or re.search(r"[。！？!?]", rest):
        return False
    return any(
        _is_bare_name(part) or split_name(part)[0] is not None or part.startswith("@")
        for part in _CAST_SEPARATORS.split(rest.strip())
        if part
    )


def plausible_label(label: str, style: str) -> bool:
    """Syntax alone rules these out: sentences, list markers, metadata keys, speech verbs."""
    if not label or len(label) > 30 or _MARKUP.search(label):
        return False
    if style == "latin":
        return label.lower() not in _LATIN_NOT_SPEAKERS
    if _HEADLINE_SEPARATOR.search(label):
        return False
    if _METADATA_KEYS.match(label) or _LIST_MARKER.match(label):
        return False
    if role_word(label) is not None:
        return True
    if re.search(r"\d", label) and "记者" not in label:
        return False
    if "的" in label and "记者" not in label:
        return False
    if _is_name_ending_like_a_phrase(label):
        return True
    return not _NOT_A_LABEL_END.search(label)


# 有 and 为 end many given names (宋茂有, 李有为) and many phrases before a colon (主要有：,
# 分别为：). A three-character name is told from the phrase by its middle character.
_NAME_ENDINGS_THAT_END_PHRASES = "有为"
_PHRASE_MIDDLES = "要体点别中般常前省括些还就也都共只另所均即仍计外下上内含"


def _is_name_ending_like_a_phrase(label: str) -> bool:
    return (
        len(label) == 3
        and label[-1] in _NAME_ENDINGS_THAT_END_PHRASES
        and label[1] not in _PHRASE_MIDDLES
        and _is_bare_name(label)
    )


def role_word(label: str) -> Role | None:
    """The role a label's wording alone implies, or None when it is a name or unknown."""
    role = _role_of_wording(label)
    if role is None and _OUTLET_SUFFIX.search(label) and not split_name(label)[0]:
        return "interviewer"
    return role


def _role_of_wording(label: str) -> Role | None:
    """``role_word`` short of the outlet rule, which asks whether the label is a name."""
    lowered = unicodedata.normalize("NFKC", label).lower()  # Ｑ and Ａ are Q and A
    if lowered in _INTERVIEWER_EXACT:
        return "interviewer"
    if lowered in _INTERVIEWEE_EXACT:
        return "interviewee"
    if lowered in _OTHER_EXACT:
        return "other"
    if "记者" in label or label.startswith(
        ("主持人", "网友", "观众", "提问", "市民", "群众", "居民", "村民", "听众", "读者", "网民")
    ):
        return "interviewer"
    return None


def is_outlet(label: str) -> bool:
    return (
        bool(_OUTLET_SUFFIX.search(label))
        and "记者" not in label
        and role_word(label) == "interviewer"
    )


def is_person_like(label: str) -> bool:
    """A bare Chinese personal name, ``高厅长``, or a position followed by a name."""
    name, _ = split_name(label)
    if name:
        return True
    return bool(_SURNAME_TITLE.match(label)) and label[0] in _SURNAMES


def has_surname(text: str) -> bool:
    return text[:1] in _SURNAMES or any(text.startswith(s) for s in _COMPOUND_SURNAMES)


def split_name(label: str) -> tuple[str | None, str | None]:
    """(name, position) for ``交通运输部部长 李小鹏``, ``李小鹏``, ``国家消防救援局副局长王五``."""
    text = label.strip()
    if " " in text or "\u3000" in text:
        head, _, tail = text.replace("\u3000", " ").rpartition(" ")
        tail = tail.strip()
        if _is_bare_name(tail):
            return tail, head.strip() or None
    if _is_bare_name(text):
        return text, None
    match = _POSITION_THEN_NAME.match(text)
    if match and _is_bare_name(match.group("name")):
        return match.group("name"), match.group("position")
    return None, None


def _is_bare_name(text: str) -> bool:
    return (
        2 <= len(text) <= 4
        and bool(_CJK_RUN.match(text))
        and has_surname(text)
        # four characters are a compound surname's name (欧阳晓峰), not 相关阅读
        and (len(text) < 4 or "·" in text or any(text.startswith(s) for s in _COMPOUND_SURNAMES))
        and not (
            _role_of_wording(text) or _SURNAME_TITLE.match(text) or _OUTLET_WORD_SUFFIX.search(text)
        )
    )


POSITION_SUFFIX = _POSITION_SUFFIX
