"""Pick the sentences of an answer that answer the question: an exact slice of the turn.

A whole answer is often a page long; people want the two sentences that matter
first, with the rest one tap away. The quote is always ``turn_text[start:end]``,
never rebuilt or trimmed inside, so it is verbatim by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[”’」』）)\"']*)?")
_DIGIT = re.compile(r"\d")
MAX_SENTENCES = 3
SHORT_TURN = 90  # a turn this short is quoted whole
HELD_BONUS = 0.5  # a window holding what the question asks for (a figure, a date)
HELD_SPREAD = 0.3  # ... and the share of the terms its other sentences add that counts
DIGIT_BONUS = 0.15  # a window with a digit, when a number is asked for and none is told apart


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    paragraph: int


def sentence_spans(text: str) -> list[Span]:
    """Sentences with offsets; a sentence never crosses a paragraph break."""
    spans: list[Span] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        for match in _SENTENCE.finditer(line):
            piece = match.group()
            stripped = piece.strip()
            if stripped:
                start = offset + match.start() + (len(piece) - len(piece.lstrip()))
                spans.append(Span(start, start + len(stripped), paragraph))
        offset += len(line) + 1
    return spans


def select_quote(
    turn_text: str,
    found: Callable[[list[str]], list[tuple[int, int]]],
    relevance: Callable[[int, int], float],
    *,
    wants_number: bool = False,
    answers: Callable[[list[str]], list[bool]] | None = None,
    paragraph: int | None = None,
    within: Collection[int] = (),
) -> tuple[int, int]:
    """(start, end) of the best window of 1–3 consecutive sentences in one paragraph.

    ``found`` tells which query terms each of the sentences holds, as bit masks
    (exactly, by sound); a window holds the union of its sentences' terms, and ``relevance``
    scores such masks against the question (0..1). Each sentence is read once.
    A window holding what the question asks for is preferred: a sentence that ``answers``
    says holds it (the asked figure beside its subject, a date, a span of time), or else,
    when the question ``wants_number``, any sentence with a digit. ``paragraph`` is the
    paragraph the ranker found, used to break ties. ``within``: the paragraphs worth
    reading (those holding a query term); empty means all of them.
    """
    stripped = turn_text.strip()
    if len(stripped) <= SHORT_TURN:
        start = turn_text.index(stripped) if stripped else 0
        return start, start + len(stripped)
    spans = sentence_spans(turn_text)
    if within:
        spans = [span for span in spans if span.paragraph in within] or spans
    if not spans:
        return 0, len(turn_text)
    sentences = [turn_text[s.start : s.end] for s in spans]
    masks = found(sentences)
    held = answers(sentences) if answers is not None else None
    sentence_scores = [relevance(*mask) for mask in masks]
    best: tuple[float, int, int] | None = None
    for i, first in enumerate(spans):
        exact = sound = 0
        for size in range(1, MAX_SENTENCES + 1):
            j = i + size - 1
            if j >= len(spans) or spans[j].paragraph != first.paragraph:
                break
            exact, sound = exact | masks[j][0], sound | masks[j][1]
            window = turn_text[first.start : spans[j].end]
            score = relevance(exact, sound & ~exact) if size > 1 else sentence_scores[i]
            if size > 1 and score <= max(sentence_scores[i : j + 1]) + 0.02:
                continue  # a longer quote must earn its length
            holding = [k for k in range(i, j + 1) if held is not None and held[k]]
            if holding:
                # The sentence with the answer must itself match the question: terms spread
                # over its neighbours (完工 in one, 滞洪池 in the next) count for less.
                own = max(sentence_scores[k] for k in holding)
                score = own + HELD_SPREAD * (score - own) + HELD_BONUS
            elif held is None and wants_number and _DIGIT.search(window):
                score += DIGIT_BONUS
            if paragraph is not None and first.paragraph == paragraph:
                score += 0.01
            score -= 0.0004 * len(window)
            if best is None or score > best[0] + 1e-9:
                best = (score, first.start, spans[j].end)
    assert best is not None
    return best[1], best[2]
