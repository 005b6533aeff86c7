"""The search contract: verbatim quotes from interviewee turns, honest declines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.engine import KnowledgeBase
from knowledge.models import Answer

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
GD = "000_b101c70aef683fe2"
NM = "003_f32f62a95f6e8baa"


@pytest.fixture
async def kb(seeded_db: Path) -> AsyncIterator[KnowledgeBase]:
    async with await KnowledgeBase.open(seeded_db) as base:
        yield base


async def assert_results_are_honest(kb: KnowledgeBase, answer: Answer) -> None:
    for match in answer.results:
        interview = await kb.interview(match.interview_id)
        assert interview is not None
        turn = interview.turns[match.turn]
        assert match.answer_text == turn.text
        assert turn.role == "interviewee"
        assert match.quote == turn.text[match.quote_start : match.quote_start + len(match.quote)]
        assert match.quote.strip()
        if match.question_turn is not None:
            assert interview.turns[match.question_turn].role == "interviewer"
            assert match.question == interview.turns[match.question_turn].text


async def test_a_plain_question_finds_the_officials_answer(kb: KnowledgeBase) -> None:
    answer = await kb.ask("化学融合 物理相加")
    assert answer.answered
    top = answer.results[0]
    assert (top.interview_id, top.turn, top.question_turn) == (GD, 8, 7)
    assert (top.speaker, top.position) == ("高涌濤", "省應急管理廳副廳長")
    assert top.date == "2019-05-11"
    assert top.time is not None and top.time.startswith("2019-05-11T")
    assert "化學融合" in top.quote


async def test_rewritten_vocabulary_is_found_with_normal_words(kb: KnowledgeBase) -> None:
    answer = await kb.ask("内蒙古应急管理厅 矿山安全监管")
    assert answer.answered
    assert answer.results[0].interview_id == NM
    assert answer.results[0].spun


async def test_traditional_question_finds_simplified_text(kb: KnowledgeBase) -> None:
    answer = await kb.ask("智能化煤礦有多少處")
    assert answer.answered
    assert answer.results[0].interview_id == NM


async def test_a_number_question_quotes_the_sentence_with_the_number(kb: KnowledgeBase) -> None:
    answer = await kb.ask("森林火灾 数据")
    assert answer.answered
    assert "266" in answer.results[0].quote


async def test_greetings_are_small_talk_not_searches(kb: KnowledgeBase) -> None:
    for text in ("你好", "您好，请问有人吗", "你是谁", "谢谢"):
        answer = await kb.ask(text)
        assert (answer.kind, answer.answered, answer.results) == ("chitchat", False, [])


async def test_greetings_ending_in_a_particle_are_small_talk(kb: KnowledgeBase) -> None:
    for text in ("早上好呀", "谢谢啦！", "大家好"):
        assert (await kb.ask(text)).kind == "chitchat"


async def test_an_unrelated_question_is_declined_with_topics(kb: KnowledgeBase) -> None:
    answer = await kb.ask("明天股票会涨吗")
    assert not answer.answered
    assert answer.kind == "declined"
    assert answer.topics


async def test_english_without_known_terms_gets_help(kb: KnowledgeBase) -> None:
    answer = await kb.ask("how to cook rice")
    assert (answer.answered, answer.kind) == (False, "help")


async def test_english_with_field_terms_is_matched(kb: KnowledgeBase) -> None:
    answer = await kb.ask("forest fire Guangdong 2018")
    assert answer.results
    assert answer.results[0].interview_id == GD


async def test_an_english_question_may_name_a_place_of_the_interviews_in_pinyin(
    kb: KnowledgeBase,
) -> None:
    searcher = kb._searcher

    assert searcher.name_in_pinyin("baotou") == "包头"  # 包头市 in the text
    assert searcher.name_in_pinyin("gaoyongtao") == "高涌涛"  # the interviewee
    assert searcher.name_in_pinyin("china") is None  # no place sounds like it


async def test_english_the_glossary_cannot_read_lowers_the_confidence(kb: KnowledgeBase) -> None:
    plain = await kb.ask("forest fires in Guangdong")
    with_unread = await kb.ask("forest fires in Guangdong during the xylophone festival")

    assert with_unread.results[0].score < plain.results[0].score


async def test_a_year_the_answer_never_names_is_not_answered_with_another_years_figures(
    kb: KnowledgeBase,
) -> None:
    covered = await kb.ask("2018年广东安全生产事故死了多少人")
    uncovered = await kb.ask("2020年广东安全生产事故死了多少人")

    assert not uncovered.answered
    assert uncovered.results[0].score < covered.results[0].score / 2


async def test_a_reply_to_the_hosts_request_to_say_hello_is_never_an_answer(
    kb: KnowledgeBase,
) -> None:
    answer = await kb.ask("通过省政府门户网站分享机构改革的相关情况")

    assert (GD, 2) not in {(match.interview_id, match.turn) for match in answer.results}


GREETING_WITH_FACTS = """主持人：李局长您好，请您先跟网友们打个招呼。
李明：网友们好！借这个机会先说一组数字：今年全市新建了三十个森林消防站，配齐了两千名专职扑火队员，\
森林火灾起数比去年下降了四成，没有发生人员伤亡。这些成绩离不开每一位护林员的坚守，\
也离不开广大网友的支持和监督，在此一并表示感谢。
主持人：明年还有哪些打算？
李明：明年我们将继续推进防火道路建设，完善监测预警网络。
"""


async def test_a_long_reply_to_a_greeting_request_is_still_searched() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(GREETING_WITH_FACTS.encode(), "greeting.txt")
        answer = await kb.ask("新建了多少个森林消防站")

    assert answer.results[0].turn == 1


async def test_a_replaced_interview_is_quoted_with_its_new_title() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        for title in ("专访市应急管理局局长李明", "对话市应急管理局局长李明"):
            await kb.ingest_document(f"{title}\n\n{GREETING_WITH_FACTS}".encode(), "li.txt")
            answer = await kb.ask("明年推进防火道路建设", threshold=0)

            assert answer.results[0].title == title


async def test_a_name_filter_keeps_results_to_that_interviewee(kb: KnowledgeBase) -> None:
    answer = await kb.ask("高润喜 安全生产", top_k=5)
    assert answer.results
    assert {m.interview_id for m in answer.results} == {NM}


@pytest.mark.parametrize("text", ["", " ", "？？？", "<script>alert(1)</script>", "a" * 10_000])
async def test_hostile_or_empty_input_never_raises(kb: KnowledgeBase, text: str) -> None:
    answer = await kb.ask(text)
    await assert_results_are_honest(kb, answer)


QUESTIONISH = st.text(
    alphabet=st.sampled_from(
        list("应急管理厅森林火灾广东内蒙古矿山安全生产救援队伍年的了吗？ 2019高涌涛")
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(QUESTIONISH)
async def test_every_result_is_a_verbatim_slice_of_an_interviewee_turn(
    kb: KnowledgeBase, text: str
) -> None:
    answer = await kb.ask(text, top_k=5)
    await assert_results_are_honest(kb, answer)


EXCEPTIONS = """主持人：新组建的市应急管理局接手了哪些职责？
王强：我们接手了原安监局除职业卫生监管职责以外的全部职责，还有民政局的救灾职责。
主持人：明年有什么打算？
王强：明年重点建设应急指挥平台，完善值班值守制度。
"""


async def test_a_question_is_not_answered_by_a_sentence_that_excepts_its_subject() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(EXCEPTIONS.encode(), "exceptions.txt")
        excepted = await kb.ask("谁接手了职业卫生监管职责")
        taken_over = await kb.ask("谁接手了民政局的救灾职责")

    assert not excepted.answered
    assert taken_over.answered


async def test_a_number_question_about_something_never_counted_is_declined(
    kb: KnowledgeBase,
) -> None:
    counted = await kb.ask("内蒙古有多少处智能化煤矿")
    never_counted = await kb.ask("包头市有多少家钢铁企业")

    assert counted.answered
    assert not never_counted.answered


SHELTERS = """主持人：应急避难场所建设进展如何？
王强：全市百分之八十六学校已经建成应急避难场所，剩下的明年全部完成。
"""


async def test_a_question_found_only_by_sound_is_not_answered() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(SHELTERS.encode(), "shelters.txt")
        homophone_only = await kb.ask("留学")  # 六学 in 八十六学校 sounds alike
        typed = await kb.ask("学校避难场所")

    assert not homophone_only.answered
    assert typed.answered


@pytest.mark.parametrize("question", ["我们", "高涌涛的人", "高涌涛 工作"])
async def test_a_question_of_everyday_words_only_names_nothing_to_look_for(
    kb: KnowledgeBase, question: str
) -> None:
    answer = await kb.ask(question)

    assert not answer.answered
    assert answer.reason == "the question names nothing specific to look for"


async def test_a_single_telling_character_is_still_a_topic(kb: KnowledgeBase) -> None:
    assert (await kb.ask("火")).answered


async def test_a_question_about_a_whole_year_is_not_answered_with_four_months(
    kb: KnowledgeBase,
) -> None:
    four_months = await kb.ask("2019年1到4月广东出了多少起生产安全事故")
    whole_year = await kb.ask("2019年全年广东生产安全事故死亡人数")

    assert four_months.answered
    assert not whole_year.answered


PRESS_CONFERENCE = """主持人：今天我们请到市应急管理局局长赵刚、\
市消防救援支队支队长钱峰介绍冬季安全工作。
记者：今年冬季燃气安全和火灾防范有哪些重点？
赵刚：燃气安全方面，我们对全市餐饮场所的燃气管道开展了全面排查，发现隐患一千二百处，已经整改完毕。火灾防范方面，请钱峰支队长介绍。
钱峰：冬季火灾防范，我们重点抓住电动自行车和老旧小区，组织消防员逐栋上门检查，清理楼道堆放杂物三千多处。
"""


async def test_a_named_official_is_quoted_before_the_others_at_a_press_conference() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(PRESS_CONFERENCE.encode(), "press.txt")
        answer = await kb.ask("钱峰 燃气 火灾", threshold=0)

    assert answer.results[0].speaker == "钱峰"


HIGH_RISES = """主持人：全市现在有多少高层建筑？火灾情况怎么样？
沈冰：截至今年九月，全市共有高层建筑8623幢，比前年多了一千幢左右。\
去年全市高层建筑共发生火灾213起，多数由电动自行车入户充电引起。\
我们正在逐栋开展消防设施检测，发现问题立即督促整改。
"""


async def test_a_question_about_now_quotes_this_years_count_not_last_years() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(HIGH_RISES.encode(), "high_rises.txt")
        answer = await kb.ask("全市高层建筑现在有多少栋")

    assert "8623幢" in answer.results[0].quote


WASTE_SORTING = """访谈：街道办主任李明
2021-03-09
主持人：小区垃圾分类现在推进得怎么样？
李明：全街道42个小区已经全部设置了分类投放点，厨余垃圾每天清运两次。
主持人：今年还有哪些打算？
李明：2021年我们将新建三座再生资源回收站，年底前完成十个老旧小区的改造。
"""


async def test_the_interviews_date_in_a_question_favours_no_turn_that_names_its_year() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(WASTE_SORTING.encode(), "waste_sorting.txt")
        answer = await kb.ask("2021年3月 垃圾分类")

    assert answer.answered
    assert answer.results[0].turn == 1


async def test_a_clear_answer_offers_no_weak_runner_up_as_an_alternative(
    kb: KnowledgeBase,
) -> None:
    answer = await kb.ask("森林火灾 数据")

    assert answer.answered and not answer.ambiguous
    assert [match.turn for match in answer.results] == [4]


async def test_a_close_call_says_so_and_offers_the_confident_alternatives(
    kb: KnowledgeBase,
) -> None:
    answer = await kb.ask("应急管理听整合了哪些部门")

    assert answer.ambiguous
    assert len(answer.results) > 1
    assert all(match.score >= kb.threshold for match in answer.results)


async def test_a_question_naming_only_an_official_suggests_what_they_were_asked(
    kb: KnowledgeBase,
) -> None:
    answer = await kb.ask("高润喜说了什么")
    interview = await kb.interview(NM)
    assert interview is not None
    asked = [turn.text for turn in interview.turns if turn.role == "interviewer"]

    assert not answer.answered
    assert len(answer.topics) >= 3
    assert all(any(topic.rstrip("…") in text for text in asked) for topic in answer.topics)


async def test_a_suggested_topic_is_the_hosts_sentence_that_says_most(
    kb: KnowledgeBase,
) -> None:
    answer = await kb.ask("高涌涛谈了哪些话题")

    assert not answer.answered
    assert not any(topic.startswith("能不能舉例") for topic in answer.topics)
    assert any("整合" in topic for topic in answer.topics)


TRANSFERS = """主持人：消防管理职责现在由哪个部门负责？
郑岚：机构改革以后，除消防管理职责以外，原安全生产监督管理局的其他职责都划入了市应急管理局，\
这部分工作我们已经全部接手。消防管理职责由市消防救援支队承担，支队同样归应急管理系统领导。\
两支队伍每周会商一次，遇到火情统一调度，群众报警照样拨打119就可以了。
"""


async def test_the_quote_is_not_only_the_sentence_that_excepts_the_subject() -> None:
    async with await KnowledgeBase.open(":memory:") as kb:
        await kb.ingest_document(TRANSFERS.encode(), "transfers.txt")
        answer = await kb.ask("消防管理职责归哪个部门", threshold=0)

    assert "消防管理职责由市消防救援支队承担" in answer.results[0].quote
