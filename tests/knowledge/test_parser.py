"""The parser against the seeds and one authored fixture per transcript shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError, NotAnInterview, UnreadableFile
from knowledge.models import Interview
from knowledge.parser import parse_bytes, parse_file, parse_text

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "transcripts"
EXPECTED: dict[str, dict[str, object]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
INTERVIEWS = sorted(name for name, facts in EXPECTED.items() if facts.get("is_interview", True))
NOT_INTERVIEWS = sorted(
    name for name, facts in EXPECTED.items() if not facts.get("is_interview", True)
)


@pytest.fixture(scope="module")
def seed_000() -> Interview:
    return parse_file(SEEDS / "000_b101c70aef683fe2.txt")


@pytest.fixture(scope="module")
def seed_003() -> Interview:
    return parse_file(SEEDS / "003_f32f62a95f6e8baa.txt")


def roles(interview: Interview) -> dict[str, int]:
    return {
        role: sum(t.role == role for t in interview.turns)
        for role in ("interviewer", "interviewee", "other")
    }


# --- seed 000: Traditional online interview with tags and timestamps ----------------


def test_seed_000_has_17_turns_9_asked_8_answered(seed_000: Interview) -> None:
    assert {"interviewer": 9, "interviewee": 8, "other": 0} == roles(seed_000)


def test_seed_000_every_turn_has_its_time(seed_000: Interview) -> None:
    assert all(t.time and t.time.startswith("2019-05-11T") for t in seed_000.turns)
    assert "2019-05-11T10:05:00" == seed_000.turns[2].time


def test_seed_000_has_8_pairs(seed_000: Interview) -> None:
    assert 8 == len(seed_000.pairs)
    assert all(len(p.answers) == 1 and p.question is not None for p in seed_000.pairs)


def test_seed_000_date_and_interviewee(seed_000: Interview) -> None:
    assert "2019-05-11" == seed_000.date
    [official] = seed_000.interviewees
    assert ("高涌濤", "省應急管理廳副廳長") == (official.name, official.position)


def test_seed_000_spam_and_breadcrumb_appear_nowhere(seed_000: Interview) -> None:
    everything = seed_000.model_dump_json()
    assert "免费观看" not in everything
    assert "政民互動" not in everything
    assert "您的位置" not in everything


def test_seed_000_is_traditional_and_not_spun(seed_000: Interview) -> None:
    assert ("hant", False) == (seed_000.script, seed_000.spun)


# --- seed 003: spun newspaper interview with junk after the end ------------------------


def test_seed_003_has_10_turns_and_5_pairs(seed_003: Interview) -> None:
    assert (10, 5) == (len(seed_003.turns), len(seed_003.pairs))
    assert {"interviewer": 5, "interviewee": 5, "other": 0} == roles(seed_003)


def test_seed_003_date_outlet_and_interviewee_position_from_lead(seed_003: Interview) -> None:
    assert ("2024-12-06", "内蒙古日报") == (seed_003.date, seed_003.outlet)
    [official] = seed_003.interviewees
    assert ("高润喜", "自治区应急办理厅党委书记、厅长") == (official.name, official.position)


def test_seed_003_last_answer_keeps_next_steps_and_ends_there(seed_003: Interview) -> None:
    last = seed_003.turns[-1]
    assert "\n下一步，咱们将持续" in last.text.replace(",", "，")
    assert last.text.endswith("为自治区完结“闯新路、进中游”方针供给坚实安全保证。")


def test_seed_003_nothing_after_the_last_answer_becomes_a_turn(seed_003: Interview) -> None:
    everything = "\n".join(t.text for t in seed_003.turns)
    for junk in ("引荐阅览", "点击检查", "来历", "新京报讯", "长春冰雪节", "作者", "常志刚"):
        assert junk not in everything
    assert all(s.label != "作者" for s in seed_003.speakers)


def test_seed_003_is_flagged_spun_with_evidence(seed_003: Interview) -> None:
    assert seed_003.spun
    assert any(line.startswith("应急办理") for line in seed_003.spun_evidence)


def test_json_shape_has_the_promised_fields(seed_000: Interview) -> None:
    data = json.loads(seed_000.model_dump_json())
    assert {
        "id",
        "title",
        "outlet",
        "date",
        "script",
        "spun",
        "speakers",
        "turns",
        "pairs",
        "warnings",
    } <= set(data)
    assert {"index", "speaker", "role", "time", "text"} <= set(data["turns"][0])
    assert {"label", "name", "position", "role"} <= set(data["speakers"][0])
    assert [t["index"] for t in data["turns"]] == list(range(len(data["turns"])))


# --- authored fixtures, one per shape ---------------------------------------------------


@pytest.mark.parametrize("name", INTERVIEWS)
def test_fixture_metadata(name: str) -> None:
    facts = EXPECTED[name]
    interview = parse_file(FIXTURES / name)
    for key in ("title", "outlet", "date", "script"):
        if key in facts:
            assert facts[key] == getattr(interview, key), key


@pytest.mark.parametrize("name", INTERVIEWS)
def test_fixture_turns_roles_and_pairs(name: str) -> None:
    facts = EXPECTED[name]
    interview = parse_file(FIXTURES / name)
    assert facts["turn_count"] == len(interview.turns)
    assert facts["roles"] == roles(interview)
    assert facts["pair_count"] == len(interview.pairs)


@pytest.mark.parametrize("name", INTERVIEWS)
def test_fixture_speakers(name: str) -> None:
    facts = EXPECTED[name]
    interview = parse_file(FIXTURES / name)
    assert set(facts["speaker_labels"]) == {t.speaker for t in interview.turns}  # type: ignore[arg-type]
    expected = {(p["name"], p["position"]) for p in facts["interviewees"]}  # type: ignore[attr-defined]
    assert expected == {(s.name, s.position) for s in interview.interviewees}


@pytest.mark.parametrize("name", INTERVIEWS)
def test_fixture_turn_boundaries(name: str) -> None:
    facts = EXPECTED[name]
    interview = parse_file(FIXTURES / name)
    starts = [t.text[: len(s)] for t, s in zip(interview.turns, facts["turn_starts"], strict=True)]  # type: ignore[arg-type]
    ends = [t.text[-len(e) :] for t, e in zip(interview.turns, facts["turn_ends"], strict=True)]  # type: ignore[arg-type]
    assert (facts["turn_starts"], facts["turn_ends"]) == (starts, ends)


@pytest.mark.parametrize("name", [n for n in INTERVIEWS if "times" in EXPECTED[n]])
def test_fixture_turn_times(name: str) -> None:
    interview = parse_file(FIXTURES / name)
    assert EXPECTED[name]["times"] == [t.time for t in interview.turns]


@pytest.mark.parametrize("name", INTERVIEWS)
def test_fixture_noise_is_dropped(name: str) -> None:
    interview = parse_file(FIXTURES / name)
    kept = "\n".join([interview.title or "", *(t.text for t in interview.turns)])
    leaked = [noise for noise in EXPECTED[name].get("absent", []) if noise in kept]  # type: ignore[attr-defined]
    assert [] == leaked


@pytest.mark.parametrize("name", NOT_INTERVIEWS)
def test_text_without_an_interview_is_refused(name: str) -> None:
    with pytest.raises(NotAnInterview):
        parse_file(FIXTURES / name)


def test_a_markdown_page_whose_table_quotes_speaker_labels_is_not_an_interview() -> None:
    with pytest.raises(NotAnInterview):
        parse_file(FIXTURES / "README.md")


# --- encodings and broken input ---------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "fixture"),
    [
        ("gb18030", "inline_name_colon.txt"),
        ("gbk", "wen_da.txt"),
        ("big5", "traditional_inline.txt"),
        ("utf-16", "label_own_line.txt"),
        ("utf-16-le", "label_own_line.txt"),
        ("utf-8-sig", "press_conference.txt"),
    ],
)
def test_chinese_encodings_parse_like_utf8(encoding: str, fixture: str) -> None:
    text = (FIXTURES / fixture).read_text("utf-8")
    expected = parse_file(FIXTURES / fixture)
    actual = parse_bytes(text.encode(encoding), name=fixture)
    assert [t.text for t in expected.turns] == [t.text for t in actual.turns]


def test_html_page_in_gbk_with_meta_charset_parses() -> None:
    markup = (FIXTURES / "page.html").read_text("utf-8").replace('charset="utf-8"', 'charset="gbk"')
    interview = parse_bytes(markup.encode("gbk", errors="replace"), name="page.html")
    assert EXPECTED["page.html"]["turn_count"] == len(interview.turns)


def test_truncated_html_page_still_parses_its_turns() -> None:
    markup = (FIXTURES / "page.html").read_text("utf-8")
    cut = markup[: markup.index("您对广大驾驶员")]
    interview = parse_bytes(cut.encode("utf-8"), name="cut.html")
    assert len(interview.turns) >= 5


def test_mixed_encoding_is_read_with_a_warning() -> None:
    good = (FIXTURES / "wen_da.txt").read_text("utf-8")
    data = good.encode("utf-8") + "附：补充说明".encode("gbk")
    interview = parse_bytes(data, name="mixed.txt")
    assert interview.turns
    assert any("could not be decoded" in w for w in interview.warnings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "binary"),
    ],
)
def test_unreadable_bytes_get_a_clear_reason(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        parse_bytes(data)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(UnreadableFile, match=r"50\.0 MB"):
        parse_file(big)


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        parse_file(tmp_path / "nope.txt")


def test_parse_text_gives_a_stable_id() -> None:
    text = (FIXTURES / "wen_da.txt").read_text("utf-8")
    assert parse_text(text).id == parse_text(text).id


def test_a_name_ending_in_you_is_a_speaker_but_a_phrase_ending_in_you_is_not() -> None:
    text = (
        "记者：今年的重点工作是什么？\n"
        "宋茂有：主要有三项。\n"
        "主要有：排查隐患、整治重点行业、培训队伍。\n"
        "记者：进展如何？\n"
        "宋茂有：第一项已经完成，其余两项正在推进。\n"
    )
    interview = parse_text(text)
    assert [turn.speaker for turn in interview.turns] == ["记者", "宋茂有", "记者", "宋茂有"]
    assert "主要有：排查隐患" in interview.turns[1].text


@pytest.mark.parametrize("control", ["\x1f", "\x0b", "\ufffe"])
def test_html_with_characters_no_xml_tree_may_hold_is_read_not_crashed(control: str) -> None:
    markup = f"<html><body><p>{control}<p>主持人：森林防火有什么新举措？{control}</p>\
<p>林峰：今年新建了瞭望塔12座。{control}</p></body></html>"

    interview = parse_bytes(markup.encode("utf-8"), name="page.html")

    assert [turn.text for turn in interview.turns] == [
        "森林防火有什么新举措？",
        "今年新建了瞭望塔12座。",
    ]


@pytest.mark.parametrize("markup", ["<body><!--", "<html><!-- 主持人：你好？", "<!---->"])
def test_html_lxml_cannot_make_a_tree_of_is_rejected_or_read_never_crashed(markup: str) -> None:
    try:
        parse_bytes(markup.encode("utf-8"), name="page.html")
    except KnowledgeError as rejected:  # a clear message, not a crash
        assert str(rejected)
