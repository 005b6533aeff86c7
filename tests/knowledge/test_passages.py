"""What a paragraph says about a question, as opposed to what it merely names."""

from __future__ import annotations

from knowledge.passages import blank_exceptions


def test_what_a_sentence_names_as_an_exception_is_blanked() -> None:
    text = "划入了原安监局除职业卫生监管职责以外的全部职责"

    assert blank_exceptions(text) == "划入了原安监局除" + " " * 8 + "以外的全部职责"


def test_blanking_keeps_every_offset() -> None:
    text = "除了个别山区之外 全部建成 除台风灾害外 其余正常"

    assert len(blank_exceptions(text)) == len(text)
    assert "个别山区" not in blank_exceptions(text)
    assert "台风灾害" not in blank_exceptions(text)


def test_verbs_ending_in_chu_are_not_exceptions() -> None:
    for text in (
        "消除安全隐患以外的风险",
        "排除故障之外还要记录",
        "拆除违章建筑外墙",
        "除夕外出巡查",
    ):
        assert blank_exceptions(text) == text


def test_an_exception_does_not_reach_past_a_clause() -> None:
    text = "除夕值班 全员在岗以外"

    assert blank_exceptions(text) == text
