"""``build_application``: the one place the Telegram Application is built and wired."""

from __future__ import annotations

import gc
import logging
import os
from typing import Any, TypeAlias

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import texts
from bot.config import Settings
from bot.errors import error_handler
from bot.handlers import buttons, commands, inline, questions
from bot.keys import Action
from bot.state import BotState, Context, Knowledge
from knowledge.engine import KnowledgeBase

logger = logging.getLogger(__name__)

BotApplication: TypeAlias = Application[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotState, Any
]

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
"""The updates the bot handles; ask Telegram for nothing else."""

COMMANDS = ("start", "help", "ask", "sources")


def build_application(
    settings: Settings,
    *,
    knowledge: Knowledge | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> BotApplication:
    """The Application with every handler and the error handler registered.

    ``knowledge`` is used as is (and left open) when given; otherwise ``post_init`` opens
    the knowledge base from the settings and ``post_shutdown`` closes it. ``request`` and
    ``get_updates_request`` replace PTB's HTTP clients, as tests do.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # Opt in to PTB's timedelta time periods: without it every 429 (RetryAfter) raises a
    # PTBDeprecationWarning inside the rate limiter.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(ContextTypes(bot_data=BotState))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,
            )
        )
        .concurrent_updates(settings.concurrent_updates)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.rate_limiter:
        # A 429 makes the limiter wait retry_after and send again instead of losing the reply.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=settings.rate_limit_retries))
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: BotApplication = builder.build()

    state = application.bot_data
    state.settings = settings
    state.admin_ids = settings.admin_ids
    state.knowledge = knowledge
    _register(application)
    return application


def _register(application: BotApplication) -> None:
    """Every handler, in one place. Order matters: the first matching handler wins."""
    new_message = filters.UpdateType.MESSAGE  # edits are not new questions
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            CommandHandler("start", commands.start, filters=new_message),
            CommandHandler("help", commands.help_command, filters=new_message),
            CommandHandler("sources", commands.sources, filters=new_message),
            CommandHandler("ask", questions.ask, filters=new_message),
            MessageHandler(
                new_message & private & filters.TEXT & ~filters.COMMAND,
                questions.private_question,
            ),
            MessageHandler(
                new_message & groups & filters.TEXT & ~filters.COMMAND & questions.ADDRESSED_TO_BOT,
                questions.group_question,
            ),
            # An unknown command in a private chat gets the help; in groups it is not for us.
            MessageHandler(new_message & private & filters.COMMAND, commands.help_command),
            InlineQueryHandler(inline.inline_query),
            CallbackQueryHandler(buttons.page, pattern=buttons.pattern(Action.PAGE)),
            CallbackQueryHandler(buttons.context_turns, pattern=buttons.pattern(Action.CONTEXT)),
            CallbackQueryHandler(buttons.source, pattern=buttons.pattern(Action.SOURCE)),
            CallbackQueryHandler(buttons.topic, pattern=buttons.pattern(Action.TOPIC)),
            CallbackQueryHandler(buttons.interview, pattern=buttons.pattern(Action.INTERVIEW)),
            CallbackQueryHandler(buttons.sources_page, pattern=buttons.pattern(Action.SOURCES)),
            CallbackQueryHandler(buttons.stale),
        ]
    )
    application.add_error_handler(error_handler)


async def _post_init(application: BotApplication) -> None:
    """Open and warm the knowledge base (unless one was given), then publish the commands."""
    state = application.bot_data
    if state.knowledge is None:
        state.knowledge = await open_knowledge(state.settings)
        state.owns_knowledge = True
    summaries = await state.kb.interviews()
    for summary in summaries:
        state.remember(summary.id)
    await state.kb.ask(texts.EXAMPLES_ZH[0])
    # The index is millions of long-lived objects: keep full collections from rescanning
    # them (a 50-70 ms pause at 100k passages, landing on some unlucky user's answer).
    gc.freeze()
    logger.info("Knowledge base ready with %s interviews", len(summaries))
    await set_commands(application)


async def _post_shutdown(application: BotApplication) -> None:
    """Close the knowledge base if ``_post_init`` opened it."""
    state = application.bot_data
    if state.owns_knowledge and state.knowledge is not None:
        await state.knowledge.close()
        state.knowledge = None
        state.owns_knowledge = False


async def set_commands(application: BotApplication) -> None:
    """The command menu: Chinese for users whose Telegram is in Chinese, English otherwise."""
    for language_code, words in (("zh", texts.Words("zh")), (None, texts.Words("en"))):
        menu = [BotCommand(name, words(f"command_{name}")) for name in COMMANDS]
        await application.bot.set_my_commands(menu, language_code=language_code)


async def open_knowledge(settings: Settings | None) -> Knowledge:
    """The knowledge base the settings point at (seeds are ingested on first use)."""
    if settings is None:
        raise RuntimeError("build_application() sets the settings before post_init runs")
    settings.knowledge_db.parent.mkdir(parents=True, exist_ok=True)
    return await KnowledgeBase.open(
        settings.knowledge_db,
        seeds_dir=settings.seeds_dir,
        threshold=settings.answer_threshold,
    )
