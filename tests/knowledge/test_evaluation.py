"""The evaluation set's figures may only go up: each floor is the measured value.

Raise a floor when matching improves; never lower one to make a change pass. The one
trade the floors allow is the threshold's: declines are held at the issue's target
(0.95 of out-of-scope questions) and the threshold set as low as that allows, so a
recalibration may answer many more questions at the cost of a few wrong answers. A change
that trades one floor down for others must say so, with the figures, in its commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from benchmarks.evaluate import Report, evaluate, load_questions


@pytest.fixture(scope="module")
def report() -> Report:
    import asyncio

    return asyncio.run(evaluate(load_questions()))


def test_the_evaluation_set_is_large_and_varied() -> None:
    questions = load_questions()
    categories = {str(q["category"]) for q in questions}
    assert len(questions) >= 120
    assert sum(q["expect"] == "decline" for q in questions) >= 25
    assert {"paraphrase", "keyword", "cross_script", "typo", "homophone", "english"} <= categories
    assert {"number", "filter", "greeting", "rewritten_vocab", "normal_vocab"} <= categories


def test_right_answer_first_does_not_regress(report: Report) -> None:
    assert report.r_at_1 >= 0.90


def test_right_answer_in_top_three_does_not_regress(report: Report) -> None:
    assert report.r_at_3 >= 0.93


def test_out_of_scope_questions_are_declined(report: Report) -> None:
    assert report.decline_rate >= 0.96


def test_wrong_quotes_stay_rare(report: Report) -> None:
    assert report.wrong_answers <= 7


def test_small_talk_is_recognised(report: Report) -> None:
    assert report.chitchat_rate >= 1.0


def test_number_questions_quote_the_sentence_with_the_number(report: Report) -> None:
    assert report.quote_hits >= 25


# The held-out set (benchmarks/eval/heldout.jsonl) over the fixture transcripts: written
# before the engine saw it. Its floors are the measured values too.
HELDOUT = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "heldout.jsonl"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"


@pytest.fixture(scope="module")
def heldout() -> Report:
    import asyncio

    return asyncio.run(evaluate(load_questions(HELDOUT), corpus=FIXTURES))


def test_heldout_right_answer_first_does_not_regress(heldout: Report) -> None:
    assert heldout.r_at_1 >= 0.75


def test_heldout_out_of_scope_questions_are_declined(heldout: Report) -> None:
    assert heldout.decline_rate >= 0.96


def test_heldout_wrong_quotes_stay_rare(heldout: Report) -> None:
    assert heldout.wrong_answers <= 2


def test_heldout_small_talk_is_recognised(heldout: Report) -> None:
    assert heldout.chitchat_rate >= 1.0


def test_heldout_number_questions_quote_the_figure(heldout: Report) -> None:
    assert heldout.quote_hits >= 24


# The blind sets (benchmarks/eval/blind, blind2 ...): transcripts and questions written
# without sight of the engine, in shapes the fixtures did not have. Each set's floors are
# its measured values, first taken after the parsing fixes its first run called for.
BLIND = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "blind"


@dataclass(frozen=True)
class Floors:
    r_at_1: float
    declined: float
    wrong_at_most: int
    small_talk: float


BLIND_FLOORS = {
    "blind": Floors(r_at_1=0.80, declined=1.0, wrong_at_most=1, small_talk=1.0),
    "blind2": Floors(r_at_1=0.81, declined=1.0, wrong_at_most=1, small_talk=1.0),
    "blind3": Floors(r_at_1=0.80, declined=1.0, wrong_at_most=1, small_talk=1.0),
    "blind4": Floors(r_at_1=0.76, declined=1.0, wrong_at_most=1, small_talk=1.0),
}


@cache
def blind_report(blind_set: str) -> Report:
    """The figures of a blind set: its questions over its own transcripts."""
    import asyncio

    folder = BLIND.parent / blind_set
    questions = load_questions(folder / "questions.jsonl")
    return asyncio.run(evaluate(questions, corpus=folder / "transcripts"))


@pytest.mark.parametrize("blind_set", BLIND_FLOORS)
def test_blind_answer_turns_are_the_turns_holding_the_chosen_text(blind_set: str) -> None:
    from knowledge.parser import parse_file

    folder = BLIND.parent / blind_set
    for question in load_questions(folder / "questions.jsonl"):
        if question["expect"] != "answer":
            continue
        [path] = (folder / "transcripts").glob(f"{question['interview']}.*")
        interview = parse_file(path)
        turn = interview.turns[int(str(question["turn"]))]
        assert str(question["answer_contains"]) in turn.text
        assert turn.role == "interviewee"


@pytest.mark.parametrize("blind_set", BLIND_FLOORS)
def test_blind_right_answer_first_does_not_regress(blind_set: str) -> None:
    assert blind_report(blind_set).r_at_1 >= BLIND_FLOORS[blind_set].r_at_1


@pytest.mark.parametrize("blind_set", BLIND_FLOORS)
def test_blind_out_of_scope_questions_are_declined(blind_set: str) -> None:
    assert blind_report(blind_set).decline_rate >= BLIND_FLOORS[blind_set].declined


@pytest.mark.parametrize("blind_set", BLIND_FLOORS)
def test_blind_wrong_quotes_stay_rare(blind_set: str) -> None:
    assert blind_report(blind_set).wrong_answers <= BLIND_FLOORS[blind_set].wrong_at_most


@pytest.mark.parametrize("blind_set", BLIND_FLOORS)
def test_blind_small_talk_is_recognised(blind_set: str) -> None:
    assert blind_report(blind_set).chitchat_rate >= BLIND_FLOORS[blind_set].small_talk
