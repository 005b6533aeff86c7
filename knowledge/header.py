"""What the lines before the first turn say: title, outlet, date, who is interviewed.

Pages put these facts in many places (a repeated headline, ``《内蒙古日报》
(2024年12月6日02版)``, a lead paragraph naming "党委书记、厅长高润喜"). We only
take what the page states; a fact we cannot find stays None rather than guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from knowledge import labels, noise
from knowledge.normalise import to_simplified
from knowledge.timestamps import TIMESTAMP_LINE, find_dates, find_roc_date, parse_date

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_INTERVIEW_WORDS = re.compile(r"访谈|专访|采访|对话|答记者问|发布会|问答|解读|访|谈|答问")
_GENERIC_HEADINGS = re.compile(
    r"^(在线访谈|访谈|访谈实录|文字实录|图文直播|新闻中心|首页|正文|专题|访谈回顾|互动访谈|政民互动|"
    r"新闻发布会|发布会|访谈直播|嘉宾访谈|网络访谈|在线访谈实录|访谈预告|新闻|要闻|时政|本网专稿|"
    r"政务访谈|高层访谈|微访谈|领导访谈|访谈栏目|对话|专访)$"
)
_OUTLET_IN_BOOK_TITLE = re.compile(r"《(?P<outlet>[^》]{2,20}?(?:报|刊|网|台|志|社|周刊|杂志))》")
# A broadcaster heads its programme's title: 槐阳电视台《民生热线》文字实录.
_OUTLET_BEFORE_PROGRAMME = re.compile(
    r"^(?P<outlet>[\u4e00-\u9fff]{2,12}?(?:电视台|广播电台|电台|日报|晚报|报社|新闻网|融媒体中心))《"
)
_OUTLET_META = re.compile(
    r"(?:^|\s)[【\[（(]?\s*(?:来源|稿源|文章来源|信息来源|(?i:source))\s*[】\]]?\s*[:：]\s*(?P<outlet>[^\s，。|]{2,20})"
)
# Sites put 来源, 发布时间 and 浏览次数 on one line: the date meta may follow a space.
_DATE_META = re.compile(
    r"(?:^|\s)[【\[]?\s*(?:发布时间|发布日期|访谈时间|播出时间|直播时间|时间|日期|发稿时间|(?i:published|posted|date))\s*[】\]]?\s*[:：]"
)
_BREADCRUMB = re.compile(r"\s[>＞›»]\s")  # 首页 > 在线访谈 > 正文
_SUBTITLE_DASHES = ("——", "──", "--", "—")
_TIME_OF_DAY = re.compile(labels.TIME_OF_DAY)  # 发表于 2024-03-12 08:30 is a byline
_STARTS_WITH_DATE = re.compile(r"^[（(【\[]?\s*(?:19|20)\d{2}\s*[-/.年]")
_EDITION = re.compile(r"\d{1,2}\s*版")
# Up to the last interview verb (记者就全省安全生产工作专访了省应急管理厅厅长), else the first
# weaker lead-in word.
_LEAD_IN = re.compile(
    r"^.*(?:专访了|采访了|对话了|访问了|邀请了|邀请到|特邀|以下为|以下是)"
    r"|^.*?(?:专访|采访|对话|访问|邀请|走访|做客|来到|嘉宾|就|是|为|由|访)"
)
_STOP = "，。；：:“”《》！？!?,;（）() \t\u3000「」—"
_PERSON_WITH_POSITION = re.compile(
    rf"(?P<position>[^{_STOP}]{{2,40}}?{labels.POSITION_SUFFIX})[ \u3000\u00a0]?"  # 局长 周文澜
    rf"(?P<name>[{_CJK}]{{2,3}})(?=[{_STOP}、]|$|做客|接受|就(?![业医读学餐诊])|表示|介绍|谈|回答|答|在|说|作|今日|今天|日前|近日|昨日)"
)

# A cast row names the person first: 访谈嘉宾：邵恒宇，霁北市城市管理局副局长 or
# 赵海川　云溪市民政局党组书记、局长 (a whole line, so no sentence is misread).
_NAME_THEN_POSITION = re.compile(
    r"^(?:(?:访谈嘉宾|嘉宾|出席嘉宾|特邀嘉宾|发布人|受访者|受访人|访谈对象)\s*[:：]\s*)?"
    rf"(?P<name>[{_CJK}]{{2,3}})\s*[，,\s\u3000]\s*"
    rf"(?P<position>[^。！？!?：:，,\s]{{2,60}}?{labels.POSITION_SUFFIX})$"
)

_TIME_WORD = re.compile(r"[今明去前后]年|[今明昨]天")  # 负责人谈今年…: no one is called 谈今年


@dataclass(frozen=True)
class HeaderFacts:
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    site: str | None = None  # the page's site name: the outlet when the text names none
    positions: dict[str, str] = field(default_factory=dict)  # simplified name → verbatim position
    named_interviewee: tuple[str, str | None] | None = None  # verbatim (name, position)
    starts_at: str | None = None  # when a broadcast began (播出频道：…（19:35—19:58）): HH:MM


def read_header(
    lines: list[tuple[str, str]],
    *,
    html_title: str | None = None,
    html_sitename: str | None = None,
    html_date: str | None = None,
) -> HeaderFacts:
    """``lines`` are (verbatim, simplified) pairs of the non-blank lines before the first turn."""
    content = [(o, s) for o, s in lines if not noise.is_noise(s)]
    title = _title(content, html_title)
    title_line = [(title, _simple_of(title, lines))] if title else []
    people = _people(title_line + content)
    positions: dict[str, str] = {}
    for simple_name, _, position in people:  # the fullest mention: 西岭省卫健委副主任 over 省…
        if len(position) > len(positions.get(simple_name, "")):
            positions[simple_name] = position
    named = (people[0][1], people[0][2]) if people else None
    return HeaderFacts(
        title=title,
        outlet=find_outlet(lines),
        site=html_sitename,
        date=_date(lines) or (parse_date(html_date) if html_date else None),
        positions=positions,
        named_interviewee=named,
        starts_at=_start_clock(content),
    )


# A broadcast or live interview gives its start: 播出时间：19:35, （19:35—19:58）.
_BROADCAST = re.compile(r"播出|直播|访谈时间|节目时间")
_START_CLOCK = re.compile(r"(?<![\d:：])(\d{1,2}[:：]\d{2})(?![\d:：])")


def _start_clock(lines: list[tuple[str, str]]) -> str | None:
    for _, simple in lines:
        if _BROADCAST.search(simple):
            match = _START_CLOCK.search(simple)
            if match:
                return match.group(1).replace("：", ":")
    return None


def _simple_of(original: str, lines: list[tuple[str, str]]) -> str:
    return next((s for o, s in lines if o == original), None) or to_simplified(original)


def _title(content: list[tuple[str, str]], html_title: str | None) -> str | None:
    scores: Counter[str] = Counter()
    order: dict[str, int] = {}
    previous_title_like = False
    for position, (original, simple) in enumerate(content):
        if not _title_like(simple):
            previous_title_like = False
            continue
        if previous_title_like and simple.startswith(_SUBTITLE_DASHES):
            # 让群众看上好医生 / ——访某某: a headline and its subtitle are one title.
            original = content[position - 1][0] + original
        previous_title_like = True
        order.setdefault(original, position)
        scores[original] += 2
        if _INTERVIEW_WORDS.search(simple):
            scores[original] += 3
    if html_title and _title_like(html_title):
        return html_title
    if not scores:
        return None
    return max(scores, key=lambda line: (scores[line], -order[line]))


def _title_like(simple: str) -> bool:
    return (
        4 <= len(simple) <= 60
        and not _GENERIC_HEADINGS.match(simple)
        and not TIMESTAMP_LINE.match(simple)
        and not _TIME_OF_DAY.search(simple)
        and not _EDITION.search(simple)
        and not simple.endswith(("。", "…", "：", ":"))
        and len(_BREADCRUMB.findall(simple)) < 2
        and not _speaker_line(simple)
    )


def _speaker_line(simple: str) -> bool:
    """A line a speaker opens; 专访丨市交通运输局局长：今年… is a headline with a colon."""
    candidate = labels.match_label(simple, simple)
    return candidate is not None and (
        labels.role_word(candidate.label) is not None or labels.is_person_like(candidate.label)
    )


def _people(content: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(simplified name, verbatim name, verbatim position) for every "position + name" phrase."""
    found: list[tuple[str, str, str]] = []
    for original, simple in content:
        same_length = len(original) == len(simple)
        for match in _PERSON_WITH_POSITION.finditer(simple):
            name = match.group("name")
            if not labels.has_surname(name) or _TIME_WORD.search(name):
                continue
            start, end = match.span("position")
            lead_in = _LEAD_IN.match(simple[start:end])
            if lead_in:
                start += lead_in.end()
            position_simple = simple[start:end].lstrip("了的、／/丨|｜：: \u3000")
            start = end - len(position_simple)
            if len(position_simple) < 2 or not re.search(
                labels.POSITION_SUFFIX + "$", position_simple
            ):
                continue
            source = original if same_length else simple
            verbatim_name = source[match.start("name") : match.end("name")]
            found.append((name, verbatim_name, source[start:end]))
        row = _NAME_THEN_POSITION.match(simple.strip())
        if row and same_length and labels.has_surname(row.group("name")):
            offset = len(simple) - len(simple.lstrip())
            name_span, position_span = row.span("name"), row.span("position")
            found.append(
                (
                    row.group("name"),
                    original[offset + name_span[0] : offset + name_span[1]],
                    original[offset + position_span[0] : offset + position_span[1]],
                )
            )
    return found


def find_outlet(lines: list[tuple[str, str]]) -> str | None:
    for original, simple in lines:
        match = _OUTLET_IN_BOOK_TITLE.search(simple)
        if match and (len(simple) <= 40 or _EDITION.search(simple)):
            return (
                original[match.start("outlet") : match.end("outlet")]
                if len(original) == len(simple)
                else match["outlet"]
            )
    for pattern, longest in ((_OUTLET_META, 80), (_OUTLET_BEFORE_PROGRAMME, 60)):
        for original, simple in lines:
            match = pattern.search(simple)
            if match and len(simple) <= longest:
                return (
                    original[match.start("outlet") : match.end("outlet")]
                    if len(original) == len(simple)
                    else match["outlet"]
                )
    return None


_DATE_LINE = re.compile(
    r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:[（(](?:星期|周)[一二三四五六日天][)）])?$"
)


def find_date_line(lines: list[tuple[str, str]]) -> str | None:
    """The date of a line that is nothing but a date: a press release's footer
    (完 / 2026年5月6日（星期三）) dates it when its head does not."""
    for _, simple in lines:
        if _DATE_LINE.match(simple.strip()):
            dates = find_dates(simple)
            if dates:
                return dates[0]
    return None


def _date(lines: list[tuple[str, str]]) -> str | None:
    for _, simple in lines:
        meta = _DATE_META.search(simple)
        dates = find_dates(simple[meta.end() :]) if meta else []
        if dates:
            return dates[0]
        if (
            TIMESTAMP_LINE.match(simple)
            or _EDITION.search(simple)
            or _STARTS_WITH_DATE.match(simple)
        ):
            dates = find_dates(simple)
            if dates:
                return dates[0]
    for _, simple in lines:
        if len(simple) <= 40:
            dates = find_dates(simple)
            if dates:
                return dates[0]
    return next(
        filter(None, (find_roc_date(simple) for _, simple in lines if len(simple) <= 60)), None
    )
