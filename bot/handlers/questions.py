"""Questions: any text in a private chat; in groups only what is addressed to the bot."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity, Update
from telegram.ext import filters

from bot import texts
from bot.delivery import reply
from bot.render import MAX_TOPICS, render_answer, render_notice
from bot.state import Context

_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?\s*")


class _AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: they mention it, or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        # In a forum topic every message "replies" to the topic's first message: not a reply.
        topic_root = (
            message.is_topic_message
            and replied is not None
            and (replied.message_id == message.message_thread_id)
        )
        if replied and not topic_root and replied.from_user and replied.from_user.id == bot.id:
            return True
        username = (bot.username or "").lower()
        for entity, text in message.parse_entities(
            [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        ).items():
            if entity.type == MessageEntity.MENTION and text[1:].lower() == username:
                return True
            if entity.user is not None and entity.user.id == bot.id:
                return True
        return False


ADDRESSED_TO_BOT = _AddressedToBot(name="ADDRESSED_TO_BOT")


def question_text(message: Message) -> str:
    """The question in a message: its text without a leading /command or mentions of the bot."""
    text = message.text or ""
    text = _COMMAND.sub("", text, count=1)
    username = message.get_bot().username
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return text.strip()


async def answer_question(message: Message, context: Context, question: str) -> None:
    """Ask the knowledge base and reply to ``message`` with the rendered answer."""
    state = context.bot_data
    key, answer = await state.ask(question)
    topic_keys = [state.remember(topic) for topic in answer.topics[:MAX_TOPICS]]
    words = texts.for_answer(answer)
    await reply(message, render_answer(answer, words, key=key, topic_keys=topic_keys))


async def private_question(update: Update, context: Context) -> None:
    """Treat any text sent in a private chat as a question."""
    message = update.effective_message
    if message is not None:
        await answer_question(message, context, question_text(message))


async def group_question(update: Update, context: Context) -> None:
    """Answer a group message that mentions the bot or replies to one of its messages."""
    message = update.effective_message
    if message is None:
        return
    question = question_text(message)
    if question:
        await answer_question(message, context, question)


async def ask(update: Update, context: Context) -> None:
    """Answer ``/ask question`` (also ``/ask@botname question``), in any chat."""
    message = update.effective_message
    if message is None:
        return
    question = question_text(message)
    if not question:
        user = update.effective_user
        words = texts.for_message(None, user.language_code if user else None)
        await reply(message, render_notice(words, "ask_usage"))
        return
    await answer_question(message, context, question)
