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
        ("省里有几家单位接入了大数据平台", "number"),
        ("大数据平台建得怎么样", None),
        ("数字化转型进展如何", None),
        ("风险管理包括哪几项机制", None),
        ("地震预警多久能收到", "duration"),
        ("接警后几分钟能到现场", "duration"),
        ("How long does the warning take?", "duration"),
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


STEEL = (("钢铁", 6.0), ("企业", 2.0))
CHEMICALS = (("危险化学品", 7.0), ("企业", 2.0))
PLANTS = "全市120家危险化学品企业接入监测平台 某区率先把钢铁企业的数据上传到平台"


def test_a_number_question_needs_the_figure_beside_what_it_asks_about() -> None:
    assert answer_type_held("number", PLANTS, CHEMICALS) == 1.0
    assert answer_type_held("number", PLANTS, STEEL) == 0.0


def test_the_year_that_dates_a_clause_is_not_the_figure_asked_for() -> None:
    text = "2018年全面加强队伍培训 全年投入3亿元建设营房"

    assert answer_type_held("number", text, (("培训", 4.0),)) == 0.0
    assert answer_type_held("number", text, (("营房", 4.0),)) == 1.0


def test_a_figure_in_a_clause_almost_as_telling_as_the_best_one_counts() -> None:
    text = "发生火灾1万起 没有发生重大火灾和人员伤亡"

    assert answer_type_held("number", text, (("火灾", 5.6), ("人", 0.2))) == 1.0


ACCIDENTS = (("事故", 5.0),)
TWO_YEARS = "2018年 全市发生事故612起 2019年1 4月 全市发生事故150起"


def test_a_figure_counts_the_year_named_last_before_it() -> None:
    assert answer_type_held("number", TWO_YEARS, ACCIDENTS, years=("2018",)) == 1.0
    assert answer_type_held("number", TWO_YEARS, ACCIDENTS, years=("2017",)) == 0.0
    assert answer_type_held("number", "全市发生事故612起", ACCIDENTS, years=("2017",)) == 1.0


def test_a_whole_year_is_not_answered_by_part_of_one() -> None:
    part = "2019年上半年 全市发生事故150起"

    assert answer_type_held("number", TWO_YEARS, ACCIDENTS, whole_year=True) == 1.0
    assert answer_type_held("number", part, ACCIDENTS, whole_year=True) == 0.0
    assert answer_type_held("number", part, ACCIDENTS) == 1.0


def test_how_long_is_answered_by_a_span_of_time_beside_the_subject() -> None:
    text = "地震预警信息10秒左右送达手机 全市每年组织疏散演练"

    assert answer_type_held("duration", text, (("预警", 4.0),)) == 1.0
    assert answer_type_held("duration", text, (("演练", 4.0),)) == 0.0


def test_who_and_where_cannot_be_told_from_the_text() -> None:
    assert answer_type_held("person", "任何文字") == 0.5
    assert answer_type_held(None, "任何文字") == 1.0
