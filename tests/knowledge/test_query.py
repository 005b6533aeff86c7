"""What a question asks for: filters it names, and the terms an answer must hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.phonetic import fold_sound
from knowledge.query import plan_query, query_terms, weighted_share

NAMES = ("宋献中", "高润喜", "高涌涛")


def test_an_interviewees_name_becomes_a_filter_and_leaves_the_content() -> None:
    plan = plan_query("高润喜 矿山", known_names=NAMES)

    assert (plan.names, plan.content) == (("高润喜",), "矿山")


def test_a_name_typed_with_a_homophone_is_still_found() -> None:
    assert plan_query("高永涛谈森林火灾", known_names=NAMES).names == ("高涌涛",)


def test_several_names_come_back_in_the_known_order() -> None:
    plan = plan_query("高涌涛和宋献中讲座", known_names=NAMES)

    assert plan.names == ("宋献中", "高涌涛")


def test_a_question_without_a_known_name_has_no_name_filter() -> None:
    assert plan_query("森林火灾 数据", known_names=NAMES).names == ()


@given(
    st.lists(st.text("高润喜涌涛永宋献中", min_size=1, max_size=4), max_size=6),
    st.text("高润喜涌涛永宋献中矿山 ", max_size=12),
)
def test_names_found_are_those_whose_sound_the_question_holds(
    names: list[str], question: str
) -> None:
    known = tuple(sorted(set(names)))
    expected = tuple(n for n in known if fold_sound(n) in fold_sound(question))

    assert plan_query(question, known_names=known).names == (expected if question.strip() else ())


def test_english_words_the_glossary_cannot_read_are_kept_as_unread() -> None:
    plan = plan_query("forest fires and quasars")

    assert (plan.content, plan.unread) == ("森林火灾", ("quasar",))


def test_an_unread_word_is_a_telling_word_no_chinese_text_holds() -> None:
    terms = query_terms("森林火灾", lambda tokens: [1.0] * len(tokens), 5.0, unread=("quasar",))
    chinese = sum(1 << i for i, word in enumerate(terms.words) if word != "quasar")

    assert terms.words[-1] == "quasar"
    assert 0.0 < weighted_share(terms.word_weights, chinese, 0) < 1.0


def test_several_small_talk_phrases_in_one_message_are_small_talk() -> None:
    for text in (
        "你是谁？能干啥",
        "谢谢，辛苦了",
        "谢谢你，辛苦啦",
        "太感谢了，辛苦您了",
        "你好！你能做什么？",
        "在吗 你是机器人还是真人",
        "好的谢谢啦 辛苦了👍",
        "Hi there, who am I talking to?",
        "Hello there! Are you a bot?",
    ):
        assert plan_query(text).chitchat, text


def test_small_talk_followed_by_a_question_is_a_question() -> None:
    for text in (
        "你好，森林火灾数据",
        "谢谢 森林防火怎么做",
        "Hi there, forest fires in Guangdong?",
    ):
        assert not plan_query(text).chitchat, text


def test_a_name_an_english_question_spells_in_pinyin_is_read_as_that_name() -> None:
    places = {"chengchuan": "澄川"}
    plan = plan_query("Forest fires in Cheng Chuan and quasars", name_in_pinyin=places.get)

    assert (plan.content, plan.unread) == ("森林火灾 澄川", ("quasar",))


def test_the_chinese_in_a_mostly_english_question_is_kept() -> None:
    plan = plan_query("What did the Global Post ask in the 专访 about forest fires")

    assert "专访" in plan.content.split()
