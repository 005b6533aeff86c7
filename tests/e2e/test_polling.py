"""The real bot end to end: ``build_application`` polling the fake Bot API over HTTP.

Each test starts the fake on 127.0.0.1 and the Application exactly as production builds
it (only the base URLs point at the fake), over the real knowledge base of the seeds.
Updates go in through getUpdates; what the bot did is read from the fake's records.
"""

from __future__ import annotations

import asyncio
import gc
import html
import io
import logging
import re
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.logs import configure_logging
from tests.fakebot import updates
from tests.fakebot.server import FakeBotApi, RecordedRequest

from .conftest import SEEDS, TOKEN, Serve, polling

QUESTION = "化学融合 物理相加"
"""Answered from seed 000, whose text (and so every quote of it) is Traditional Chinese."""

SEED_000 = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
WAIT = 5.0
"""Seconds any single wait may take before the test fails (none comes close)."""

JSONDict = dict[str, Any]


# --- helpers -------------------------------------------------------------------------------


def quotes(text: str) -> list[str]:
    """The plain text of every blockquote in an HTML message."""
    found = re.findall(r"<blockquote(?: expandable)?>(.*?)</blockquote>", text, re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", quote)) for quote in found]


def in_a_seed(quote: str) -> bool:
    """Every paragraph of ``quote`` is verbatim in one seed (the seeds separate paragraphs
    with blank lines, a full-answer quote with single line breaks)."""
    return any(all(line in seed for line in quote.splitlines()) for seed in SEED_TEXTS)


def callback_data(message: JSONDict) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row if "callback_data" in button]


def replies_to(api: FakeBotApi, update: JSONDict) -> list[JSONDict]:
    """The messages the bot sent in reply to the message of ``update``."""
    asked = update["message"]
    return [
        sent
        for sent in api.sent_messages
        if sent["chat"]["id"] == asked["chat"]["id"]
        and sent.get("reply_to_message", {}).get("message_id") == asked["message_id"]
    ]


def statuses(calls: list[RecordedRequest]) -> list[int]:
    return [call.status for call in calls]


async def until(condition: Any, *, within: float = WAIT, what: str = "condition") -> None:
    """Return as soon as ``condition()`` is true; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {within}s")
        await asyncio.sleep(0.01)


async def asked_and_answered(api: FakeBotApi, update: JSONDict) -> JSONDict:
    """Push ``update`` and return the bot's first reply to it."""
    pushed = api.push_update(update)
    await until(lambda: replies_to(api, pushed), what="a reply")
    return replies_to(api, pushed)[0]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo ``configure_logging``: the root handlers and levels as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


# --- answering questions -------------------------------------------------------------------


async def test_private_question_is_answered_as_a_reply_quoting_a_seed_verbatim(
    api: FakeBotApi, serve: Serve
) -> None:
    async with serve():
        pushed = api.push_update(updates.private_text(QUESTION))
        [call] = await api.wait_for_requests("sendMessage", 1, timeout=WAIT)

    assert call.status == 200
    assert call.params["reply_parameters"]["message_id"] == pushed["message"]["message_id"]
    [reply] = replies_to(api, pushed)
    quote, *full_answer = quotes(call.params["text"])
    assert quote in SEED_000
    assert "化學融合" in quote  # Traditional, as the interview was published
    assert all(line in SEED_000 for text in full_answer for line in text.splitlines())
    assert reply["entities"][0]["type"] == "blockquote"


async def test_group_message_without_mention_is_ignored_but_ask_with_botname_is_answered(
    api: FakeBotApi, serve: Serve
) -> None:
    botname = api.bot_user["username"]
    async with serve():
        ignored = api.push_update(updates.group_text(QUESTION))
        asked = api.push_update(
            updates.command(f"/ask@{botname} {QUESTION}", chat_type="supergroup")
        )
        await api.wait_for_requests("sendMessage", 1, timeout=WAIT)
    # Stopping processed every fetched update, so a reply to the ignored one would be here.

    assert replies_to(api, ignored) == []
    [reply] = api.sent_messages
    assert reply == replies_to(api, asked)[0]
    assert all(in_a_seed(quote) for quote in quotes(api.calls("sendMessage")[0].params["text"]))


async def test_forum_topic_question_is_answered_in_the_same_topic(
    api: FakeBotApi, serve: Serve
) -> None:
    botname = api.bot_user["username"]
    update = updates.mention(f"@{botname} {QUESTION}", is_forum=True, message_thread_id=7)

    async with serve():
        reply = await asked_and_answered(api, update)

    [call] = api.calls("sendMessage")
    assert call.params["message_thread_id"] == 7
    assert (reply["message_thread_id"], reply["is_topic_message"]) == (7, True)


async def test_inline_query_is_answered_with_at_most_ten_quotes(
    api: FakeBotApi, serve: Serve
) -> None:
    async with serve():
        pushed = api.push_update(updates.inline_query(QUESTION))
        [call] = await api.wait_for_requests("answerInlineQuery", 1, timeout=WAIT)

    assert call.status == 200
    assert call.params["inline_query_id"] == pushed["inline_query"]["id"]
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    for result in results:
        assert all(in_a_seed(q) for q in quotes(result["input_message_content"]["message_text"]))


@pytest.mark.parametrize(
    ("action", "shows"),
    [("s", "專訪省應急管理廳副廳長高涌濤"), ("c", "化學融合")],
    ids=["source", "context"],
)
async def test_tapping_a_button_of_an_answer_answers_the_callback_and_replies(
    api: FakeBotApi, serve: Serve, action: str, shows: str
) -> None:
    async with serve():
        answer = await asked_and_answered(api, updates.private_text(QUESTION))
        [data] = [data for data in callback_data(answer) if data.startswith(f"{action}:")]
        tap = api.push_update(updates.callback_query(data, message=answer))
        await api.wait_for_requests("sendMessage", 2, timeout=WAIT)
        await api.wait_for_requests("answerCallbackQuery", 1, timeout=WAIT)

    [answered] = api.calls("answerCallbackQuery")
    assert answered.status == 200
    assert answered.params["callback_query_id"] == tap["callback_query"]["id"]
    assert "show_alert" not in answered.params  # not the "expired" alert
    follow_up = api.sent_messages[1]
    assert follow_up["reply_to_message"]["message_id"] == answer["message_id"]
    assert shows in follow_up["text"]


# --- faults ----------------------------------------------------------------------------------


async def test_429_on_send_message_delays_the_reply_which_still_arrives_exactly_once(
    api: FakeBotApi, serve: Serve
) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)

    async with serve(rate_limiter=True):
        pushed = api.push_update(updates.private_text(QUESTION))
        refused, sent = await api.wait_for_requests("sendMessage", 2, timeout=WAIT)

    assert statuses(api.calls("sendMessage")) == [429, 200]
    assert sent.received_at - refused.received_at >= 1.0  # retry_after was waited out
    assert sent.received_at - api.pushed_updates[0].pushed_at >= 1.0
    assert len(replies_to(api, pushed)) == 1
    assert len(api.sent_messages) == 1


async def test_500_on_get_updates_does_not_stop_the_bot(
    api: FakeBotApi, serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail_next("getUpdates", status=500)

    async with serve():
        [failed] = await api.wait_for_requests("getUpdates", 1, timeout=WAIT)
        reply = await asked_and_answered(api, updates.private_text(QUESTION))

    assert failed.status == 500
    assert statuses(api.calls("getUpdates"))[:2] == [500, 200]  # polled again after the error
    assert reply["reply_to_message"]["text"] == QUESTION
    warned = [r.getMessage() for r in caplog.records if r.name == "bot.errors"]
    assert any("Telegram could not be reached" in message for message in warned)


# --- start and stop --------------------------------------------------------------------------


async def test_startup_publishes_the_commands_in_chinese_and_english(
    api: FakeBotApi, serve: Serve
) -> None:
    async with serve():
        pass

    chinese = api.commands_for(language_code="zh")
    english = api.commands_for()
    names = ["start", "help", "ask", "sources"]
    assert [c["command"] for c in chinese] == names
    assert [c["command"] for c in english] == names
    assert chinese[0]["description"] == "开始使用"
    assert english[0]["description"] == "Start"
    assert all(call.status == 200 for call in api.calls("setMyCommands"))


async def test_shutdown_is_clean_with_no_leaked_tasks_or_resource_warnings(
    api: FakeBotApi, serve: Serve
) -> None:
    before = asyncio.all_tasks()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with serve() as application:
            pushed = api.push_update(updates.private_text(QUESTION))
            await api.wait_for_requests("sendMessage", 1, timeout=WAIT)
        gc.collect()

    def leaked() -> set[asyncio.Task[Any]]:
        return {t for t in asyncio.all_tasks() - before if t is not asyncio.current_task()}

    # The fake's connection handlers end as the bot's HTTP client hangs up; nothing else runs.
    await until(lambda: not leaked(), within=1.0, what=f"no tasks left ({leaked()})")
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []
    assert application.updater is not None
    assert (application.running, application.updater.running) == (False, False)
    assert application.bot_data.knowledge is None  # post_shutdown closed it
    last = api.calls("getUpdates")[-1]  # the final poll confirms every fetched update
    assert (last.status, last.params["offset"]) == (200, pushed["update_id"] + 1)


# --- load and logs ---------------------------------------------------------------------------


async def test_burst_of_300_updates_from_300_users_is_answered_each_exactly_once(
    api: FakeBotApi, serve: Serve
) -> None:
    users = range(5_000, 5_300)
    async with serve():
        pushed = api.push_updates(updates.private_text(QUESTION, user_id=u) for u in users)
        await api.wait_for_requests("sendMessage", len(users), timeout=15)

    assert all(call.status == 200 for call in api.calls("sendMessage"))
    assert sorted(message["chat"]["id"] for message in api.sent_messages) == list(users)
    assert all(len(replies_to(api, update)) == 1 for update in pushed)


@pytest.mark.usefixtures("restore_logging")
async def test_debug_logs_of_a_full_run_never_contain_the_token(
    api: FakeBotApi,
    settings_for: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = settings_for(log_level="DEBUG", rate_limiter=True)
    assert settings.telegram_bot_token is not None
    stream = io.StringIO()
    # As run_bot configures it: the token is the secret to redact.
    configure_logging(
        settings.log_level, settings.telegram_bot_token.get_secret_value(), stream=stream
    )
    caplog.set_level(logging.DEBUG)
    api.fail_next("getUpdates", status=500)  # a polling error, logged by the error handler
    api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")

    async with polling(build_application(settings)):
        api.push_update(updates.private_text(QUESTION, user_id=2001))  # fails: an apology
        await until(lambda: statuses(api.calls("sendMessage")) == [400, 200], what="apology")
        answer = await asked_and_answered(api, updates.private_text(QUESTION))
        api.push_update(updates.inline_query(QUESTION))
        api.push_update(updates.callback_query(callback_data(answer)[-1], message=answer))
        await api.wait_for_requests("answerInlineQuery", 1, timeout=WAIT)
        await api.wait_for_requests("answerCallbackQuery", 1, timeout=WAIT)

    logged = stream.getvalue()
    loggers = {record.name.split(".")[0] for record in caplog.records}
    assert {"telegram", "bot", "tests"} <= loggers  # PTB, the bot and the fake all logged
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    assert "Handling update" in logged and "Traceback" in logged  # the failed reply
    assert f"{api.base_url}<token>" in logged  # PTB logs its URL: redacted
    assert TOKEN not in logged
    assert TOKEN.split(":", 1)[1] not in logged
