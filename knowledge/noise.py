"""Recognise the lines of a web page that are not the interview.

Patterns are written in Simplified Chinese; callers pass lines already folded
to Simplified (``to_simplified``) so Traditional pages need no second list.
Machine-rewritten sites spin these words too (引荐阅览 for 推荐阅读, 来历 for
来源), so the common spun forms are listed beside the real ones.
"""

from __future__ import annotations

import re

_SPAM_WORDS = (
    "免费观看",
    "在线观看",
    "国产",
    "久久",
    "精品",
    "日韩",
    "欧美",
    "亚洲",
    "无码",
    "有码",
    "特黄",
    "色情",
    "成人",
    "av",
    "伦理",
    "高清",
    "一区",
    "二区",
    "三区",
    "福利",
    "激情",
    "彩票",
    "赌场",
    "博彩",
    "娱乐城",
    "网赌",
    "百家乐",
    "老虎机",
    "真人",
    "开户",
    "下注",
)
_BREADCRUMB_START = re.compile(r"^(您的位置|您现在的位置|你的位置|当前位置|所在位置|位置)\s*[:：]?")
_BREADCRUMB_SEPARATORS = re.compile(r"\s*(>|＞|»|›|→|/|>>|-&gt;)\s*")
_WIDGETS = re.compile(
    r"^[【\[（(]?\s*(字体|字号|文字|字體)\s*[:：]?\s*[【\[]?\s*[大中小]"
    r"|^(分享到|分享|扫一扫|用微信扫描|微信扫一扫|打印本页|打印|关闭窗口|关闭|返回顶部|收藏|"
    r"纠错|我要纠错|浏览次数|阅读次数|点击数|访问量|上一篇|下一篇|上一条|下一条|上一期|下一期|"
    r"【打印】|【关闭】|【纠错】|【收藏】)"
    r"|(【打印】|【关闭】|【关闭窗口】|【打印本页】|打印本页|关闭窗口)\s*$"
    r"|^(视频|音频|图片|图文|文字)(直播|实录)?\s*$"
    r"|^(阅读|浏览|点击)\s*[:：]?\s*\d+\s*(次)?\s*$"
)
_METADATA = re.compile(
    r"^\s*[【\[（(]?\s*(来源|来历|出处|作者|责任编辑|责编|编辑|校对|审核|审校|监制|编审|"
    r"发布时间|发布日期|发稿时间|稿源|文章来源|信息来源|供稿|撰稿|摄影|通讯员|实习生|"
    r"关键词|标签|发布机构|抄送|抄报|主送)\s*[】\]]?\s*[:：]"
)
# A printed document's page numbers: — 3 —, - 3 -, 第3页, 3/12.
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
# The office that printed it: 青川市人民政府办公室　　2025年11月20日印发.
_PRINTED_BY = re.compile(r"\d{1,2}\s*日\s*印发$")
_CAPTION = re.compile(
    r"^「[^」。！？]{1,12}」$|"  # a section heading set in corner brackets: 「 成 效 」
    r"^[（(][^)）]{0,20}(参阅|參閱|参见|參見|详见|詳見)[^)）]{0,30}[)）]$|"  # 请同时参阅…英文部分
    r"^(图为|上图|下图|左图|右图|图片来源|资料图|配图|图\s*\d*\s*[:：]|▲|△)"
    r"|[（(]\s*(本报)?(记者|通讯员|摄影)?\s*[\w·\s]{0,12}\s*摄\s*[)）]\s*$"
    r"|^[（(]?\s*(新华社|中新社)?\s*记者\s*[\w·]{2,8}\s*摄\s*[)）]?$"
)
_READING_HEADER = re.compile(
    r"^[【\[]?\s*(推荐阅读|相关阅读|延伸阅读|相关新闻|相关链接|相关报道|热点推荐|猜你喜欢|"
    r"热门推荐|往期回顾|精彩推荐|引荐阅览|引荐阅读|推荐阅览|相关文章|更多阅读|阅读推荐|"
    r"相关稿件|专题推荐|网友留言|网友评论|读者评论|热门评论|最新评论|发表评论|我要评论|评论|留言)\s*(?:[（(]\d+[)）])?\s*[】\]]?\s*[:：]?\s*$"
)
# A microblog post's footer and counters: 11-12 15:04 来自 微博 weibo.com  转发 23 | 评论 57.
_POST_FOOTER = re.compile(
    r"来自\s*(?:微博|weibo|iphone|android|微信|客户端|[\w.]+\.com)"
    r"|(?:转发|评论|赞|阅读|讨论|原创)\s*\d[\d.]*万?\s*(?:\||\s{2,}|$)",
    re.I,
)
_CLICK_LINK = re.compile(r"^(点击|点此|点这里)(查看|检查|进入|阅读|阅览)")
_END_MARKERS = re.compile(
    r"^[（(]\s*完\s*[)）]$|^[-—－【\[\s]*完[-—－】\]\s]*$|"
    r"^[（(]\s*(?:end of (?:the )?(?:interview|transcript)|the end|全文完|采访完|访谈完)"
    r"[^)）]{0,30}[)）]$|"
    r"^[（(]\s*(本报|本网|本刊|新华社|中新社)?\s*(记者|通讯员|实习生|编辑)[\s\w·、]{1,24}[)）]$|"
    r"^(【打印】|【关闭】|【打印本页】|【关闭窗口】|打印本页|关闭窗口)|^[（(][^)）]{0,30}(整理|供稿|摄|报道|编辑|审阅|审定)\s*[)）]$|^(版权所有|copyright|©|主办单位|承办单位|网站标识码|备案号|"
    r"联系我们|网站地图|[（(]?责任编辑)",
    re.I,
)
_NEWS_SNIPPET = re.compile(
    r"^(\S{0,8}(讯|日电|消息)|据\S{0,20}(消息|报道|音讯)|本报讯|新华社|中新网)"
)
_TRUNCATED = re.compile(r"(\.\.\.|…|……)\s*$")
_FRAGMENT_SPLIT = re.compile(r"[,，|｜、_\s]+")


def is_spam(line: str) -> bool:
    """Keyword-stuffing lines that hacked sites carry on top of real pages."""
    lowered = line.lower()
    hits = sum(1 for word in _SPAM_WORDS if word in lowered)
    if hits >= 2:
        fragments = [f for f in _FRAGMENT_SPLIT.split(line) if f]
        return len(fragments) >= 2 and "。" not in line
    return False


def is_breadcrumb(line: str) -> bool:
    if _BREADCRUMB_START.match(line):
        return True
    parts = [
        p
        for p in _BREADCRUMB_SEPARATORS.split(line)
        if p and not _BREADCRUMB_SEPARATORS.fullmatch(p)
    ]
    separators = len(_BREADCRUMB_SEPARATORS.findall(line))
    if separators < 2 or len(parts) < 3 or not all(len(p) <= 30 for p in parts):
        return False
    if "首页" in line or "主页" in line:
        return True
    return all(len(p) <= 8 for p in parts)


def is_widget(line: str) -> bool:
    return bool(_WIDGETS.search(line)) and len(line) <= 60


def is_metadata_line(line: str) -> bool:
    """``来源:``/``作者:``/``责任编辑:`` and friends: never a speaker, never a turn."""
    return bool(_METADATA.match(line))


def is_caption(line: str) -> bool:
    return len(line) <= 120 and bool(_CAPTION.search(line))


def is_reading_header(line: str) -> bool:
    return bool(_READING_HEADER.match(line))


def is_noise(line: str) -> bool:
    """A line that is dropped wherever it appears."""
    return (
        is_spam(line)
        or is_breadcrumb(line)
        or is_widget(line)
        or is_metadata_line(line)
        or is_caption(line)
        or is_reading_header(line)
        or bool(_CLICK_LINK.match(line))
        or is_post_footer(line)
        or bool(_PAGE_NUMBER.match(line))
        or bool(_PRINTED_BY.search(line))
        or bool(_END_MARKERS.match(line))
    )


def is_post_footer(line: str) -> bool:
    """A microblog post's time, client and counters: two signs of them in a short line."""
    return len(line) <= 80 and len(_POST_FOOTER.findall(line)) >= 2


def ends_interview(line: str) -> bool:
    """A line after which nothing belongs to the interview, unless a known speaker resumes."""
    return (
        is_reading_header(line)
        or is_metadata_line(line)
        or bool(_END_MARKERS.match(line))
        or is_news_snippet(line)
    )


def is_news_snippet(line: str) -> bool:
    """An unrelated story glued after the interview: a dateline lead or a truncated teaser."""
    if _NEWS_SNIPPET.match(line) and len(line) > 20:
        return True
    return (
        len(line) > 30
        and bool(_TRUNCATED.search(line))
        and bool(re.search(r"(讯|消息|音讯|报道|日电|据)", line))
    )
