"""Matching sees one form of the text: Simplified, folded, punctuation-free, synonyms folded."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import normalise as normalise_module
from knowledge.normalise import normalise, normalise_each, normalise_query, read_english

# Characters and words that exercise every step: Traditional forms, full-width letters,
# punctuation, decimal points, and variants from the synonym table.
PIECES = st.lists(
    st.sampled_from(
        [
            "應急",
            "辦理",
            "应急办理",
            "变革",
            "安监",
            "厅",
            "整合了",
            "職責",
            "，",
            "。",
            "！",
            " ",
            "Ａ",
            "b",
            "13",
            ".",
            "5",
            "%",
            "、",
            "\n",
            "zqxj",
            "ZQXJZQXJ",
            "森林火灾",
            "严重",
        ]
    ),
    max_size=12,
).map("".join)


def test_traditional_and_rewritten_wording_fold_to_the_common_form() -> None:
    assert normalise("應急辦理廳整合了職責。") == normalise("应急管理厅整合了职责")


def test_width_and_punctuation_fold_but_decimal_points_stay() -> None:
    assert normalise("ＡＢＣ１２３，下降13.5%") == "abc123 下降13.5"


def test_fillers_of_spoken_questions_leave_the_content_words() -> None:
    assert normalise_query("请问一下森林火灾的数据怎么样") == "森林火灾 数据"


def test_colloquial_question_words_are_fillers_too() -> None:
    assert normalise_query("消防车赶不过来咋办") == normalise_query("消防车赶不过来怎么办")
    assert normalise_query("安全生产月活动都有啥") == "安全生产月活动都"
    assert normalise_query("为啥叫超级厅") == "叫超级厅"


def test_words_asking_how_many_or_how_long_go_with_their_measure_word() -> None:
    assert normalise_query("乡镇应急管理站建了多少个") == "乡镇应急管理站建了"
    assert normalise_query("二号线一共设几座车站，有多长") == "二号线 设 车站 有"
    assert normalise_query("培训机构压减了百分之多少") == "培训机构压减了"
    assert normalise_query("几乎所有乡镇") == "几乎所有乡镇"


def test_the_words_asking_when_are_not_content() -> None:
    assert normalise_query("应急管理厅是什么时候成立的") == "应急管理厅 成立"
    assert normalise_query("矿山安全监管局哪一年挂牌") == "矿山安全监管局 挂牌"


def test_everyday_words_fold_to_the_word_officials_use() -> None:
    assert normalise("电瓶车着火") == normalise("电动自行车火灾")
    assert normalise("高楼失火") == normalise("高层建筑火灾")
    assert normalise("老百姓的误会") == normalise("群众的误解")
    assert normalise("老师课时补贴") == normalise("教师课时补助")
    assert normalise("老人看病") == normalise("老年人就医")
    assert normalise("共享单车和除颤仪") == normalise("共享自行车和除颤器")
    assert normalise("上坟放鞭炮") == normalise("祭扫放烟花爆竹")
    assert normalise("找工作的大学毕业生") == normalise("就业的高校毕业生")
    assert normalise("環保局查臭水溝") == normalise("生态环境局查黑臭水体")


def test_taiwans_network_and_wifi_meet_the_mainland_words() -> None:
    assert normalise("免費無線網路熱點") == normalise("免费WiFi热点") == "免费无线网络热点"
    assert normalise("管网路面") == "管网路面"


def test_an_old_agency_name_folds_to_the_fullest_current_one() -> None:
    assert normalise("工商局") == normalise("市场监督管理局") == normalise("市场监管局")


def test_a_count_of_fires_stays_a_count_of_fires() -> None:
    assert normalise("发生了3起火灾") == "发生了3起火灾"
    assert normalise("一起火灾") == "一起火灾"


def test_user_abbreviations_fold_to_the_full_name() -> None:
    assert normalise("安监局") == "安全生产监督管理局"


@given(st.lists(PIECES, max_size=8))
def test_normalising_pieces_together_equals_normalising_each(texts: list[str]) -> None:
    assert normalise_each(texts) == [normalise(text) for text in texts]


def test_english_terms_come_with_the_content_words_no_term_covers() -> None:
    assert read_english("What did officials say about forest fires and drones at stadiums?") == (
        ["森林火灾"],
        ["drone", "stadium"],
    )


def test_everyday_words_of_the_field_are_read_and_prepositions_ignored() -> None:
    assert read_english("How do I get out of a burning high-rise building during a fire?") == (
        ["逃生", "着火", "高层建筑", "火灾"],
        [],
    )


def test_english_of_other_public_services_is_read_too() -> None:
    assert read_english("Which hotline should residents call to complain about bus services?") == (
        ["热线", "居民", "拨打", "投诉", "客车", "服务"],
        [],
    )
    assert read_english("How many schools now run after-school services?") == (
        ["学校", "课后服务"],
        ["run"],
    )


def test_what_how_asks_about_is_an_asking_word_not_an_unread_topic() -> None:
    assert read_english("How long is the bay trail and how far is the station?") == (
        ["湾", "步道", "车站"],
        [],
    )
    assert read_english("a long trail") == (["步道"], ["long"])


def test_regular_english_verb_endings_are_folded_to_glossary_terms() -> None:
    assert read_english("departments merged") == (["部门", "整合"], [])


def test_only_what_passages_go_through_makes_stored_text_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = resources.files("knowledge").joinpath("data")
    for name in ("synonyms.tsv", "fillers.txt", "glossary_en.tsv"):
        (tmp_path / name).write_bytes(data.joinpath(name).read_bytes())
    monkeypatch.setattr(normalise_module, "_DATA", tmp_path)
    before = normalise_module._version()

    with (tmp_path / "fillers.txt").open("a", encoding="utf-8") as fillers:
        fillers.write("到底是\n")
    with (tmp_path / "glossary_en.tsv").open("a", encoding="utf-8") as glossary:
        glossary.write("# a reviewed comment\n")
    after_query_tables = normalise_module._version()
    with (tmp_path / "synonyms.tsv").open("a", encoding="utf-8") as synonyms:
        synonyms.write("消防救援站\t消防站\n")

    assert after_query_tables == before
    assert normalise_module._version() != before


def test_quotation_marks_inside_a_clause_do_not_split_it() -> None:
    assert normalise("推出了“一卡游望溪”年卡，售价128元") == "推出了一卡游望溪年卡 售价128元"
    assert normalise("獲評「示範小區」。學習《條例》") == "获评示范小区 学习条例"
