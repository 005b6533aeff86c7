"""Inline mode: ``@botname words`` offers quotes to insert, each with its source and date."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode

from bot import texts
from bot.keys import question_payload
from bot.render import inline_description, inline_title, render_inline
from bot.state import Context

CACHE_SECONDS = 300
MAX_RESULTS = 10


async def inline_query(update: Update, context: Context) -> None:
    """Offer up to ten quotes that answer the typed words."""
    query = update.inline_query
    if query is None:
        return
    question = query.query.strip()
    if not question:
        words = texts.for_message(None, query.from_user.language_code)
        hint = InlineQueryResultsButton(text=words("inline_hint"), start_parameter="help")
        await query.answer([], cache_time=CACHE_SECONDS, button=hint)
        return
    key, answer = await context.bot_data.ask(question, top_k=MAX_RESULTS)
    words = texts.for_answer(answer)
    results = []
    if answer.kind == "answer" and answer.answered:
        for number, match in enumerate(answer.results[:MAX_RESULTS]):
            content = render_inline(match, words)
            if content is None:
                continue
            results.append(
                InlineQueryResultArticle(
                    id=f"{key}-{number}",
                    title=inline_title(match),
                    description=inline_description(match),
                    input_message_content=InputTextMessageContent(
                        content,
                        parse_mode=ParseMode.HTML,
                        link_preview_options=LinkPreviewOptions(is_disabled=True),
                    ),
                )
            )
    button: InlineQueryResultsButton | None = None
    if not results:
        payload = question_payload(question) or "help"
        button = InlineQueryResultsButton(text=words("inline_none"), start_parameter=payload)
    await query.answer(results, cache_time=CACHE_SECONDS, button=button)
