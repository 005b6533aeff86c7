"""Ranking internals whose speed-ups must not change a single feature."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.engine import KnowledgeBase
from knowledge.phonetic import fold_sound, sounds_like_at
from knowledge.query import QueryTerms, plan_query
from knowledge.ranking import Searcher, _Evidence, rank_score

QUESTIONS = ["广东应急管理厅整合了哪些部门的职责", "应急管理听整合 2018年 火灾", "森林火灾 数据"]
TEXTS = st.lists(
    st.text(alphabet="广东应急管理厅听整合了部门职责森林火灾数据 2018年", max_size=40), max_size=12
)


@pytest.fixture(scope="module")
def searcher(seeded_db: Path) -> Searcher:
    async def build() -> Searcher:
        async with await KnowledgeBase.open(seeded_db) as kb:
            return kb._searcher

    return asyncio.run(build())


@pytest.mark.parametrize("question", QUESTIONS)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(texts=TEXTS)
def test_finding_tokens_in_all_texts_at_once_equals_looking_in_each_text(
    searcher: Searcher, question: str, texts: list[str]
) -> None:
    plan = plan_query(question, known_names=searcher.names)
    terms = searcher.terms(plan.content)
    evidence = _Evidence(searcher, terms, plan.content.replace(" ", ""), plan)
    chars = [char for char, _ in evidence._chars]

    assert evidence._found_each(texts) == [masks_one_by_one(terms, chars, t) for t in texts]


def masks_one_by_one(terms: QueryTerms, chars: list[str], text: str) -> tuple[int, int, int]:
    """The masks by definition: each token (bigrams, then words) and character looked
    for in the text on its own."""
    tokens = [
        *zip(terms.exact, terms.sound, strict=True),
        *zip(terms.words, terms.word_sounds, strict=True),
    ]
    folded = fold_sound(text)
    exact = sum(1 << i for i, (token, _) in enumerate(tokens) if token in text)
    sound = sum(
        1 << i
        for i, (token, token_sound) in enumerate(tokens)
        if not exact >> i & 1 and sounds_like_at(text, folded, token, token_sound) >= 0
    )
    return exact, sound, sum(1 << i for i, char in enumerate(chars) if char in text)


@settings(max_examples=60)
@given(texts=TEXTS)
def test_quote_sentences_found_at_once_equal_looking_in_each(texts: list[str]) -> None:
    terms = QueryTerms(
        exact=("应急", "管里", "火灾"),
        sound=tuple(fold_sound(t) for t in ("应急", "管里", "火灾")),
        weights=(1.0, 1.0, 1.0),
    )
    expected = []
    for text in texts:
        folded = fold_sound(text)
        exact = sum(1 << i for i, token in enumerate(terms.exact) if token in text)
        sound = sum(
            1 << i
            for i, (token, token_sound) in enumerate(zip(terms.exact, terms.sound, strict=True))
            if not exact >> i & 1 and sounds_like_at(text, folded, token, token_sound) >= 0
        )
        expected.append((exact, sound))

    assert terms.found_each(texts) == expected


EVALUATION = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "questions.jsonl"


def test_aligning_only_candidates_that_can_still_place_keeps_the_best_turns_exact(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    aligned: list[int] = []
    align = _Evidence.passage_fuzz

    def counting(evidence: _Evidence, position: int) -> float:
        aligned.append(position)
        return align(evidence, position)

    monkeypatch.setattr(_Evidence, "passage_fuzz", counting)
    questions = [json.loads(line)["q"] for line in EVALUATION.read_text().splitlines()[:60]]
    candidates = aligned_by_rank = 0
    for question in questions:
        plan = plan_query(question, known_names=searcher.names, known_outlets=searcher.outlets)
        every = searcher.explain(plan)
        candidates += len(every)
        best: dict[tuple[int, int], float] = {}
        for _, interview, turn, features in every:
            key = (interview, turn)
            best[key] = max(best.get(key, -1.0), rank_score(features))
        expected = sorted(best.values(), reverse=True)[:3]
        aligned.clear()

        ranked = searcher.rank(plan, limit=3)
        aligned_by_rank += len(aligned)

        assert [r.strength for r in ranked] == pytest.approx(expected, abs=1e-9)
    assert aligned_by_rank < candidates
