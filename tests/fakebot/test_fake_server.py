"""Tests of the fake Bot API: it must behave like Telegram where our bot can tell."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from . import updates
from .server import FIRST_BOT_MESSAGE_ID, FakeBotApi, parse_html

JSONDict = dict[str, Any]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def call(
    session: aiohttp.ClientSession, api: FakeBotApi, method: str, **params: Any
) -> tuple[int, JSONDict]:
    """POST ``params`` as JSON to ``method``; returns the HTTP status and the decoded body."""
    async with session.post(f"{api.base_url}{api.token}/{method}", json=params) as response:
        return response.status, await response.json()


async def send(
    session: aiohttp.ClientSession, api: FakeBotApi, text: str, **params: Any
) -> tuple[int, JSONDict]:
    """sendMessage to the private chat of the default user (made known by an update)."""
    api.push_update(updates.private_text("你好"))
    return await call(
        session, api, "sendMessage", chat_id=updates.DEFAULT_USER_ID, text=text, **params
    )


def bad_request(description: str) -> JSONDict:
    return {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}


# --- getUpdates ------------------------------------------------------------------------------


async def test_get_updates_long_poll_returns_as_soon_as_an_update_is_pushed(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(call(session, fake_bot_api, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    fake_bot_api.push_update(updates.private_text("你好"))

    status, body = await poll

    assert (status, [u["message"]["text"] for u in body["result"]]) == (200, ["你好"])
    assert time.monotonic() - started < 1


async def test_get_updates_long_poll_returns_nothing_when_the_timeout_passes(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    started = time.monotonic()

    status, body = await call(session, fake_bot_api, "getUpdates", timeout=0.2)

    assert (status, body["result"]) == (200, [])
    assert 0.2 <= time.monotonic() - started < 1


async def test_get_updates_offset_confirms_earlier_updates(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    fake_bot_api.push_updates(updates.private_text(text) for text in ("一", "二", "三"))

    _, unconfirmed = await call(session, fake_bot_api, "getUpdates")
    _, after_first = await call(session, fake_bot_api, "getUpdates", offset=2)
    _, after_all = await call(session, fake_bot_api, "getUpdates", offset=4)

    assert [u["update_id"] for u in unconfirmed["result"]] == [1, 2, 3]
    assert [u["update_id"] for u in after_first["result"]] == [2, 3]
    assert after_all["result"] == []


async def test_get_updates_limit_caps_the_batch(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    fake_bot_api.push_updates(updates.private_text(str(n)) for n in range(5))

    _, body = await call(session, fake_bot_api, "getUpdates", limit=2)

    assert [u["update_id"] for u in body["result"]] == [1, 2]


async def test_newer_get_updates_terminates_an_older_long_poll(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    older = asyncio.create_task(call(session, fake_bot_api, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)

    await call(session, fake_bot_api, "getUpdates", timeout=0)
    status, body = await older

    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_get_updates_conflicts_with_an_active_webhook(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    await call(session, fake_bot_api, "setWebhook", url="https://example.com/hook")

    status, body = await call(session, fake_bot_api, "getUpdates")

    assert status == 409
    assert body["description"].startswith("Conflict: can't use getUpdates method")


# --- requests in general ---------------------------------------------------------------------


async def test_wrong_token_is_unauthorized(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    async with session.post(f"{fake_bot_api.base_url}123:WRONG/getMe") as response:
        status, body = response.status, await response.json()

    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_not_found(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    status, body = await call(session, fake_bot_api, "sendTelepathy")

    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_get_me_describes_the_bot(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    _, body = await call(session, fake_bot_api, "getme")  # method names are case-insensitive

    me = body["result"]
    assert (me["id"], me["username"]) == (123, "interview_test_bot")
    assert me["can_join_groups"] and me["supports_inline_queries"]


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
async def test_parameters_decode_the_same_from_json_and_form_bodies(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, encoding: str
) -> None:
    fake_bot_api.push_update(updates.private_text("你好"))
    params = {
        "chat_id": updates.DEFAULT_USER_ID,
        "text": "123",  # looks like JSON but stays text
        "reply_markup": {"inline_keyboard": [[{"text": "下一页", "callback_data": "p:2"}]]},
    }
    url = f"{fake_bot_api.base_url}{fake_bot_api.token}/sendMessage"
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    if encoding == "json":
        request = session.post(url, json=params)
    elif encoding == "form":
        request = session.post(url, data=form)
    else:
        multipart = aiohttp.FormData(form)
        multipart.add_field("document", b"%PDF", filename="a.pdf")
        request = session.post(url, data=multipart)

    async with request as response:
        assert response.status == 200

    [recorded] = fake_bot_api.calls("sendMessage")
    assert params == {k: v for k, v in recorded.params.items() if k != "document"}


async def test_wait_for_requests_times_out_naming_the_methods_that_came(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    await call(session, fake_bot_api, "getMe")

    with pytest.raises(TimeoutError, match=r"got 0; methods called: \['getMe'\]"):
        await fake_bot_api.wait_for_requests("sendMessage", timeout=0.05)


# --- HTML validation -------------------------------------------------------------------------

VALID_HTML = [
    "<b>粗体</b> <strong>粗</strong> <i>斜</i> <em>斜</em> <u>下</u> <ins>下</ins>",
    "<s>删</s> <strike>删</strike> <del>删</del>",
    '<span class="tg-spoiler">剧透</span> <tg-spoiler>剧透</tg-spoiler>',
    "<b>粗 <i>斜粗 <u>全部</u></i></b>",
    '<a href="https://example.com/?a=1&amp;b=2">链接</a>',
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    "<code>x &lt; y</code> <pre>块</pre>",
    '<pre><code class="language-python">print("你好")</code></pre>',
    "<blockquote>引用</blockquote>",
    "<b>某官员</b>\n<blockquote expandable>他说：&quot;稳&quot; &amp; &#x27;进&#39;</blockquote>",
]


@pytest.mark.parametrize("text", VALID_HTML)
async def test_html_accepts_telegram_markup(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, text: str
) -> None:
    status, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    assert (status, body["ok"]) == (200, True)


async def test_html_message_comes_back_as_text_and_utf16_entities(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    text = "😀<b>粗</b>\n<blockquote expandable>引用 &amp; 注</blockquote>"

    _, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    message = body["result"]
    assert message["text"] == "😀粗\n引用 & 注"
    assert message["entities"] == [
        {"type": "bold", "offset": 2, "length": 1},
        {"type": "expandable_blockquote", "offset": 4, "length": 6},
    ]


def test_html_pre_takes_the_language_of_its_code_block() -> None:
    formatted = parse_html('<pre><code class="language-python">x = 1</code></pre>')

    assert (formatted.entities) == (
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
    )


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_html_escaped_text_parses_back_to_itself(text: str) -> None:
    assert text == parse_html(html.escape(text)).text


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("第一行<br>第二行", 'Unsupported start tag "br" at byte offset 9'),
        ("<div>块</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<span>剧透</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ],
)
async def test_html_rejects_unknown_tags(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, text: str, detail: str
) -> None:
    status, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    assert (400, bad_request(f"can't parse entities: {detail}")) == (status, body)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("<b>粗", 'Can\'t find end tag corresponding to start tag "b"'),
        (
            "<b><i>x</b></i>",
            'Unmatched end tag, expected "</i>", found "</b>" at byte offset 7',
        ),
        ("x</b>", "Unexpected end tag at byte offset 1"),
    ],
)
async def test_html_rejects_unbalanced_tags(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, text: str, detail: str
) -> None:
    status, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    assert (400, bad_request(f"can't parse entities: {detail}")) == (status, body)


@pytest.mark.parametrize("text", ["A &nbsp; B", "A & B", "&#0;", "a > b"])
async def test_html_rejects_unsupported_entities_and_bare_specials(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, text: str
) -> None:
    status, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("中" * 4096, True),
        ("中" * 4097, False),
        ("😀" * 2048, True),  # an emoji is 2 UTF-16 code units
        ("😀" * 2048 + "a", False),
        ("<b>" + "a" * 4096 + "</b>", True),  # tags don't count
        ("&amp;" * 4096, True),  # entities count as the character they stand for
        ("&amp;" * 4097, False),
    ],
)
async def test_text_longer_than_4096_utf16_units_is_too_long(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, text: str, accepted: bool
) -> None:
    status, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    expected = (200, True) if accepted else (400, bad_request("message is too long"))
    assert expected == (status, body["ok"] if accepted else body)


@pytest.mark.parametrize("text", ["", "  \n ", "<b></b>"])
async def test_empty_text_is_rejected(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession, text: str
) -> None:
    status, body = await send(session, fake_bot_api, text, parse_mode="HTML")

    assert (400, bad_request("message text is empty")) == (status, body)


# --- keyboards, edits, queries, commands -----------------------------------------------------


def keyboard(callback_data: str) -> JSONDict:
    return {"inline_keyboard": [[{"text": "按钮", "callback_data": callback_data}]]}


@pytest.mark.parametrize(
    ("callback_data", "accepted"),
    [("问" * 21, True), ("问" * 22, False), ("a" * 64, True), ("a" * 65, False), ("", False)],
)
async def test_callback_data_over_64_bytes_is_rejected(
    fake_bot_api: FakeBotApi,
    session: aiohttp.ClientSession,
    callback_data: str,
    accepted: bool,
) -> None:
    status, body = await send(session, fake_bot_api, "页", reply_markup=keyboard(callback_data))

    expected = (200, True) if accepted else (400, bad_request("BUTTON_DATA_INVALID"))
    assert expected == (status, body["ok"] if accepted else body)


async def test_sent_messages_get_increasing_ids_and_come_from_the_bot(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    await send(session, fake_bot_api, "一")
    await send(session, fake_bot_api, "二")

    first, second = fake_bot_api.sent_messages
    assert (
        first["message_id"],
        second["message_id"],
    ) == (FIRST_BOT_MESSAGE_ID, FIRST_BOT_MESSAGE_ID + 1)
    assert (
        first["from"]["username"],
        first["chat"]["id"],
    ) == ("interview_test_bot", updates.DEFAULT_USER_ID)


async def test_reply_parameters_attach_the_replied_message(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    question = fake_bot_api.push_update(
        updates.group_text("问题", is_forum=True, message_thread_id=7)
    )
    chat_id = question["message"]["chat"]["id"]

    _, body = await call(
        session,
        fake_bot_api,
        "sendMessage",
        chat_id=chat_id,
        text="答案",
        message_thread_id=7,
        reply_parameters={"message_id": question["message"]["message_id"]},
    )

    answer = body["result"]
    assert (
        answer["reply_to_message"]["text"],
        answer["message_thread_id"],
        answer["is_topic_message"],
    ) == ("问题", 7, True)


async def test_sending_to_a_chat_never_seen_is_chat_not_found(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    status, body = await call(session, fake_bot_api, "sendMessage", chat_id=42, text="喂")

    assert (400, bad_request("chat not found")) == (status, body)


async def test_edit_message_text_replaces_text_and_drops_an_omitted_keyboard(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    _, sent = await send(session, fake_bot_api, "旧", reply_markup=keyboard("k"))
    message = sent["result"]

    status, body = await call(
        session,
        fake_bot_api,
        "editMessageText",
        chat_id=message["chat"]["id"],
        message_id=message["message_id"],
        text="<i>新</i>",
        parse_mode="HTML",
    )

    assert status == 200
    assert (body["result"]["text"], body["result"].get("reply_markup")) == ("新", None)
    assert [body["result"]] == fake_bot_api.edited_messages


async def test_edit_of_an_unknown_message_is_not_found(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    fake_bot_api.push_update(updates.private_text("你好"))

    status, body = await call(
        session,
        fake_bot_api,
        "editMessageText",
        chat_id=updates.DEFAULT_USER_ID,
        message_id=999_999,
        text="新",
    )

    assert (400, bad_request("message to edit not found")) == (status, body)


async def test_edit_with_the_same_text_and_markup_is_not_modified(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    _, sent = await send(session, fake_bot_api, "<b>同</b>", parse_mode="HTML")
    message = sent["result"]

    status, body = await call(
        session,
        fake_bot_api,
        "editMessageText",
        chat_id=message["chat"]["id"],
        message_id=message["message_id"],
        text="<b>同</b>",
        parse_mode="HTML",
    )

    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified")


async def test_callback_query_can_be_answered_once(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    update = fake_bot_api.push_update(updates.callback_query("page:2"))
    query_id = update["callback_query"]["id"]

    first, _ = await call(session, fake_bot_api, "answerCallbackQuery", callback_query_id=query_id)
    second, _ = await call(session, fake_bot_api, "answerCallbackQuery", callback_query_id=query_id)

    assert (first, second) == (200, 400)
    assert [{"callback_query_id": query_id}] == fake_bot_api.callback_answers


def article(result_id: str, text: str = "答案") -> JSONDict:
    return {
        "type": "article",
        "id": result_id,
        "title": "标题",
        "input_message_content": {"message_text": text, "parse_mode": "HTML"},
    }


@pytest.mark.parametrize(
    ("results", "description"),
    [
        ([article(str(n)) for n in range(51)], "RESULTS_TOO_MUCH"),
        ([article("1"), article("1")], "RESULT_ID_DUPLICATE"),
        ([article("x" * 65)], "RESULT_ID_INVALID"),
        (
            [article("1", "<p>段</p>")],
            'can\'t parse entities: Unsupported start tag "p" at byte offset 0',
        ),
        ([article("1", "长" * 4097)], "message is too long"),
    ],
)
async def test_answer_inline_query_validates_results(
    fake_bot_api: FakeBotApi,
    session: aiohttp.ClientSession,
    results: list[JSONDict],
    description: str,
) -> None:
    update = fake_bot_api.push_update(updates.inline_query("通胀"))

    status, body = await call(
        session,
        fake_bot_api,
        "answerInlineQuery",
        inline_query_id=update["inline_query"]["id"],
        results=results,
    )

    assert (400, bad_request(description)) == (status, body)


async def test_commands_are_stored_per_scope_and_language(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    ask = [{"command": "ask", "description": "提问"}]
    private = {"type": "all_private_chats"}

    await call(session, fake_bot_api, "setMyCommands", commands=ask, language_code="zh")
    await call(session, fake_bot_api, "setMyCommands", commands=ask, scope=private)
    _, default = await call(session, fake_bot_api, "getMyCommands")
    _, chinese = await call(session, fake_bot_api, "getMyCommands", language_code="zh")

    assert ([], ask) == (default["result"], chinese["result"])
    assert {("default", "zh"): ask, ("all_private_chats", ""): ask} == fake_bot_api.commands
    assert ask == fake_bot_api.commands_for(private)


# --- fault injection -------------------------------------------------------------------------


async def test_fail_next_429_returns_retry_after_once(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    fake_bot_api.fail_next("sendMessage", status=429, retry_after=3)

    throttled = await send(session, fake_bot_api, "一")
    accepted, _ = await send(session, fake_bot_api, "二")

    assert throttled == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )
    assert accepted == 200


async def test_fail_next_5xx_fails_the_given_number_of_times(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    fake_bot_api.fail_next("getMe", status=502, times=2)

    statuses = [(await call(session, fake_bot_api, "getMe"))[0] for _ in range(3)]

    assert statuses == [502, 502, 200]


async def test_fail_for_fails_every_call_until_the_time_passes(
    fake_bot_api: FakeBotApi, session: aiohttp.ClientSession
) -> None:
    fake_bot_api.fail_for("getUpdates", 0.2, status=500)

    during, _ = await call(session, fake_bot_api, "getUpdates")
    await asyncio.sleep(0.25)
    after, _ = await call(session, fake_bot_api, "getUpdates")

    assert (during, after) == (500, 200)


# --- factories -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("update", "entity_text"),
    [
        (updates.command("/ask@interview_test_bot 问题"), "/ask@interview_test_bot"),
        (updates.command("/start", chat_type="supergroup"), "/start"),
        (updates.mention("😀请问 @interview_test_bot 他说过什么？"), "@interview_test_bot"),
    ],
)
def test_factory_entities_cover_their_text_in_utf16_units(
    update: JSONDict, entity_text: str
) -> None:
    message = Update.de_json(update, None).message
    assert message is not None

    assert [entity_text] == list(message.parse_entities().values())


def test_topic_message_without_a_reply_replies_to_the_topic_root() -> None:
    update = updates.group_text("话题里", is_forum=True, message_thread_id=7)

    root = update["message"]["reply_to_message"]
    assert (root["message_id"], "forum_topic_created" in root) == (7, True)


# --- the real python-telegram-bot against the fake --------------------------------------------


def build_application(api: FakeBotApi) -> Application:  # type: ignore[type-arg]
    return (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .get_updates_read_timeout(2)
        .build()
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the text the user sent."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


@contextlib.asynccontextmanager
async def polling(application: Application) -> AsyncIterator[None]:  # type: ignore[type-arg]
    """Run ``application`` with long polling for the duration of the block."""
    assert application.updater is not None
    async with application:
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


async def test_ptb_application_polls_the_fake_and_its_echo_is_recorded(
    fake_bot_api: FakeBotApi,
) -> None:
    application = build_application(fake_bot_api)
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))

    async with polling(application):
        fake_bot_api.push_update(updates.private_text("你好，机器人"))
        [reply] = await fake_bot_api.wait_for_requests("sendMessage", 1, timeout=5)

    assert (reply.status, fake_bot_api.sent_messages[0]["text"]) == (200, "你好，机器人")
    assert reply.received_at > fake_bot_api.pushed_updates[0].pushed_at
    assert all(request.status != 409 for request in fake_bot_api.requests)


async def test_ptb_polling_survives_a_get_updates_outage(fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.fail_for("getUpdates", 0.5, status=502)  # PTB retries after 1 s
    application = build_application(fake_bot_api)
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async with polling(application):
        fake_bot_api.push_update(updates.private_text("还在吗"))
        await fake_bot_api.wait_for_requests("sendMessage", 1, timeout=5)

    assert [r.status for r in fake_bot_api.calls("getUpdates")][:2] == [502, 200]


async def test_ptb_sends_form_encoded_parameters(fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.push_update(updates.private_text("你好"))

    async with Bot(
        fake_bot_api.token,
        base_url=fake_bot_api.base_url,
        base_file_url=fake_bot_api.base_file_url,
    ) as bot:
        await bot.send_message(updates.DEFAULT_USER_ID, "<b>粗</b>", parse_mode="HTML")

    [request] = fake_bot_api.calls("sendMessage")
    assert request.content_type == "application/x-www-form-urlencoded"
    assert (request.params) == {
        "chat_id": updates.DEFAULT_USER_ID,
        "text": "<b>粗</b>",
        "parse_mode": "HTML",
    }
