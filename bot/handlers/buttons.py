"""Inline-keyboard buttons: other answers, context, source, suggested topics, /sources pages.

Payloads are described in ``bot.keys``; each handler answers its callback query once.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot import texts
from bot.delivery import edit, reply
from bot.handlers.questions import answer_question, question_text
from bot.keys import Action, Button, digest, parse_callback
from bot.render import (
    MAX_TOPICS,
    render_answer,
    render_context,
    render_interview_card,
    render_sources,
)
from bot.state import Context
from knowledge.models import Answer, Match


def pattern(action: Action) -> str:
    """The ``CallbackQueryHandler`` pattern for one kind of button."""
    return f"^{action.value}:"


def _words(query: CallbackQuery) -> texts.Words:
    return texts.for_message(None, query.from_user.language_code)


def _message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


def _asked(query: CallbackQuery) -> str | None:
    """The question the user's message asked, when the button's message replies to it."""
    message = _message(query)
    original = message.reply_to_message if message else None
    return question_text(original) if original and original.text else None


async def _answer_of(query: CallbackQuery, button: Button, context: Context) -> Answer | None:
    return await context.bot_data.answer_for(button.key, _asked(query))


def _match(answer: Answer | None, number: int) -> Match | None:
    if answer is None or not answer.answered or not 0 <= number < len(answer.results):
        return None
    return answer.results[number]


async def _expired(query: CallbackQuery) -> None:
    await query.answer(_words(query)("expired"), show_alert=True)


def _parsed(update: Update) -> tuple[CallbackQuery, Button | None] | None:
    query = update.callback_query
    if query is None:
        return None
    return query, parse_callback(query.data)


async def page(update: Update, context: Context) -> None:
    """Show another match for the same question by editing the message."""
    parsed = _parsed(update)
    if parsed is None:
        return
    query, button = parsed
    answer = await _answer_of(query, button, context) if button else None
    if button is None or _match(answer, button.number) is None or answer is None:
        await _expired(query)
        return
    await query.answer()
    rendered = render_answer(
        answer, texts.for_answer(answer), key=button.key, page=button.number, single=True
    )
    await edit(query, rendered)


async def context_turns(update: Update, context: Context) -> None:
    """Reply with the turns around the quoted answer, verbatim."""
    parsed = _parsed(update)
    if parsed is None:
        return
    query, button = parsed
    answer = await _answer_of(query, button, context) if button else None
    match = _match(answer, button.number) if button else None
    message = _message(query)
    interview = await context.bot_data.kb.interview(match.interview_id) if match else None
    if answer is None or match is None or interview is None or message is None:
        await _expired(query)
        return
    await query.answer()
    await reply(message, render_context(interview, match.turn, texts.for_answer(answer)))


async def source(update: Update, context: Context) -> None:
    """Reply with the card of the interview the quote comes from."""
    parsed = _parsed(update)
    if parsed is None:
        return
    query, button = parsed
    answer = await _answer_of(query, button, context) if button else None
    match = _match(answer, button.number) if button else None
    message = _message(query)
    interview = await context.bot_data.kb.interview(match.interview_id) if match else None
    if answer is None or interview is None or message is None:
        await _expired(query)
        return
    await query.answer()
    await reply(message, render_interview_card(interview, texts.for_answer(answer)))


async def topic(update: Update, context: Context) -> None:
    """Ask the suggested topic that was tapped."""
    parsed = _parsed(update)
    if parsed is None:
        return
    query, button = parsed
    state = context.bot_data
    chosen = state.recall(button.key) if button else None
    asked = _asked(query)
    if chosen is None and button is not None and asked:
        # Forgotten (a restart): the declined question's topics hash back to the key.
        _, declined = await state.ask(asked)
        chosen = next((t for t in declined.topics[:MAX_TOPICS] if digest(t) == button.key), None)
    message = _message(query)
    if chosen is None or message is None:
        await _expired(query)
        return
    await query.answer()
    await answer_question(message, context, chosen)


async def interview(update: Update, context: Context) -> None:
    """Reply with the card of an interview picked from /sources."""
    parsed = _parsed(update)
    if parsed is None:
        return
    query, button = parsed
    found = await context.bot_data.interview_by_key(button.key) if button else None
    message = _message(query)
    if found is None or message is None:
        await _expired(query)
        return
    await query.answer()
    await reply(message, render_interview_card(found, _words(query)))


async def sources_page(update: Update, context: Context) -> None:
    """Show another page of /sources by editing the message."""
    parsed = _parsed(update)
    if parsed is None:
        return
    query, button = parsed
    if button is None:
        await _expired(query)
        return
    state = context.bot_data
    summaries = await state.kb.interviews()
    for summary in summaries:
        state.remember(summary.id)
    await query.answer()
    await edit(query, render_sources(summaries, _words(query), button.number))


async def stale(update: Update, context: Context) -> None:
    """Tell the user that a button this bot no longer understands has expired."""
    if update.callback_query is not None:
        await _expired(update.callback_query)
