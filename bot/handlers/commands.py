"""/start (with deep-link payloads), /help and /sources."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.delivery import reply
from bot.handlers.questions import answer_question
from bot.keys import parse_start
from bot.render import render_greeting, render_interview_card, render_sources
from bot.state import Context


def _words(update: Update) -> texts.Words:
    user = update.effective_user
    return texts.for_message(None, user.language_code if user else None)


async def start(update: Update, context: Context) -> None:
    """Greet the user, or open what a deep link asks for: a question or an interview."""
    message = update.effective_message
    if message is None:
        return
    payload = parse_start(context.args[0]) if context.args else None
    if payload is not None and payload.question:
        await answer_question(message, context, payload.question)
        return
    if payload is not None and payload.interview_key:
        interview = await context.bot_data.interview_by_key(payload.interview_key)
        if interview is not None:
            words = texts.for_message(interview.title, None)
            await reply(message, render_interview_card(interview, words))
            return
    await reply(message, render_greeting(_words(update), "start"))


async def help_command(update: Update, context: Context) -> None:
    """Explain how to ask, with examples and the commands."""
    message = update.effective_message
    if message is not None:
        await reply(message, render_greeting(_words(update), "help", username=context.bot.username))


async def sources(update: Update, context: Context) -> None:
    """List the interviews the bot can quote from."""
    message = update.effective_message
    if message is None:
        return
    state = context.bot_data
    summaries = await state.kb.interviews()
    for summary in summaries:
        state.remember(summary.id)
    await reply(message, render_sources(summaries, _words(update)))
