"""Transcript shapes met in a blind test of unseen pages, each as a short inline text."""

from __future__ import annotations

from knowledge.parser import parse_bytes, parse_text
from knowledge.wrapping import display_width


def speakers_in_order(text: str) -> list[str]:
    return [turn.speaker for turn in parse_text(text).turns]


def test_an_outlet_whose_first_character_is_a_surname_asks_without_crashing() -> None:
    text = (
        "江临日报记者：今年筹集多少套保障房？\n"
        "王立衡：今年计划筹集6.2万套。\n"
        "江临日报：资金从哪里来？\n"
        "王立衡：中央和省级财政共同承担。\n"
    )
    interview = parse_text(text)
    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("江临日报记者", "interviewer"),
        ("王立衡", "interviewee"),
        ("江临日报", "interviewer"),
        ("王立衡", "interviewee"),
    ]


def test_a_date_after_the_source_on_one_line_dates_the_interview() -> None:
    text = (
        "保障房建设新闻发布会\n"
        "来源：省政府新闻办　　发布时间：2023-04-18 10:30　　浏览次数：271\n"
        "主持人：请介绍今年的安排。\n"
        "王立衡：今年开工改造老旧小区1480个。\n"
    )
    assert parse_text(text).date == "2023-04-18"


def test_markdown_bold_labels_are_speakers() -> None:
    text = (
        "**记者**：医共体建设进展如何？\n\n"
        "**刘雅琴**：全省组建医共体118个。\n\n"
        "**记者：**家庭医生签约怎么样？\n\n"
        "**刘雅琴：**重点人群签约率达到78.5%。\n"
    )
    interview = parse_text(text)
    assert [t.speaker for t in interview.turns] == ["记者", "刘雅琴", "记者", "刘雅琴"]
    assert interview.turns[3].text == "重点人群签约率达到78.5%。"


def test_square_marks_before_labels_are_not_part_of_the_speaker() -> None:
    text = (
        "□記者：颱風那晚雨有多大？\n"
        "■陳局長：最大時雨量每小時98毫米。\n"
        "□記者：抽水機夠不夠？\n"
        "■陳局長：今年新增移動抽水機40台。\n"
    )
    assert speakers_in_order(text) == ["記者", "陳局長", "記者", "陳局長"]


def test_numbered_questions_are_one_interviewer() -> None:
    text = (
        "记者专访了市交通运输局局长赵启航。\n\n"
        "Q1：地铁2号线什么时候通车？\n\n"
        "A：计划今年年底通车。\n\n"
        "Q2：公交有哪些新变化？\n\n"
        "A：新开公交线路28条。\n"
    )
    interview = parse_text(text)
    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("Q", "interviewer"),
        ("A", "interviewee"),
        ("Q", "interviewer"),
        ("A", "interviewee"),
    ]
    assert [(s.name, s.position) for s in interview.speakers if s.role == "interviewee"] == [
        ("赵启航", "市交通运输局局长")
    ]


def test_a_term_the_answer_quoted_is_no_speaker_though_it_reads_like_a_name() -> None:
    text = (
        "记者：停车难怎么办？\n"
        "赵启航：要从“增供给、促共享、强管理”三方面想办法。\n"
        "增供给：新增公共停车泊位1.2万个。\n"
        "强管理：智慧停车平台已接入泊位9.8万个。\n"
        "记者：单车乱停怎么管？\n"
        "赵启航：实行总量控制。\n"
    )
    interview = parse_text(text)
    assert [t.speaker for t in interview.turns] == ["记者", "赵启航", "记者", "赵启航"]
    assert "强管理：智慧停车平台" in interview.turns[1].text


def test_speaker_labels_a_page_keeps_outside_its_paragraphs_are_read() -> None:
    blocks = [
        ("[主持人]", "14:04:47", "课后服务一般几点结束？"),
        ("[许嘉禾]", "14:05:32", "城区小学一般在17:30结束。"),
        ("[主持人]", "14:11:20", "课后服务要交钱吗？"),
        ("[周文澜]", "14:12:05", "城区学校每生每学期不超过300元。"),
    ]
    talk = "".join(
        f'<div class="talk"><span class="name">{name}</span>'
        f'<span class="time">{time}</span><p>{said}</p></div>\n'
        for name, time, said in blocks
    )
    markup = (
        '<html><head><meta charset="utf-8"><title>课后服务怎么做_在线访谈</title></head><body>'
        '<div class="nav"><a href="/">首页</a></div><div class="content"><h1>课后服务怎么做</h1>'
        "<p>访谈时间：2021年9月14日 14:00</p>"
        "<p>访谈嘉宾：青岚市教育局局长&nbsp;周文澜；青岚市教育局基础教育处处长&nbsp;许嘉禾</p>"
        f"{talk}</div></body></html>"
    )
    interview = parse_bytes(markup.encode("utf-8"), name="talk.html")
    assert [t.speaker for t in interview.turns] == ["主持人", "许嘉禾", "主持人", "周文澜"]
    assert interview.turns[3].text == "城区学校每生每学期不超过300元。"
    assert interview.turns[1].time == "2021-09-14T14:05:32"
    positions = {s.name: s.position for s in interview.speakers if s.role == "interviewee"}
    assert positions == {"周文澜": "青岚市教育局局长", "许嘉禾": "青岚市教育局基础教育处处长"}


def test_a_headline_and_its_dash_subtitle_are_one_title() -> None:
    text = (
        "让群众在家门口看上好医生\n\n"
        "——访西岭省卫生健康委员会副主任刘雅琴\n\n"
        "记者：医共体建设进展如何？\n"
        "刘雅琴：全省组建医共体118个。\n"
    )
    assert parse_text(text).title == "让群众在家门口看上好医生——访西岭省卫生健康委员会副主任刘雅琴"


def test_a_headline_with_a_colon_is_a_title_and_a_byline_with_a_time_is_not() -> None:
    text = (
        "专访丨市交通运输局局长：今年坐公交、停车，这些变化和你有关！\n\n"
        "原创　云梧发布　2024-03-12 08:30　发表于云梧\n\n"
        "记者：地铁2号线什么时候通车？\n"
        "赵启航：计划今年年底通车。\n"
    )
    assert parse_text(text).title == "专访丨市交通运输局局长：今年坐公交、停车，这些变化和你有关！"


def test_the_position_is_read_after_the_last_interview_verb_of_the_lead() -> None:
    text = (
        "日前，记者就全省安全生产工作专访了省应急管理厅厅长韩振东。\n\n"
        "东岭日报：去年安全生产形势怎么样？\n"
        "韩振东：事故起数同比下降18.6%。\n"
    )
    [official] = [s for s in parse_text(text).speakers if s.role == "interviewee"]
    assert (official.name, official.position) == ("韩振东", "省应急管理厅厅长")


def test_a_time_before_the_label_is_the_turns_time() -> None:
    text = (
        "直播时间：2022-09-20\n"
        "10:00:06 主持人：今年养老金涨了多少？\n"
        "10:01:15 韩素琴：总体调整水平为4%。\n"
    )
    interview = parse_text(text)
    assert [(t.speaker, t.time) for t in interview.turns] == [
        ("主持人", "2022-09-20T10:00:06"),
        ("韩素琴", "2022-09-20T10:01:15"),
    ]


def test_the_cast_list_is_no_turn_and_names_the_host() -> None:
    text = (
        "秋粮生产新闻发布会\n"
        "出席：农业农村部副部长 贺永川\n"
        "主持人：国务院新闻办公室新闻局副局长、新闻发言人 彭楚宁\n\n"
        "彭楚宁：下面请记者提问。\n"
        "人民日报记者：秋粮长势怎么样？\n"
        "贺永川：秋粮播种面积达到13.1亿亩。\n"
        "彭楚宁：今天的发布会到此结束。\n"
    )
    interview = parse_text(text)
    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("彭楚宁", "interviewer"),
        ("人民日报记者", "interviewer"),
        ("贺永川", "interviewee"),
        ("彭楚宁", "interviewer"),
    ]


def test_an_answer_label_takes_the_name_from_a_transcript_note() -> None:
    text = (
        "以下為交通及社區設施局局長杜卓賢今日會見傳媒的談話內容：\n\n"
        "記者問：巴士班次會否增加？\n\n"
        "局長答：由四月起開辦新巴士路線26X。\n\n"
        "記者問：的士站呢？\n\n"
        "局長答：邨內會新增一個的士站。\n"
    )
    [official] = [s for s in parse_text(text).speakers if s.role == "interviewee"]
    assert (official.name, official.position) == ("杜卓賢", "交通及社區設施局局長")


def test_a_row_of_page_tabs_in_brackets_is_no_speaker() -> None:
    text = (
        "首页 > 在线访谈 > 正文\n"
        "织牢汛期安全网\n"
        "【文字实录】【图片直播】【视频回放】\n"
        "【主持人】\n汛期水库安全吗？\n"
        "【蒋怀远】\n全县共有水库54座。\n"
    )
    interview = parse_text(text)
    assert [t.speaker for t in interview.turns] == ["主持人", "蒋怀远"]
    assert interview.title == "织牢汛期安全网"


def test_a_traditional_cast_list_is_no_turn_either() -> None:
    text = (
        "主持人：東濱電台記者 陳小明\n\n陳小明：巴士班次會否增加？\n杜卓賢：由四月起開辦新路線。\n"
    )
    interview = parse_text(text)
    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("陳小明", "interviewer"),
        ("杜卓賢", "interviewee"),
    ]


def test_a_time_in_brackets_opening_a_turn_is_its_time_not_its_text() -> None:
    text = (
        "访谈时间：2020年7月8日\n"
        "【主持人】\n（10:00）今年雨水多吗？\n"
        "【蒋怀远】\n(10:02:20) 比常年偏多37%。\n"
        "【主持人】\n（一）水库安全吗？\n"
        "【蒋怀远】\n全县共有水库54座。\n"
    )
    interview = parse_text(text)

    assert [(t.time, t.text) for t in interview.turns] == [
        ("2020-07-08T10:00:00", "今年雨水多吗？"),
        ("2020-07-08T10:02:20", "比常年偏多37%。"),
        (None, "（一）水库安全吗？"),
        (None, "全县共有水库54座。"),
    ]


def test_a_position_in_brackets_after_the_name_is_that_speakers_position() -> None:
    text = (
        "主持人（市政府新闻办副主任 王蕾）：请李明局长介绍。\n"
        "李明（市交通运输局局长）：今年打通断头路17条。\n"
        "澜江日报记者：停车位增加多少？\n"
        "李明：新增泊位2.3万个。\n"
    )
    interview = parse_text(text)

    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("主持人", "interviewer"),
        ("李明", "interviewee"),
        ("澜江日报记者", "interviewer"),
        ("李明", "interviewee"),
    ]
    [official] = [s for s in interview.speakers if s.role == "interviewee"]
    assert official.position == "市交通运输局局长"


def test_questions_numbered_in_chinese_numerals_are_one_interviewer() -> None:
    text = (
        "一问：学校食堂怎么管？\n　　刘处长：1438家食堂全部明厨亮灶。\n"
        "二问：抽检情况怎么样？\n　　刘处长：2025年共抽检1.92万批次。\n"
    )
    interview = parse_text(text)

    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("问", "interviewer"),
        ("刘处长", "interviewee"),
    ] * 2
    assert interview.turns[3].text == "2025年共抽检1.92万批次。"


def test_a_netizen_quoted_by_nickname_asks_as_an_interviewer() -> None:
    text = (
        "[主持人]\n欢迎两位嘉宾。\n[赵海川]\n谢谢主持人。\n"
        "网友“云溪老周”：社区有助餐服务吗？\n[赵海川]\n全市建成长者食堂146家。\n"
    )
    interview = parse_text(text)

    assert [(t.speaker, t.role) for t in interview.turns][2:] == [
        ("网友“云溪老周”", "interviewer"),
        ("赵海川", "interviewee"),
    ]


def test_page_furniture_before_a_colon_in_english_is_no_speaker() -> None:
    text = (
        "By Fang Yizhou | Published: 2026-01-20 09:30\n"
        "Share: Facebook | WeChat\n\n"
        "Host: 欢迎陈局长。\nChen: 谢谢。\nHost: 吞吐量多少？\nChen: 612万标准箱。\n\n"
        "(End of interview / 采访完)\n"
        "Tags: #港口\nRelated stories 相关阅读:\n> 东港至嘉原班列常态化开行\n"
    )
    interview = parse_text(text)

    assert {s.label for s in interview.speakers} == {"Host", "Chen"}
    assert interview.turns[-1].text == "612万标准箱。"
    assert interview.date == "2026-01-20"


def test_a_headline_split_by_a_slash_and_a_byline_with_a_clock_are_no_speakers() -> None:
    text = (
        "專訪／觀光交通署長林志遠：捷運延伸　打造友善旅遊城市\n"
        "記者張語彤／澄海報導　115年3月5日 上午 08:40\n"
        "記者問：去年觀光表現如何？\n林署長：旅客達到1,860萬人次。\n"
        "記者問：捷運何時通車？\n林署長：明年底通車。\n"
    )
    interview = parse_text(text)

    assert [t.speaker for t in interview.turns] == ["記者問", "林署長"] * 2
    [official] = [s for s in interview.speakers if s.role == "interviewee"]
    assert (official.name, official.position) == ("林志遠", "觀光交通署長")
    assert interview.date == "2026-03-05"


def test_a_name_alone_on_its_line_opens_that_speakers_turn_when_it_recurs() -> None:
    text = (
        "让技能成才之路越走越宽\n本报记者 宋雨桐\n\n"
        "记者\n招生情况怎么样？\n\n周建国\n总体是稳中有升。\n\n今年职教高考单列。\n\n"
        "记者\n就业怎么样？\n\n周建国\n就业率保持在95%以上。\n"
    )
    interview = parse_text(text)

    assert [(t.speaker, t.text) for t in interview.turns] == [
        ("记者", "招生情况怎么样？"),
        ("周建国", "总体是稳中有升。\n今年职教高考单列。"),
        ("记者", "就业怎么样？"),
        ("周建国", "就业率保持在95%以上。"),
    ]


def hard_wrapped(paragraph: str, columns: int = 60) -> list[str]:
    """The paragraph as a PDF prints it: cut wherever a line reaches the margin."""
    lines, line = [], ""
    for char in paragraph:
        if display_width(line + char) > columns:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


QUESTION_1 = "问：沈局长，您好！全市城乡供水一体化工程现在推进到哪一步了？这是大家都很关心的事情。"
ANSWER_1 = (
    "答：好的。截至今年10月底，全市已建成区域水厂9座，日供水能力达到68万立方米，"
    "覆盖率由2021年的71%提高到93.6%。目前还剩两个山区乡镇。"
)
ANSWER_1_MORE = (
    "　　今年我们启动了二次供水泵房提升三年行动，计划改造泵房四百多座，"
    "居民个人不需要出钱，费用由财政和供水企业共同分担。改造后的泵房统一接入智慧水务平台。"
)
QUESTION_2 = "问：水质安不安全？普通市民怎么知道自己家里的水是合格的呢？请您说说。"
ANSWER_2 = (
    "答：全市设有水质在线监测点286个，每15分钟自动上传一次数据，一旦超出阈值，"
    "平台会自动报警，市民也可以拨打热线电话96117预约上门检测，一般三个工作日内上门。"
)
PAGE_BREAK = [
    "",
    "                    — 1 —",
    "",
    "青川市政风行风热线访谈实录（第47期）　　内部资料",
]
first_page = [*hard_wrapped(QUESTION_1), *hard_wrapped(ANSWER_1), *hard_wrapped(ANSWER_1_MORE)]
WRAPPED_PAGE = "\n".join(
    [
        "　　编者按：青川市水务局局长沈国平做客直播间，回答了主持人和听众的提问。",
        "",
        *first_page[:-2],
        *PAGE_BREAK,
        *first_page[-2:],
        *hard_wrapped(QUESTION_2),
        *hard_wrapped(ANSWER_2),
        *PAGE_BREAK,
    ]
)


def test_lines_a_pdf_broke_at_the_margin_are_one_paragraph_again() -> None:
    interview = parse_text(WRAPPED_PAGE)

    assert [t.text for t in interview.turns] == [
        QUESTION_1[2:],
        f"{ANSWER_1[2:]}\n{ANSWER_1_MORE.strip()}",
        QUESTION_2[2:],
        ANSWER_2[2:],
    ]


def test_page_numbers_and_a_repeated_running_header_are_in_no_turn() -> None:
    interview = parse_text(WRAPPED_PAGE)

    text = "\n".join(t.text for t in interview.turns)
    assert "— 1 —" not in text
    assert "内部资料" not in text


def test_short_lines_of_an_ordinary_transcript_stay_apart() -> None:
    text = "记者：今年有什么打算？\n李明：一是修路。\n二是建桥。\n三是治水。\n"

    assert parse_text(text).turns[1].text == "一是修路。\n二是建桥。\n三是治水。"
