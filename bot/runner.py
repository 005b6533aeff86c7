"""``run_bot``: what ``interview-bot run`` does, returning the process exit code.

PTB's ``run_polling`` / ``run_webhook`` install handlers for SIGINT, SIGTERM and
SIGABRT and shut the application down cleanly (``post_shutdown`` closes the
knowledge base). While polling, network errors and 5xx answers are retried
forever with a growing pause (up to 30 s) and reported to the error handler,
which logs them as one line; they never stop the bot.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application, open_knowledge
from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure_logging
from bot.terminal import chat
from knowledge.errors import KnowledgeError

logger = logging.getLogger(__name__)

BOOTSTRAP_RETRIES = 5
"""How often start-up (getMe, setWebhook/deleteWebhook) is retried when Telegram is unreachable."""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def run_bot(settings: Settings | None = None) -> int:
    """Run the bot (or the terminal chat without a token) until stopped; the exit code."""
    if settings is None:
        try:
            settings = load_settings()
        except SettingsError as exc:
            sys.stderr.write(exc.report())
            return EXIT_USAGE
    secrets = [
        secret.get_secret_value()
        for secret in (settings.telegram_bot_token, settings.webhook_secret)
        if secret is not None
    ]
    configure_logging(settings.log_level, *secrets)
    if settings.telegram_bot_token is None:
        if sys.stdin.isatty():
            sys.stderr.write("TELEGRAM_BOT_TOKEN is not set: chatting in this terminal instead.\n")
            return asyncio.run(_terminal(settings))
        sys.stderr.write(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
            "or in .env (see .env.example).\n"
        )
        return EXIT_USAGE
    try:
        _serve(settings)
    except InvalidToken:
        logger.error("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather")
        return EXIT_FAILED
    except NetworkError as exc:
        logger.error("Could not reach Telegram at %s: %s", settings.telegram_base_url, exc)
        return EXIT_FAILED
    except KnowledgeError as exc:
        logger.error("Could not open the knowledge base %s: %s", settings.knowledge_db, exc)
        return EXIT_FAILED
    return EXIT_OK


def _serve(settings: Settings) -> None:
    """Poll, or listen for webhooks when WEBHOOK_URL is set, until a stop signal."""
    application = build_application(settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # PTB runs on the current loop; we own its lifetime
    try:
        _run_until_stopped(application, settings)
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def _run_until_stopped(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> None:
    if settings.webhook_url and settings.webhook_secret:
        logger.info(
            "Listening for webhooks on %s:%s", settings.webhook_listen, settings.webhook_port
        )
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            close_loop=False,
        )
    else:
        logger.info("Polling %s for updates", settings.telegram_base_url)
        application.run_polling(
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            close_loop=False,
        )


async def _terminal(settings: Settings) -> int:
    knowledge = await open_knowledge(settings)
    try:
        await chat(knowledge, sys.stdin, sys.stdout, prompt=True)
    finally:
        await knowledge.close()
    return EXIT_OK
