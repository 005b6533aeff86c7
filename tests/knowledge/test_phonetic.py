"""Sound folding makes input-method typos (same syllable, wrong character) match."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.phonetic import fold_sound, pinyin_sounds, sounds_like_at

LONG = "应急管理厅整合了十一个部门的职责，形成统一指挥的格局。" * 4


def test_characters_with_the_same_syllable_fold_alike() -> None:
    assert fold_sound("应急管理厅") == fold_sound("应急管理听")


def test_characters_with_different_syllables_stay_apart() -> None:
    assert fold_sound("职责") != fold_sound("指挥")


@pytest.mark.parametrize("text", [LONG[:10], LONG], ids=["short", "long"])
def test_folding_keeps_length_and_leaves_non_chinese_alone(text: str) -> None:
    tail = " abc 2019 😀"
    folded = fold_sound(text + tail)

    assert len(folded) == len(text) + len(tail)
    assert folded.endswith(tail)


def test_long_texts_fold_the_same_way_as_short_ones() -> None:
    assert fold_sound(LONG) == "".join(fold_sound(char) for char in LONG)


def test_a_lone_surrogate_from_a_hostile_message_does_not_break_folding() -> None:
    text = LONG + "\ud800"

    assert fold_sound(text).endswith("\ud800")


@given(st.text(min_size=40, max_size=80))
def test_any_text_folds_to_the_same_length(text: str) -> None:
    assert len(fold_sound(text)) == len(text)


def like(text: str, word: str) -> int:
    return sounds_like_at(text, fold_sound(text), word, fold_sound(word))


def test_a_word_with_one_character_mistyped_is_found_where_it_sounds_alike() -> None:
    assert like("省应急管理厅成立", "理听") == 4


def test_a_word_with_every_character_different_is_not_a_typo() -> None:
    assert like("我们进一步构建非煤矿山", "减肥") == -1


def test_a_one_character_word_is_found_by_its_sound_alone() -> None:
    assert like("省应急管理厅", "听") == 5


def test_the_search_goes_on_past_an_occurrence_with_no_character_as_typed() -> None:
    assert like("构建非煤矿山，减费增效", "减肥") == 7


def test_a_word_of_toneless_pinyin_spells_the_sounds_of_its_characters() -> None:
    assert fold_sound("澄川") in pinyin_sounds("chengchuan")
    assert pinyin_sounds("xian") == [fold_sound("西安")]  # one syllable is no name


def test_english_that_splits_into_no_syllables_spells_nothing() -> None:
    assert pinyin_sounds("quasar") == []
    assert pinyin_sounds("hm") == []
    assert pinyin_sounds("5g") == []


def test_a_long_word_that_splits_many_ways_is_no_name_and_costs_nothing() -> None:
    assert pinyin_sounds("nanananananananananana") == []
    assert pinyin_sounds("na" * 150) == []
