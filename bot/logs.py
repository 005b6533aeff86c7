"""Logging for the bot: one format, quiet HTTP client, and the token redacted everywhere."""

from __future__ import annotations

import logging
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replace the bot token wherever it appears in a record: message, arguments, traceback.

    A second line of defence: nothing should log the token, but PTB's ``Bot`` repr and
    HTTP errors carrying a URL would.
    """

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


class _BotHandler(logging.StreamHandler[TextIO]):
    """The bot's own handler, so that configuring again replaces it."""


def configure_logging(level: str, *secrets: str, stream: TextIO | None = None) -> logging.Handler:
    """Log to ``stream`` (stderr) at ``level`` with ``secrets`` redacted; returns the handler."""
    handler = _BotHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactToken(*secrets))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _BotHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return handler
