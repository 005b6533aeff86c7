"""Whether a paragraph can hold what a question asks for: a date, a span of time, a figure.

A paragraph that matches a question's words may still not answer it: "how many steel
works has Baotou" is not answered by a sentence saying Baotou uploaded its steel works'
data, though the same sentence counts 308 chemical plants. A figure answers a number
question only when it stands beside what the question asks about, counts the period
asked about, and counts people when people are asked about. Texts here are normalised
(``knowledge.normalise``): punctuation is a space, so a clause is a space-free stretch.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice

from knowledge.query import QueryPlan

_TIME = re.compile(
    r"\d{4}年|\d{1,2}月|\d{1,2}日|[一二三四五六七八九十]{1,3}月|年底|年初|年内|年末|今年|去年|"
    r"明年|前年|当年|上半年|下半年|季度|月底|月初|日前|近日|(?:周|星期|礼拜)[一二三四五六日天]"
)
# A day asked for (哪天, 几号) is a day of a month or of the week, not a year or a month.
_DAY_QUESTION = re.compile(r"哪天|哪一天|几号|几日|什么日子|星期几|周几|礼拜几")
_DAY = re.compile(
    r"\d{1,2}\s*[日号]|[一二三四五六七八九十]{1,3}[日号]|(?:周|星期|礼拜)[一二三四五六日天]|"
    r"今天|明天|昨天|当天|当日"
)
_NUMBER = re.compile(
    r"\d|[一二三四五六七八九十百千万两][个起人支座家次项条名万亿成倍]|百分之[零一二三四五六七八九十百点]"
)
_DURATION = re.compile(
    r"(?:\d|[一二三四五六七八九十百两半几])\s*(?:秒|分钟|个?小时|天|个?工作日|日|周|个?星期|个?月|年)|"
    r"立即|马上|第一时间|即时|实时"
)
# How often (多久巡河一次) is answered by a frequency too: 每月至少巡河一次.
_HOW_OFTEN = re.compile(
    r"(?:多久|多长时间|隔多少天|几天|几个月|几年).{0,6}一次|频次|频率|how often", re.I
)
_FREQUENCY = re.compile(
    rf"{_DURATION.pattern}|"
    r"每(?:[\d一二两三四五六七八九十半几]+\s*个?)?(?:小时|天|日|周|旬|星期|月|季度|年)"
)
_PEOPLE = re.compile(r"(?:\d|[一二三四五六七八九十百千万两])\s*[万千百]?\s*[余多]?\s*(?:人|名)")
_YEAR = re.compile(r"\d{4}年")
# A clause is a space-free stretch; words in Latin letters between two (an English gloss,
# 「數碼共融計劃」(Digital Inclusion Programme)，今年撥款1.5億元) stand in none.
_CLAUSE = re.compile(r"(?![a-z]+(?:\s|$))\S+")
_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_RELATIVE_YEARS = ("今年", "去年", "前年", "明年")
# A period a figure can count: a year (or 全年, 今年 ...), or part of one (1-4月 is 1 4月).
_PERIOD = re.compile(
    rf"\d{{4}}年|全年|{'|'.join(_RELATIVE_YEARS)}|{_MONTH}(?:至|到| ){_MONTH}月|"
    rf"前{_MONTH}个?月|前[一二三]季度|[一二三四1-4]季度|上半年|下半年"
)
_A_YEAR = re.compile(rf"\d{{4}}年|全年|{'|'.join(_RELATIVE_YEARS)}")
_WHOLE_YEAR = re.compile(r"全年|整年|一整年|年度")
_NOW = re.compile(r"现在|目前|当前|如今|眼下")
_TOTAL_QUESTION = re.compile(r"一共|总共|共有|总计|合计|总数|加起来|总量|总额|总投资")
_TOTAL = re.compile(r"共|总|合计|累计")
_PER_QUESTION = re.compile(
    r"每(?:个|一)?(?:平方米|平米|立方米|公里|千米|[人户月年天家部张次位名亩套辆吨度床])|人均|户均"
)
_PER = re.compile(r"每|人均|户均")
_PEOPLE_QUESTION = re.compile(
    r"多少人|几个?人|多少名|死了多少|伤亡|人数|"
    r"how many (?:people|persons?|died|dead)(?![\w-])|death toll",
    re.I,
)
# A question that asks for an amount of money, an area or a length is answered by a
# figure in that measure (15万元, 286公顷, 24.7公里), not by a share or a count beside it.
# Counts are left alone: 多少个企业 is rightly answered by 1873家.
_MEASURES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(
            r"多少钱|多少元|几元|多少块|多少万元|多少亿|多少资金|多少经费|多少费用|how much money",
            re.I,
        ),
        re.compile(r"(?:\d|[一二两三四五六七八九十百千万亿])\s*(?:[万亿千百]\s*)?(?:元|块)"),
    ),
    (
        re.compile(r"多少亩|多少公顷|多少平方|多大面积|面积有?多大|面积是?多少"),
        re.compile(r"(?:\d|[一二两三四五六七八九十百千万])\s*(?:万\s*)?(?:亩|公顷|平方)"),
    ),
    (  # a telephone number: 12345, 0571-87001234, not 舉辦了3期培训班
        re.compile(r"(?:电话|热线|号码|手机号)(?:号码?)?(?:是|为)?(?:多少|几号)"),
        re.compile(r"\d{5,}|\d{3,4}[\s-]+\d{7,8}"),
    ),
    (
        re.compile(r"多少公里|多少千米|多少米|多远|多长(?!时间)|长度"),
        re.compile(r"(?:\d|[一二两三四五六七八九十百千万])\s*(?:公里|千米|米|km)"),
    ),
)
# An amount may lead the clause naming what it paid for or measures (争取到资金2.3亿元，对
# 澜水堤防进行了加固); a count leads the next piece of news (308家企业…，包头市率先将钢铁…).
_AMOUNTS = tuple(written for _, written in _MEASURES)
# A count asked with a particular measure word is answered by a figure in it or in a near
# one: 多少所学校 by 36所 or 36个, not by 招生14.2万人 beside the schools.
_COUNTED_IN = {
    "个": "个家所座条张辆艘户台套项支处件栋间批场人名位次",  # a count, not 1100公里 or 2.48亿元
    "所": "所个家座",
    "家": "家个户所",
    "座": "座个处",
    "条": "条个",
    "张": "张个",
    "辆": "辆台",
    "艘": "艘条",
    "户": "户家",
    "台": "台套个",
    "眼": "眼口个",
}
_MEASURES += tuple(
    (
        re.compile(f"(?:多少|几){word}"),
        re.compile(
            rf"(?:\d|[一二两三四五六七八九十百千万])\s*(?:[万千百]\s*)?[余多]?\s*[{written}]"
        ),
    )
    for word, written in _COUNTED_IN.items()
)
CLAUSE_SHARE = 0.5  # a clause this close to the best one may hold the asked figure
FOCUS_WEIGHT = 1.0  # a word of the question's focus (see _focus) telling enough to place
# A clause that opens a figure for the next one (选择居家护理的，每月…), and words that
# open a clause giving a figure of the one before (…，共有54座; …，每人1500元).
_OPENS_A_FIGURE = ("的", "方面", "来说", "而言")
_ENDS_ON_A_FIGURE = re.compile(r"\d个?[^\d\s]{0,3}$")  # 1200张, 12个工作日
_GIVES_A_FIGURE = ("每", "共", "合计", "总计", "累计", "总共", "一共", "达", "为", "约", "其中")


@dataclass(frozen=True, slots=True)
class FigureAsked:
    """What a number question asks of its figure besides standing beside its subject."""

    years: tuple[str, ...] = ()  # the figure counts one of these years
    relative_year: str | None = None  # ... or this one (今年, 去年 ...)
    whole_year: bool = False  # ... all of it, not 1至4月
    people: bool = False  # it counts people (死亡77人), not plants or cases
    measure: re.Pattern[str] | None = None  # it is written in this measure (元, 公顷, 公里)
    total: bool = False  # a total is asked for: 共有水库54座 before 9座中已有7座
    # An amount each: 每招用1人补助1500元 before 发放补助2385万元; the unit asked about
    # (每平方米) places the figure as the question's words do.
    per_unit: str | None = None
    day: bool = False  # a time question asks for a day: 每月第二个周六, not 去年
    how_often: bool = False  # a span of time asked for may be a frequency: 每月
    # What the asking words ask about: 开街 in 什么时候开街, 注册 in 有多少人注册了.
    focus: str = ""

    @classmethod
    def of(cls, plan: QueryPlan) -> FigureAsked:
        simple_raw = plan.simplified
        relative = next((word for word in _RELATIVE_YEARS if word in plan.norm), None)
        if relative is None and _NOW.search(plan.norm):
            relative = "今年"  # 现在有多少 is answered by this year's count, not last year's
        return cls(
            years=plan.years,
            relative_year=relative,
            whole_year=bool(_WHOLE_YEAR.search(plan.norm)),
            total=bool(_TOTAL_QUESTION.search(simple_raw)),
            per_unit=next(iter(_PER_QUESTION.findall(simple_raw)), None),
            day=bool(_DAY_QUESTION.search(simple_raw)),
            how_often=bool(_HOW_OFTEN.search(simple_raw)),
            focus=_focus(simple_raw),
            people=bool(_PEOPLE_QUESTION.search(simple_raw)),
            measure=next(
                (written for asked, written in _MEASURES if asked.search(simple_raw)), None
            ),
        )


# Asking words and the text next to them (the predicate after, or the thing before).
_ASKED = re.compile(
    r"([^\s，,。？?！!、；;]{0,4}?)(?:现在|目前)?(?:有|是|要|为)?"
    r"(?:什么时候|什么时间|啥时候?|何时|哪一?年|哪一?天|几月|几号|多久|多长时间|多少|几)"
    r"[个人天年次位名家所座条项元钱块]?((?:[^\s，,。？?！!、；;了的呢吗啊呀]){0,4})"
)


def _focus(simplified: str) -> str:
    """The words right after a question's asking words (什么时候开街, 多少人注册了), else
    those right before them (售价多少): what the figure must stand beside even when the
    rest of the subject was named a sentence earlier."""
    match = _ASKED.search(simplified)
    if match is None:
        return ""
    return match.group(2) or match.group(1)


def telling_words(words: Sequence[str], weights: Sequence[float]) -> tuple[tuple[str, float], ...]:
    """The words a figure must stand beside, with their weights; a year dates the figure,
    it does not place it."""
    return tuple(
        (word, weight)
        for word, weight in zip(words, weights, strict=True)
        if not any(char.isdigit() for char in word)
    )


CHECKED = ("time", "duration", "number")  # the kinds a text can be checked for


def answer_type_held(
    asks: str | None,
    text: str,
    subject_words: Sequence[tuple[str, float]] = (),
    figure: FigureAsked = FigureAsked(),
) -> float:
    """1.0 when a normalised text can answer what the question asks for, 0.0 when it
    cannot, 0.5 when that cannot be told from the text (a person, a place).

    A figure or a span of time must stand in a clause that (nearly) best holds the
    question's ``subject_words`` (word, weight; see ``telling_words``), and a figure must
    be the ``figure`` asked for.
    """
    if asks is None:
        return 1.0
    if asks not in CHECKED:
        return 0.5
    return 1.0 if clauses_holding(asks, text, subject_words, figure) else 0.0


def held_in_each(
    asks: str,
    texts: Sequence[str],
    subject_words: Sequence[tuple[str, float]] = (),
    figure: FigureAsked = FigureAsked(),
) -> list[bool]:
    """Which of these consecutive normalised texts (the sentences of a turn) hold what a
    CHECKED question asks for, read together: the clause best holding the subject is
    sought in all of them, so 全省共发生事故6153起 does not answer 森林火灾有多少起 when a
    later sentence counts 森林火灾266宗, and a year named one sentence earlier dates it."""
    joined = " ".join(texts)
    ends, end = [], -1
    for text in texts:
        end += len(text) + 1
        ends.append(end)
    clauses = clauses_holding(asks, joined, subject_words, figure)
    for asked, said in ((figure.total, _TOTAL), (figure.per_unit is not None, _PER)):
        if asked:
            clauses = [c for c in clauses if said.search(joined, *c)] or clauses
    held = [False] * len(texts)
    for start, _ in clauses:
        held[bisect_right(ends, start)] = True
    return held


def clauses_holding(
    asks: str,
    text: str,
    subject_words: Sequence[tuple[str, float]] = (),
    figure: FigureAsked = FigureAsked(),
) -> list[tuple[int, int]]:
    """(start, end) of each clause of a normalised text that holds what a CHECKED question
    asks for (see ``answer_type_held``)."""
    if asks == "time":
        pattern = _DAY if figure.day else _TIME
    elif asks == "duration":
        pattern = _FREQUENCY if figure.how_often else _DURATION
    else:
        pattern = _NUMBER
    if not pattern.search(text):
        return []
    # A date leads what it dates (2018年10月13日，省应急管理厅党组宣布成立) or trails it
    # (条例将于2023年9月1日起施行). A figure trails its subject only in a clause that
    # continues it (选择居家护理的，每月最高支付1500元), not in the next piece of news
    # (全面加强队伍培训，全年投入3亿元建设营房).
    clauses = _best_clauses(
        text,
        subject_words,
        previous=asks == "time" or (asks == "number" and figure.measure in _AMOUNTS),
        following=_any_clause if asks == "time" else _continues,
        focus_text=figure.focus,
    )
    if asks == "number":
        unit = figure.per_unit
        if unit and len(unit) > 2:  # 每平方米 names the thing priced; 每人 does not
            in_unit = {(m.group(), m.end()) for m in _CLAUSE.finditer(text) if unit in m.group()}
            clauses = sorted(set(clauses) | in_unit, key=lambda clause: clause[1])
        return [
            (end - len(clause), end) for clause, end in clauses if _holds(figure, text, clause, end)
        ]
    return [(end - len(clause), end) for clause, end in clauses if pattern.search(clause)]


def _best_clauses(
    text: str,
    subject_words: Sequence[tuple[str, float]],
    *,
    previous: bool = False,
    following: Callable[[str, str], bool] | None = None,
    focus_text: str = "",
) -> list[tuple[str, int]]:
    """The clauses holding at least CLAUSE_SHARE of the most weight of the telling words any
    clause holds, each with the offset where it ends; the whole text when none holds any.
    ``previous`` adds the clause before each, ``following`` the clause after each that it
    accepts (given the clause and the next one)."""
    weighed = [
        (sum(w for word, w in subject_words if word in m.group()), m.group(), m.end())
        for m in _CLAUSE.finditer(text)
    ]
    most = max((weight for weight, _, _ in weighed), default=0.0)
    if most <= 0:
        return [(text, len(text))]
    best = {i for i, (weight, _, _) in enumerate(weighed) if weight >= CLAUSE_SHARE * most}
    focus = [w for w, weight in subject_words if w in focus_text and weight >= FOCUS_WEIGHT]
    if focus:
        best |= {i for i, (_, clause, _) in enumerate(weighed) if all(w in clause for w in focus)}
    if previous:
        best |= {i - 1 for i in best if i > 0}
    if following is not None:
        best |= {
            i + 1
            for i in best
            if i + 1 < len(weighed) and following(weighed[i][1], weighed[i + 1][1])
        }
    return [(weighed[i][1], weighed[i][2]) for i in sorted(best)]


def _any_clause(clause: str, following: str) -> bool:
    return True


def _continues(clause: str, following: str) -> bool:
    """Whether ``following`` goes on about ``clause``'s subject with its figure: it says
    so, or it ends on a figure with no subject of its own (今年计划新建1200张)."""
    return (
        clause.endswith(_OPENS_A_FIGURE)
        or following.startswith(_GIVES_A_FIGURE)
        or _ENDS_ON_A_FIGURE.search(following) is not None
    )


def _holds(figure: FigureAsked, text: str, clause: str, end: int) -> bool:
    """Whether ``clause`` (ending at ``end`` in ``text``) states the figure asked for."""
    if not _NUMBER.search(_YEAR.sub("", clause)):  # a year dates a figure, it is not one
        return False
    # A count runs on for a clause or two: 发生火灾1.3万起、死亡77人; 专业队伍86支、
    # 半专业队伍420余支，共计1.3万人.
    following = " ".join(m.group() for m in islice(_CLAUSE.finditer(text, end), 2))
    if figure.people and not _PEOPLE.search(f"{clause} {following}"):
        return False
    if figure.measure:
        # Money, area and length may also lead by a clause: 投入资金1.2亿元，为327个小区改造了…
        preceding = " ".join(text[: end - len(clause)].rsplit(None, 1)[-1:])
        if not figure.measure.search(f"{preceding} {clause} {following}"):
            return False
    return _counts_the_period(figure, _PERIOD.findall(text, 0, end))


def _counts_the_period(figure: FigureAsked, periods: list[str]) -> bool:
    """Whether figures after these ``periods`` (named in this order) count the asked one.

    The period a figure counts is the last one named before it: 2019年1至4月 全省共发生
    …1449起 counts four months of 2019, 2018年 全省共发生…6153起 the whole of 2018. A
    text that names no period before the figure may still count the asked one.
    """
    years = [period for period in periods if _A_YEAR.fullmatch(period) and period != "全年"]
    if years:
        last = years[-1]
        if figure.years and last[:4].isdigit() and last[:4] not in figure.years:
            return False
        if figure.relative_year and last in _RELATIVE_YEARS and last != figure.relative_year:
            return False
    return not (figure.whole_year and periods and not _A_YEAR.fullmatch(periods[-1]))


_NAMED_NUMBER = re.compile(r"(?<!\d)(?P<number>\d+)(?!\d)(?P<after>.?)")
_DATE_PART_AFTER = "月日点點时時"  # 11月, 20日, 10点: when, which the date filter reads
_CHINESE_DIGITS = dict(zip(range(1, 11), "一二三四五六七八九十", strict=True))


def named_numbers(content: str) -> tuple[tuple[str, str], ...]:
    """(number, the character after it) for each number a question names to pick its
    subject: 4号线, 12345热线, 80岁. Years and dates are left to the date filters."""
    return tuple(
        (match.group("number"), match.group("after"))
        for match in _NAMED_NUMBER.finditer(content)
        if not (len(match.group("number")) == 4 and match.group("number")[:2] in ("19", "20"))
        and match.group("after") not in _DATE_PART_AFTER
        and not (
            content[match.start() - 1 : match.start()] == "月" and match.group("after") in "号號"
        )
    )


def names_the_numbers(numbers: Sequence[tuple[str, str]], text: str) -> bool:
    """Whether ``text`` names each of these numbers, in digits or, up to ten, in Chinese
    before the same word (四号线 for 4号线). An answer about 3号线 does not answer 4号线."""
    return numbers_named_in(numbers, text) == (1 << len(numbers)) - 1


def numbers_named_in(numbers: Sequence[tuple[str, str]], text: str) -> int:
    """Bit i set when ``text`` names ``numbers[i]`` (see ``names_the_numbers``)."""
    named = 0
    for bit, (number, after) in enumerate(numbers):
        if number in text and re.search(rf"(?<!\d){number}(?!\d)", text):
            named |= 1 << bit
            continue
        chinese = _CHINESE_DIGITS.get(int(number))
        if chinese and after and f"{chinese}{after}" in text:
            named |= 1 << bit
    return named
