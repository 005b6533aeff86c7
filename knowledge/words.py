"""Words of a question and how much each one says, from a background dictionary.

Bigram weights from the corpus alone cannot tell a word from the seam between two
words (说广 in 都说广东), nor a common word from a telling one, when the corpus is
a handful of interviews: every unseen bigram looks maximally rare. A confident
answer has to account for the question's *telling words*, so the question is cut
into words with a unigram dictionary and each word weighs by its information
(-log of its frequency in general Chinese).

The dictionary is jieba's (``dict.txt``, word frequencies from a large general
corpus). jieba's own tokenizer keeps about 80 MB of objects for it; questions are
short, so a trimmed table of common words (about 12 MB) and a 20-line
maximum-probability segmentation do the same job here. jieba is located, never
imported: importing it loads its HMM tables, which nothing here uses.
"""

from __future__ import annotations

import importlib.util
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MIN_FREQUENCY = 20  # rarer dictionary words are left out: they cost memory, not accuracy
MAX_WORD = 6
# Information is -log p shifted down, so that everyday words (什么 6.7, 时候 7.4) weigh
# little next to telling ones (超级 11, 火灾 11.6); a single character counts half.
INFORMATION_SHIFT = 6.0
INFORMATION_FLOOR = 0.3
SINGLE_CHARACTER_SHARE = 0.5
# A number is one word, not one word per digit: 2019 split into 2, 0, 1, 9 weighed four
# unknown characters, and every text with those digits anywhere "held" them. A number
# says about ln 10 nats per digit, less what numbers being common in text takes away:
# 5 (in 1到5月) says little, 8623 (幢) as much as a rare word.
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A number, or a run of Latin letters with the digits attached to it (ai, app, 5g, pm2.5):
# one word each, where the dictionary would cut a Latin word into single letters.
NUMBER_OR_LATIN = re.compile(r"(?:\d+(?:\.\d+)?)?[a-z]+(?:\d+(?:\.\d+)?)?|\d+(?:\.\d+)?")
NUMBER_INFORMATION_PER_DIGIT = math.log(10)
NUMBER_COMMONNESS = 1.4
NUMBER_MOST_INFORMATION = 6.0


QUANTUM = 8  # -log p is stored in eighths as a small int: cached ints cost no memory


@dataclass(frozen=True, slots=True)
class Dictionary:
    surprisal: dict[str, int]  # -log p of each word, in QUANTUM steps
    unknown: int  # the surprisal of a character the dictionary has never seen

    def information(self, word: str) -> float:
        if NUMBER.fullmatch(word):
            digits = sum(char.isdigit() for char in word)
            bits = NUMBER_INFORMATION_PER_DIGIT * digits - NUMBER_COMMONNESS
            return min(max(bits, INFORMATION_FLOOR), NUMBER_MOST_INFORMATION)
        bits = self.surprisal.get(word, self.unknown) / QUANTUM - INFORMATION_SHIFT
        share = SINGLE_CHARACTER_SHARE if len(word) == 1 else 1.0
        return share * max(bits, INFORMATION_FLOOR)

    def segment(self, text: str) -> list[str]:
        """Maximum-probability cut of a text without spaces into dictionary words."""
        n = len(text)
        cost = [0] * (n + 1)  # the least total surprisal of text[i:]
        cut = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            cost[i] = -1
            for j in range(i + 1, min(n, i + MAX_WORD) + 1):
                surprisal = self.surprisal.get(text[i:j])
                if surprisal is None:
                    if j > i + 1:
                        continue
                    surprisal = self.unknown
                if cost[i] < 0 or surprisal + cost[j] < cost[i]:
                    cost[i], cut[i] = surprisal + cost[j], j
        words, i = [], 0
        while i < n:
            words.append(text[i : cut[i]])
            i = cut[i]
        return words

    def words(self, text: str) -> list[str]:
        """Distinct words of a normalised text; spaces always separate words, and a
        number or a Latin word is a word of its own."""
        seen: dict[str, None] = {}
        for part in text.split():
            start = 0
            for token in NUMBER_OR_LATIN.finditer(part):
                for word in self.segment(part[start : token.start()]):
                    seen.setdefault(word, None)
                seen.setdefault(token.group(), None)
                start = token.end()
            for word in self.segment(part[start:]):
                seen.setdefault(word, None)
        return list(seen)


def dictionary_path() -> Path | None:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    return path if path.is_file() else None


@cache
def dictionary() -> Dictionary:
    """The background dictionary, loaded once; a missing one makes every word weigh alike."""
    path = dictionary_path()
    counts: dict[str, int] = {}
    total = 0
    if path is not None:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                word, _, rest = line.partition(" ")
                frequency = int(rest.split(" ", 1)[0] or 0)
                total += frequency
                if len(word) == 1 or (frequency >= MIN_FREQUENCY and len(word) <= MAX_WORD):
                    counts[word] = counts.get(word, 0) + frequency
    log_total = math.log(max(total, 1))
    return Dictionary(
        {
            word: round(QUANTUM * (log_total - math.log(count)))
            for word, count in counts.items()
            if count > 0
        },
        unknown=round(QUANTUM * log_total) + QUANTUM,
    )
