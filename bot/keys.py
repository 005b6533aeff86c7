"""Button payloads and deep-link payloads, always within Telegram's limits.

Callback data is ``<action>:<key>:<number>`` and never longer than 64 bytes:

* ``<action>`` is one letter (``Action``),
* ``<key>`` is ``digest(text)``: 12 URL-safe base64 characters of a BLAKE2b hash of the
  question, topic or interview id the button is about, however long that text is,
* ``<number>`` is a page or match index (0 when unused).

The bot keeps a bounded key-to-text memory (``BotState.remember``); when it has
forgotten a question (after a restart), the button's message still replies to the
user's question, which hashes back to the same key.

Deep links (``t.me/<bot>?start=<payload>``, at most 64 characters of A-Za-z0-9_-):
``q_<base64url question>`` asks a short question, ``i_<key>`` opens an interview card.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

MAX_CALLBACK_BYTES = 64
MAX_START_PAYLOAD = 64

_KEY = re.compile(r"[A-Za-z0-9_-]{12}")
_START = re.compile(r"[A-Za-z0-9_-]{1,64}")


class Action(StrEnum):
    """What a button does when tapped."""

    PAGE = "p"  # show match number N of a question, editing the message
    CONTEXT = "c"  # the turns around match N
    SOURCE = "s"  # the interview card of match N
    TOPIC = "t"  # ask a suggested topic
    INTERVIEW = "i"  # the card of an interview from /sources
    SOURCES = "l"  # page N of the /sources list


@dataclass(frozen=True, slots=True)
class Button:
    """A decoded callback payload."""

    action: Action
    key: str
    number: int = 0


def digest(text: str) -> str:
    """A stable 12-character key for any text (72 bits: collisions are not a concern here)."""
    raw = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=9).digest()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def callback_data(action: Action, key: str = "", number: int = 0) -> str:
    """The payload for a button; ``key`` is a ``digest`` (or empty)."""
    if key and not _KEY.fullmatch(key):
        raise ValueError("a callback key must be a digest()")
    if not 0 <= number < 10**6:
        raise ValueError("a callback number must be between 0 and 999999")
    return f"{action.value}:{key}:{number}"  # at most 1 + 1 + 12 + 1 + 6 = 21 bytes


def parse_callback(data: str | None) -> Button | None:
    """The button a payload encodes, or None for anything this bot did not make."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) != 3:
        return None
    action, key, number = parts
    try:
        kind = Action(action)
    except ValueError:
        return None
    if (key and not _KEY.fullmatch(key)) or not number.isdigit() or len(number) > 6:
        return None
    return Button(kind, key, int(number))


def question_payload(question: str) -> str | None:
    """A /start payload that asks ``question``, or None when it does not fit in 64 characters."""
    encoded = base64.urlsafe_b64encode(question.encode("utf-8")).decode("ascii").rstrip("=")
    payload = f"q_{encoded}"
    return payload if len(payload) <= MAX_START_PAYLOAD else None


def interview_payload(interview_id: str) -> str:
    """A /start payload that opens the card of an interview."""
    return f"i_{digest(interview_id)}"


@dataclass(frozen=True, slots=True)
class StartPayload:
    """A decoded /start payload: a question to ask or the key of an interview to show."""

    question: str | None = None
    interview_key: str | None = None


def parse_start(payload: str) -> StartPayload | None:
    """What a /start payload asks for, or None when it is not one of ours."""
    if not _START.fullmatch(payload):
        return None
    kind, _, body = payload.partition("_")
    if kind == "i" and _KEY.fullmatch(body):
        return StartPayload(interview_key=body)
    if kind == "q" and body:
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            question = raw.decode("utf-8").strip()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        return StartPayload(question=question) if question else None
    return None
