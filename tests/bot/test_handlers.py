"""Handlers, through the real Application, over hand-made answers (exact shapes)."""

from __future__ import annotations

import logging

import pytest
from botdoubles import (
    BOT_USERNAME,
    GROUP_ID,
    QUOTE,
    FakeKnowledge,
    RecordingRequest,
    Updates,
    feed,
    make_answer,
    make_match,
    make_settings,
    started,
    stopped,
)

from bot.app import BotApplication, build_application
from bot.keys import Action, callback_data, digest, question_payload
from bot.state import TOP_K

QUESTION = "整合依靠什么？"


def buttons(params: dict) -> list[tuple[str, str]]:
    rows = params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(button["text"], button.get("callback_data", "")) for row in rows for button in row]


async def test_private_question_is_answered_as_a_reply_with_the_quote(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    update = updates.text(QUESTION)

    await feed(fake_app, update)

    [sent] = request_recorder.to("sendMessage")
    assert sent["chat_id"] == 1001
    assert sent["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert sent["parse_mode"] == "HTML"
    assert f"<blockquote>{QUOTE}</blockquote>" in sent["text"]
    assert "<b>高涌濤</b>" in sent["text"]
    assert "2019-05-11" in sent["text"]


async def test_answer_buttons_page_context_and_source(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    fake_knowledge.answers[QUESTION] = make_answer(results=[make_match(), make_match(turn=7)])

    await feed(fake_app, updates.text(QUESTION))

    key = digest(QUESTION)
    [sent] = request_recorder.to("sendMessage")
    assert buttons(sent) == [
        ("其他回答 ›", f"p:{key}:1"),
        ("上下文", f"c:{key}:0"),
        ("来源", f"s:{key}:0"),
    ]


async def test_edited_message_is_not_answered_again(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.update(edited_message=updates.message(QUESTION)))

    assert request_recorder.to("sendMessage") == []


async def test_decline_offers_the_closest_topics_as_buttons(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text("火星上有应急管理厅吗？"))

    [sent] = request_recorder.to("sendMessage")
    assert "没有找到能可靠回答" in sent["text"]
    assert buttons(sent) == [
        ("应急管理厅整合了哪些职责？", f"t:{digest('应急管理厅整合了哪些职责？')}:0"),
        ("值守应急工作有什么变化？", f"t:{digest('值守应急工作有什么变化？')}:0"),
    ]


async def test_tapping_a_topic_asks_it(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    asked = updates.message("火星上有应急管理厅吗？")
    await feed(fake_app, updates.update(message=asked))
    topic = "应急管理厅整合了哪些职责？"
    fake_knowledge.answers[topic] = make_answer(topic)

    decline = updates.bot_message(reply_to=asked)
    await feed(fake_app, updates.callback(f"t:{digest(topic)}:0", message=decline))

    assert (topic, TOP_K) in fake_knowledge.asked
    assert request_recorder.to("answerCallbackQuery")[-1].get("text") is None
    assert f"<blockquote>{QUOTE}</blockquote>" in request_recorder.to("sendMessage")[-1]["text"]


# --- groups ----------------------------------------------------------------------------


async def test_group_message_without_mention_is_ignored(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text(QUESTION, chat_type="supergroup"))

    assert request_recorder.to("sendMessage") == []


async def test_group_ask_command_with_bot_name_is_answered(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    await feed(fake_app, updates.text(f"/ask@{BOT_USERNAME} {QUESTION}", chat_type="supergroup"))

    assert fake_knowledge.asked == [(QUESTION, TOP_K)]
    [sent] = request_recorder.to("sendMessage")
    assert sent["chat_id"] == GROUP_ID
    assert f"<blockquote>{QUOTE}</blockquote>" in sent["text"]


async def test_group_ask_command_for_another_bot_is_ignored(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text(f"/ask@OtherBot {QUESTION}", chat_type="supergroup"))

    assert request_recorder.to("sendMessage") == []


async def test_ask_without_question_explains_usage(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text("/ask", chat_type="group"))

    [sent] = request_recorder.to("sendMessage")
    assert sent["text"] == "用法：/ask 你的问题"


async def test_group_mention_is_answered_without_the_mention(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    text = f"@{BOT_USERNAME} {QUESTION}"

    await feed(fake_app, updates.text(text, chat_type="supergroup", entities=updates.mention(text)))

    assert fake_knowledge.asked == [(QUESTION, TOP_K)]
    assert len(request_recorder.to("sendMessage")) == 1


async def test_group_reply_to_the_bot_is_answered(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    earlier = updates.bot_message(chat_id=GROUP_ID)

    await feed(fake_app, updates.text(QUESTION, chat_type="supergroup", reply_to=earlier))

    assert fake_knowledge.asked == [(QUESTION, TOP_K)]
    assert len(request_recorder.to("sendMessage")) == 1


async def test_group_reply_to_someone_else_is_ignored(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    earlier = updates.message("我觉得……", user_id=2002, chat_type="supergroup")

    await feed(fake_app, updates.text(QUESTION, chat_type="supergroup", reply_to=earlier))

    assert request_recorder.to("sendMessage") == []


async def test_forum_topic_answer_stays_in_the_topic(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(
        fake_app,
        updates.text(f"/ask {QUESTION}", chat_type="supergroup", thread_id=77),
    )

    [sent] = request_recorder.to("sendMessage")
    assert sent["message_thread_id"] == 77


async def test_message_in_a_topic_the_bot_opened_is_not_a_reply_to_the_bot(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    topic_root = updates.bot_message(chat_id=GROUP_ID) | {"message_id": 77}

    await feed(
        fake_app,
        updates.text(QUESTION, chat_type="supergroup", thread_id=77, reply_to=topic_root),
    )

    assert request_recorder.to("sendMessage") == []


# --- commands --------------------------------------------------------------------------


async def test_start_greets_with_examples(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text("/start"))

    [sent] = request_recorder.to("sendMessage")
    assert "原话" in sent["text"]
    assert "可以这样问" in sent["text"]


async def test_start_with_a_question_payload_asks_it(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    await feed(fake_app, updates.text(f"/start {question_payload(QUESTION)}"))

    assert fake_knowledge.asked == [(QUESTION, TOP_K)]
    assert QUOTE in request_recorder.to("sendMessage")[0]["text"]


async def test_start_with_an_interview_payload_shows_its_card(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text(f"/start i_{digest('gd-2019-emergency')}"))

    [sent] = request_recorder.to("sendMessage")
    assert "廣東省人民政府門戶網站" in sent["text"]


async def test_help_in_english_for_english_users(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text("/help", language_code="en"))

    [sent] = request_recorder.to("sendMessage")
    assert "For example:" in sent["text"]
    assert f"@{BOT_USERNAME}" in sent["text"]


async def test_help_in_traditional_for_traditional_users(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text("/help", language_code="zh-hant"))

    [sent] = request_recorder.to("sendMessage")
    assert "可以這樣問" in sent["text"]


async def test_sources_lists_interviews_with_card_buttons(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.text("/sources"))

    [sent] = request_recorder.to("sendMessage")
    assert "專訪省應急管理廳副廳長高涌濤" in sent["text"]
    assert buttons(sent) == [
        ("1. 專訪省應急管理廳副廳長高涌濤", f"i:{digest('gd-2019-emergency')}:0")
    ]


# --- buttons ---------------------------------------------------------------------------


@pytest.fixture
def two_matches(fake_knowledge: FakeKnowledge) -> None:
    second = make_match(turn=7, quote="第二个回答。", answer_text="第二个回答。", speaker="李四")
    fake_knowledge.answers[QUESTION] = make_answer(results=[make_match(), second])


@pytest.mark.usefixtures("two_matches")
async def test_other_answers_edits_the_message_to_the_next_match(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    asked = updates.message(QUESTION)
    answer_message = updates.bot_message(reply_to=asked)

    await feed(fake_app, updates.callback(f"p:{digest(QUESTION)}:1", message=answer_message))

    [edited] = request_recorder.to("editMessageText")
    assert edited["message_id"] == answer_message["message_id"]
    assert "<blockquote>第二个回答。</blockquote>" in edited["text"]
    assert "<b>李四</b>" in edited["text"]
    assert ("‹ 上一条", f"p:{digest(QUESTION)}:0") in buttons(edited)
    assert len(request_recorder.to("answerCallbackQuery")) == 1
    assert request_recorder.to("sendMessage") == []


@pytest.mark.usefixtures("two_matches")
async def test_buttons_still_work_after_a_restart_from_the_replied_question(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    asked = updates.message(QUESTION)  # never seen by this process: nothing cached
    answer_message = updates.bot_message(reply_to=asked)

    await feed(fake_app, updates.callback(f"p:{digest(QUESTION)}:1", message=answer_message))

    assert fake_knowledge.asked == [(QUESTION, TOP_K)]
    assert len(request_recorder.to("editMessageText")) == 1


async def test_unknown_button_answers_expired(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.callback("p:AAAAAAAAAAAA:1", message=updates.bot_message()))

    [answered] = request_recorder.to("answerCallbackQuery")
    assert answered["text"] == "这个按钮已失效，请重新提问。"
    assert request_recorder.to("editMessageText") == []


async def test_foreign_button_data_answers_expired(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.callback("page:2", message=updates.bot_message()))

    assert len(request_recorder.to("answerCallbackQuery")) == 1


async def test_context_button_replies_with_the_turns_around_the_answer(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    asked = updates.message(QUESTION)

    await feed(
        fake_app,
        updates.callback(
            callback_data(Action.CONTEXT, digest(QUESTION), 0),
            message=updates.bot_message(reply_to=asked),
        ),
    )

    [sent] = request_recorder.to("sendMessage")
    assert "第4輪的話。" in sent["text"]
    assert "第6輪的話。" in sent["text"]
    assert sent["reply_parameters"]["message_id"] == 9_000


async def test_source_button_replies_with_the_interview_card(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    asked = updates.message(QUESTION)

    await feed(
        fake_app,
        updates.callback(
            callback_data(Action.SOURCE, digest(QUESTION), 0),
            message=updates.bot_message(reply_to=asked),
        ),
    )

    [sent] = request_recorder.to("sendMessage")
    for expected in ("專訪省應急管理廳副廳長高涌濤", "廣東省人民政府門戶網站", "2019-05-11", "8"):
        assert expected in sent["text"]


async def test_interview_button_from_sources_replies_with_the_card(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(
        fake_app,
        updates.callback(
            callback_data(Action.INTERVIEW, digest("gd-2019-emergency")),
            message=updates.bot_message(),
        ),
    )

    assert "廣東省人民政府門戶網站" in request_recorder.to("sendMessage")[0]["text"]


async def test_double_tap_on_the_same_page_is_not_an_error(
    fake_app: BotApplication,
    request_recorder: RecordingRequest,
    updates: Updates,
    caplog: pytest.LogCaptureFixture,
) -> None:
    request_recorder.fail(
        "editMessageText",
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: message is not modified"},
    )
    asked = updates.message(QUESTION)

    with caplog.at_level(logging.ERROR):
        await feed(
            fake_app,
            updates.callback(
                f"p:{digest(QUESTION)}:0", message=updates.bot_message(reply_to=asked)
            ),
        )

    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


# --- inline mode -----------------------------------------------------------------------


async def test_inline_query_offers_quotes_with_source_and_date(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
) -> None:
    matches = [make_match(turn=n) for n in range(12)]
    fake_knowledge.answers[QUESTION] = make_answer(results=matches)

    await feed(fake_app, updates.inline(QUESTION))

    [answered] = request_recorder.to("answerInlineQuery")
    results = answered["results"]
    assert len(results) == 10
    assert fake_knowledge.asked == [(QUESTION, 10)]
    first = results[0]
    assert first["type"] == "article"
    content = first["input_message_content"]["message_text"]
    assert f"<blockquote>{QUOTE}</blockquote>" in content
    assert "《專訪省應急管理廳副廳長高涌濤》" in content
    assert "2019-05-11" in content
    assert all(len(r["id"].encode()) <= 64 for r in results)


async def test_inline_query_without_answer_offers_to_ask_in_private(
    fake_app: BotApplication, request_recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(fake_app, updates.inline("火星"))

    [answered] = request_recorder.to("answerInlineQuery")
    assert answered["results"] == []
    assert answered["button"]["start_parameter"] == question_payload("火星")


# --- errors ----------------------------------------------------------------------------


async def test_error_is_logged_with_traceback_and_the_user_told_briefly(
    fake_app: BotApplication,
    fake_knowledge: FakeKnowledge,
    request_recorder: RecordingRequest,
    updates: Updates,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(query: str, *, top_k: int = 3) -> None:
        raise RuntimeError("database file is corrupt at /secret/path")

    monkeypatch.setattr(fake_knowledge, "ask", broken)

    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await feed(fake_app, updates.text(QUESTION))

    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    [sent] = request_recorder.to("sendMessage")
    assert sent["text"] == "抱歉，处理时出了点问题，请稍后再试。"


async def test_error_handler_survives_a_failing_apology(
    fake_app: BotApplication,
    request_recorder: RecordingRequest,
    updates: Updates,
    caplog: pytest.LogCaptureFixture,
) -> None:
    request_recorder.fail(
        "sendMessage", 403, {"ok": False, "error_code": 403, "description": "Forbidden"}, times=2
    )

    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        await feed(fake_app, updates.text(QUESTION))

    assert any("Could not tell the user" in r.getMessage() for r in caplog.records)
    assert not any(r.getMessage() == "The error handler failed" for r in caplog.records)


async def test_polling_network_errors_are_one_warning_line(
    fake_app: BotApplication, caplog: pytest.LogCaptureFixture
) -> None:
    from telegram.error import NetworkError

    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        await fake_app.process_error(update=None, error=NetworkError("Bad Gateway (502)"))

    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None


async def test_admins_get_one_line_naming_the_error(
    request_recorder: RecordingRequest,
    fake_knowledge: FakeKnowledge,
    updates: Updates,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(query: str, *, top_k: int = 3) -> None:
        raise RuntimeError("secret internals")

    application = build_application(
        make_settings(admin_ids="42"), knowledge=fake_knowledge, request=request_recorder
    )
    await started(application)
    monkeypatch.setattr(fake_knowledge, "ask", broken)
    await feed(application, updates.text(QUESTION))
    await stopped(application)

    [note] = [sent for sent in request_recorder.to("sendMessage") if sent["chat_id"] == 42]
    assert note["text"].endswith(": RuntimeError")
    assert "secret internals" not in note["text"]
