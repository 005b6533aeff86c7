"""A number the question names picks its subject: 3号线 does not answer 4号线."""

from __future__ import annotations

from knowledge.answer_types import named_numbers, names_the_numbers
from knowledge.engine import KnowledgeBase

TRANSCRIPT = (
    "地铁建设访谈\n来源：临江日报　2026年2月26日\n"
    "记者：地铁3号线什么时候开通的？\n"
    "李明：地铁3号线一期于去年12月28日开通运营，全市轨道交通运营里程达到118公里。\n"
    "记者：公交方面有什么新变化？\n"
    "李明：今年新开通通学公交线路22条，票价每人次1元。\n"
)


def test_the_numbers_a_question_names_are_read_without_its_dates() -> None:
    assert named_numbers("临江地铁4号线什么时候开工") == (("4", "号"),)
    assert named_numbers("2022年9月20日直播 罗主任说灵活就业缓缴到什么时候") == ()
    assert named_numbers("3月2号局长去东滨视察") == ()


def test_a_number_is_named_in_digits_or_up_to_ten_in_chinese_before_the_same_word() -> None:
    assert names_the_numbers((("4", "号"),), "地铁四号线明年开工")
    assert names_the_numbers((("4", "号"),), "地铁4号线明年开工")
    assert not names_the_numbers((("4", "号"),), "地铁3号线 14号站")


async def test_an_answer_about_another_numbered_line_is_declined() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(TRANSCRIPT.encode(), "metro.txt")
        asked_about_three = await kb.ask("临江地铁3号线是什么时候开通的")
        asked_about_four = await kb.ask("临江地铁4号线是什么时候开通的")

    assert asked_about_three.answered
    assert asked_about_three.results[0].turn == 1
    assert not asked_about_four.answered
