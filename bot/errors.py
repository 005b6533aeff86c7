"""The one error handler: log with the traceback, tell the user briefly, never raise."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot import texts
from bot.state import Context

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: Context) -> None:
    """Log an error with its traceback and apologise, without internals, to whoever hit it."""
    try:
        error = context.error
        if update is None and isinstance(error, NetworkError):
            # Polling errors (network trouble, 5xx) come here with no update; PTB retries.
            logger.warning("Telegram could not be reached, retrying: %s", error)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error("Handling update %s failed", update_id, exc_info=error)
        if isinstance(update, Update):
            await _apologise(update)
            await _notify_admins(update, context)
    except Exception:  # the error handler itself must never raise
        logger.exception("The error handler failed")


async def _apologise(update: Update) -> None:
    user = update.effective_user
    words = texts.for_message(None, user.language_code if user else None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(words("error"), show_alert=True)
        elif update.inline_query is not None:
            await update.inline_query.answer([], cache_time=0)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(html.escape(words("error")))
    except TelegramError as exc:
        logger.warning("Could not tell the user about the error: %s", exc)


async def _notify_admins(update: Update, context: Context) -> None:
    """A one-line note to each admin: what failed, never the traceback (that is in the log)."""
    name = type(context.error).__name__ if context.error else "Error"
    note = f"⚠️ update {update.update_id}: {html.escape(name)}"
    for admin_id in context.bot_data.admin_ids:
        try:
            await context.bot.send_message(admin_id, note)
        except TelegramError as exc:
            logger.warning("Could not notify admin %s: %s", admin_id, exc)
