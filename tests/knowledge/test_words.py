"""The background dictionary cuts questions into words and weighs what each one says."""

from __future__ import annotations

import pytest

from knowledge.query import plan_query, query_terms
from knowledge.ranking import answer_type_held
from knowledge.words import dictionary


def test_a_question_is_cut_into_dictionary_words() -> None:
    assert dictionary().segment("广东森林火灾数据") == ["广东", "森林", "火灾", "数据"]


def test_spaces_always_separate_words() -> None:
    assert dictionary().words("森林 火灾") == ["森林", "火灾"]


def test_an_unknown_character_is_a_word_of_its_own() -> None:
    assert dictionary().segment("\U000f0001火灾") == ["\U000f0001", "火灾"]


def test_telling_words_outweigh_everyday_ones() -> None:
    background = dictionary()
    assert background.information("火灾") > 3 * background.information("时候")
    assert background.information("的") < background.information("火灾") / 10


def test_the_dictionary_is_trimmed_to_stay_small() -> None:
    assert len(dictionary().surprisal) < 120_000


def test_asking_words_are_not_words_an_answer_must_hold() -> None:
    terms = query_terms("哪些 森林火灾", lambda tokens: [1.0] * len(tokens), 5.0)
    assert "哪些" not in terms.words
    assert {"森林", "火灾"} <= set(terms.words)


def test_a_bigram_across_two_words_weighs_less_than_one_inside_a_word() -> None:
    terms = query_terms("都说广东", lambda tokens: [1.0] * len(tokens), 5.0)
    weight = dict(zip(terms.exact, terms.weights, strict=True))
    assert weight["说广"] < weight["广东"]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("应急管理厅什么时候成立的", "time"),
        ("When was the department founded?", "time"),
        ("2018年火灾死了多少人", "number"),
        ("应急管理部部长是谁", "person"),
        ("高涌涛是哪里人", "place"),
        ("应急管理厅整合了哪些职责", None),
    ],
)
def test_the_kind_of_answer_a_question_wants_is_recognised(question: str, asks: str) -> None:
    assert plan_query(question).asks == asks


def test_a_time_question_needs_a_paragraph_with_a_date() -> None:
    assert answer_type_held("time", "2018年10月13日 省应急管理厅党组宣布成立") == 1.0
    assert answer_type_held("time", "加快推进实训基地建设项目") == 0.0


def test_a_number_question_needs_a_paragraph_with_a_number() -> None:
    assert answer_type_held("number", "发生火灾1 3万起 死亡77人") == 1.0
    assert answer_type_held("number", "加强应急救援队伍培训") == 0.0


def test_who_and_where_cannot_be_told_from_the_text() -> None:
    assert answer_type_held("person", "任何文字") == 0.5
    assert answer_type_held(None, "任何文字") == 1.0
