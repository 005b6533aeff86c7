"""A host's opening reaction belongs to the answer it reacts to, not to the next question."""

from __future__ import annotations

from knowledge.engine import KnowledgeBase
from knowledge.host_turns import host_contexts, split_reaction


def test_an_opening_exclamation_is_split_from_the_question_that_follows() -> None:
    assert split_reaction("看来，超级厅确实名不虚传！整合的难度大不大？") == (
        "看来，超级厅确实名不虚传！",
        "整合的难度大不大？",
    )


def test_a_turn_that_asks_nothing_keeps_its_exclamations() -> None:
    assert split_reaction("谢谢大家，再见！") == ("", "谢谢大家，再见！")


def test_an_exclamation_inside_a_question_is_not_a_reaction() -> None:
    text = "请问今年汛期有什么安排？大家都很关心！"
    assert split_reaction(text) == ("", text)


def test_the_reaction_joins_the_previous_answers_context() -> None:
    contexts = host_contexts(
        [
            ("a", 2, 1, "今年有哪些新举措？"),
            ("a", 3, 1, "今年有哪些新举措？"),
            ("a", 5, 4, "科技含量确实很高！汛期准备得怎么样？"),
            ("b", 2, 1, "不错！下一步怎么做？"),
        ]
    )

    assert [c.text for c in contexts] == [
        "今年有哪些新举措？ 科技含量确实很高！",
        "今年有哪些新举措？ 科技含量确实很高！",
        "汛期准备得怎么样？",
        "下一步怎么做？",
    ]


FOREST = """主持人：今年全市森林防火工作有哪些新举措？
林峰：今年我们新建了瞭望塔12座，组建了无人机巡护分队，重点林区实现全天候监测，\
发现烟点后几分钟内就能定位报警。
主持人：森林防火的科技含量确实越来越高！汛期马上到了，防汛物资准备得怎么样？
林峰：我们已经储备编织袋20万条、冲锋舟40艘，并组织了三轮防汛演练，各区防汛队伍全部到位。
"""


async def test_a_question_worded_like_the_hosts_reaction_finds_the_answer_it_praised() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(FOREST.encode(), "forest.txt")
        answer = await kb.ask("森林防火的科技含量高在哪里", threshold=0)

    assert answer.results[0].turn == 1


def test_the_split_keeps_the_turns_own_text_and_line_breaks() -> None:
    reaction, rest = split_reaction("讲得真好！\n第一段没有标点\n第二段问题是什么？")

    assert (reaction, rest) == ("讲得真好！", "第一段没有标点\n第二段问题是什么？")
