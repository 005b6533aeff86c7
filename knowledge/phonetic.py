"""Fold Chinese characters that sound alike, so pinyin-input typos still match.

Most typos in Chinese come from the input method: the right syllable, the wrong
character (应急管理听 for 应急管理厅, 职则 for 职责). Mapping every character to
one private-use code point per toneless syllable makes those typos invisible to
a bigram index, at the price of merging a few unrelated homophone pairs, which
the exact-character re-ranking then tells apart. ``str.translate`` keeps it fast.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache

import numpy as np
import numpy.typing as npt

# Only pypinyin's single-character table is used: skip loading (and copying) its phrase
# dictionary, about 50 MB of objects that search would never touch.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

_PRIVATE_USE_BASE = 0xF0000  # plane 15: never in real text, one code point per syllable
# Change this when the folding changes: saved search indexes hold folded text.
SOUND_TABLE_VERSION = "plane15-first-reading-1"


@cache
def _tables() -> tuple[dict[int, int], dict[str, int]]:
    """Each character's code point for its syllable, and each syllable's code point."""
    from pypinyin.constants import PINYIN_DICT

    syllables: dict[str, int] = {}
    table: dict[int, int] = {}
    for codepoint, readings in PINYIN_DICT.items():
        first = readings.split(",")[0]
        plain = "".join(
            ch for ch in unicodedata.normalize("NFD", first) if not unicodedata.combining(ch)
        )
        if not plain.isascii() or not plain.isalpha():
            continue
        code = syllables.setdefault(plain, _PRIVATE_USE_BASE + len(syllables))
        table[codepoint] = code
    return table, syllables


def _table() -> dict[int, int]:
    return _tables()[0]


@cache
def _codes() -> npt.NDArray[np.uint32]:
    """``_table`` as an array over every code point (4.5 MB), for long texts."""
    codes = np.arange(0x110000, dtype=np.uint32)
    table = _table()
    codes[np.fromiter(table.keys(), dtype=np.int64)] = np.fromiter(table.values(), dtype=np.uint32)
    return codes


_SHORT = 48  # below this length str.translate's per-character lookups are cheaper


def fold_sound(text: str) -> str:
    """Same length as ``text``; characters with the same toneless syllable become equal."""
    if len(text) < _SHORT:
        return text.translate(_table())
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _codes()[points].tobytes().decode("utf-32-le", "surrogatepass")


def sounds_like_at(
    text: str, folded: str, word: str, word_sound: str, start: int = 0, end: int | None = None
) -> int:
    """Where ``word`` occurs in ``text`` by sound with at least one character as typed,
    searching ``start:end``; -1 if nowhere. ``folded`` is ``fold_sound(text)``.

    An input-method typo gets a character of a word wrong, not every one: 应急管理听 is
    应急管理厅 mistyped, but 建非 (in 构建非煤) is no typo of 减肥. A one-character word
    has only its sound to go by.
    """
    at = folded.find(word_sound, start, end)
    if len(word) < 2:
        return at
    while at >= 0:
        if any(text[at + i] == char for i, char in enumerate(word)):
            return at
        at = folded.find(word_sound, at + 1, end)
    return -1


_LONGEST_SYLLABLE = 6  # zhuang, shuang
_NAME_SYLLABLES = 4  # a place or a person's name: 澄川, 呼伦贝尔; also bounds the search
_PINYIN_SPLITS = 4


def pinyin_sounds(word: str) -> list[str]:
    """The sound-folded forms a word of toneless pinyin (chengchuan, lanjiang) can spell:
    one per way to split it into two to _NAME_SYLLABLES syllables, fewest first. Syllables
    without a vowel (n, hm: interjections) are left out, as no name is spelled with them."""
    syllables = _tables()[1]
    splits: list[list[str]] = []

    def split(start: int, parts: list[str]) -> None:
        if start == len(word):
            if len(parts) >= 2:
                splits.append(parts)
            return
        if len(parts) == _NAME_SYLLABLES:
            return
        for end in range(min(len(word), start + _LONGEST_SYLLABLE), start, -1):
            piece = word[start:end]
            if piece in syllables and any(vowel in piece for vowel in "aeiouv"):
                split(end, [*parts, piece])

    if word.isascii() and word.isalpha() and len(word) <= _NAME_SYLLABLES * _LONGEST_SYLLABLE:
        split(0, [])
    splits.sort(key=len)
    return ["".join(chr(syllables[part]) for part in parts) for parts in splits[:_PINYIN_SPLITS]]
