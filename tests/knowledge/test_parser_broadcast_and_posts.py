"""Shapes met in the fourth blind set: programme time codes, microblog posts, full-width
Q/A, a WeChat page and a press release's footer; each as a short inline text."""

from __future__ import annotations

from knowledge.html_text import html_to_text
from knowledge.parser import parse_bytes, parse_text


def test_full_width_q_and_a_are_the_interviewer_and_the_interviewee() -> None:
    text = (
        "关口前移　守住安澜\n——访江屿市水利局局长何立川\n\n"
        "Ｑ：今年什么时候入汛？\nＡ：预计5月10日前后入汛，比常年偏早5天。\n"
        "Ｑ：堤防加固得怎么样？\nＡ：澜水干流堤防加固31.5公里，4月20日完工。\n"
    )
    interview = parse_text(text)

    assert [t.role for t in interview.turns] == ["interviewer", "interviewee"] * 2
    answerer = next(s for s in interview.speakers if s.role == "interviewee")
    assert (answerer.name, answerer.position) == ("何立川", "江屿市水利局局长")


PROGRAMME = (
    "白溪电视台《问政白溪》文字实录\n"
    "播出时间：2026年4月18日\n"
    "播出频道：新闻综合频道（19:35—19:58）\n"
    "[00:00:12] 主持人：今天请到两位嘉宾。韩局长，公积金贷款额度有变化吗？\n"
    "[00:01:05] 嘉宾（市住建局局长 韩素梅）：首套房公积金贷款最高额度由60万元提高到80万元。\n"
    "[00:03:10] 主持人：周主任，办一笔贷款要多长时间？\n"
    "[00:03:28] 嘉宾（市公积金中心主任 周立新）：平均需要12个工作日，目标压缩到7个工作日。\n"
    "[00:05:40] 【短片】记者在服务大厅看到，取号机前排起长队，不少市民来了两趟都没办成。\n"
    "[00:07:55] 市民代表：我开网约车，没有单位，能不能交公积金？\n"
    "[00:08:20] 周立新：可以，灵活就业人员可以自愿缴存。\n"
)


def test_a_time_code_opens_a_turn_and_counts_from_the_start_of_the_broadcast() -> None:
    interview = parse_text(PROGRAMME)

    assert interview.turns[0].speaker == "主持人"
    assert [t.time for t in interview.turns[:2]] == ["2026-04-18T19:35:12", "2026-04-18T19:36:05"]
    assert interview.outlet == "白溪电视台"


def test_a_programmes_time_code_on_a_line_of_its_own_counts_from_the_broadcast_too() -> None:
    programme = (
        "白溪电视台《问政白溪》文字实录\n"
        "播出频道：新闻综合频道（19:35—19:58）\n"
        "主持人：韩局长，公积金贷款额度有变化吗？\n"
        "[00:00:40]\n"
        "韩局长：首套房公积金贷款最高额度提高到80万元。\n"
        "[00:01:05]\n"
    )

    assert [t.time for t in parse_text(programme).turns] == ["19:35:40", "19:36:05"]


def test_a_programmes_time_code_without_its_start_is_no_time_of_day() -> None:
    without_start = PROGRAMME.replace("（19:35—19:58）", "")

    clock_times = "[10:05] 主持人：您好。\n[10:06] 韩局长：您好。\n"

    assert parse_text(without_start).turns[0].time is None
    assert parse_text(clock_times).turns[1].time == "10:06:00"


def test_a_guest_named_in_brackets_is_that_person_with_that_position() -> None:
    interview = parse_text(PROGRAMME)
    guests = {s.name: s.position for s in interview.speakers if s.role == "interviewee"}

    assert guests == {"韩素梅": "市住建局局长", "周立新": "市公积金中心主任"}


def test_a_film_segment_is_nobodys_answer_and_a_citizen_asks() -> None:
    interview = parse_text(PROGRAMME)
    roles = {t.speaker: t.role for t in interview.turns}

    assert roles["短片"] == "other"
    assert roles["市民代表"] == "interviewer"
    assert not any("取号机" in t.text for t in interview.turns if t.role == "interviewee")
    assert "播出频道" not in roles


MICROBLOG = (
    "#白溪供暖微访谈#\n"
    "访谈嘉宾：邵明远，白溪市城市管理局副局长\n"
    "主持：@白溪城管（白溪市城市管理局官方微博）\n"
    "访谈时间：2025年11月12日 15:00—16:30\n"
    "@白溪城管：#白溪供暖微访谈# 各位网友下午好，欢迎踊跃提问！\n"
    "11-12 15:00 来自 微博 weibo.com  转发 86 | 评论 412 | 赞 1053\n"
    "@小鱼儿2019：沙发！\n"
    "@雪落无声：今年几号开始供暖？\n"
    "@邵明远V：今年法定供暖时间是11月15日至次年3月31日，共137天。\n"
    "11-12 15:04 来自 微博 weibo.com  转发 23 | 评论 57 | 赞 318\n"
    "@老张爱遛弯：供暖费涨不涨？\n"
    "@白溪城管 回复@老张爱遛弯：今年居民供暖价格不调整，仍为每平方米25.8元。\n"
)


def test_microblog_posts_ask_and_replies_and_the_verified_guest_answer() -> None:
    interview = parse_text(MICROBLOG)
    roles = {t.speaker: t.role for t in interview.turns}

    assert roles == {
        "白溪城管": "interviewee",
        "小鱼儿2019": "interviewer",
        "雪落无声": "interviewer",
        "邵明远": "interviewee",
        "老张爱遛弯": "interviewer",
    }
    assert interview.date == "2025-11-12"


def test_the_host_accounts_own_post_hosts_and_its_reply_answers() -> None:
    turns = [t for t in parse_text(MICROBLOG).turns if t.speaker == "白溪城管"]

    assert [t.role for t in turns] == ["interviewer", "interviewee"]
    assert turns[0].text.startswith("#白溪供暖微访谈#")


def test_a_posts_footer_is_in_no_turn_and_the_guest_row_gives_the_position() -> None:
    interview = parse_text(MICROBLOG)
    guest = next(s for s in interview.speakers if s.name == "邵明远")

    assert not any("weibo.com" in t.text for t in interview.turns)
    assert guest.position == "白溪市城市管理局副局长"
    assert next(s for s in interview.speakers if s.label == "白溪城管").name is None


def test_a_cast_row_may_name_the_person_before_the_position() -> None:
    text = (
        "织密养老服务网络\n赵海平　云溪市民政局党组书记、局长\n"
        "主持人：长者食堂建了多少家？\n赵海平：全市建成长者食堂146家。\n"
        "主持人：明年呢？\n赵海平：再建30家。\n"
    )
    guest = next(s for s in parse_text(text).speakers if s.name == "赵海平")

    assert guest.position == "云溪市民政局党组书记、局长"


WECHAT_PAGE = """<html><head><title>专访｜陈立川：让垃圾分类变成好习惯</title></head><body>
<div id="js_content">
<p>3月5日，澄江日报记者专访了澄江市城市管理局局长陈立川。</p>
<section><p><strong>「 成 效 」</strong></p></section>
<p><span><strong>记者</strong></span><span><strong>：</strong></span><span>去年垃圾分类取得了哪些进展？</span></p>
<p><span><strong>陈局长</strong></span><span>：</span><span>全市新增分类投放点1860个。</span></p>
<section><p><strong>「 处 理 」</strong></p></section>
<p><span><strong>记者：</strong>厨余垃圾处理能力跟得上吗？</span></p>
<p><span><strong>陈局长：</strong>日处理能力是680吨。</span></p>
<p><span>来源：澄江日报</span><br><span>记者：林晓</span></p>
</div></body></html>"""


def test_a_wechat_page_keeps_its_headline_and_drops_headings_and_the_byline() -> None:
    interview = parse_bytes(WECHAT_PAGE.encode(), name="article.html")

    assert interview.title == "专访｜陈立川：让垃圾分类变成好习惯"
    assert [t.speaker for t in interview.turns] == ["记者", "陈局长"] * 2
    assert not any("「" in t.text or "林晓" in t.text for t in interview.turns)
    assert interview.outlet == "澄江日报"


def test_a_site_name_after_a_headline_is_still_cut_from_the_page_title() -> None:
    page = (
        "<html><head><title>应急管理厅厅长答记者问 | 某省人民政府</title></head>"
        "<body><p>x</p></body></html>"
    )

    assert html_to_text(page).title == "应急管理厅厅长答记者问"


def test_a_press_releases_footer_ends_the_answer_and_dates_it() -> None:
    text = (
        "局長談數碼政府新措施\n＊＊＊＊＊＊\n"
        "以下為局長今日（五月六日）會見傳媒的談話內容：\n"
        "記者：「一站通」幾時上線？\n局長：第二階段會喺今年第三季推出，涵蓋120項服務。\n"
        "記者：點樣保障數據安全？\n局長：所有個人資料都儲存喺政府私有雲。\n"
        "（請同時參閱談話內容的英文部分。）\n完\n2026年5月6日（星期三）\n香港時間18時30分\n"
    )
    interview = parse_text(text)

    assert interview.turns[-1].text == "所有個人資料都儲存喺政府私有雲。"
    assert interview.date == "2026-05-06"
