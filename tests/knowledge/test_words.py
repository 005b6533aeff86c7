"""The background dictionary cuts questions into words and weighs what each one says."""

from __future__ import annotations

from knowledge.query import query_terms
from knowledge.words import dictionary


def test_a_question_is_cut_into_dictionary_words() -> None:
    assert dictionary().segment("广东森林火灾数据") == ["广东", "森林", "火灾", "数据"]


def test_spaces_always_separate_words() -> None:
    assert dictionary().words("森林 火灾") == ["森林", "火灾"]


def test_an_unknown_character_is_a_word_of_its_own() -> None:
    assert dictionary().segment("\U000f0001火灾") == ["\U000f0001", "火灾"]


def test_a_number_is_one_word() -> None:
    assert dictionary().words("2019年1到5月火灾3.5") == [
        "2019",
        "年",
        "1",
        "到",
        "5",
        "月",
        "火灾",
        "3.5",
    ]


def test_a_latin_word_is_one_word_with_the_digits_it_carries() -> None:
    assert dictionary().words("ai热线和5g网络pm2.5和12345") == [
        "ai",
        "热线",
        "和",
        "5g",
        "网络",
        "pm2.5",
        "12345",
    ]


def test_a_number_weighs_by_its_digits_up_to_a_cap() -> None:
    background = dictionary()
    assert background.information("5") < background.information("时候")
    assert background.information("8623") > background.information("森林")
    assert background.information("2019") == background.information("123456789")


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
