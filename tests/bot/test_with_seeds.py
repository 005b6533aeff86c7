"""The bot over the real knowledge base built from the seeds, end to end in process."""

from __future__ import annotations

import html
import re

import pytest
from botdoubles import SEEDS, RecordingRequest, Updates, feed

from bot.app import BotApplication
from bot.keys import digest

REFORM = "应急管理机构改革进展如何？"
REFORM_HANT = "應急管理機構改革進展如何？"
INNER_MONGOLIA_HANT = "內蒙古應急救援隊伍建設"
ENGLISH = "What did the official say about the emergency management reform?"
UNANSWERABLE = "火星上有应急管理厅吗？"


def seed_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))


def first_quote(text: str) -> str:
    found = re.search(r"<blockquote>(.*?)</blockquote>", text, re.DOTALL)
    assert found is not None
    return html.unescape(found.group(1))


def buttons(params: dict) -> list[tuple[str, str]]:
    rows = params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(button["text"], button.get("callback_data", "")) for row in rows for button in row]


@pytest.fixture
def recorder(request_recorder: RecordingRequest) -> RecordingRequest:
    return request_recorder


async def test_private_question_is_answered_with_a_verbatim_quote_and_its_source(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    update = updates.text(REFORM)

    await feed(app, update)

    [sent] = recorder.to("sendMessage")
    assert sent["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert first_quote(sent["text"]) in seed_text()
    assert "<blockquote expandable>" in sent["text"]
    assert "<b>高涌濤</b>，省應急管理廳副廳長" in sent["text"]
    assert "《專訪省應急管理廳副廳長高涌濤》" in sent["text"]
    assert "2019-05-11" in sent["text"]
    assert "<b>问：</b>" in sent["text"]


async def test_traditional_question_gets_traditional_words_and_the_source_script(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(app, updates.text(INNER_MONGOLIA_HANT, language_code="zh-hant"))

    [sent] = recorder.to("sendMessage")
    quote = first_quote(sent["text"])
    assert quote in seed_text()  # the Simplified source, not converted
    assert "咱们" in quote
    assert "機器改寫" in sent["text"]  # the bot's own words, in Traditional
    assert "來源" in [text for text, _ in buttons(sent)]


async def test_english_question_gets_english_words(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(app, updates.text(ENGLISH, language_code="en"))

    [sent] = recorder.to("sendMessage")
    assert first_quote(sent["text"]) in seed_text()
    assert "Question:" in sent["text"]
    assert [text for text, _ in buttons(sent)][-2:] == ["Context", "Source"]


async def test_unanswerable_question_is_declined_with_topics(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(app, updates.text(UNANSWERABLE))

    [sent] = recorder.to("sendMessage")
    assert "没有找到能可靠回答" in sent["text"]
    assert "<blockquote>" not in sent["text"]
    topics = buttons(sent)
    assert topics
    assert all(data.startswith("t:") for _, data in topics)


async def test_greeting_gets_a_friendly_text(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(app, updates.text("你好"))

    [sent] = recorder.to("sendMessage")
    assert "可以这样问" in sent["text"]


async def test_paging_context_and_source_over_the_seeds(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    asked = updates.message(ENGLISH, language_code="en")
    await feed(app, updates.update(message=asked))
    [sent] = recorder.to("sendMessage")
    answer_message = updates.bot_message(sent["text"], reply_to=asked)
    key = digest(ENGLISH)

    await feed(app, updates.callback(f"p:{key}:1", message=answer_message))
    await feed(app, updates.callback(f"c:{key}:1", message=answer_message))
    await feed(app, updates.callback(f"s:{key}:1", message=answer_message))

    [edited] = recorder.to("editMessageText")
    assert first_quote(edited["text"]) in seed_text()
    assert first_quote(edited["text"]) != first_quote(sent["text"])
    context, card = recorder.to("sendMessage")[1:]
    assert "👉" in context["text"]
    assert "Turns: " in card["text"]
    assert len(recorder.to("answerCallbackQuery")) == 3


async def test_sources_lists_the_seed_interviews(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(app, updates.text("/sources"))

    [sent] = recorder.to("sendMessage")
    assert "共 2 篇" in sent["text"]
    assert len(buttons(sent)) == 2


async def test_inline_query_over_the_seeds(
    app: BotApplication, recorder: RecordingRequest, updates: Updates
) -> None:
    await feed(app, updates.inline(REFORM_HANT))

    [answered] = recorder.to("answerInlineQuery")
    assert 1 <= len(answered["results"]) <= 10
    for result in answered["results"]:
        content = result["input_message_content"]["message_text"]
        assert first_quote(content) in seed_text()
        assert "2019-05-11" in content
