"""Fold text into the form used for matching, and only for matching.

A quote is always shown verbatim from its source; nothing here changes stored
text. Passages and questions go through the same folding so that they meet:

    normalise(passage)        Traditional -> Simplified, full-width -> ASCII,
                              punctuation -> space, synonyms -> canonical form
    normalise_query(question) the same, then the fillers of spoken questions go

The synonym table (``data/synonyms.tsv``) undoes machine synonym-rewriting
(应急办理 -> 应急管理) and folds what people type (应急厅 -> 应急管理厅). Every
variant becomes its canonical form in one left-to-right pass, longest entry
first, so ``normalise`` is deterministic and idempotent.
``NORMALISER_VERSION`` changes with this code, the synonym table and OpenCC, so a
store can tell that the normalised text it holds is stale. The fillers and the English
glossary only ever read questions: editing them leaves stored text as it is.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeAlias

import opencc

from knowledge.models import Script

__all__ = [
    "NORMALISER_VERSION",
    "detect_script",
    "english_words",
    "fold_width",
    "is_mostly_latin",
    "normalise",
    "normalise_query",
    "read_english",
    "to_script",
    "to_simplified",
]

_DATA = resources.files("knowledge").joinpath("data")

# A text is Traditional when at least this share of its Han characters changes under t2s.
# Traditional prose changes 20-40% of them and Simplified prose next to none, so one
# changed character in a short question is enough, and a stray one in a long text is not.
_HANT_SHARE = 0.05

# --- Script conversion -------------------------------------------------------------------


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    if text.isascii():
        return text
    try:
        converted: str = _converter(config).convert(text)
    except UnicodeEncodeError:  # lone surrogates: OpenCC takes UTF-8 only
        converted = _converter(config).convert(text.encode("utf-8", "replace").decode("utf-8"))
    return converted


def to_simplified(text: str) -> str:
    """Traditional to Simplified with OpenCC ``t2s``; Simplified text comes back unchanged."""
    return _convert("t2s", text)


def to_script(text: str, script: Script) -> str:
    """Write the bot's own message in the user's script (never use this on a quote)."""
    return _convert("s2t", text) if script == "hant" else to_simplified(text)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def detect_script(text: str) -> Script:
    """``"hant"`` when enough Han characters change under t2s, else ``"hans"`` (the default)."""
    han = _HAN.findall(text)
    if not han:
        return "hans"
    simplified = to_simplified(text)
    if len(simplified) == len(text):  # t2s is character for character almost always
        changed = sum(
            1 for old, new in zip(text, simplified, strict=True) if old != new and _HAN.match(old)
        )
    else:
        changed = sum(1 for char in han if to_simplified(char) != char)
    return "hant" if changed >= _HANT_SHARE * len(han) else "hans"


# --- Width, case and punctuation ---------------------------------------------------------

_FOLD = str.maketrans(
    {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ！..～ -> !..~
    | {0x3000: 0x20}  # ideographic space
    | dict.fromkeys((0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF))  # invisible: drop
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_WIDE_WORD = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# Runs of anything but letters and digits become one space, except a decimal point
# between digits (下降13.5%), so that numbers stay searchable as written.
_SEPARATORS = re.compile(r"[\W_]+")
# Chinese quotation and title marks set off a name inside a clause (推出了“一卡游”年卡，
# 获评“示范小区”): they go, so the clause stays one stretch as it is read.
_QUOTE_MARKS = re.compile("[\u2018\u2019\u201c\u201d\u3008\u3009\u300a-\u300f\ufe41-\ufe44]")
_DECIMAL_POINT = re.compile(r"(?<=\d)[.．](?=\d)")
_SPACES = re.compile(r" {2,}")


def fold_width(text: str) -> str:
    """Full-width ASCII to half-width, ideographic space to space, lowercase.

    Zero-width characters are dropped too: they hide inside words copied from web pages.
    """
    return text.translate(_FOLD).lower()


def _fold_text(text: str) -> str:
    """``fold_width`` then punctuation to spaces, in the order that is cheap on Chinese.

    Chinese prose is full of full-width punctuation, and translating every character is
    the slow part of ``fold_width``; the separators pass removes that punctuation anyway,
    so only the full-width letters and digits left after it are translated.
    """
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    text = text.lower()
    if _QUOTE_MARKS.search(text):
        text = _QUOTE_MARKS.sub("", text)
    if "." in text or "．" in text:
        parts = _DECIMAL_POINT.split(text)
        text = ".".join(_SEPARATORS.sub(" ", part) for part in parts)
    else:
        text = _SEPARATORS.sub(" ", text)
    return text.translate(_FOLD) if _WIDE_WORD.search(text) else text


# --- Longest-first replacement in one pass -----------------------------------------------

_Trie: TypeAlias = "dict[str, _Trie]"
_END = ""


def _trie_pattern(node: _Trie) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy optional: try the longer entry first, fall back to the one ending here.
    return f"(?:{body})?" if _END in node else body


def _char_class(branches: list[tuple[str, _Trie]]) -> str:
    return "[" + "".join(re.escape(char) for char, _ in branches) + "]"


def _dispatch(branches: list[tuple[str, _Trie]]) -> str:
    """After the first character is consumed: pick its branch by halving, not in turn."""
    if len(branches) <= 8:
        return "(?:" + "|".join(f"(?<={re.escape(c)}){_trie_pattern(n)}" for c, n in branches) + ")"
    left, right = branches[: len(branches) // 2], branches[len(branches) // 2 :]
    return (
        f"(?:(?<={_char_class(left)}){_dispatch(left)}|(?<={_char_class(right)}){_dispatch(right)})"
    )


def _longest_first(words: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any of ``words``, preferring the longest at each position.

    Built as a trie, so a position costs a few character tests, not one per word: the
    first character is one class (the engine skips fast over text that cannot start a
    word), then a tree of one-character look-behinds picks its branch among hundreds.
    """
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    branches = sorted(root.items())
    if not branches:
        return re.compile(r"(?!)")
    return re.compile(_char_class(branches) + _dispatch(branches))


def _lines(name: str) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(_DATA.joinpath(name).read_text("utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line


_WORD = re.compile(r"[^\W_]+")


def _check_entry(where: str, entry: str) -> str:
    """Entries are letters and digits only: normalise turns everything else into spaces."""
    if not _WORD.fullmatch(entry):
        raise ValueError(f"{where}: {entry!r} is empty or holds more than letters and digits")
    return entry


def _load_synonyms() -> dict[str, str]:
    """Every entry of synonyms.tsv mapped to what it becomes (kept words to themselves)."""
    table: dict[str, str] = {}
    roles: dict[str, str] = {}

    def claim(where: str, entry: str, role: str) -> None:
        if entry in roles:
            raise ValueError(f"{where}: {entry!r} is already a {roles[entry]}")
        roles[entry] = role

    for number, line in _lines("synonyms.tsv"):
        where = f"synonyms.tsv line {number}"
        fields = line.split("\t")
        if len(fields) == 1:
            kept = _check_entry(where, fields[0])
            claim(where, kept, "kept word")
            table[kept] = kept
            continue
        if len(fields) != 2:
            raise ValueError(f"{where}: expected canonical<TAB>variant|variant")
        canonical = _check_entry(where, fields[0])
        claim(where, canonical, "canonical form")
        table[canonical] = canonical
        for variant in fields[1].split("|"):
            claim(where, _check_entry(where, variant), "variant")
            table[variant] = canonical
    return table


_SYNONYMS = _load_synonyms()
_SYNONYM_PATTERN = _longest_first(_SYNONYMS)
# Variants alone: a cheap scan for the stretches that need the full pattern.
_VARIANT_PATTERN = _longest_first(key for key, value in _SYNONYMS.items() if key != value)


def _replace_from(table: dict[str, str]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return table[match[0]]

    return replace


_to_canonical = _replace_from(_SYNONYMS)


def _fold_synonyms(text: str) -> str:
    """Apply the synonym table to space-separated text, longest entry first.

    No entry holds a space, so each space-free stretch folds on its own, and a stretch
    holding no variant comes out unchanged: only stretches with a variant in them go
    through the full pattern, whose canonical forms and kept words decide the cut.
    """
    pieces: list[str] = []
    done = 0
    for hit in _VARIANT_PATTERN.finditer(text):
        if hit.start() < done:
            continue
        start = text.rfind(" ", 0, hit.start()) + 1
        end = text.find(" ", hit.end())
        end = len(text) if end < 0 else end
        pieces += (text[done:start], _SYNONYM_PATTERN.sub(_to_canonical, text[start:end]))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def normalise(text: str) -> str:
    """The matching form of a passage: Simplified, folded, punctuation-free, synonyms folded."""
    return _fold_synonyms(_fold_text(to_simplified(text))).strip()


# Joins pieces for normalise_each: letters survive every step, and the spaces around them
# keep each piece's synonyms and OpenCC phrases apart.
_JOINT = " zqxjzqxj "


def normalise_each(texts: Sequence[str]) -> list[str]:
    """``[normalise(t) for t in texts]`` in one pass: most of normalise's cost is per call,
    and quote selection normalises every sentence of a turn."""
    if len(texts) < 2:
        return [normalise(text) for text in texts]
    parts = normalise(_JOINT.join(texts)).split(_JOINT.strip())
    if len(parts) != len(texts):  # a piece held the joint itself
        return [normalise(text) for text in texts]
    return [part.strip() for part in parts]


# --- Questions ---------------------------------------------------------------------------


def _load_fillers() -> dict[str, str]:
    """Fillers mapped to a space, kept words to themselves, all in normalised form."""
    table: dict[str, str] = {}
    for number, line in _lines("fillers.txt"):
        where = f"fillers.txt line {number}"
        kept = line.startswith("!")
        entry = normalise(_check_entry(where, line.removeprefix("!")))
        if not entry or " " in entry:
            raise ValueError(f"{where}: {line!r} does not normalise to one word")
        if kept or table.get(entry) != entry:  # a kept word wins over a filler
            table[entry] = entry if kept else " "
    return table


_FILLERS = _load_fillers()
_FILLER_PATTERN = _longest_first(_FILLERS)
_drop_fillers = _replace_from(_FILLERS)


def normalise_query(text: str) -> str:
    """``normalise`` plus removal of the fillers of spoken questions (请问, 吗, 是什么 ...).

    Each filler leaves a space, so the content words around it stay apart:
    请问一下森林火灾的数据怎么样 -> 森林火灾 数据.
    """
    stripped = _FILLER_PATTERN.sub(_drop_fillers, normalise(text))
    return _SPACES.sub(" ", stripped).strip()


# --- English questions -------------------------------------------------------------------

_LATIN_WORD = re.compile(r"[a-z0-9]+")


def is_mostly_latin(text: str) -> bool:
    """True when Latin letters outnumber all other letters (digits and punctuation aside)."""
    latin = other = 0
    for char in fold_width(text):
        if char.isalpha():
            if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return latin > other


def _singular(word: str) -> str:
    """Fold a simple English plural: fires -> fire, casualties -> casualty, losses -> loss."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def english_words(text: str) -> tuple[str, ...]:
    """The Latin words of a text, lowercased, plurals folded (see ``_singular``)."""
    return tuple(_singular(word) for word in _LATIN_WORD.findall(fold_width(text)))


def _load_glossary() -> dict[tuple[str, ...], str]:
    glossary: dict[tuple[str, ...], str] = {}
    for number, line in _lines("glossary_en.tsv"):
        where = f"glossary_en.tsv line {number}"
        english, tab, chinese = line.partition("\t")
        words = english_words(english)
        if not tab or not words or not chinese or "\t" in chinese:
            raise ValueError(f"{where}: expected english<TAB>中文")
        if words in glossary:
            raise ValueError(f"{where}: {english!r} is listed twice")
        glossary[words] = _check_entry(where, chinese)
    return glossary


_GLOSSARY = _load_glossary()
_GLOSSARY_LONGEST = max(map(len, _GLOSSARY))


# Words that carry no topic of their own in a question (every answer is what an official
# said in an interview); any other word the glossary does not know is a part of the
# question the bot cannot read.
_ENGLISH_FUNCTION_WORDS = frozenset(
    """a an the of in on at to for by with about from into onto over under how many much
    what which who whom whose why when where is are was were be been being do doe does did
    done has have had having it its this that these those there their they them he she his
    her we our you your i me my and or but not no nor than rather so as if then also any
    some all each every can could would should will shall may might must say said tell told
    s t please know let get got official interview talk speak spoke mention think view
    opinion explain describe during after before since until while between among through
    across against within without per up down off again very just only more most less
    still already ever now currently such like mean means go goes going well""".split()  # noqa: SIM905 - a word list reads better as prose
)


# What "how" asks about (how long, how far): part of the asking words, not a topic.
_HOW_WHAT = frozenset(
    ["long", "far", "often", "soon", "old", "big", "large", "tall", "high", "deep", "wide"]
)


def _inflections(word: str) -> list[str]:
    """Regular -ed and -ing forms to try when the glossary lacks the word itself (merged ->
    merge, implementing -> implement); irregular ones (built) are not folded."""
    forms = []
    if len(word) > 4 and word.endswith("ed"):
        forms += [word[:-1], word[:-2]]
    if len(word) > 5 and word.endswith("ing"):
        forms += [word[:-3], word[:-3] + "e"]
    return forms


def read_english(text: str) -> tuple[list[str], list[str]]:
    """The field's Chinese terms an English question names, and its content words that no
    glossary term covers (what the bot cannot read of it).

    Longest term first, case-insensitive, plurals and regular -ed/-ing folded simply:
    ``"forest fires in Guangdong"`` -> ``(["森林火灾", "广东"], [])``.
    """
    words = english_words(text)
    terms: list[str] = []
    unknown: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(_GLOSSARY_LONGEST, len(words) - start), 0, -1):
            term = _GLOSSARY.get(words[start : start + size])
            if term is None and size == 1:
                term = next(
                    (
                        found
                        for form in _inflections(words[start])
                        if (found := _GLOSSARY.get((form,))) is not None
                    ),
                    None,
                )
            if term is not None:
                if term not in terms:
                    terms.append(term)
                start += size
                break
        else:
            word = words[start]
            asking = word in _HOW_WHAT and start > 0 and words[start - 1] == "how"
            if (
                not asking
                and word not in _ENGLISH_FUNCTION_WORDS
                and not word.isdigit()
                and word not in unknown
            ):
                unknown.append(word)
            start += 1
    return terms, unknown


# --- Version -----------------------------------------------------------------------------


def _version() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(_DATA.joinpath("synonyms.tsv").read_bytes())  # what normalise() reads
    digest.update(opencc.__version__.encode())
    return digest.hexdigest()[:12]


NORMALISER_VERSION: str = _version()
