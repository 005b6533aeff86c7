"""Interviews whose questions are bare lines ending in a question mark, with no labels."""

from __future__ import annotations

import pytest

from knowledge.errors import NotAnInterview
from knowledge.parser import parse_text

LEAD = (
    "把小事当大事办\n"
    "——县人社局负责人谈今年就业工作\n"
    "来源：溪岭日报　　2025年4月8日\n"
    "　　就业是最大的民生。记者日前专访了溪岭县人社局局长贝晓岚。\n"
)
BODY = (
    "　　今年县里新增了多少就业岗位？\n"
    "　　一季度全县城镇新增就业1860人，完成全年任务的31%。\n"
    "　　返乡创业有什么扶持？\n"
    "　　返乡创业的可以申请最高30万元的担保贷款。\n"
    "　　我们还建了两个创业孵化基地。\n"
    "　　零工市场建起来了吗？\n"
    "　　建起来了，每天早上六点开门。\n"
    "（编辑：罗一帆）\n"
)


def test_each_question_line_is_a_turn_of_the_interviewer_and_the_lines_after_it_an_answer() -> None:
    interview = parse_text(LEAD + BODY)

    assert [t.role for t in interview.turns] == ["interviewer", "interviewee"] * 3
    assert interview.turns[0].text == "今年县里新增了多少就业岗位？"
    assert interview.turns[3].text.splitlines() == [
        "返乡创业的可以申请最高30万元的担保贷款。",
        "我们还建了两个创业孵化基地。",
    ]
    assert interview.turns[-1].text == "建起来了，每天早上六点开门。"


def test_the_answers_are_the_official_the_lead_names() -> None:
    interview = parse_text(LEAD + BODY)

    [official] = [s for s in interview.speakers if s.role == "interviewee"]
    assert (official.name, official.position) == ("贝晓岚", "溪岭县人社局局长")
    assert interview.title == "把小事当大事办——县人社局负责人谈今年就业工作"
    assert interview.date == "2025-04-08"


def test_a_headline_that_asks_is_not_the_first_question() -> None:
    interview = parse_text("就业岗位从哪里来？\n" + LEAD.split("\n", 1)[1] + BODY)

    assert interview.turns[0].text == "今年县里新增了多少就业岗位？"


def test_two_question_lines_in_a_row_are_one_question() -> None:
    body = BODY.replace("　　返乡创业有什么扶持？\n", "　　返乡创业的人多吗？\n　　有什么扶持？\n")
    interview = parse_text(LEAD + body)

    assert interview.turns[2].role == "interviewer"
    assert interview.turns[2].text == "返乡创业的人多吗？\n有什么扶持？"
    assert len(interview.turns) == 6


def test_an_answer_that_asks_itself_a_question_stays_one_answer() -> None:
    body = BODY.replace(
        "　　我们还建了两个创业孵化基地。\n",
        "　　那么钱从哪里来？\n　　县财政每年安排500万元。\n",
    )
    interview = parse_text(LEAD + body)

    assert interview.turns[3].text.splitlines()[1] == "那么钱从哪里来？"
    assert len(interview.turns) == 6


def test_an_article_that_asks_questions_but_names_no_interviewee_is_not_an_interview() -> None:
    article = (
        "春耕时节看田间\n来源：溪岭日报\n"
        "　　今年的种子够不够？\n　　种子公司说备货充足。\n"
        "　　化肥涨价了吗？\n　　农资店说价格平稳。\n"
        "　　农机忙得过来吗？\n　　合作社说机手都到位了。\n"
    )
    with pytest.raises(NotAnInterview):
        parse_text(article)


def test_a_list_of_questions_with_no_answers_between_is_not_an_interview() -> None:
    teaser = LEAD + "今年县里新增了多少就业岗位？\n返乡创业有什么扶持？\n零工市场建起来了吗？\n"
    with pytest.raises(NotAnInterview):
        parse_text(teaser)
