"""Rank answer turns for a query: index candidates, then a re-rank that can say "no".

Candidates come from two bigram indexes over sound-folded text (so pinyin typos
still hit): one over answer paragraphs, one over the interviewer questions they
answered. The re-rank then asks how much of the query's *information* (rare
bigrams weigh more) the paragraph, its question and its interview's metadata
actually contain, and how well the characters line up (rapidfuzz). The confidence
is calibrated from the best turn's score and its lead over the next turn, so a
query that fits several turns equally (or none well) can be declined.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from knowledge.answer_types import (
    CHECKED,
    FigureAsked,
    answer_type_held,
    named_numbers,
    numbers_named_in,
    telling_words,
)
from knowledge.index import BigramIndex
from knowledge.models import InterviewSummary
from knowledge.normalise import normalise
from knowledge.passages import GREETING_REPLY_CHARS, asks_for_a_greeting, reading_for
from knowledge.phonetic import fold_sound, pinyin_sounds
from knowledge.query import (
    QueryPlan,
    QueryTerms,
    bm25_idf,
    plan_query,
    query_terms,
    weighted_share,
)
from knowledge.saved_indexes import SearchIndexes
from knowledge.store import PassageColumns
from knowledge.token_search import JoinedTexts

PASSAGE_CANDIDATES = 80
QUESTION_CANDIDATES = 12
PASSAGES_PER_QUESTION = 40
CHAR_SAMPLE = 20_000  # passages sampled to weigh single characters
# A name spelled in pinyin (Chengchuan) is looked for in this many passages; what follows
# it there shows it is a place: 澄川市, 鹿角山, 青螺湾.
PINYIN_PASSAGES = 40
PLACE_SUFFIXES = frozenset("省市县区州盟旗镇乡村街路湾港岛山河江湖")

FEATURES = (
    "context_bigrams",  # query information found in paragraph + its question + metadata
    "passage_bigrams",  # ... in the paragraph itself
    "turn_bigrams",  # ... anywhere in the answer turn and its question
    "question_bigrams",  # ... in the interviewer's question
    "context_chars",  # rare characters of the query found in the context (paraphrases)
    "passage_fuzz",  # rapidfuzz partial_ratio of the query against the paragraph
    "question_fuzz",  # ... against the interviewer's question
    "year",  # a year the query names matches the interview or the paragraph
    "context_words",  # the query's telling words found in paragraph + question + metadata
    "turn_words",  # ... anywhere in the answer turn, its question and metadata
    "answer_type",  # the paragraph holds what the question asks for (a time, a number),
    # and its turn any year the question names
)
# RANK_WEIGHTS order candidate paragraphs by a linear score over FEATURES. They are set by
# hand: weights fitted by logistic regression on the evaluation set ranked no better
# (top-1 0.84 against 0.89) and were harder to read. CONFIDENCE is fitted by
# benchmarks/calibrate.py: 100 * sigmoid(c0 + c . inputs), the inputs being the best
# turn's rank score, its lead over the next turn, and the CONFIDENCE_FEATURES of its
# best paragraph: whether it accounts for the question's telling words, can hold what the
# question asks for, and how much of the question its context holds (this last one was
# chosen by the held-out set, benchmarks/eval/heldout.jsonl: 0.640 -> 0.663 there).
RANK_WEIGHTS = (0.5, 0.3, 0.0, 0.0, 0.0, 0.2, 0.0, 0.05, 0.2, 0.0, 0.1)
CONFIDENCE_FEATURES = ("turn_words", "answer_type", "context_bigrams")
CONFIDENCE = (-10.404, 3.436, 0.020, 3.469, 5.657, 1.124)
TURN_ANSWER_SHARE = 0.5  # see Searcher._answer_type_of_turn
NO_RIVAL_LEAD = 2.0  # the lead of a turn that has no competitor at all
ALL_FEATURES = (True,) * len(FEATURES)
_CONFIDENCE_AT = tuple(FEATURES.index(name) for name in CONFIDENCE_FEATURES)
# What rank() computes for every candidate: a feature weighed 0 adds exactly 0.0. The
# confidence's own features are computed only for the turns it returns.
RANKED_FEATURES = tuple(weight != 0 for weight in RANK_WEIGHTS)
_FUZZ = FEATURES.index("passage_fuzz")
_ANSWER_TYPE = FEATURES.index("answer_type")
FUZZ_WEIGHT = RANK_WEIGHTS[_FUZZ]
RANKED_BEFORE_FUZZ = tuple(needed and i != _FUZZ for i, needed in enumerate(RANKED_FEATURES))
_PASSAGE = FEATURES.index("passage_bigrams")
_PASSAGE_ONLY = tuple(i == _PASSAGE for i in range(len(FEATURES)))
_ANSWER_TYPE_ONLY = tuple(i == _ANSWER_TYPE for i in range(len(FEATURES)))
CONFIDENCE_ONLY = tuple(
    not ranked and i in _CONFIDENCE_AT for i, ranked in enumerate(RANKED_FEATURES)
)


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
    term_paragraphs: tuple[int, ...] = ()  # the turn's paragraphs holding a query term


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
        saved: SearchIndexes | None = None,
    ) -> None:
        """``saved``: indexes built earlier from exactly these passages and questions."""
        self.generation = passages.generation
        self._ids = [summary.id for summary in interviews]
        position_of_id = {iid: i for i, iid in enumerate(self._ids)}
        self._meta = [
            _Meta(
                norm=normalise(
                    " ".join(
                        filter(None, [s.title, s.outlet, *s.interviewees, _date_words(s.date)])
                    )
                ),
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
        self._index = (
            saved.passages
            if saved
            else BigramIndex.build(
                np.arange(len(passages), dtype=np.int64), (fold_sound(n) for n in passages.norms)
            )
        )
        # Questions as columns: their text, the turn that asks, and the passages answering.
        count = len(questions)
        self._question_norms = [q.norm for q in questions]
        self._question_turns = np.fromiter(
            (q.question_turn for q in questions), dtype=np.int64, count=count
        )
        self._question_index = (
            saved.questions
            if saved
            else BigramIndex.build(
                np.arange(count, dtype=np.int64),
                (fold_sound(norm) for norm in self._question_norms),
            )
        )
        # (interview, answer turn) -> question number, as sorted keys: the last one wins.
        asking = np.fromiter(
            (position_of_id.get(q.interview_id, -1) for q in questions), dtype=np.int64, count=count
        )
        answering = np.fromiter((q.answer_turn for q in questions), dtype=np.int64, count=count)
        known = np.flatnonzero(asking >= 0)
        keys = _turn_keys(asking[known], answering[known])
        order = np.argsort(keys, kind="stable")
        keys, numbers = keys[order], known[order]
        last = np.ones(keys.size, dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=last[:-1])
        self._question_keys, self._question_numbers = keys[last], numbers[last]
        # Each passage's question (-1: none); each question's passages, ascending, in CSR.
        self._question_at = self._question_numbers_of(self._interview, self._turn)
        answered = np.flatnonzero(self._question_at >= 0)
        owners = self._question_at[answered]
        order = np.argsort(owners, kind="stable")
        self._question_members = answered[order]
        self._question_start = np.searchsorted(owners[order], np.arange(count + 1))
        self._question_first_passage = np.full(count, -1, dtype=np.int64)
        nonempty = self._question_start[:-1] < self._question_start[1:]
        self._question_first_passage[nonempty] = self._question_members[
            self._question_start[:-1][nonempty]
        ]
        self._max_idf = bm25_idf(0, max(len(passages), 1))
        self._turn_first, self._turn_last = _turn_bounds(self._interview, self._turn)
        self._greeting = self._greeting_replies()
        self._last_terms: tuple[tuple[str, tuple[str, ...]], QueryTerms] | None = None
        self._joined_metas: tuple[str, str] | None = None
        self._char_idf, self._max_char_idf = _char_weights(passages.norms)
        # The interviews each interviewee name and outlet filters to, ascending.
        self._by_name: dict[str, list[int]] = {}
        self._by_outlet: dict[str, list[int]] = {}
        for number, meta in enumerate(self._meta):
            for name in dict.fromkeys(meta.names):
                self._by_name.setdefault(name, []).append(number)
            if meta.outlet:
                self._by_outlet.setdefault(meta.outlet, []).append(number)
        self._names = tuple(sorted(self._by_name))
        self._outlets = tuple(sorted(self._by_outlet))

    def __len__(self) -> int:
        return len(self._norms)

    @property
    def indexes(self) -> SearchIndexes:
        return SearchIndexes(self._index, self._question_index)

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    @property
    def outlets(self) -> tuple[str, ...]:
        return self._outlets

    def plan(self, query: str) -> QueryPlan:
        """The query read with what this corpus knows: its interviewees, outlets and the
        names an English question may spell in pinyin."""
        return plan_query(
            query,
            known_names=self._names,
            known_outlets=self._outlets,
            name_in_pinyin=self.name_in_pinyin,
        )

    def name_in_pinyin(self, word: str) -> str | None:
        """The name of a place, person or outlet of the interviews that a word of toneless
        pinyin spells (chengchuan -> 澄川), or None.

        Only a name counts: what an interview's title, outlet or interviewee holds, or
        what its text names as a place (澄川市). So English that happens to spell pinyin
        (china, women) is not read as some word of the interviews that sounds like it.
        """
        for sound in pinyin_sounds(word):
            found: Counter[str] = Counter()
            metas, meta_sounds = self._metas_joined()
            at = meta_sounds.find(sound)
            while at >= 0:  # once an interview
                found[metas[at : at + len(sound)]] += 1
                line_end = metas.find("\n", at)
                at = meta_sounds.find(sound, line_end) if line_end >= 0 else -1
            for hit in self._index.search(sound, PINYIN_PASSAGES):
                norm = self._norms[hit.key]
                folded = fold_sound(norm)
                at = folded.find(sound)
                while at >= 0:
                    if norm[at + len(sound) : at + len(sound) + 1] in PLACE_SUFFIXES:
                        found[norm[at : at + len(sound)]] += 1
                    at = folded.find(sound, at + 1)
            if found:
                return max((count, name) for name, count in found.items())[1]
        return None

    def _metas_joined(self) -> tuple[str, str]:
        """Every interview's metadata on one line each, as written and folded by sound (of
        the same length), built on first use: one scan finds a name in all of them."""
        if self._joined_metas is None:
            metas = "\n".join(meta.norm for meta in self._meta)
            self._joined_metas = (metas, fold_sound(metas))
        return self._joined_metas

    def terms(self, content: str, unread: Sequence[str] = ()) -> QueryTerms:
        """The query's weighted terms; the last query's are kept, as ranking and quoting
        both ask for them."""
        key = (content, tuple(unread))
        if self._last_terms is not None and self._last_terms[0] == key:
            return self._last_terms[1]

        def idf(sound_tokens: list[str]) -> list[float]:
            weights = self._index.idf(" ".join(sound_tokens))
            return [weights.get(token, 0.0) for token in sound_tokens]

        terms = query_terms(content, idf, self._max_idf, unread)
        self._last_terms = (key, terms)
        return terms

    def rank(self, plan: QueryPlan, *, limit: int = 10) -> list[RankedTurn]:
        """Turns best first, each with its best paragraph and a 0..100 confidence."""
        explained, evidence = self._explain(plan, RANKED_BEFORE_FUZZ)
        ranked_features = {position: features for position, _, _, features in explained}
        best = self._best_paragraphs(explained, evidence, limit + 1)
        order = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        if evidence is not None and evidence.numbers:
            order = self._numbers_checked(order[: limit + 1], evidence, ranked_features)
        if evidence is not None:
            # The confidence and term_paragraphs read every paragraph of the returned
            # turns: one pass over all of them, not one per paragraph.
            evidence.read_all(
                [
                    member
                    for _, (_, position) in order[:limit]
                    for member in self._turn_members(position)
                ]
            )
        ranked = []
        for place, ((interview, turn), (value, position)) in enumerate(order[:limit]):
            rivals = [v for i, (_, (v, _)) in enumerate(order[: 2 + place]) if i != place]
            lead = value - max(rivals) if rivals else NO_RIVAL_LEAD
            asked = int(self._question_at[position])
            assert evidence is not None  # there are candidates
            extra = evidence.features(position, interview, turn, asked, CONFIDENCE_ONLY)
            features = tuple(
                added if only else known
                for known, added, only in zip(
                    ranked_features[position], extra, CONFIDENCE_ONLY, strict=True
                )
            )
            features = self._answer_type_of_turn(features, position, interview, turn, evidence)
            ranked.append(
                RankedTurn(
                    interview_id=self._ids[interview],
                    turn=turn,
                    question_turn=int(self._question_turns[asked]) if asked >= 0 else None,
                    paragraph=int(self._paragraph[position]),
                    score=confidence(value, lead, features),
                    lead=lead,
                    strength=value,
                    term_paragraphs=evidence.term_paragraphs(position),
                )
            )
        return ranked

    def _answer_type_of_turn(
        self,
        features: tuple[float, ...],
        position: int,
        interview: int,
        turn: int,
        evidence: _Evidence,
    ) -> tuple[float, ...]:
        """The features with the answer type of the whole turn: the best paragraph by its
        words may not be the one holding the date asked for (开放日 is named in both, 每月
        第二个周六 in one), and the quote is chosen from the whole turn. Only paragraphs
        holding TURN_ANSWER_SHARE of the best one's query terms count: a date in a paragraph
        about something else answers nothing (it let two out-of-scope questions through)."""
        if features[_ANSWER_TYPE] >= 1.0 or evidence.asks not in CHECKED:
            return features
        asked = int(self._question_at[position])
        question = self._question_norms[asked] if asked >= 0 else ""
        if evidence.numbers and not evidence.names_numbers(position, interview, question):
            return features
        own = evidence.features(position, interview, turn, asked, _PASSAGE_ONLY)[_PASSAGE]
        held = max(
            evidence.features(member, interview, turn, asked, _ANSWER_TYPE_ONLY)[_ANSWER_TYPE]
            for member in self._turn_members(position)
            if evidence.features(member, interview, turn, asked, _PASSAGE_ONLY)[_PASSAGE]
            >= TURN_ANSWER_SHARE * own
        )
        if held <= features[_ANSWER_TYPE]:
            return features
        return (*features[:_ANSWER_TYPE], held, *features[_ANSWER_TYPE + 1 :])

    def _numbers_checked(
        self,
        order: list[tuple[tuple[int, int], tuple[float, int]]],
        evidence: _Evidence,
        features: dict[int, tuple[float, ...]],
    ) -> list[tuple[tuple[int, int], tuple[float, int]]]:
        """The best turns again, each that does not name a number the query names (3号线
        for 4号线) without its answer-type credit.

        Checked here, on the few turns returned, not on every candidate: the check reads a
        whole turn, and it can only lower a score, so no turn below these can overtake."""
        checked = []
        for key, (value, position) in order:
            known = features[position]
            asked = int(self._question_at[position])
            question = self._question_norms[asked] if asked >= 0 else ""
            if known[_ANSWER_TYPE] and not evidence.names_numbers(position, key[0], question):
                value -= RANK_WEIGHTS[_ANSWER_TYPE] * known[_ANSWER_TYPE]
                features[position] = (*known[:_ANSWER_TYPE], 0.0, *known[_ANSWER_TYPE + 1 :])
            checked.append((key, (value, position)))
        return sorted(checked, key=lambda item: (-item[1][0], item[0]))

    @staticmethod
    def _best_paragraphs(
        explained: list[tuple[int, int, int, tuple[float, ...]]],
        evidence: _Evidence | None,
        turns: int,
    ) -> dict[tuple[int, int], tuple[float, int]]:
        """Each turn's best rank score and paragraph, exact for the best ``turns`` turns.

        The fuzzy alignment is the dearest feature (5 µs a paragraph) and adds at most
        FUZZ_WEIGHT, so candidates are scored without it first and aligned best first:
        once a candidate cannot reach the ``turns``-th best turn even with a perfect
        alignment, no later one can. The others keep the score without it.
        """
        best: dict[tuple[int, int], tuple[float, int]] = {}
        partial = sorted(
            (
                (rank_score(features), position, interview, turn)
                for position, interview, turn, features in explained
            ),
            key=lambda item: (-item[0], item[1]),
        )
        bar = -math.inf  # the turns-th best turn's score so far
        for value, position, interview, turn in partial:
            if evidence is not None and value + FUZZ_WEIGHT >= bar:
                value += FUZZ_WEIGHT * evidence.passage_fuzz(position)
            key = (interview, turn)
            if key not in best or value > best[key][0]:
                best[key] = (value, position)
                # Only a score above the bar can change the turns-th best one.
                if len(best) >= turns and value > bar:
                    bar = heapq.nlargest(turns, (v for v, _ in best.values()))[-1]
        return best

    def explain(self, plan: QueryPlan) -> list[tuple[int, int, int, tuple[float, ...]]]:
        """Every candidate paragraph as (position, interview, turn, features)."""
        return self._explain(plan, ALL_FEATURES)[0]

    def _explain(
        self, plan: QueryPlan, needed: tuple[bool, ...]
    ) -> tuple[list[tuple[int, int, int, tuple[float, ...]]], _Evidence | None]:
        if not plan.content or len(self._norms) == 0:
            return [], None
        terms = self.terms(plan.content, plan.unread)
        if not terms.exact or not terms.has_topic:
            return [], None
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
            candidates.update(self._answers_to(hit.key)[:PASSAGES_PER_QUESTION].tolist())
        evidence = _Evidence(self, terms, plan.content.replace(" ", ""), plan, needed)
        chosen = [p for p in sorted(candidates - self._greeting) if self._interview[p] >= 0]
        evidence.read_all(chosen)
        explained = []
        for position in chosen:
            interview = int(self._interview[position])
            turn = int(self._turn[position])
            number = int(self._question_at[position])
            features = evidence.features(position, interview, turn, number)
            explained.append((position, interview, turn, features))
        return explained, evidence

    def interview_id(self, interview: int) -> str:
        return self._ids[interview]

    def _turn_members(self, position: int) -> range:
        """The positions of the paragraphs of this paragraph's turn."""
        return range(int(self._turn_first[position]), int(self._turn_last[position]) + 1)

    def _answers_to(self, number: int) -> np.ndarray:
        """The positions of the paragraphs answering question ``number``, ascending."""
        begin, end = self._question_start[number : number + 2].tolist()
        members: np.ndarray = self._question_members[begin:end]
        return members

    def _greeting_replies(self) -> frozenset[int]:
        """Positions of the paragraphs of short turns that answer a request to say hello:
        pleasantries, never an answer."""
        greeting_questions = [
            number for number, norm in enumerate(self._question_norms) if asks_for_a_greeting(norm)
        ]
        replies: set[int] = set()
        for number in greeting_questions:
            members = self._answers_to(number).tolist()
            if sum(len(self._norms[p]) for p in members) <= GREETING_REPLY_CHARS:
                replies.update(members)
        return frozenset(replies)

    def _question_numbers_of(self, interviews: np.ndarray, turns: np.ndarray) -> np.ndarray:
        """The question each (interview, turn) answered, -1 where none."""
        keys = _turn_keys(interviews, turns)
        if self._question_keys.size == 0:
            return np.full(keys.size, -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._question_keys, keys), self._question_keys.size - 1)
        found: np.ndarray = np.where(
            self._question_keys[at] == keys, self._question_numbers[at], -1
        ).astype(np.int64)
        return found

    def _char_weight(self, char: str) -> float:
        return self._char_idf.get(char, self._max_char_idf)

    def filtered_interviews(self, plan: QueryPlan) -> list[str]:
        """The ids of the interviews the plan's names and outlets select, in store order."""
        return [self._ids[number] for number in self._filtered(plan)]

    def _filtered(self, plan: QueryPlan) -> list[int]:
        return sorted(
            {
                *(i for name in plan.names for i in self._by_name.get(name, ())),
                *(i for outlet in plan.outlets for i in self._by_outlet.get(outlet, ())),
            }
        )

    def _allowed(self, plan: QueryPlan) -> np.ndarray | None:
        wanted = self._filtered(plan)
        if not wanted:
            return None
        mask: np.ndarray = np.isin(self._interview, np.asarray(wanted, dtype=np.int32))
        return mask


class _Evidence:
    """The features of each candidate paragraph for one query, each in 0..1, sharing the
    work between candidates.

    The query's tokens hold no space, so a token is in ``f"{a} {b}"`` exactly when it
    is in ``a`` or in ``b``, and ``fold_sound`` folds each part on its own: what each
    paragraph, question and interview's metadata contains is found once per query, and
    each feature combines the parts it spans. The sums run in the same order as
    ``QueryTerms.coverage_of`` does for the joined text, so every feature is the same float.
    Features not ``needed`` are 0.0 and cost nothing.
    """

    def __init__(
        self,
        searcher: Searcher,
        terms: QueryTerms,
        compact_query: str,
        plan: QueryPlan,
        needed: tuple[bool, ...] = ALL_FEATURES,
    ) -> None:
        self._searcher = searcher
        self._query = terms
        # Words take the bits after the bigrams' in the masks that _found returns.
        self._word_shift = len(terms.exact)
        tokens = (
            *zip(terms.exact, terms.sound, strict=True),
            *zip(terms.words, terms.word_sounds, strict=True),
        )
        # A two-character word is also a bigram: each distinct token is searched once,
        # with the bits of every entry it stands for.
        bits: dict[tuple[str, str], int] = {}
        for i, token in enumerate(tokens):
            bits[token] = bits.get(token, 0) | 1 << i
        self._exact_bits = tuple((bit, exact) for (exact, _), bit in bits.items())
        self._sound_bits = tuple((bit, exact, sound) for (exact, sound), bit in bits.items())
        self._every_bit = (1 << len(tokens)) - 1
        self._word_weights = terms.word_weights
        self._word_total = sum(terms.word_weights)
        self._telling_words = telling_words(terms.words, terms.word_weights)
        self._word_coverages: dict[tuple[int, int], float] = {}
        self._total = terms.total
        self._no_terms = not terms.exact or self._total <= 0
        self._needed = needed
        # The query's distinct characters, weighted by rarity (the "context_chars" feature).
        self._chars = (
            tuple((c, searcher._char_weight(c)) for c in set(compact_query)) if needed[4] else ()
        )
        self._char_total = sum(weight for _, weight in self._chars)
        self._char_bits = tuple((1 << i, char) for i, (char, _) in enumerate(self._chars))
        self._compact_query = compact_query
        self._long_query = len(compact_query) > 1
        self._plan = plan
        self._readable = reading_for(plan.content)
        self._figure = FigureAsked.of(plan)
        self.numbers = named_numbers(plan.content)
        self.asks = plan.asks
        self._numbers_named: dict[tuple[int, int], bool] = {}  # a turn's paragraphs → named
        self._numbers_in_paragraph: dict[int, int] = {}
        self._passages: dict[int, tuple[int, int, int]] = {}
        self._questions: dict[int, tuple[int, int, int]] = {}
        self._question_fuzz: dict[int, float] = {}
        self._metas: dict[int, tuple[int, int, int]] = {}
        self._coverages: dict[tuple[int, int], float] = {}
        self._char_coverages: dict[int, float] = {}

    def read_all(self, positions: Sequence[int]) -> None:
        """Find the tokens of these paragraphs, their questions and their interviews'
        metadata in one pass over all their texts, not one pass per text: the per-text
        loops were most of ranking's cost."""
        searcher = self._searcher
        numbers = {int(searcher._question_at[p]) for p in positions} - {-1}
        numbers -= self._questions.keys()
        interviews = {int(searcher._interview[p]) for p in positions} - self._metas.keys()
        passages = [p for p in positions if p not in self._passages]
        texts = [
            *(self._readable(searcher._norms[p]) for p in passages),
            *(searcher._question_norms[n] for n in numbers),
            *(searcher._meta[i].norm for i in interviews),
        ]
        masks = iter(self._found_each(texts))
        for cache, keys in (
            (self._passages, passages),
            (self._questions, numbers),
            (self._metas, interviews),
        ):
            for key in keys:
                cache[key] = next(masks)

    def _found_each(self, texts: Sequence[str]) -> list[tuple[int, int, int]]:
        """Bit masks for each text: the tokens it holds, those it holds only by sound
        (``sounds_like_at``), and the query characters in it."""
        if not texts:
            return []
        joined = JoinedTexts.of(texts)
        exact = joined.hits(self._exact_bits)
        sound = [0] * len(texts)
        every = self._every_bit
        if any(mask != every for mask in exact):
            sound = joined.sound_hits(self._sound_bits, exact)
        chars = joined.hits(self._char_bits)
        return list(zip(exact, sound, chars, strict=True))

    def _passage(self, position: int) -> tuple[int, int, int]:
        found = self._passages.get(position)
        if found is None:
            found = self._passages[position] = self._found(
                self._readable(self._searcher._norms[position])
            )
        return found

    def _question(self, number: int) -> tuple[int, int, int]:
        found = self._questions.get(number)
        if found is None:
            found = self._questions[number] = self._found(self._searcher._question_norms[number])
        return found

    def _meta(self, interview: int) -> tuple[int, int, int]:
        found = self._metas.get(interview)
        if found is None:
            found = self._metas[interview] = self._found(self._searcher._meta[interview].norm)
        return found

    def _found(self, text: str) -> tuple[int, int, int]:
        return self._found_each([text])[0]

    def term_paragraphs(self, position: int) -> tuple[int, ...]:
        """The paragraphs of this paragraph's turn that hold any query token."""
        searcher = self._searcher
        return tuple(
            int(searcher._paragraph[member])
            for member in searcher._turn_members(position)
            if any(self._passage(member)[:2])
        )

    def _coverage(self, exact: int, sound: int) -> float:
        """``QueryTerms.coverage_of`` a text holding these tokens exactly and by sound."""
        if self._no_terms:
            return 0.0
        sound &= ~exact
        value = self._coverages.get((exact, sound))
        if value is None:
            value = self._coverages[(exact, sound)] = self._query.coverage_of(exact, sound)
        return value

    def _word_coverage(self, exact: int, sound: int) -> float:
        """Information share of the query's telling words a text holds. A homophone is a
        guess at a typo: it completes words found as typed, it cannot stand alone."""
        if self._word_total <= 0:
            return 0.0
        exact >>= self._word_shift
        if not exact:
            return 0.0
        sound = (sound >> self._word_shift) & ~exact
        value = self._word_coverages.get((exact, sound))
        if value is None:
            value = weighted_share(self._word_weights, exact, sound)
            self._word_coverages[(exact, sound)] = value
        return value

    def _char_coverage(self, chars: int) -> float:
        """Weighted share of the query's characters that a text holding ``chars`` contains."""
        if self._char_total <= 0:
            return 0.0
        value = self._char_coverages.get(chars)
        if value is None:
            present = sum(weight for bit, (_, weight) in enumerate(self._chars) if chars >> bit & 1)
            value = self._char_coverages[chars] = present / self._char_total
        return value

    def features(
        self,
        position: int,
        interview: int,
        turn: int,
        number: int,
        needed: tuple[bool, ...] | None = None,
    ) -> tuple[float, ...]:
        """Features of a paragraph whose turn answered question ``number`` (-1: none);
        ``needed`` overrides the features asked for at construction."""
        searcher = self._searcher
        needed = self._needed if needed is None else needed
        passage = searcher._norms[position]
        p_exact, p_sound, p_chars = self._passage(position)
        question = searcher._question_norms[number] if number >= 0 else ""
        q_exact = q_sound = q_chars = 0
        question_fuzz = 0.0
        if question:
            q_exact, q_sound, q_chars = self._question(number)
            if needed[6] and self._long_query:
                fuzz_score = self._question_fuzz.get(number)
                if fuzz_score is None:
                    fuzz_score = fuzz.partial_ratio(self._compact_query, question) / 100
                    self._question_fuzz[number] = fuzz_score
                question_fuzz = fuzz_score
        meta = searcher._meta[interview]
        m_exact, m_sound, m_chars = self._meta(interview)
        turn_coverage = turn_words = 0.0
        if needed[2] or needed[9]:
            t_exact, t_sound = q_exact, q_sound
            for member in searcher._turn_members(position):
                exact, sound, _ = self._passage(member)
                t_exact |= exact
                t_sound |= sound
            turn_coverage = self._coverage(t_exact, t_sound)
            turn_words = self._word_coverage(t_exact | m_exact, t_sound | m_sound)
        years = self._plan.years
        year = bool(years) and any(y == meta.year or y in passage for y in years)
        answer_type = 0.0
        if needed[10]:
            answer_type = answer_type_held(
                self._plan.asks, passage, self._telling_words, self._figure
            )
            if years and not year and answer_type:
                answer_type *= self._turn_names_a_year(position, question)
            if (
                self.numbers
                and needed is ALL_FEATURES
                and answer_type
                and not self.names_numbers(position, interview, question)
            ):
                answer_type = 0.0  # rank() checks only the turns it returns: see there
        return (
            self._coverage(p_exact | q_exact | m_exact, p_sound | q_sound | m_sound)
            if needed[0]
            else 0.0,
            self._coverage(p_exact, p_sound) if needed[1] else 0.0,
            turn_coverage,
            self._coverage(q_exact, q_sound) if needed[3] and question else 0.0,
            self._char_coverage(p_chars | q_chars | m_chars) if needed[4] else 0.0,
            self.passage_fuzz(position) if needed[5] else 0.0,
            question_fuzz,
            1.0 if needed[7] and year else 0.0,
            self._word_coverage(p_exact | q_exact | m_exact, p_sound | q_sound | m_sound)
            if needed[8]
            else 0.0,
            turn_words,
            answer_type,
        )

    def names_numbers(self, position: int, interview: int, question: str) -> bool:
        """Whether the paragraph's turn, its question or its interview's metadata names
        every number the query names (4号线, 12345)."""
        searcher = self._searcher
        members = searcher._turn_members(position)
        key = (members.start, members.stop)
        named = self._numbers_named.get(key)
        if named is None:
            every = (1 << len(self.numbers)) - 1
            found = numbers_named_in(self.numbers, question)
            found |= numbers_named_in(self.numbers, searcher._meta[interview].norm)
            for member in members:
                if found == every:
                    break
                in_member = self._numbers_in_paragraph.get(member)
                if in_member is None:
                    in_member = numbers_named_in(self.numbers, searcher._norms[member])
                    self._numbers_in_paragraph[member] = in_member
                found |= in_member
            named = self._numbers_named[key] = found == every
        return named

    def passage_fuzz(self, position: int) -> float:
        """rapidfuzz's partial_ratio of the query against the paragraph, 0..1."""
        if not self._long_query:
            return 0.0
        return fuzz.partial_ratio(self._compact_query, self._searcher._norms[position]) / 100

    def _turn_names_a_year(self, position: int, question: str) -> float:
        """1.0 when the paragraph's turn or its question names a year the query names: an
        answer about 2018 does not answer a question about 2020."""
        searcher = self._searcher
        texts = [
            question,
            *(searcher._norms[member] for member in searcher._turn_members(position)),
        ]
        return 1.0 if any(y in text for y in self._plan.years for text in texts) else 0.0


_WEIGHED = tuple((i, w) for i, w in enumerate(RANK_WEIGHTS) if w)


def rank_score(features: Sequence[float]) -> float:
    """How well a paragraph fits the query, for ordering candidates (unbounded).

    Features weighed 0 are skipped: adding 0.0 leaves the sum exactly as it was.
    """
    return sum(w * features[i] for i, w in _WEIGHED)


def confidence_inputs(rank: float, lead: float, features: Sequence[float]) -> list[float]:
    """What the confidence model reads of a turn, in CONFIDENCE's order after the bias."""
    return [rank, min(lead, NO_RIVAL_LEAD), *(features[i] for i in _CONFIDENCE_AT)]


def confidence(rank: float, lead: float, features: Sequence[float]) -> float:
    """0..100: the calibrated chance that the best turn is the right answer."""
    inputs = confidence_inputs(rank, lead, features)
    z = CONFIDENCE[0] + sum(c * x for c, x in zip(CONFIDENCE[1:], inputs, strict=True))
    return round(100.0 / (1.0 + math.exp(-z)), 2)


def _date_words(date: str | None) -> str | None:
    """An ISO date as a question names it (2019-05-11 -> 2019年5月11日), so that a date typed
    in the question holds for every turn of the interview alike, not only for the turns
    that happen to mention that year."""
    if not date:
        return None
    parts = [int(part) for part in date.split("-")[:3] if part.isdigit()]
    return "".join(f"{value}{unit}" for value, unit in zip(parts, "年月日", strict=False))


def _turn_keys(interviews: np.ndarray, turns: np.ndarray) -> np.ndarray:
    """One int64 per (interview, turn) pair, as ``_turn_bounds`` keys them."""
    keys: np.ndarray = interviews.astype(np.int64) * (1 << 32) + turns.astype(np.int64)
    return keys


def _turn_bounds(interviews: np.ndarray, turns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last passage position of each position's turn (turns are contiguous)."""
    n = len(turns)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    key = _turn_keys(interviews, turns)
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
