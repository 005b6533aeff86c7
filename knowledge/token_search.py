"""Find a query's tokens in many short texts at once.

Ranking reads a hundred candidate paragraphs per question and quoting reads every
sentence of a turn. Searching each token once in all the texts joined by newlines
(which no token holds), rather than once per text, was most of the saving that keeps
a question under a few milliseconds at 100k passages.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.phonetic import fold_sound, sounds_like_at


@dataclass(frozen=True, slots=True)
class JoinedTexts:
    text: str
    starts: tuple[int, ...]  # where each text begins in ``text``

    @classmethod
    def of(cls, texts: Sequence[str]) -> JoinedTexts:
        starts = [0]
        for text in texts[:-1]:
            starts.append(starts[-1] + len(text) + 1)
        return cls("\n".join(texts), tuple(starts) if texts else ())

    def hits(self, tokens: Sequence[tuple[int, str]]) -> list[int]:
        """For each text, the bits of the (bit, token) pairs it holds. Each token is
        searched from the start of the text after its last hit."""
        joined, starts = self.text, self.starts
        count = len(starts)
        masks = [0] * count
        for bit, token in tokens:
            at = joined.find(token)
            while at >= 0:
                number = bisect_right(starts, at) - 1
                masks[number] |= bit
                if number + 1 >= count:
                    break
                at = joined.find(token, starts[number + 1])
        return masks

    def sound_hits(self, tokens: Sequence[tuple[int, str, str]], exact: Sequence[int]) -> list[int]:
        """For each text, the bits of the (bit, token, its sound) triples it holds only by
        sound (``sounds_like_at``); a text whose ``exact`` mask has the bit is passed over."""
        joined, starts = self.text, self.starts
        count = len(starts)
        masks = [0] * count
        if not count:
            return masks
        folded = fold_sound(joined)
        for bit, token, token_sound in tokens:
            at = folded.find(token_sound)
            while at >= 0:
                number = bisect_right(starts, at) - 1
                after = starts[number + 1] if number + 1 < count else len(joined) + 1
                if not exact[number] & bit and (
                    sounds_like_at(joined, folded, token, token_sound, at, after - 1) >= 0
                ):
                    masks[number] |= bit
                if after > len(joined):
                    break
                at = folded.find(token_sound, after)
        return masks
