"""Rank answer turns for a query: index candidates, then a re-rank that can say "no".

Candidates come from two bigram indexes over sound-folded text (so pinyin typos
still hit): one over answer paragraphs, one over the interviewer questions they
answered. The re-rank then asks how much of the query's *information* (rare
bigrams weigh more) the paragraph, its question and its interview's metadata
actually contain, and how well the characters line up (rapidfuzz); that share
is the confidence, and a query whose rare words appear nowhere is declined.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from knowledge.index import BigramIndex
from knowledge.models import InterviewSummary
from knowledge.normalise import normalise
from knowledge.phonetic import fold_sound
from knowledge.query import QueryPlan, QueryTerms, bm25_idf, query_terms, tokens
from knowledge.store import PassageColumns

PASSAGE_CANDIDATES = 80
QUESTION_CANDIDATES = 12
PASSAGES_PER_QUESTION = 40
CHAR_SAMPLE = 20_000  # passages sampled to weigh single characters

FEATURES = (
    "context_bigrams",  # query information found in paragraph + its question + metadata
    "passage_bigrams",  # ... in the paragraph itself
    "turn_bigrams",  # ... anywhere in the answer turn and its question
    "question_bigrams",  # ... in the interviewer's question
    "context_chars",  # rare characters of the query found in the context (paraphrases)
    "passage_fuzz",  # rapidfuzz partial_ratio of the query against the paragraph
    "question_fuzz",  # ... against the interviewer's question
    "year",  # a year the query names matches the interview or the paragraph
)
# RANK_WEIGHTS order candidate paragraphs by a linear score over FEATURES. They are set by
# hand: weights fitted by logistic regression on the evaluation set ranked no better
# (top-1 0.84 against 0.89) and were harder to read. CONFIDENCE is fitted by
# benchmarks/calibrate.py: 100 * sigmoid(c0 + c1 * rank + c2 * lead), where lead is the
# best turn's margin over the next turn.
RANK_WEIGHTS = (0.5, 0.3, 0.0, 0.0, 0.0, 0.2, 0.0, 0.05)
CONFIDENCE = (-1.38, 3.87, 0.49)
NO_RIVAL_LEAD = 2.0  # the lead of a turn that has no competitor at all


@dataclass(frozen=True, slots=True)
class QuestionContext:
    """The interviewer turn that an answer turn responded to, normalised for matching."""

    interview_id: str
    answer_turn: int
    question_turn: int
    norm: str


@dataclass(frozen=True, slots=True)
class RankedTurn:
    interview_id: str
    turn: int
    question_turn: int | None
    paragraph: int
    score: float  # 0..100
    lead: float = NO_RIVAL_LEAD  # rank-score margin over the best other turn
    strength: float = 0.0  # the rank score itself, comparable within one query


@dataclass(frozen=True)
class _Meta:
    norm: str
    year: str | None
    names: tuple[str, ...]
    outlet: str | None


class Searcher:
    """Everything search needs in memory; built once per store generation."""

    def __init__(
        self,
        passages: PassageColumns,
        questions: Sequence[QuestionContext],
        interviews: Sequence[InterviewSummary],
    ) -> None:
        self.generation = passages.generation
        self._ids = [summary.id for summary in interviews]
        position_of_id = {iid: i for i, iid in enumerate(self._ids)}
        self._meta = [
            _Meta(
                norm=normalise(" ".join(filter(None, [s.title, s.outlet, *s.interviewees]))),
                year=s.date[:4] if s.date else None,
                names=tuple(normalise(n) for n in s.interviewees),
                outlet=normalise(s.outlet) if s.outlet else None,
            )
            for s in interviews
        ]
        self._norms = passages.norms
        self._interview = np.fromiter(
            (position_of_id.get(iid, -1) for iid in passages.interview_ids),
            dtype=np.int32,
            count=len(passages),
        )
        self._turn = np.asarray(passages.turns, dtype=np.int32)
        self._paragraph = np.asarray(passages.paragraphs, dtype=np.int32)
        self._index = BigramIndex.build(
            np.arange(len(passages), dtype=np.int64), (fold_sound(n) for n in passages.norms)
        )
        self._questions = list(questions)
        self._question_of: dict[tuple[int, int], int] = {}
        for number, question in enumerate(self._questions):
            interview = position_of_id.get(question.interview_id)
            if interview is not None:
                self._question_of[(interview, question.answer_turn)] = number
        self._question_index = BigramIndex.build(
            np.arange(len(self._questions), dtype=np.int64),
            (fold_sound(q.norm) for q in self._questions),
        )
        self._question_passages: dict[int, list[int]] = {}
        for position in range(len(passages)):
            key = (int(self._interview[position]), int(self._turn[position]))
            owner = self._question_of.get(key)
            if owner is not None:
                self._question_passages.setdefault(owner, []).append(position)
        self._question_first_passage = np.full(len(self._questions), -1, dtype=np.int64)
        for number, members in self._question_passages.items():
            self._question_first_passage[number] = members[0]
        self._max_idf = bm25_idf(0, max(len(passages), 1))
        self._turn_first, self._turn_last = _turn_bounds(self._interview, self._turn)
        self._char_idf, self._max_char_idf = _char_weights(passages.norms)

    def __len__(self) -> int:
        return len(self._norms)

    @property
    def names(self) -> list[str]:
        return sorted({name for meta in self._meta for name in meta.names})

    @property
    def outlets(self) -> list[str]:
        return sorted({meta.outlet for meta in self._meta if meta.outlet})

    def terms(self, content: str) -> QueryTerms:
        def idf(sound_tokens: list[str]) -> list[float]:
            weights = self._index.idf(" ".join(sound_tokens))
            return [weights.get(token, 0.0) for token in sound_tokens]

        return query_terms(content, idf, self._max_idf)

    def rank(self, plan: QueryPlan, *, limit: int = 10) -> list[RankedTurn]:
        """Turns best first, each with its best paragraph and a 0..100 confidence."""
        best: dict[tuple[int, int], tuple[float, int]] = {}
        for position, interview, turn, features in self.explain(plan):
            value = rank_score(features)
            key = (interview, turn)
            if key not in best or value > best[key][0]:
                best[key] = (value, position)
        order = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        ranked = []
        for place, ((interview, turn), (value, position)) in enumerate(order[:limit]):
            rivals = [v for i, (_, (v, _)) in enumerate(order[: 2 + place]) if i != place]
            lead = value - max(rivals) if rivals else NO_RIVAL_LEAD
            asked = self._question_of.get((interview, turn))
            ranked.append(
                RankedTurn(
                    interview_id=self._ids[interview],
                    turn=turn,
                    question_turn=self._questions[asked].question_turn
                    if asked is not None
                    else None,
                    paragraph=int(self._paragraph[position]),
                    score=confidence(value, lead),
                    lead=lead,
                    strength=value,
                )
            )
        return ranked

    def explain(self, plan: QueryPlan) -> list[tuple[int, int, int, tuple[float, ...]]]:
        """Every candidate paragraph as (position, interview, turn, features)."""
        if not plan.content or len(self._norms) == 0:
            return []
        terms = self.terms(plan.content)
        if not terms.exact:
            return []
        allowed = self._allowed(plan)
        sound_query = fold_sound(plan.content)
        candidates = {
            hit.key for hit in self._index.search(sound_query, PASSAGE_CANDIDATES, allowed=allowed)
        }
        question_allowed = None
        if allowed is not None:
            first = self._question_first_passage
            question_allowed = (first >= 0) & allowed[np.maximum(first, 0)]
        for hit in self._question_index.search(
            sound_query, QUESTION_CANDIDATES, allowed=question_allowed
        ):
            candidates.update(self._question_passages.get(hit.key, [])[:PASSAGES_PER_QUESTION])
        compact_query = plan.content.replace(" ", "")
        explained = []
        for position in sorted(candidates):
            interview = int(self._interview[position])
            if interview < 0:
                continue
            turn = int(self._turn[position])
            features = self.features(position, interview, turn, terms, compact_query, plan)
            explained.append((position, interview, turn, features))
        return explained

    def interview_id(self, interview: int) -> str:
        return self._ids[interview]

    def features(
        self,
        position: int,
        interview: int,
        turn: int,
        terms: QueryTerms,
        compact_query: str,
        plan: QueryPlan,
    ) -> tuple[float, ...]:
        """The evidence that paragraph ``position`` answers the query, each in 0..1."""
        passage = self._norms[position]
        number = self._question_of.get((interview, turn))
        question = self._questions[number].norm if number is not None else ""
        meta = self._meta[interview]
        first, last = int(self._turn_first[position]), int(self._turn_last[position])
        whole_turn = " ".join(self._norms[first : last + 1])
        context = f"{passage} {question} {meta.norm}"
        long_query = len(compact_query) > 1
        year = bool(plan.years) and any(y == meta.year or y in passage for y in plan.years)
        return (
            terms.coverage(context),
            terms.coverage(passage),
            terms.coverage(f"{whole_turn} {question}"),
            terms.coverage(question) if question else 0.0,
            self._char_coverage(compact_query, context),
            fuzz.partial_ratio(compact_query, passage) / 100 if long_query else 0.0,
            fuzz.partial_ratio(compact_query, question) / 100 if long_query and question else 0.0,
            1.0 if year else 0.0,
        )

    def _char_coverage(self, compact_query: str, text: str) -> float:
        chars = set(compact_query)
        total = sum(self._char_weight(c) for c in chars)
        if total <= 0:
            return 0.0
        return sum(self._char_weight(c) for c in chars if c in text) / total

    def _char_weight(self, char: str) -> float:
        return self._char_idf.get(char, self._max_char_idf)

    def _allowed(self, plan: QueryPlan) -> np.ndarray | None:
        wanted = [
            i
            for i, meta in enumerate(self._meta)
            if any(name in meta.names for name in plan.names)
            or (meta.outlet and meta.outlet in plan.outlets)
        ]
        if not wanted:
            return None
        mask: np.ndarray = np.isin(self._interview, np.asarray(wanted, dtype=np.int32))
        return mask


def rank_score(features: Sequence[float]) -> float:
    """How well a paragraph fits the query, for ordering candidates (unbounded)."""
    return sum(w * f for w, f in zip(RANK_WEIGHTS, features, strict=True))


def confidence(rank: float, lead: float) -> float:
    """0..100: the calibrated chance that the best turn is the right answer."""
    c0, c1, c2 = CONFIDENCE
    z = c0 + c1 * rank + c2 * min(lead, NO_RIVAL_LEAD)
    return round(100.0 / (1.0 + math.exp(-z)), 2)


def _turn_bounds(interviews: np.ndarray, turns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last passage position of each position's turn (turns are contiguous)."""
    n = len(turns)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    key = interviews.astype(np.int64) * (1 << 32) + turns.astype(np.int64)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:] - 1, n - 1]
    run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    return starts[run], ends[run]


def _char_weights(norms: Sequence[str]) -> tuple[dict[str, float], float]:
    """idf of single characters over an even sample of the passages."""
    step = max(1, len(norms) // CHAR_SAMPLE)
    sample = norms[::step]
    counts: Counter[str] = Counter()
    for norm in sample:
        counts.update(set(norm.replace(" ", "")))
    n = max(len(sample), 1)
    return {c: bm25_idf(df, n) for c, df in counts.items()}, bm25_idf(0, n)


def question_tokens(text: str) -> list[str]:
    return tokens(normalise(text))
