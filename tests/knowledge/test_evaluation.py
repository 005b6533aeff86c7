"""The evaluation set's figures may only go up: each floor is the measured value.

Raise a floor when matching improves; never lower one to make a change pass. The one
trade the floors allow is the threshold's: declines are held at the issue's target
(0.95 of out-of-scope questions) and the threshold set as low as that allows, so a
recalibration may answer many more questions at the cost of a few wrong answers. A change
that trades one floor down for others must say so, with the figures, in its commit.
"""

from __future__ import annotations

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
    assert report.r_at_1 >= 0.91


def test_right_answer_in_top_three_does_not_regress(report: Report) -> None:
    assert report.r_at_3 >= 0.937


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
    assert heldout.r_at_1 >= 0.73


def test_heldout_out_of_scope_questions_are_declined(heldout: Report) -> None:
    assert heldout.decline_rate >= 0.96


def test_heldout_wrong_quotes_stay_rare(heldout: Report) -> None:
    assert heldout.wrong_answers <= 2


def test_heldout_small_talk_is_recognised(heldout: Report) -> None:
    assert heldout.chitchat_rate >= 1.0


def test_heldout_number_questions_quote_the_figure(heldout: Report) -> None:
    assert heldout.quote_hits >= 24


# The blind set (benchmarks/eval/blind): transcripts and questions written without sight of
# the engine, in shapes the fixtures did not have. Its floors are the measured values too.
BLIND = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "blind"


def evaluate_folder(folder: Path) -> Report:
    """The figures of a blind set: its questions over its own transcripts."""
    import asyncio

    questions = load_questions(folder / "questions.jsonl")
    return asyncio.run(evaluate(questions, corpus=folder / "transcripts"))


@pytest.fixture(scope="module")
def blind() -> Report:
    return evaluate_folder(BLIND)


@pytest.mark.parametrize("blind_set", ["blind", "blind2", "blind3", "blind4"])
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


def test_blind_right_answer_first_does_not_regress(blind: Report) -> None:
    assert blind.r_at_1 >= 0.80


def test_blind_out_of_scope_questions_are_declined(blind: Report) -> None:
    assert blind.decline_rate >= 0.93


def test_blind_wrong_quotes_stay_rare(blind: Report) -> None:
    assert blind.wrong_answers <= 1


def test_blind_small_talk_is_recognised(blind: Report) -> None:
    assert blind.chitchat_rate >= 1.0


# The second blind set (benchmarks/eval/blind2), first run after its parsing fixes.
BLIND2 = BLIND.parent / "blind2"


@pytest.fixture(scope="module")
def blind2() -> Report:
    return evaluate_folder(BLIND2)


def test_blind2_right_answer_first_does_not_regress(blind2: Report) -> None:
    assert blind2.r_at_1 >= 0.64


def test_blind2_out_of_scope_questions_are_declined(blind2: Report) -> None:
    assert blind2.decline_rate >= 0.90


def test_blind2_wrong_quotes_stay_rare(blind2: Report) -> None:
    assert blind2.wrong_answers <= 1


def test_blind2_small_talk_is_recognised(blind2: Report) -> None:
    assert blind2.chitchat_rate >= 1.0


# The third blind set (benchmarks/eval/blind3), first run after its parsing fixes.
BLIND3 = BLIND.parent / "blind3"


@pytest.fixture(scope="module")
def blind3() -> Report:
    return evaluate_folder(BLIND3)


def test_blind3_right_answer_first_does_not_regress(blind3: Report) -> None:
    assert blind3.r_at_1 >= 0.70


def test_blind3_out_of_scope_questions_are_declined(blind3: Report) -> None:
    assert blind3.decline_rate >= 1.0


def test_blind3_wrong_quotes_stay_rare(blind3: Report) -> None:
    assert blind3.wrong_answers <= 1


def test_blind3_small_talk_is_recognised(blind3: Report) -> None:
    assert blind3.chitchat_rate >= 1.0


# The fourth blind set (benchmarks/eval/blind4), first run after its parsing fixes.
BLIND4 = BLIND.parent / "blind4"


@pytest.fixture(scope="module")
def blind4() -> Report:
    return evaluate_folder(BLIND4)


def test_blind4_right_answer_first_does_not_regress(blind4: Report) -> None:
    assert blind4.r_at_1 >= 0.66


def test_blind4_out_of_scope_questions_are_declined(blind4: Report) -> None:
    assert blind4.decline_rate >= 0.85


def test_blind4_wrong_quotes_stay_rare(blind4: Report) -> None:
    assert blind4.wrong_answers <= 1


def test_blind4_small_talk_is_recognised(blind4: Report) -> None:
    assert blind4.chitchat_rate >= 0.66
