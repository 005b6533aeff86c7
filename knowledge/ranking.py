"""Rank answer turns for a query: index candidates, then a re-rank that can say "no".

Candidates come from two bigram indexes over sound-folded text (so pinyin typos
still hit): one over answer paragraphs, one over the interviewer questions they
answered. The re-rank then asks how much of the query's *information* (rare
bigrams weigh more) the paragraph, its question and its interview's metadata
actually contain, and how well the characters line up (rapidfuzz); that share
is the confidence, and a query whose rare words appear nowhere is declined.
"""

from __future__ import annotations

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
# Weights of the confidence: information found anywhere in the answer's context,
# information found in the answer paragraph itself, and character alignment.
W_CONTEXT, W_PASSAGE, W_FUZZ, W_YEAR = 0.5, 0.3, 0.2, 0.05


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
        self._max_idf = bm25_idf(0, max(len(passages), 1))

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
        """Turns best first, each with its best paragraph; scores are 0..100."""
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
            question_allowed = np.zeros(len(self._questions), dtype=bool)
            for number in range(len(self._questions)):
                members = self._question_passages.get(number)
                question_allowed[number] = members is not None and bool(allowed[members[0]])
        for hit in self._question_index.search(
            sound_query, QUESTION_CANDIDATES, allowed=question_allowed
        ):
            candidates.update(self._question_passages.get(hit.key, [])[:PASSAGES_PER_QUESTION])
        best: dict[tuple[int, int], RankedTurn] = {}
        compact_query = plan.content.replace(" ", "")
        for position in candidates:
            interview = int(self._interview[position])
            if interview < 0:
                continue
            turn = int(self._turn[position])
            score = self._score(position, interview, turn, terms, compact_query, plan)
            key = (interview, turn)
            if key not in best or score > best[key].score:
                asked = self._question_of.get(key)
                best[key] = RankedTurn(
                    interview_id=self._ids[interview],
                    turn=turn,
                    question_turn=self._questions[asked].question_turn
                    if asked is not None
                    else None,
                    paragraph=int(self._paragraph[position]),
                    score=score,
                )
        ranked = sorted(best.values(), key=lambda r: (-r.score, r.interview_id, r.turn))
        return ranked[:limit]

    def _score(
        self,
        position: int,
        interview: int,
        turn: int,
        terms: QueryTerms,
        compact_query: str,
        plan: QueryPlan,
    ) -> float:
        passage = self._norms[position]
        number = self._question_of.get((interview, turn))
        question = self._questions[number].norm if number is not None else ""
        meta = self._meta[interview]
        context = f"{passage} {question} {meta.norm}"
        score = (
            W_CONTEXT * terms.coverage(context)
            + W_PASSAGE * terms.coverage(passage)
            + W_FUZZ
            * (fuzz.partial_ratio(compact_query, passage) / 100 if len(compact_query) > 1 else 0)
        )
        if plan.years and any(y == meta.year or y in passage for y in plan.years):
            score += W_YEAR
        return round(100 * min(score, 1.0), 2)

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


def question_tokens(text: str) -> list[str]:
    return tokens(normalise(text))
