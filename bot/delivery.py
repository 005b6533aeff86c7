"""Sending a rendered ``Reply``: as a reply to a message, or by editing one.

PTB's ``Message.reply_*`` shortcuts keep a forum topic's ``message_thread_id``; the
application's ``Defaults`` supply HTML parse mode, no link previews and quoting.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.render import Reply

logger = logging.getLogger(__name__)


async def reply(message: Message, rendered: Reply) -> Message:
    """Send every piece, the first as a reply to ``message``; the keyboard goes under the last."""
    sent = message
    last = len(rendered.pieces) - 1
    for number, piece in enumerate(rendered.pieces):
        sent = await message.reply_text(
            piece,
            parse_mode=ParseMode.HTML,
            reply_markup=rendered.keyboard if number == last else None,
            do_quote=number == 0,
        )
    return sent


async def edit(query: CallbackQuery, rendered: Reply) -> None:
    """Show ``rendered`` in the message the button sits under (more pieces follow as replies)."""
    first, *rest = rendered.pieces
    try:
        await query.edit_message_text(
            first,
            parse_mode=ParseMode.HTML,
            reply_markup=None if rest else rendered.keyboard,
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
        logger.debug("Message %s already shows this", query.message and query.message.message_id)
    message = query.message
    if rest and isinstance(message, Message):
        await reply(message, Reply(rest, rendered.keyboard))
