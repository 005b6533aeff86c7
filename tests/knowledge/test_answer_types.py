"""What a question asks for, and whether a paragraph can hold it."""

from __future__ import annotations

import pytest

from knowledge.answer_types import FigureAsked, answer_type_held, held_in_each
from knowledge.query import plan_query

WHOLE_YEAR = FigureAsked(whole_year=True)


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
        ("森林火灾 数据", "number"),
        ("钢铁企业监测数据上传", None),
        ("数字化转型进展如何", None),
        ("风险管理包括哪几项机制", None),
        ("地震预警多久能收到", "duration"),
        ("接警后几分钟能到现场", "duration"),
        ("How long does the warning take?", "duration"),
        ("How long is the waterfront trail?", None),
        ("應急管理廳什麼時候成立的", "time"),
        ("滯洪池 完工 幾座", "number"),
        ("免费热点有几处", "number"),
        ("預警多長時間能收到", "duration"),
    ],
)
def test_the_kind_of_answer_a_question_wants_is_recognised(question: str, asks: str) -> None:
    assert plan_query(question).asks == asks


def test_a_time_question_needs_a_paragraph_with_a_date() -> None:
    assert answer_type_held("time", "2018年10月13日 省应急管理厅党组宣布成立") == 1.0
    assert answer_type_held("time", "加快推进实训基地建设项目") == 0.0


def test_a_time_question_needs_the_date_at_what_it_asks_about() -> None:
    text = "2023年 全市完成交通投资146 8亿元 地铁1号线日均客运量18 6万人次 比开通第一年增长了37"
    founded = "2018年10月13日 省应急管理厅党组宣布成立"
    metro = (("地铁", 6.0), ("开通", 4.0))

    assert answer_type_held("time", text, metro) == 0.0
    assert answer_type_held("time", founded, (("应急管理厅", 8.0), ("成立", 3.0))) == 1.0


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
    assert answer_type_held("number", TWO_YEARS, ACCIDENTS, FigureAsked(years=("2018",))) == 1.0
    assert answer_type_held("number", TWO_YEARS, ACCIDENTS, FigureAsked(years=("2017",))) == 0.0
    assert (
        answer_type_held("number", "全市发生事故612起", ACCIDENTS, FigureAsked(years=("2017",)))
        == 1.0
    )


def test_a_whole_year_is_not_answered_by_part_of_one() -> None:
    part = "2019年上半年 全市发生事故150起"

    assert answer_type_held("number", TWO_YEARS, ACCIDENTS, WHOLE_YEAR) == 1.0
    assert answer_type_held("number", part, ACCIDENTS, WHOLE_YEAR) == 0.0
    assert answer_type_held("number", part, ACCIDENTS) == 1.0


def test_a_question_about_people_wants_a_figure_that_counts_people() -> None:
    mines = "全省共有煤矿118处 今年煤矿事故死亡9人"
    people = FigureAsked(people=True)

    assert answer_type_held("number", mines, (("煤矿", 5.0), ("死亡", 3.0)), people) == 1.0
    assert answer_type_held("number", "全省共有煤矿118处", (("煤矿", 5.0),), people) == 0.0


def test_a_question_about_money_wants_a_sum_of_money() -> None:
    rent = "保障性租赁住房的租金不高于市场租金的90 年租金涨幅不超过5"
    rent_asked = FigureAsked.of(plan_query("公租房租金每平方米多少钱"))
    water = "今年我们还投入财政资金1 2亿元 为327个老旧小区改造了消防供水设施"
    water_asked = FigureAsked.of(plan_query("老旧小区消防供水改造花了多少钱"))

    assert answer_type_held("number", rent, (("租金", 4.0),), rent_asked) == 0.0
    assert answer_type_held("number", water, (("供水", 6.0), ("小区", 3.0)), water_asked) == 1.0


def test_a_question_about_a_length_wants_a_length() -> None:
    line = "地铁2号线一期工程全长24 7公里 设车站19座"
    asked = FigureAsked.of(plan_query("二号线有多长"))

    assert answer_type_held("number", line, (("车站", 4.0),), asked) == 1.0
    assert answer_type_held("number", "设车站19座", (("车站", 4.0),), asked) == 0.0


def test_a_count_in_ge_may_be_answered_in_another_measure_word_but_not_in_a_length() -> None:
    asked = FigureAsked.of(plan_query("今年计划开工几个小区"))
    plants = FigureAsked.of(plan_query("有多少个危化品企业"))

    assert answer_type_held("number", "危化品企业1873家", (("危化品", 5.0),), plants) == 1.0
    assert answer_type_held("number", "开工改造老旧小区1480个", (("小区", 5.0),), asked) == 1.0
    assert answer_type_held("number", "小区改造燃气管道1100公里", (("小区", 5.0),), asked) == 0.0


def test_a_count_of_schools_wants_a_figure_counted_in_schools() -> None:
    asked = FigureAsked.of(plan_query("全省一共有多少所中职学校"))
    enrolment = "今年全省中职学校招生14 2万人 高职院校招生17 6万人"
    schools = "全省现有中职学校126所 其中国家级示范校18所"

    assert answer_type_held("number", enrolment, (("中职", 5.0),), asked) == 0.0
    assert answer_type_held("number", schools, (("中职", 5.0),), asked) == 1.0
    assert answer_type_held("number", "全省中职学校126个", (("中职", 5.0),), asked) == 1.0


def test_this_years_question_is_not_answered_by_last_years_figure() -> None:
    text = "截至今年9月 全市共有高层建筑8623幢 去年全市高层建筑共发生火灾213起"
    fires = (("火灾", 5.0),)

    assert answer_type_held("number", text, fires, FigureAsked(relative_year="去年")) == 1.0
    assert answer_type_held("number", text, fires, FigureAsked(relative_year="今年")) == 0.0


def test_now_means_this_year() -> None:
    assert FigureAsked.of(plan_query("全市高层建筑现在有多少栋")).relative_year == "今年"


def test_what_a_number_question_asks_of_its_figure_is_read_from_the_question() -> None:
    asked = FigureAsked.of(plan_query("今年全年全省煤矿死了多少人"))

    assert asked == FigureAsked(
        relative_year="今年", whole_year=True, people=True, focus="煤矿死了"
    )


def test_how_long_is_answered_by_a_span_of_time_beside_the_subject() -> None:
    text = "地震预警信息10秒左右送达手机 全市每年组织疏散演练"

    assert answer_type_held("duration", text, (("预警", 4.0),)) == 1.0
    assert answer_type_held("duration", text, (("演练", 4.0),)) == 0.0


def test_working_days_are_a_span_of_time() -> None:
    text = "审批时限由原来的30个工作日压缩到15个工作日"

    assert answer_type_held("duration", text, (("审批", 4.0),)) == 1.0


def test_who_and_where_cannot_be_told_from_the_text() -> None:
    assert answer_type_held("person", "任何文字") == 0.5
    assert answer_type_held(None, "任何文字") == 1.0


FIRES = (("森林", 3.4), ("火灾", 4.0))


def test_the_sentences_of_a_turn_are_read_together_for_the_figure_asked_for() -> None:
    sentences = ["2018年 全省共发生生产安全事故6153起", "发生森林火灾266宗 受害面积386公顷"]

    assert held_in_each("number", sentences, FIRES) == [False, True]
    assert [answer_type_held("number", s, FIRES) for s in sentences] == [1.0, 1.0]


def test_a_year_named_one_sentence_earlier_dates_the_figure() -> None:
    sentences = ["2017年 发生森林火灾301宗", "2018年 全省安全形势平稳", "发生森林火灾266宗"]
    asked = FigureAsked(years=("2018",))

    assert held_in_each("number", sentences, FIRES, asked) == [False, False, True]


def test_a_total_asked_for_is_the_figure_said_to_be_a_total() -> None:
    sentences = ["全县共有水库54座 其中中型水库3座", "9座水库中已有7座完成主体工程"]
    asked = FigureAsked.of(plan_query("槐川县一共多少座水库"))

    assert asked.total
    assert held_in_each("number", sentences, (("水库", 5.0),), asked) == [True, False]
    assert held_in_each("number", sentences, (("水库", 5.0),)) == [True, True]


def test_a_date_may_trail_what_it_dates() -> None:
    text = "新修订的 安全生产条例 将于2023年9月1日起施行"

    assert answer_type_held("time", text, (("条例", 5.0), ("安全", 2.8))) == 1.0


def test_a_figure_may_trail_its_subject_by_a_clause() -> None:
    text = "选择居家护理的 每月最高支付1500元"

    assert answer_type_held("number", text, (("居家", 7.4), ("护理", 5.8))) == 1.0


def test_a_telephone_number_is_asked_for_in_digits_a_phone_has() -> None:
    asked = FigureAsked.of(plan_query("应急管理厅的值班电话是多少"))
    duty = (("值班", 5.8), ("电话", 2.9))

    assert answer_type_held("number", "值班电话0471 6945110 全天有人接听", duty, asked) == 1.0
    assert answer_type_held("number", "值班电话12345 全天有人接听", duty, asked) == 1.0
    assert answer_type_held("number", "值班人员举办了3期培训班", duty, asked) == 0.0


def test_a_day_asked_for_is_a_day_not_a_year() -> None:
    asked = FigureAsked.of(plan_query("环保设施开放日是哪天"))
    open_day = (("开放日", 7.8),)

    assert answer_type_held("time", "每月第二个周六为固定开放日", open_day, asked) == 1.0
    assert answer_type_held("time", "去年开放日共接待市民4100多人次", open_day, asked) == 0.0


def test_an_amount_each_is_the_figure_said_per_person() -> None:
    sentences = ["每招用1人补助1500元", "已向1126家企业发放扩岗补助2385万元"]
    asked = FigureAsked.of(plan_query("扩岗补助 高校毕业生 每人多少"))

    assert held_in_each("number", sentences, (("补助", 6.0),), asked) == [True, False]


def test_wells_are_counted_in_their_own_measure_word() -> None:
    asked = FigureAsked.of(plan_query("今年新打了多少眼机井"))
    wells = (("机井", 6.0),)

    assert answer_type_held("number", "新打机井320眼", wells, asked) == 1.0
    assert answer_type_held("number", "机井灌溉面积12万亩", wells, asked) == 0.0


def test_the_unit_a_price_is_asked_in_places_its_figure() -> None:
    asked = FigureAsked.of(plan_query("今年居民供暖费每平方米收多少钱"))
    text = "今年居民供暖价格不调整 仍然执行每平方米每个采暖期25 8元的标准 继续减免低保家庭供暖费"
    words = (("今年", 2.8), ("居民", 3.1), ("供暖", 8.4), ("平方米", 4.4))

    assert asked.per_unit == "每平方米"
    assert answer_type_held("number", text, words, asked) == 1.0


def test_a_traditional_question_about_people_wants_people_counted() -> None:
    assert FigureAsked.of(plan_query("去年煤礦事故死了幾個人")).people


def test_a_share_written_in_chinese_numerals_is_a_figure() -> None:
    crossing = (("绿灯", 7.8), ("延长", 4.8))

    assert answer_type_held("number", "并把绿灯时间延长百分之二十", crossing) == 1.0


def test_how_often_is_answered_by_a_frequency() -> None:
    how_often = FigureAsked.of(plan_query("县级河长多久巡河一次"))
    patrols = (("县级", 3.8), ("河长", 3.0), ("巡河", 4.0))

    assert how_often.how_often
    assert answer_type_held("duration", "县级河长每月至少巡河一次", patrols, how_often) == 1.0
    assert answer_type_held("duration", "县级河长累计巡河一千余次", patrols, how_often) == 0.0
    assert answer_type_held("duration", "县级河长每月至少巡河一次", patrols) == 0.0


def test_dead_end_roads_are_not_people() -> None:
    asked = FigureAsked.of(plan_query("How many dead-end roads does the city open this year?"))

    assert not asked.people
    assert FigureAsked.of(plan_query("How many people died in the fire?")).people


def test_a_figure_in_working_days_continues_the_clause_before() -> None:
    text = "过去办理公积金贷款 从受理到放款平均需要12个工作日"

    assert answer_type_held("duration", text, (("公积金", 5.6), ("贷款", 3.6))) == 1.0


def test_an_english_gloss_does_not_stand_between_a_subject_and_its_figure() -> None:
    text = "合作推出数码共融计划 digital inclusion programme 今年拨款1.5亿元"
    asked = FigureAsked.of(plan_query("数码共融计划今年拨了多少钱"))

    assert answer_type_held("number", text, (("数码", 5.2), ("共融", 2.8)), asked) == 1.0


def test_an_amount_may_lead_what_it_paid_for_and_a_count_may_not() -> None:
    money = FigureAsked.of(plan_query("澜水堤防加固花了多少钱"))
    dykes = (("堤防", 7.1), ("加固", 4.0))
    firms = FigureAsked.of(plan_query("包头市有多少家钢铁企业"))
    steel = (("包头市", 8.1), ("钢铁", 4.0))

    paid = "争取到资金2.3亿元 对澜水干流堤防进行了系统加固"
    counted = "308家企业全部接入 包头市在全国率先将钢铁"

    assert answer_type_held("number", paid, dykes, money) == 1.0
    assert answer_type_held("number", counted, steel, firms) == 0.0


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("西门老街预计什么时候开街", "开街"),
        ("小程序现在有多少人注册了？", "注册"),
        ("门票售价多少", "门票售价"),
        ("二号线到底啥时候通车啊", "通车"),
        ("應急管理廳什麼時候成立的", "成立"),
        ("应急管理厅整合了哪些职责", ""),
    ],
)
def test_the_focus_of_a_question_is_what_its_asking_words_ask_about(
    question: str, focus: str
) -> None:
    assert FigureAsked.of(plan_query(question)).focus == focus


def test_a_date_beside_the_focus_answers_though_the_subject_was_named_a_sentence_before() -> None:
    text = (
        "西门老街更新项目总投资12 6亿元 片区内保留传统建筑73栋 "
        "目前一期工程已完成70 计划2027年春节前开街"
    )
    subject = (("西门", 5.0), ("老街", 8.0), ("开", 0.8), ("街", 1.4))
    asked = FigureAsked.of(plan_query("西门老街什么时候开街"))

    assert answer_type_held("time", text, subject, asked) == 1.0
    assert answer_type_held("time", text, subject, FigureAsked()) == 0.0

