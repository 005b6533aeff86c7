"""bot.keys: callback data always fits in 64 bytes; deep links round-trip."""

from __future__ import annotations

from botdoubles import make_answer, make_match
from hypothesis import given
from hypothesis import strategies as st

from bot.keys import (
    MAX_CALLBACK_BYTES,
    Action,
    Button,
    callback_data,
    digest,
    interview_payload,
    parse_callback,
    parse_start,
    question_payload,
)
from bot.render import render_answer, render_sources
from bot.texts import Words
from knowledge.models import Answer, InterviewSummary

ANY_TEXT = st.text(min_size=0, max_size=2000)


@given(text=ANY_TEXT, action=st.sampled_from(list(Action)), number=st.integers(0, 999_999))
def test_callback_data_fits_64_bytes_and_parses_back(
    text: str, action: Action, number: int
) -> None:
    data = callback_data(action, digest(text), number)

    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES
    assert parse_callback(data) == Button(action, digest(text), number)


@given(
    interview_id=ANY_TEXT,
    query=ANY_TEXT,
    topics=st.lists(ANY_TEXT.filter(str.strip), max_size=6),
)
def test_every_button_the_bot_renders_fits_64_bytes(
    interview_id: str, query: str, topics: list[str]
) -> None:
    matches = [make_match(interview_id=interview_id, turn=n) for n in range(5)]
    answered = render_answer(
        make_answer(query, results=matches), Words(), key=digest(query), page=2
    )
    declined = render_answer(
        Answer(query=query, answered=False, kind="declined", topics=topics),
        Words(),
        key=digest(query),
        topic_keys=[digest(topic) for topic in topics],
    )
    summaries = [
        InterviewSummary(
            id=interview_id + str(n),
            title=query,
            outlet=None,
            date=None,
            interviewees=[],
            turn_count=1,
        )
        for n in range(25)
    ]
    listed = render_sources(summaries, Words(), page=1)

    for reply in (answered, declined, listed):
        for row in reply.keyboard.inline_keyboard if reply.keyboard else ():
            for button in row:
                assert isinstance(button.callback_data, str)
                assert len(button.callback_data.encode("utf-8")) <= MAX_CALLBACK_BYTES


@given(data=st.text(max_size=100))
def test_parse_callback_never_raises(data: str) -> None:
    parse_callback(data)


def test_foreign_callback_data_is_not_ours() -> None:
    assert parse_callback("page:2") is None


@given(question=st.text(min_size=1, max_size=15).filter(str.strip))
def test_short_question_deep_link_round_trips(question: str) -> None:
    payload = question_payload(question)

    if payload is not None:
        assert len(payload) <= 64
        parsed = parse_start(payload)
        assert parsed is not None
        assert parsed.question == question.strip()


def test_long_question_has_no_deep_link() -> None:
    assert question_payload("应急管理" * 20) is None


def test_interview_deep_link_carries_the_interview_key() -> None:
    parsed = parse_start(interview_payload("gd-2019-emergency"))

    assert parsed is not None
    assert parsed.interview_key == digest("gd-2019-emergency")


@given(payload=st.text(max_size=80))
def test_parse_start_never_raises(payload: str) -> None:
    parse_start(payload)
