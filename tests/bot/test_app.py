"""bot.app: the Application as a whole: start-up, commands, bursts, rate limits, logs."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator

import pytest
from botdoubles import (
    TOKEN,
    FakeKnowledge,
    RecordingRequest,
    Updates,
    make_answer,
    make_settings,
    started,
    stopped,
)
from telegram import Update
from telegram.ext import AIORateLimiter

from bot.app import build_application
from bot.logs import configure_logging

QUESTION = "整合依靠什么？"


def app_with(request: RecordingRequest, knowledge: FakeKnowledge, **settings: object):
    return build_application(
        make_settings(**settings), knowledge=knowledge, request=request, get_updates_request=request
    )


async def test_commands_are_published_in_chinese_and_english(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge
) -> None:
    application = await started(app_with(request_recorder, fake_knowledge))
    await stopped(application)

    published = {
        call.get("language_code"): [c["command"] for c in call["commands"]]
        for call in request_recorder.to("setMyCommands")
    }
    assert published == {
        "zh": ["start", "help", "ask", "sources"],
        None: ["start", "help", "ask", "sources"],
    }
    [chinese] = [c for c in request_recorder.to("setMyCommands") if c.get("language_code")]
    assert chinese["commands"][0]["description"] == "开始使用"


async def test_injected_knowledge_is_warmed_and_left_open(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge
) -> None:
    application = await started(app_with(request_recorder, fake_knowledge))
    await stopped(application)

    assert len(fake_knowledge.asked) == 1
    assert fake_knowledge.closed is False


def test_rate_limiter_is_on_by_default_and_can_be_switched_off(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge
) -> None:
    limited = app_with(request_recorder, fake_knowledge, rate_limiter=True)
    unlimited = app_with(request_recorder, fake_knowledge, rate_limiter=False)

    assert isinstance(limited.bot.rate_limiter, AIORateLimiter)
    assert unlimited.bot.rate_limiter is None


def test_updates_are_processed_concurrently_with_a_bound(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge
) -> None:
    application = app_with(request_recorder, fake_knowledge, concurrent_updates=64)

    assert application.update_processor.max_concurrent_updates == 64


def test_base_url_points_the_bot_at_another_server(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge
) -> None:
    application = app_with(
        request_recorder, fake_knowledge, telegram_base_url="http://127.0.0.1:8081/bot"
    )

    assert application.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"


async def test_a_burst_from_many_users_is_answered_each_exactly_once(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge, updates: Updates
) -> None:
    fake_knowledge.answers[QUESTION] = make_answer()
    application = await started(app_with(request_recorder, fake_knowledge))
    await application.start()
    users = range(2000, 2300)
    for user_id in users:
        data = updates.text(QUESTION, user_id=user_id)
        await application.update_queue.put(Update.de_json(data, application.bot))

    await asyncio.wait_for(request_recorder.wait_for("sendMessage", len(users)), timeout=30)
    await application.stop()
    await stopped(application)

    chats = sorted(sent["chat_id"] for sent in request_recorder.to("sendMessage"))
    assert chats == list(users)


async def test_a_429_is_waited_out_and_the_reply_still_sent(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge, updates: Updates
) -> None:
    application = await started(app_with(request_recorder, fake_knowledge, rate_limiter=True))
    request_recorder.fail(
        "sendMessage",
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )

    loop = asyncio.get_running_loop()
    begun = loop.time()
    await application.process_update(Update.de_json(updates.text(QUESTION), application.bot))
    waited = loop.time() - begun
    await stopped(application)

    assert len(request_recorder.to("sendMessage")) == 2  # the refused one, then the retry
    assert waited >= 1.0


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
async def test_the_token_never_appears_in_debug_logs(
    request_recorder: RecordingRequest,
    fake_knowledge: FakeKnowledge,
    updates: Updates,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", TOKEN, stream=stream)
    caplog.set_level(logging.DEBUG)
    fake_knowledge.answers[QUESTION] = make_answer()
    application = await started(app_with(request_recorder, fake_knowledge, rate_limiter=True))
    for data in (updates.text(QUESTION), updates.inline(QUESTION), updates.text("没有答案")):
        await application.process_update(Update.de_json(data, application.bot))
    await stopped(application)

    logged = stream.getvalue()
    assert len(logged.splitlines()) > 10
    assert "Set Bot API URL: https://api.telegram.org/bot<token>" in logged  # PTB logs the URL
    assert TOKEN not in logged
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert TOKEN not in ours
