"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.

The real python-telegram-bot ``Application`` talks HTTP to it exactly as it would to
api.telegram.org; nothing touches the network. PTB builds ``{base_url}{token}/{method}``::

    from tests.fakebot import updates
    from tests.fakebot.server import FakeBotApi

    async with FakeBotApi(token="123:ABC") as api:          # binds an ephemeral port
        application = (
            ApplicationBuilder()
            .token(api.token)
            .base_url(api.base_url)                         # "http://127.0.0.1:<port>/bot"
            .base_file_url(api.base_file_url)               # "http://127.0.0.1:<port>/file/bot"
            .build()
        )
        ...                                                 # start polling (see the tests)
        api.push_update(updates.private_text("你好"))
        [call] = await api.wait_for_requests("sendMessage", 1, timeout=5)
        assert call.params["text"] == "你好"

``tests`` is a package, so from elsewhere import ``tests.fakebot.server`` and
``tests.fakebot.updates``; that needs the project root on ``sys.path`` (``python -m pytest``,
or ``pythonpath = ["."]`` in the pytest settings). The fixture ``fake_bot_api`` in
tests/fakebot/conftest.py yields a started ``FakeBotApi`` but is only visible below
tests/fakebot/; elsewhere write the same three lines as your own fixture.

Test-side API of ``FakeBotApi``
-------------------------------
``token``, ``port``, ``base_url``, ``base_file_url``, ``bot_user`` (the getMe dict).

Feeding updates
    ``push_update(update) -> dict`` stores a copy with the next ``update_id`` (1, 2, ...) and
    returns it; ``push_updates([...]) -> list[dict]``. Chats, messages, callback query ids and
    inline query ids in pushed updates become known to the fake, so the bot can answer them.
    ``pushed_updates``: list of ``PushedUpdate(update_id, update, pushed_at, delivered_at)``;
    ``delivered_at`` is set when getUpdates first hands the update out.

Watching the bot
    ``requests``: every call in the order it was answered, as ``RecordedRequest(method,
    params, received_at, status, response, content_type)``. ``method`` is the canonical
    spelling ("sendMessage"), ``params`` the decoded parameters, ``status`` the HTTP status
    sent back (499 when the client hung up first, e.g. an abandoned long poll),
    ``content_type`` "" when there was no body.
    ``calls(method) -> list[RecordedRequest]``.
    ``await wait_for_requests(method, count=1, *, timeout=5.0)`` returns all calls of
    ``method`` once there are at least ``count`` (failed calls count too; check ``status``);
    raises ``TimeoutError`` naming what did arrive.
    ``sent_messages`` (Message dicts as returned to the bot), ``edited_messages``,
    ``callback_answers`` / ``inline_answers`` / ``chat_actions`` (their params),
    ``commands`` (``{(scope_key, language_code): [BotCommand dicts]}``, scope_key is
    "default", "all_private_chats", "chat:<id>", "chat_member:<chat>:<user>", ...),
    ``commands_for(scope=None, language_code="")``, ``webhook`` (setWebhook params or None),
    ``closed`` / ``logged_out``.
    Latency: ``pushed_updates[i].pushed_at`` and ``calls("sendMessage")[j].received_at`` are
    both ``time.monotonic()`` readings.

Fault injection
    ``fail_next(method, *, status=429, retry_after=1, times=1, description=None)``: the next
    ``times`` calls fail. 429 answers ``{"ok": false, "error_code": 429, "description":
    "Too Many Requests: retry after N", "parameters": {"retry_after": N}}``; other statuses
    answer their HTTP phrase ("Bad Gateway") or ``description``.
    ``fail_for(method, seconds, *, status=502, retry_after=1)``: every call fails for a while,
    e.g. to prove polling survives a getUpdates outage. (PTB's updater waits 1 s after a
    failed getUpdates, then 1.5 s, 2.25 s, ...; after a 429 it waits retry_after + 0.5 s.)

Bot API behaviour
-----------------
Methods: getMe, getUpdates (long poll: ``offset`` confirms, ``timeout`` waits, ``limit``;
a newer getUpdates terminates an older one with 409, and getUpdates with a webhook set is a
409), deleteWebhook, setWebhook, getWebhookInfo, setMyCommands, getMyCommands,
deleteMyCommands, sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery,
answerInlineQuery, sendChatAction, close, logOut. Method names are case-insensitive. Anything
else: 404 "Not Found: method not found". A wrong token: 401 "Unauthorized".

Parameters may come as JSON, as a query string, or as a form (url-encoded or multipart, where
non-string values are JSON-encoded). PTB v22 sends application/x-www-form-urlencoded, and
calls without parameters (getMe, a bare deleteWebhook) as a POST with no body.

Sent messages get ids counting up from ``FIRST_BOT_MESSAGE_ID``, ``from`` = the bot, the chat
as last seen in an update, and ``entities`` parsed from the HTML. The chat must have appeared
in a pushed update (else 400 "chat not found"), and a replied-to message must be known unless
``allow_sending_without_reply``.

Validation, as Telegram answers it (all 400 "Bad Request: ..."):

* ``parse_mode="HTML"``: only Telegram's tags (b strong i em u ins s strike del
  span class="tg-spoiler" tg-spoiler a href tg-emoji emoji-id code pre, language via
  ``<pre><code class="language-x">``, blockquote, blockquote expandable), balanced and
  properly nested; only &lt; &gt; &amp; &quot; and numeric entities, and every bare "&", "<"
  or ">" rejected. That is as strict as Telegram's documentation; Telegram's parser itself
  lets a bare "&", a bare ">" and an unknown "&name;" through as literal text. Errors read
  "can't parse entities: ..." with Telegram's wording and UTF-8 byte offsets. The nesting
  rules between entity types (no bold inside code, ...) are not checked: Telegram drops such
  entities rather than failing. Other parse modes are passed through unparsed.
* text: "message text is empty" (also when only whitespace or empty tags remain),
  "message is too long" beyond 4096 UTF-16 code units of parsed text (an emoji counts 2).
* inline keyboards: "BUTTON_DATA_INVALID" when callback_data is empty or over 64 UTF-8 bytes.
* editMessageText / editMessageReplyMarkup: "message to edit not found", "message can't be
  edited" (not the bot's), "message is not modified: ..." (same text, entities and markup).
  Leaving out reply_markup removes the keyboard, as on Telegram.
* answerCallbackQuery / answerInlineQuery: unknown or already answered id -> "query is too old
  and response timeout expired or query ID is invalid"; at most 50 inline results
  ("RESULTS_TOO_MUCH"), ids unique ("RESULT_ID_DUPLICATE") and 1-64 bytes
  ("RESULT_ID_INVALID"); each result's message text and keyboard checked as above.
* setMyCommands: command 1-32 of [a-z0-9_] ("BOT_COMMAND_INVALID"), description 1-256
  characters ("BOT_COMMAND_DESCRIPTION_INVALID"), language_code "" or two letters.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import web

from .updates import BOT_FIRST_NAME, BOT_USERNAME, DEFAULT_TOKEN, JSONDict, utf16_len

logger = logging.getLogger(__name__)

FIRST_BOT_MESSAGE_ID = 100_000
MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_RESULT_ID = 64  # bytes of UTF-8
MAX_COMMANDS = 100
CLIENT_CLOSED = 499

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
# Form fields whose value is a plain string; every other form value is JSON-encoded.
STRING_PARAMS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "language_code",
        "next_offset",
        "action",
        "secret_token",
        "ip_address",
        "description",
        "short_description",
        "name",
        "query",
        "switch_pm_text",
        "switch_pm_parameter",
        "business_connection_id",
        "message_effect_id",
        "emoji",
    ]
)


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status and Telegram's description."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 answer with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


# --- Telegram HTML -------------------------------------------------------------------------

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
NAMED_CHARACTERS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_TAG_NAME = re.compile(r"</?([^\s/>]*)")
_START_TAG = re.compile(
    r"<[^\s/>]+((?:\s+[^\s=>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_END_TAG = re.compile(r"</([^\s>]*)\s*>")
_ATTRIBUTE = re.compile(r"([^\s=>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_CHARACTER_REFERENCE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]+));")


@dataclass(frozen=True)
class FormattedText:
    """Message text as Telegram stores it: plain text plus entities (UTF-16 offsets)."""

    text: str
    entities: tuple[JSONDict, ...] = ()


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int
    inner_code: JSONDict | None = None  # a <code class="language-x"> directly inside <pre>


class HtmlParseError(Exception):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


class _HtmlParser:
    """Turns Telegram HTML into ``FormattedText`` or raises ``HtmlParseError``."""

    def __init__(self, source: str):
        self.source = source
        self.position = 0
        self.text: list[str] = []
        self.offset = 0  # UTF-16 length of the text so far
        self.open_tags: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def parse(self) -> FormattedText:
        while self.position < len(self.source):
            character = self.source[self.position]
            if character == "<":
                self._tag()
            elif character == "&":
                self._append(self._character_reference())
            elif character == ">":
                raise self._error('Character ">" must be escaped as "&gt;"', self.position)
            else:
                self._append(character)
                self.position += 1
        if self.open_tags:
            name = self.open_tags[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.text), tuple(entities))

    def _error(self, what: str, position: int) -> HtmlParseError:
        byte_offset = len(self.source[:position].encode("utf-8"))
        return HtmlParseError(f"{what} at byte offset {byte_offset}")

    def _append(self, text: str) -> None:
        self.text.append(text)
        self.offset += utf16_len(text)

    def _character_reference(self) -> str:
        """Decode the ``&...;`` at the current position and move past it."""
        start = self.position
        match = _CHARACTER_REFERENCE.match(self.source, start)
        if match is None:
            raise self._error('Character "&" must be escaped as "&amp;"', start)
        decimal, hexadecimal, name = match.groups()
        self.position = match.end()
        if name is not None:
            if name not in NAMED_CHARACTERS:
                raise self._error(f'Unsupported HTML entity "&{name};"', start)
            return NAMED_CHARACTERS[name]
        code_point = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not 0 < code_point <= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
            raise self._error("Invalid numeric HTML entity", start)
        return chr(code_point)

    def _decode_attribute(self, value: str, tag_start: int) -> str:
        try:
            return _HtmlParser(value)._plain_text_only()
        except HtmlParseError:
            raise self._error("Invalid HTML entity in an attribute value", tag_start) from None

    def _plain_text_only(self) -> str:
        while self.position < len(self.source):
            if self.source[self.position] == "&":
                self._append(self._character_reference())
            else:
                self._append(self.source[self.position])
                self.position += 1
        return "".join(self.text)

    def _tag(self) -> None:
        if self.source.startswith("</", self.position):
            self._end_tag()
        else:
            self._start_tag()

    def _start_tag(self) -> None:
        start = self.position
        name_match = _TAG_NAME.match(self.source, start)
        name = name_match.group(1).lower() if name_match else ""
        if name not in ENTITY_TYPES:
            raise self._error(f'Unsupported start tag "{name}"', start)
        match = _START_TAG.match(self.source, start)
        if match is None:
            raise self._error(f'Unclosed start tag "{name}"', start)
        attributes = self._attributes(match.group(1), start)
        self._check_attributes(name, attributes, start)
        self.open_tags.append(_OpenTag(name, attributes, self.offset))
        self.position = match.end()

    def _attributes(self, source: str, tag_start: int) -> dict[str, str]:
        attributes = {}
        for match in _ATTRIBUTE.finditer(source):
            name, double_quoted, single_quoted, bare = match.groups()
            value = next((v for v in (double_quoted, single_quoted, bare) if v is not None), "")
            attributes[name.lower()] = self._decode_attribute(value, tag_start)
        return attributes

    def _check_attributes(self, name: str, attributes: dict[str, str], start: int) -> None:
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"', start)
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self._error('Tag "tg-emoji" must have attribute "emoji-id"', start)

    def _end_tag(self) -> None:
        start = self.position
        match = _END_TAG.match(self.source, start)
        if match is None:
            raise self._error("Unclosed end tag", start)
        if not self.open_tags:
            raise self._error("Unexpected end tag", start)
        tag = self.open_tags.pop()
        name = match.group(1).lower()
        if name and name != tag.name:
            raise self._error(
                f'Unmatched end tag, expected "</{tag.name}>", found "</{name}>"', start
            )
        self.position = match.end()
        self._close(tag)

    def _close(self, tag: _OpenTag) -> None:
        """Turn a closed tag into an entity; Telegram drops empty ones and links without href."""
        length = self.offset - tag.offset
        if length == 0 or (tag.name == "a" and not tag.attributes.get("href")):
            return
        entity = self._entity(tag, length)
        parent = self.open_tags[-1] if self.open_tags else None
        if tag.name == "code" and "language" in entity and parent and parent.name == "pre":
            parent.inner_code = entity
            return
        self.entities.append(entity)
        if tag.name == "pre" and tag.inner_code is not None:
            self._merge_language(entity, tag.inner_code)

    def _merge_language(self, pre: JSONDict, code: JSONDict) -> None:
        if (code["offset"], code["length"]) == (pre["offset"], pre["length"]):
            pre["language"] = code["language"]
        else:
            del code["language"]
            self.entities.append(code)

    def _entity(self, tag: _OpenTag, length: int) -> JSONDict:
        entity: JSONDict = {"type": ENTITY_TYPES[tag.name], "offset": tag.offset, "length": length}
        attributes = tag.attributes
        if tag.name == "a":
            entity["url"] = attributes["href"]
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = attributes["emoji-id"]
        elif tag.name == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and attributes.get("class", "").startswith("language-"):
            entity["language"] = attributes["class"].removeprefix("language-")
        return entity


def parse_html(source: str) -> FormattedText:
    """Parse Telegram HTML; raises ``ApiError`` with Telegram's "can't parse entities"."""
    try:
        return _HtmlParser(source).parse()
    except HtmlParseError as error:
        raise bad_request(f"can't parse entities: {error}") from None


def format_text(text: Any, parse_mode: Any = None, entities: Any = None) -> FormattedText:
    """Validate a message text the way sendMessage does and return it as Telegram stores it."""
    if not isinstance(text, str):
        raise bad_request("message text is empty")
    mode = (parse_mode or "").lower()
    if mode == "html":
        formatted = parse_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        formatted = FormattedText(text, tuple(json_value(entities) or ()))
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    if not formatted.text.strip():
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > MAX_TEXT_UTF16:
        raise bad_request("message is too long")
    return formatted


# --- other validation ------------------------------------------------------------------------

BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"(|[a-z]{2})")


def json_value(value: Any) -> Any:
    """A parameter that Telegram expects JSON-serialized; JSON bodies may nest it directly."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse JSON parameter {value[:40]!r}") from None
    return value


def check_reply_markup(markup: Any) -> JSONDict | None:
    """Validate an inline keyboard like Telegram; other keyboards pass unchecked."""
    markup = json_value(markup)
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", ()):
        for button in row:
            check_button(button)
    return markup


def check_button(button: JSONDict) -> None:
    """One inline keyboard button: a text, an action, callback_data of 1-64 bytes."""
    if not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not any(action in button for action in BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 0 < len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")


def check_inline_results(results: Any) -> list[JSONDict]:
    """answerInlineQuery results: count, unique ids, and each result's text and keyboard."""
    results = json_value(results)
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 0 < len(result_id.encode()) <= MAX_RESULT_ID:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        content = result.get("input_message_content") or {}
        if "message_text" in content:
            format_text(content["message_text"], content.get("parse_mode"), content.get("entities"))
        check_reply_markup(result.get("reply_markup"))
    return results


def check_commands(commands: Any) -> list[JSONDict]:
    """setMyCommands' list of BotCommand dicts."""
    commands = json_value(commands)
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise bad_request("can't parse commands")
    for command in commands:
        if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 0 < len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return commands


def scope_key(scope: Any) -> str:
    """A readable key for a BotCommandScope: "default", "chat:42", "chat_member:42:7"..."""
    scope = json_value(scope) or {"type": "default"}
    parts = [scope.get("type", "default")]
    parts += [str(scope[name]) for name in ("chat_id", "user_id") if name in scope]
    return ":".join(parts)


def without_nested_reply(message: JSONDict) -> JSONDict:
    """Telegram nests replied-to messages only one level deep."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


# --- request decoding ------------------------------------------------------------------------


def decode_form_value(name: str, value: str) -> Any:
    """Form values are JSON-encoded except plain strings (PTB sends ``text`` raw)."""
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_params(request: web.Request) -> JSONDict:
    """Query string plus JSON, url-encoded or multipart body, decoded into one dict."""
    params: JSONDict = {name: decode_form_value(name, v) for name, v in request.query.items()}
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            params[name] = read_form_field(name, value)
    return params


def read_form_field(name: str, value: str | bytes | bytearray | web.FileField) -> Any:
    """One form field; an uploaded file is recorded by name and size, not content."""
    if isinstance(value, web.FileField):
        with value.file as file:
            size = len(file.read())
        return {"filename": value.filename, "content_type": value.content_type, "size": size}
    if isinstance(value, bytes | bytearray):
        value = value.decode()
    return decode_form_value(name, value)


def int_param(params: JSONDict, name: str, default: int | None = None) -> int:
    """An integer parameter; missing without default is Telegram's "<name> is empty"."""
    value = params.get(name, default)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


# --- recorded state ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One call the bot made; ``received_at`` is ``time.monotonic()`` at arrival."""

    method: str
    params: JSONDict
    received_at: float
    status: int
    response: JSONDict | None
    content_type: str


@dataclass
class PushedUpdate:
    """An update the test pushed; times are ``time.monotonic()`` readings."""

    update_id: int
    update: JSONDict
    pushed_at: float
    delivered_at: float | None = None


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None = None
    times: int | None = None
    until: float | None = None

    def active(self, now: float) -> bool:
        if self.until is not None:
            return now < self.until
        return self.times is not None and self.times > 0

    def error(self) -> ApiError:
        if self.times is not None:
            self.times -= 1
        parameters = {"retry_after": self.retry_after} if self.retry_after is not None else None
        return ApiError(self.status, self.description, parameters)


def fault_description(status: int, retry_after: int) -> str:
    """What Telegram (or the proxy in front of it) says with an injected ``status``."""
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return f"Too Many Requests: retry after {retry_after}"
    if status == HTTPStatus.FORBIDDEN:
        return "Forbidden: bot was blocked by the user"
    return HTTPStatus(status).phrase


class _Signal:
    """Wakes every waiter whenever ``notify`` is called."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


Handler = Callable[[JSONDict], Awaitable[Any]]


class FakeBotApi:
    """The fake server; see the module docstring for the public API."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = BOT_USERNAME,
        first_name: str = BOT_FIRST_NAME,
    ):
        self.token = token
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port = 0
        self.requests: list[RecordedRequest] = []
        self.pushed_updates: list[PushedUpdate] = []
        self.sent_messages: list[JSONDict] = []
        self.edited_messages: list[JSONDict] = []
        self.callback_answers: list[JSONDict] = []
        self.inline_answers: list[JSONDict] = []
        self.chat_actions: list[JSONDict] = []
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.webhook: JSONDict | None = None
        self.closed = False
        self.logged_out = False

        self._pending: list[PushedUpdate] = []
        self._next_update_id = 1
        self._next_message_id = FIRST_BOT_MESSAGE_ID
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._open_queries: set[str] = set()
        self._faults: dict[str, list[_Fault]] = {}
        self._poll_generation = 0
        self._closing = False
        self._updates_changed = _Signal()
        self._requests_changed = _Signal()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "sendChatAction": self._send_chat_action,
            "close": self._close,
            "logOut": self._log_out,
        }
        self._canonical = {name.lower(): name for name in self._methods}

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Bind 127.0.0.1 on an ephemeral port and serve."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file_not_found)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        logger.debug("fake Bot API listening on port %s", self.port)

    async def stop(self) -> None:
        """End pending long polls and shut the server down."""
        self._closing = True
        self._updates_changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- test-side API -----------------------------------------------------------------------

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue a copy of ``update`` for getUpdates, with the next update_id; returns it."""
        stored = copy.deepcopy(update)
        stored["update_id"] = self._next_update_id
        self._next_update_id += 1
        self._remember(stored)
        pushed = PushedUpdate(stored["update_id"], stored, time.monotonic())
        self.pushed_updates.append(pushed)
        self._pending.append(pushed)
        self._updates_changed.notify()
        return stored

    def push_updates(self, updates: Iterable[JSONDict]) -> list[JSONDict]:
        return [self.push_update(update) for update in updates]

    def calls(self, method: str) -> list[RecordedRequest]:
        """Recorded calls of ``method`` (any spelling), oldest first."""
        wanted = self._canonical.get(method.lower(), method)
        return [request for request in self.requests if request.method == wanted]

    async def wait_for_requests(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline, not a cancellation scope
    ) -> list[RecordedRequest]:
        """All calls of ``method`` once at least ``count`` arrived; else ``TimeoutError``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(calls := self.calls(method)) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = sorted({request.method for request in self.requests})
                raise TimeoutError(
                    f"expected {count} {method} call(s) within {timeout}s, got {len(calls)}; "
                    f"methods called: {seen}"
                )
            await self._requests_changed.wait(remaining)
        return calls

    def commands_for(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        return self.commands.get((scope_key(scope), language_code), [])

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        self._add_fault(
            method,
            _Fault(
                status,
                description or fault_description(status, retry_after),
                retry_after=retry_after if status == HTTPStatus.TOO_MANY_REQUESTS else None,
                times=times,
            ),
        )

    def fail_for(
        self, method: str, seconds: float, *, status: int = 502, retry_after: int = 1
    ) -> None:
        """Make every call of ``method`` fail with ``status`` for ``seconds`` from now."""
        self._add_fault(
            method,
            _Fault(
                status,
                fault_description(status, retry_after),
                retry_after=retry_after if status == HTTPStatus.TOO_MANY_REQUESTS else None,
                until=time.monotonic() + seconds,
            ),
        )

    def _add_fault(self, method: str, fault: _Fault) -> None:
        canonical = self._canonical.get(method.lower(), method)
        self._faults.setdefault(canonical, []).append(fault)

    # --- HTTP ----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        received_at = time.monotonic()
        name = request.match_info["method"]
        method = self._canonical.get(name.lower(), name)
        params: JSONDict = {}
        status, body = HTTPStatus.INTERNAL_SERVER_ERROR.value, None
        try:
            params = await read_params(request)
            status, body = await self._answer(request.match_info["token"], method, params)
        except ApiError as error:
            status, body = error.status, error.body()
        except asyncio.CancelledError:
            status = CLIENT_CLOSED  # the client hung up, e.g. an abandoned long poll
            raise
        finally:
            content_type = request.content_type if request.body_exists else ""
            self._record(RecordedRequest(method, params, received_at, status, body, content_type))
        logger.debug("fake Bot API %s -> %s", method, status)
        return web.json_response(body, status=status)

    async def _answer(self, token: str, method: str, params: JSONDict) -> tuple[int, JSONDict]:
        if token != self.token:
            return 401, ApiError(401, "Unauthorized").body()
        fault = self._take_fault(method)
        if fault is not None:
            return fault.status, fault.body()
        handler = self._methods.get(method)
        if handler is None:
            return 404, ApiError(404, "Not Found: method not found").body()
        result = await handler(params)
        return 200, {"ok": True, "result": result}

    async def _file_not_found(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    def _take_fault(self, method: str) -> ApiError | None:
        now = time.monotonic()
        faults = [fault for fault in self._faults.get(method, []) if fault.active(now)]
        self._faults[method] = faults
        return faults[0].error() if faults else None

    def _record(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        self._requests_changed.notify()

    # --- known chats and messages --------------------------------------------------------------

    @property
    def _sender(self) -> JSONDict:
        """The bot as the ``from`` of its messages: getMe without the capability flags."""
        return {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}

    def _remember(self, update: JSONDict) -> None:
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if key in update:
                self._remember_message(update[key])
        for key in ("callback_query", "inline_query"):
            if key in update:
                self._open_queries.add(update[key]["id"])
        if "message" in update.get("callback_query", {}):
            self._remember_message(update["callback_query"]["message"])
        for key in ("my_chat_member", "chat_member", "chat_join_request"):
            if key in update:
                self._chats[update[key]["chat"]["id"]] = update[key]["chat"]

    def _remember_message(self, message: JSONDict) -> None:
        self._chats[message["chat"]["id"]] = message["chat"]
        self._messages[(message["chat"]["id"], message["message_id"])] = message
        if "reply_to_message" in message:
            self._remember_message(message["reply_to_message"])

    def _chat(self, params: JSONDict) -> JSONDict:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            found = [chat for chat in self._chats.values() if chat.get("username") == chat_id[1:]]
            if found:
                return found[0]
            raise bad_request("chat not found")
        chat = self._chats.get(int_param(params, "chat_id"))
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _own_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        message = self._messages.get((chat["id"], int_param(params, "message_id")))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return message

    def _reply_target(self, chat: JSONDict, params: JSONDict) -> JSONDict | None:
        reply = json_value(params.get("reply_parameters")) or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        target = self._messages.get((chat["id"], int(message_id)))
        allow_missing = reply.get(
            "allow_sending_without_reply", params.get("allow_sending_without_reply")
        )
        if target is None and not allow_missing:
            raise bad_request("message to be replied not found")
        return None if target is None else without_nested_reply(target)

    # --- Bot API methods -----------------------------------------------------------------------

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return self.bot_user

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_changed.notify()  # an older long poll now ends with 409
        self._confirm(int_param(params, "offset", 0))
        limit = min(max(int_param(params, "limit", 100), 1), 100)
        await self._wait_for_updates(float(params.get("timeout") or 0), generation)
        batch = self._pending[:limit]
        now = time.monotonic()
        for pushed in batch:
            if pushed.delivered_at is None:
                pushed.delivered_at = now
        return [pushed.update for pushed in batch]

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [pushed for pushed in self._pending if pushed.update_id >= offset]

    async def _wait_for_updates(self, seconds: float, generation: int) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self._pending and not self._closing:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            await self._updates_changed.wait(remaining)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )

    async def _delete_webhook(self, params: JSONDict) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _set_webhook(self, params: JSONDict) -> bool:
        self.webhook = dict(params) if params.get("url") else None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        language_code = params.get("language_code") or ""
        if not _LANGUAGE_CODE.fullmatch(language_code):
            raise bad_request("invalid language code specified")
        return scope_key(params.get("scope")), language_code

    async def _set_my_commands(self, params: JSONDict) -> bool:
        commands = check_commands(params.get("commands"))
        self.commands[self._commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return self.commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, params: JSONDict) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        formatted = format_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message: JSONDict = {
            "message_id": self._next_message_id,
            "from": self._sender,
            "chat": chat,
            "date": int(time.time()),
        }
        self._next_message_id += 1
        if "message_thread_id" in params:
            message["message_thread_id"] = int_param(params, "message_thread_id")
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(message_content(formatted, markup))
        self._messages[(chat["id"], message["message_id"])] = message
        self.sent_messages.append(message)
        return message

    async def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        formatted = format_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = check_reply_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            self.edited_messages.append(dict(params))
            return True
        message = self._own_message(params)
        return self._replace(message, message_content(formatted, markup))

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        markup = check_reply_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            self.edited_messages.append(dict(params))
            return True
        message = self._own_message(params)
        content = {key: message[key] for key in ("text", "entities") if key in message}
        return self._replace(message, content | message_content(None, markup))

    def _replace(self, message: JSONDict, content: JSONDict) -> JSONDict:
        content_keys = ("text", "entities", "reply_markup")
        if {key: message[key] for key in content_keys if key in message} == content:
            raise bad_request(NOT_MODIFIED)
        edited = {key: value for key, value in message.items() if key not in content_keys}
        edited |= content | {"edit_date": int(time.time())}
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        self.edited_messages.append(edited)
        return edited

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        if len(params.get("text") or "") > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._close_query(params.get("callback_query_id"))
        self.callback_answers.append(dict(params))
        return True

    async def _answer_inline_query(self, params: JSONDict) -> bool:
        results = check_inline_results(params.get("results"))
        self._close_query(params.get("inline_query_id"))
        self.inline_answers.append(params | {"results": results})
        return True

    def _close_query(self, query_id: Any) -> None:
        if query_id not in self._open_queries:
            raise bad_request(QUERY_TOO_OLD)
        self._open_queries.discard(query_id)

    async def _send_chat_action(self, params: JSONDict) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append(dict(params))
        return True

    async def _close(self, params: JSONDict) -> bool:
        self.closed = True
        return True

    async def _log_out(self, params: JSONDict) -> bool:
        self.logged_out = True
        return True


def message_content(formatted: FormattedText | None, markup: JSONDict | None) -> JSONDict:
    """The text, entities and inline keyboard of a message, as Telegram returns them."""
    content: JSONDict = {}
    if formatted is not None:
        content["text"] = formatted.text
        if formatted.entities:
            content["entities"] = list(formatted.entities)
    if markup is not None and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    return content
