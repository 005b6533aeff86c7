"""A turn answers what is asked when one of its paragraphs does, not only its best one."""

from __future__ import annotations

from knowledge.engine import KnowledgeBase

TRANSCRIPT = (
    "生态环境局长谈环保设施开放\n来源：鹭湾日报　2026年6月5日\n"
    "记者：环保设施向公众开放，市民怎么参加？\n"
    "周局长：今年我们推出了12家开放单位，都是环保部门管理的场所，包括污水处理厂和监测站。"
    "每月第二个周六为设施开放日，市民可以通过公众号预约，每场限约30人。\n"
    "我们希望大家在环保设施开放日走进来看一看，也欢迎大家来挑刺。"
    "去年共接待市民和学生4100多人次，很多孩子参观后回家主动做好垃圾分类。\n"
    "记者：空气质量怎么样？\n"
    "周局长：全市空气质量优良天数比例达到91.2%，细颗粒物年均浓度为28微克每立方米。\n"
)


async def test_a_date_in_another_paragraph_of_the_turn_answers_when_asked() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(TRANSCRIPT.encode(), "open_day.txt")
        answer = await kb.ask("环保设施开放日是哪天，能去参观吗")

    assert answer.answered
    assert answer.results[0].turn == 1
    assert "每月第二个周六" in answer.results[0].quote
