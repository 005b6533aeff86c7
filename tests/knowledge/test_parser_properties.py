"""Properties: parsing never crashes, and turn text is always copied, never made up."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.decode import decode_bytes
from knowledge.errors import KnowledgeError
from knowledge.parser import parse_bytes, parse_text

PIECES = [
    "主持人：",
    "记者：",
    "问：",
    "答：",
    "[主持人]",
    "[張三]",
    "张三：",
    "王建华:",
    "Host: ",
    "内蒙古日报：",
    "2019-05-11 10:00:00",
    "10:05",
    "\n",
    "\n\n",
    "。",
    "，",
    "来源：人民网",
    "推荐阅读",
    "作者：李四",
    "首页 > 新闻 > 访谈",
    "（完）",
    "一是加强监管。",
    "我们的目标是：",
    "2018年发生火灾1.3万起",
    "应急办理",
    "主持人（以下简称“问”）：",
    "沈 冰：",
    "\u3000",
    "<p>",
    "</p>",
    "&amp;",
    "…",
]
transcript_like = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60
).map("".join)


def assert_turns_are_slices(source: str, text: str) -> None:
    """Each paragraph is a slice of the source, or of its lines run together where a
    hard-wrapped page broke them at the margin."""
    unwrapped = "".join(line.strip() for line in source.splitlines())
    for paragraph in text.split("\n"):
        assert paragraph.strip() == paragraph
        assert paragraph in source or paragraph in unwrapped


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(transcript_like)
def test_parse_text_never_crashes_and_turns_are_verbatim(text: str) -> None:
    try:
        interview = parse_text(text)
    except KnowledgeError:
        return
    for turn in interview.turns:
        assert_turns_are_slices(text, turn.text)
    assert [t.index for t in interview.turns] == list(range(len(interview.turns)))
    for pair in interview.pairs:
        assert all(interview.turns[i].role == "interviewee" for i in pair.answers)
        assert pair.question is None or interview.turns[pair.question].role == "interviewer"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_parse_bytes_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        interview = parse_bytes(data)
    except KnowledgeError:
        return
    source = decode_bytes(data).text
    for turn in interview.turns:
        assert_turns_are_slices(source, turn.text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(transcript_like, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_encoded_transcripts_never_crash(text: str, encoding: str) -> None:
    with contextlib.suppress(KnowledgeError):
        parse_bytes(text.encode(encoding, errors="replace"))
