"""What a user's message asks: language, script, small talk, filters, and the terms to match.

Users type colloquially ("请问一下森林火灾的数据怎么样"), in either script, with
pinyin-input typos, in English, or with a filter in natural form ("高润喜 矿山",
"2019年 森林防火"). This module turns the message into a ``QueryPlan``; it knows
nothing of the index beyond the term weights it is given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.normalise import (
    detect_script,
    english_words,
    is_mostly_latin,
    normalise,
    normalise_query,
    read_english,
    to_simplified,
)
from knowledge.phonetic import fold_sound
from knowledge.token_search import JoinedTexts
from knowledge.words import dictionary

MAX_QUERY_CHARS = 300
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年)?(?!\d)")
_NUMBER_QUESTION = re.compile(
    r"多少|(?<!哪)几[个起宗人支座家次年月天项条名万亿%处所栋辆台套户场批部间张]|几成|数字(?!化)|人数|比例|百分|"
    # 火灾数据 asks for figures; 数据上传 and 大数据 name a thing
    r"(?<!大)数据(?=$|[\s？?。，,！!是有吗呢怎])|"
    r"统计|死了|伤亡|"
    r"how many|how much|number|percent|statistic|figure",
    re.I,
)
# What kind of answer a question wants, where a paragraph can be checked for it.
_TIME_QUESTION = re.compile(
    r"什么时候|什么时间|何时|哪天|哪一天|哪年|哪一年|几月|几号|几点|"
    r"\bwhen\b|what year|what date",
    re.I,
)
# How long something takes: answered by a span (10秒左右, 1小时内), not by a date.
_DURATION_QUESTION = re.compile(
    r"多久|多长时间|多少时间|几天|多少天|几个?小时|多少小时|几分钟|多少分钟|几秒|多少秒|"
    # how long is the trail asks for a length, how long is the wait for a span: neither is
    # checked
    r"how long(?!\s+(?:is|are|was|were)\s+(?:the|a|an|this|that|its|their)\b)|"
    r"how many (?:seconds|minutes|hours|days)",
    re.I,
)
_PERSON_QUESTION = re.compile(r"是谁|谁是|哪位|叫什么名字|\bwho\b", re.I)
_PLACE_QUESTION = re.compile(r"哪里人|在哪里|在哪儿|在哪|什么地方|地址|籍贯|\bwhere\b", re.I)
# Words that say what is asked, not what about: left out of the words an answer must hold.
ASKING_WORDS = frozenset(
    [
        "什么",
        "怎么",
        "怎样",
        "怎么样",
        "如何",
        "哪些",
        "哪个",
        "哪里",
        "哪儿",
        "哪",
        "为什么",
        "为何",
        "为啥",
        "多少",
        "几",
        "谁",
        "是否",
        "有没有",
        "是不是",
        "吗",
        "呢",
        "啥",
        "咋",
        "何",
        "意思",
        # a number is what these ask for: answers give the figures, not the word
        "数据",
        "数字",
        "统计",
    ]
)
SEAM_SHARE = 0.5
# One or more small-talk phrases and nothing else: 你是谁？能干啥, 谢谢，辛苦了.
_CHITCHAT = re.compile(
    r"^(?:(?:你好|您好|你们好|大家好|嗨|哈喽|哈啰|喂|在吗|在不在|早上好|上午好|中午好|下午好|晚上好|"
    r"早安|晚安|早|"
    r"你是谁|您是谁|你是什么|你叫什么|你叫啥|你是机器人吗|你是人吗|你能做什么|你会什么|你会干什么|"
    r"你?能干啥|你?能干什么|你?能做啥|你?会干啥|你?会做啥|你?有啥用|你?是机器人还是真人|是真人吗|"
    r"你有什么用|怎么用|如何使用|使用说明|帮助|help|hi|hello|hey|yo|thanks|thank you|thx|谢谢|"
    r"谢谢你|谢谢您|谢谢你的回答|谢谢回答|多谢|感谢|非常感谢|太感谢了|辛苦了|辛苦你了|辛苦您了|辛苦|有人吗|再见|拜拜|bye|goodbye|好的|好|ok|okay|嗯|哦|哈哈|哈哈哈|呵呵|"
    r"who are you|what are you|what can you do|good morning|good evening|start|测试|test|"
    r"hi there|hello there|hey there|who am i (?:talking|speaking|chatting) (?:to|with)|"
    r"are you a (?:bot|robot|human|real person)|how are you|nice to meet you|good afternoon|"
    r"what is this|what do you do|how does this work)"
    r"[呀啊哦哈啦吖嘛呢哇]*[\s!！。.?？~～,，\u2600-\u27bf\U0001f300-\U0001faff]*)+$",  # 谢谢啦👍
    re.I,
)
_GREETING_PREFIX = re.compile(r"^(?:(?:你好|您好|嗨|hi|hello|hey|请问)[\s!！,，。]*)+", re.I)


@dataclass(frozen=True)
class QueryTerms:
    """The query's distinct bigrams, in exact and sound-folded form, with their weights.

    ``words`` are the query's telling words (asking words left out) with their
    information in general Chinese: what a confident answer has to account for.
    """

    exact: tuple[str, ...]
    sound: tuple[str, ...]
    weights: tuple[float, ...]
    words: tuple[str, ...] = ()
    word_sounds: tuple[str, ...] = ()
    word_weights: tuple[float, ...] = ()

    @property
    def total(self) -> float:
        return sum(self.weights)

    @property
    def has_topic(self) -> bool:
        """Some telling word says more than everyday words do: 高涌涛的人 leaves only 人
        to match once the name is a filter, and every paragraph holds 人 (or 我们, 工作)."""
        return any(weight > TOPIC_INFORMATION for weight in self.word_weights)

    def found_each(self, exact_texts: Sequence[str]) -> list[tuple[int, int]]:
        """Bit masks of the bigrams each normalised text holds exactly, and only by sound.

        Spaces break bigrams, so a text's masks are the union of its space-separated
        parts' masks: callers can combine pieces without looking at them again.
        """
        joined = JoinedTexts.of(exact_texts)
        exact = joined.hits(tuple((1 << bit, token) for bit, token in enumerate(self.exact)))
        every = (1 << len(self.exact)) - 1
        sound = [0] * len(exact_texts)
        if any(mask != every for mask in exact):
            bits = tuple(
                (1 << bit, token, token_sound)
                for bit, (token, token_sound) in enumerate(zip(self.exact, self.sound, strict=True))
            )
            sound = joined.sound_hits(bits, exact)
        return list(zip(exact, sound, strict=True))

    def coverage_of(self, exact_mask: int, sound_mask: int) -> float:
        return weighted_share(self.weights, exact_mask, sound_mask)


@dataclass(frozen=True)
class QueryPlan:
    raw: str
    language: str  # "zh" | "en"
    script: str  # "hans" | "hant"
    chitchat: bool
    norm: str  # normalised, fillers removed, filters kept
    content: str  # ``norm`` with filter words removed: what must match the answer
    years: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # interviewee names found in the query (simplified)
    outlets: tuple[str, ...] = ()
    wants_number: bool = False
    # "time" | "duration" | "number" | "person" | "place": what the answer must hold
    asks: str | None = None
    translated_from_english: bool = False
    english_unmatched: bool = False
    unread: tuple[str, ...] = ()  # English content words no glossary term covers
    simplified: str = ""  # ``raw`` in Simplified script: 幾座 and 什麼時候 ask as 几座 and 什么时候
    notes: list[str] = field(default_factory=list)


# A question's topic is a word more telling than 我们 (0.4), 工作 (0.75), 问题 (1.0); 火
# (1.4), 部门 (2.3) and 森林 (3.4) are topics.
TOPIC_INFORMATION = 1.0
SOUND_CREDIT = 0.85  # a term matched only by sound (a homophone typo) counts this much


def weighted_share(weights: Sequence[float], exact_mask: int, sound_mask: int) -> float:
    """Share of the total weight whose bit is set in ``exact_mask``, or in ``sound_mask``
    at SOUND_CREDIT; 0.0 when nothing weighs anything."""
    total = sum(weights)
    if total <= 0:
        return 0.0
    found = 0.0
    for bit, weight in enumerate(weights):
        if exact_mask >> bit & 1:
            found += weight
        elif sound_mask >> bit & 1:
            found += SOUND_CREDIT * weight
    return found / total


def tokens(text: str) -> list[str]:
    """Distinct bigrams of a normalised text (spaces break them); a lone character is a token."""
    seen: dict[str, None] = {}
    for part in text.split():
        if len(part) == 1:
            seen.setdefault(part, None)
        for i in range(len(part) - 1):
            seen.setdefault(part[i : i + 2], None)
    return list(seen)


@dataclass(frozen=True)
class _NameFinder:
    """Known names by their sound: a question is looked up by its own substrings, so the
    cost follows the question's length, not the thousands of names a corpus holds."""

    by_sound: dict[str, tuple[str, ...]]
    lengths: tuple[int, ...]
    order: dict[str, int]

    def find(self, folded: str) -> tuple[str, ...]:
        """Names written, or sounding, as in the sound-folded question; in known order."""
        found = {
            name
            for length in self.lengths
            for start in range(len(folded) - length + 1)
            for name in self.by_sound.get(folded[start : start + length], ())
        }
        return tuple(sorted(found, key=self.order.__getitem__))


@lru_cache(maxsize=8)
def _name_finder(names: tuple[str, ...]) -> _NameFinder:
    by_sound: dict[str, list[str]] = {}
    for name in dict.fromkeys(n for n in names if n):
        by_sound.setdefault(fold_sound(name), []).append(name)
    return _NameFinder(
        {sound: tuple(group) for sound, group in by_sound.items()},
        tuple(sorted({len(sound) for sound in by_sound})),
        {name: i for i, name in enumerate(names)},
    )


def plan_query(
    message: str,
    *,
    known_names: Iterable[str] = (),
    known_outlets: Iterable[str] = (),
    name_in_pinyin: Callable[[str], str | None] | None = None,
) -> QueryPlan:
    """``name_in_pinyin`` reads a word of an English question as a name of the interviews
    (chengchuan -> 澄川; see ``Searcher.name_in_pinyin``)."""
    raw = message.strip()[:MAX_QUERY_CHARS]
    simplified = to_simplified(raw)
    script = detect_script(raw)
    language = "en" if is_mostly_latin(raw) else "zh"
    text = _GREETING_PREFIX.sub("", raw).strip()
    if not text or _CHITCHAT.match(raw) or _CHITCHAT.match(text):
        return QueryPlan(raw, language, script, True, "", "", simplified=simplified)
    translated = False
    unread: list[str] = []
    if language == "en":
        chinese, unread = read_english(text)
        chinese += _HAN_RUN.findall(simplified)  # 专访陈辉 in "Lanjiang Global Post 专访陈辉"
        if name_in_pinyin is not None and unread:
            names_read, unread = _names_in_pinyin(text, unread, name_in_pinyin)
            chinese += names_read
        if not chinese:
            return QueryPlan(
                raw, language, script, False, "", "", english_unmatched=True, simplified=simplified
            )
        text, translated = " ".join(chinese), True
    norm = normalise_query(text)
    simple_raw = normalise(text)
    folded_raw = fold_sound(simple_raw)
    names = _name_finder(tuple(known_names)).find(folded_raw)
    outlets = tuple(o for o in known_outlets if o and o in simple_raw)
    content = norm
    for word in (*names, *outlets):
        content = content.replace(word, " ")
        folded_word = fold_sound(word)
        folded = fold_sound(content)
        position = folded.find(folded_word)
        if position >= 0:
            content = content[:position] + " " + content[position + len(word) :]
    content = " ".join(content.split())
    return QueryPlan(
        raw=raw,
        language=language,
        script=script,
        chitchat=False,
        norm=norm,
        content=content or norm,
        years=tuple(dict.fromkeys(_YEAR.findall(raw))),
        names=names,
        outlets=outlets,
        wants_number=bool(_NUMBER_QUESTION.search(simplified)),
        asks=_asks(simplified),
        translated_from_english=translated,
        unread=tuple(unread),
        simplified=simplified,
    )


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_PINYIN_WORDS_AT_MOST = 3  # "yun xi", "Lu Jiao" and "lujiao" all spell 鹿角 or 云溪


def _names_in_pinyin(
    text: str, unread: Sequence[str], name_in_pinyin: Callable[[str], str | None]
) -> tuple[list[str], list[str]]:
    """The names that unread words of an English question spell in pinyin, and the words
    still unread. Runs of up to _PINYIN_WORDS_AT_MOST adjacent unread words are tried as
    one name, longest first."""
    words = english_words(text)
    unknown = set(unread)
    names: list[str] = []
    spelled: set[str] = set()
    start = 0
    while start < len(words):
        for size in range(min(_PINYIN_WORDS_AT_MOST, len(words) - start), 0, -1):
            run = words[start : start + size]
            if not all(word in unknown for word in run):
                continue
            name = name_in_pinyin("".join(run))
            if name is not None:
                if name not in names:
                    names.append(name)
                spelled.update(run)
                start += size
                break
        else:
            start += 1
    return names, [word for word in unread if word not in spelled]


def _asks(raw: str) -> str | None:
    for kind, pattern in (
        ("duration", _DURATION_QUESTION),
        ("time", _TIME_QUESTION),
        ("person", _PERSON_QUESTION),
        ("place", _PLACE_QUESTION),
        ("number", _NUMBER_QUESTION),
    ):
        if pattern.search(raw):
            return kind
    return None


def query_terms(
    content: str,
    idf: Callable[[list[str]], list[float]],
    max_idf: float,
    unread: Sequence[str] = (),
) -> QueryTerms:
    """Bigrams weighted by rarity; a bigram the corpus never saw weighs like the rarest one.

    A bigram that straddles two words (说广 in 都说广东) is a seam, not a term: it
    keeps SEAM_SHARE of its weight. Words weigh by their information in general
    Chinese (``knowledge.words``). ``unread`` words (English the glossary does not
    cover) are telling words no Chinese text holds, each weighing like an average
    word of the question: what the bot cannot read lowers its confidence.
    """
    background = dictionary()
    all_words = background.words(content)
    inside = {word[i : i + 2] for word in all_words for i in range(len(word) - 1)}
    exact = tokens(content)
    sound = [fold_sound(t) for t in exact]
    weights = [
        (w if w > 0 else max_idf) * (1.0 if len(t) < 2 or t in inside else SEAM_SHARE)
        for t, w in zip(exact, idf(sound), strict=True)
    ]
    words = [w for w in all_words if w not in ASKING_WORDS]
    word_weights = [background.information(w) for w in words]
    if unread:
        average = sum(word_weights) / len(word_weights) if word_weights else 1.0
        words += unread
        word_weights += [average] * len(unread)
    return QueryTerms(
        tuple(exact),
        tuple(sound),
        tuple(weights),
        tuple(words),
        tuple(fold_sound(w) for w in words),
        tuple(word_weights),
    )


def bm25_idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
