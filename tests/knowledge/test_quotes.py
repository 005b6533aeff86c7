"""The quote is the one to three sentences that answer the question, sliced from the turn."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.quotes import select_quote

TERMS = ("森林火灾", "下降")
LONG_TURN = (
    "今年以来，我们把防灾减灾作为头等大事来抓，各项工作有序推进，成效逐步显现。\n"
    "全年森林火灾起数同比下降了百分之三十，受害面积也明显减少。\n"
    "下一步，我们将继续加强队伍建设，完善监测预警网络，提高应急处置能力。"
    "同时，2019年共发生森林火灾32起，比上年下降了12起。"
)
FIGURE = "同时，2019年共发生森林火灾32起，比上年下降了12起。"


def found(pieces: list[str]) -> list[tuple[int, int]]:
    """Bit i set when the sentence holds TERMS[i] (no sound matches in these tests)."""
    return [(sum(1 << i for i, term in enumerate(TERMS) if term in piece), 0) for piece in pieces]


def relevance(exact: int, sound: int) -> float:
    return bin(exact).count("1") / len(TERMS)


def quote(text: str, **options: object) -> str:
    start, end = select_quote(text, found, relevance, **options)  # type: ignore[arg-type]
    return text[start:end]


def test_a_short_turn_is_quoted_whole() -> None:
    assert quote("  森林火灾下降了。  ") == "森林火灾下降了。"


def test_the_sentence_holding_the_question_terms_is_quoted() -> None:
    assert quote(LONG_TURN) == "全年森林火灾起数同比下降了百分之三十，受害面积也明显减少。"


def test_a_number_question_prefers_the_sentence_with_the_figure() -> None:
    assert quote(LONG_TURN, wants_number=True) == FIGURE


def test_the_sentence_said_to_hold_the_answer_beats_one_that_merely_has_a_digit() -> None:
    def answers(pieces: list[str]) -> list[bool]:
        return ["百分之三十" in piece for piece in pieces]

    assert quote(LONG_TURN, wants_number=True, answers=answers).startswith("全年森林火灾")


def test_the_sentence_holding_the_answer_must_itself_match_the_question() -> None:
    # The first two sentences cover the question together, and the first holds a figure;
    # but the figure asked for stands beside 森林火灾 in the last one.
    turn = (
        "其中有2起发生在城郊结合部，已经全部扑灭，没有造成人员伤亡。"
        "总的来看，森林火灾总体下降，防控形势平稳，各地巡护力量明显加强。"
        "全年森林火灾32起，仍需保持警惕。"
        "下一步，我们将继续完善值守制度，加强队伍建设，提高处置能力。"
    )

    def answers(pieces: list[str]) -> list[bool]:
        return [any(figure in piece for figure in ("2起", "32起")) for piece in pieces]

    assert "32起" in quote(turn, wants_number=True, answers=answers)


def test_only_the_paragraphs_it_is_told_to_read_are_quoted() -> None:
    assert quote(LONG_TURN, within=(2,)).endswith(FIGURE)


@given(st.text(alphabet="森林火灾下降了。，！\n 今年", max_size=200), st.booleans())
def test_the_quote_is_always_a_non_empty_slice_of_the_turn(text: str, wants_number: bool) -> None:
    start, end = select_quote(text, found, relevance, wants_number=wants_number)

    assert 0 <= start <= end <= len(text)
    assert text[start:end].strip() == text[start:end]
    if text.strip():
        assert text[start:end]
