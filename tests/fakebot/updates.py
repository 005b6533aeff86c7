"""Factories that build Telegram ``Update`` dicts, as the Bot API would send them.

Every factory returns a plain JSON-ready dict that ``telegram.Update.de_json`` accepts and
that :meth:`FakeBotApi.push_update` delivers through ``getUpdates``. Options are keyword-only.
Entity offsets and lengths are counted in UTF-16 code units, as Telegram counts them, so
Chinese text and emoji get correct entities.

    private_text("你好")                                  # a user writes to the bot
    group_text("大家好", is_forum=True, message_thread_id=7)
    command("/ask@interview_test_bot 问题", chat_type="supergroup")
    mention("@interview_test_bot 他说过什么？")
    callback_query("page:2", message=api.sent_messages[-1])
    inline_query("通胀")

Message and update ids come from process-wide counters, so two factory calls never produce
the same message id. The fake server numbers the bot's own messages from
``FIRST_BOT_MESSAGE_ID`` upwards, so they never collide with these.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any, Literal

JSONDict = dict[str, Any]
ChatType = Literal["private", "group", "supergroup"]

DEFAULT_TOKEN = "123:ABC"
BOT_ID = 123
BOT_USERNAME = "interview_test_bot"
BOT_FIRST_NAME = "Interview Test Bot"

DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -1001234567890
DEFAULT_LANGUAGE_CODE = "zh-hans"

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_query_ids = itertools.count(1)

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def entity(text: str, fragment: str, entity_type: str, *, start: int = 0) -> JSONDict:
    """A MessageEntity of ``entity_type`` covering the first ``fragment`` in ``text``."""
    index = text.index(fragment, start)
    return {
        "type": entity_type,
        "offset": utf16_len(text[:index]),
        "length": utf16_len(fragment),
    }


def bot_user(bot_id: int = BOT_ID) -> JSONDict:
    """The bot's own User object, as the ``from`` of its messages shows it."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
    }


def user(
    user_id: int = DEFAULT_USER_ID,
    *,
    first_name: str = "测试用户",
    username: str | None = "tester",
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
) -> JSONDict:
    """A human User object."""
    result: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username is not None:
        result["username"] = username
    if language_code is not None:
        result["language_code"] = language_code
    return result


def private_chat(sender: JSONDict) -> JSONDict:
    """The private Chat between ``sender`` and the bot (its id is the user's id)."""
    chat: JSONDict = {"id": sender["id"], "type": "private", "first_name": sender["first_name"]}
    if "username" in sender:
        chat["username"] = sender["username"]
    return chat


def group_chat(
    chat_id: int = DEFAULT_GROUP_ID,
    *,
    chat_type: ChatType = "supergroup",
    title: str = "测试群",
    is_forum: bool = False,
) -> JSONDict:
    """A group or supergroup Chat; only supergroups can be forums."""
    if chat_type == "private":
        raise ValueError("use private_chat() for private chats")
    if is_forum and chat_type != "supergroup":
        raise ValueError("only supergroups can be forums")
    chat: JSONDict = {"id": chat_id, "type": chat_type, "title": title}
    if is_forum:
        chat["is_forum"] = True
    return chat


def message(
    text: str,
    *,
    chat: JSONDict,
    sender: JSONDict,
    entities: list[JSONDict] | None = None,
    message_id: int | None = None,
    message_thread_id: int | None = None,
    reply_to_message: JSONDict | None = None,
    reply_markup: JSONDict | None = None,
) -> JSONDict:
    """A text Message dict; ``message_id`` defaults to the next factory id."""
    result: JSONDict = {
        "message_id": next(_message_ids) if message_id is None else message_id,
        "from": sender,
        "chat": chat,
        "date": int(time.time()),
        "text": text,
    }
    if entities:
        result["entities"] = sorted(entities, key=lambda e: (e["offset"], -e["length"]))
    if message_thread_id is not None:
        result["message_thread_id"] = message_thread_id
        if chat.get("is_forum"):
            result["is_topic_message"] = True
    if reply_to_message is not None:
        result["reply_to_message"] = reply_to_message
    if reply_markup is not None:
        result["reply_markup"] = reply_markup
    return result


def bot_message(
    text: str = "……",
    *,
    chat: JSONDict | None = None,
    reply_markup: JSONDict | None = None,
    bot_id: int = BOT_ID,
) -> JSONDict:
    """A message the bot sent earlier, e.g. the one carrying an inline keyboard."""
    return message(
        text,
        chat=private_chat(user()) if chat is None else chat,
        sender=bot_user(bot_id),
        reply_markup=reply_markup,
    )


def update(payload_name: str, payload: JSONDict) -> JSONDict:
    """Wrap ``payload`` as an Update; the fake server replaces the update_id when pushed."""
    return {"update_id": next(_update_ids), payload_name: payload}


def private_text(
    text: str,
    *,
    user_id: int = DEFAULT_USER_ID,
    chat_id: int | None = None,
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
    first_name: str = "测试用户",
    username: str | None = "tester",
    entities: list[JSONDict] | None = None,
    reply_to_message: JSONDict | None = None,
) -> JSONDict:
    """A user's text message in their private chat with the bot."""
    sender = user(user_id, first_name=first_name, username=username, language_code=language_code)
    chat = private_chat(sender)
    if chat_id is not None:
        chat["id"] = chat_id
    return update(
        "message",
        message(
            text, chat=chat, sender=sender, entities=entities, reply_to_message=reply_to_message
        ),
    )


def topic_root(chat: JSONDict, message_thread_id: int, sender: JSONDict) -> JSONDict:
    """The service message that opened a forum topic.

    Telegram puts it in ``reply_to_message`` of every topic message that is not an explicit
    reply, so code that treats any ``reply_to_message`` as "a reply" gets it wrong.
    """
    return {
        "message_id": message_thread_id,
        "from": sender,
        "chat": chat,
        "date": int(time.time()) - 3600,
        "message_thread_id": message_thread_id,
        "forum_topic_created": {"name": "话题", "icon_color": 7322096},
        "is_topic_message": True,
    }


def group_text(
    text: str,
    *,
    chat_id: int = DEFAULT_GROUP_ID,
    chat_type: ChatType = "supergroup",
    is_forum: bool = False,
    message_thread_id: int | None = None,
    entities: list[JSONDict] | None = None,
    reply_to_bot_message: JSONDict | None = None,
    user_id: int = DEFAULT_USER_ID,
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
    title: str = "测试群",
) -> JSONDict:
    """A user's text message in a group, optionally in a forum topic or replying to the bot.

    ``reply_to_bot_message`` is a Message dict the bot sent (e.g. ``api.sent_messages[-1]``).
    In a forum topic without an explicit reply, ``reply_to_message`` is the topic's root
    service message, as Telegram sends it.
    """
    if message_thread_id is not None and not is_forum:
        raise ValueError("message_thread_id needs is_forum=True")
    sender = user(user_id, language_code=language_code)
    chat = group_chat(chat_id, chat_type=chat_type, title=title, is_forum=is_forum)
    reply_to = reply_to_bot_message
    if reply_to is None and message_thread_id is not None:
        reply_to = topic_root(chat, message_thread_id, sender)
    return update(
        "message",
        message(
            text,
            chat=chat,
            sender=sender,
            entities=entities,
            message_thread_id=message_thread_id,
            reply_to_message=reply_to,
        ),
    )


def command_entity(text: str) -> JSONDict:
    """The bot_command entity Telegram adds for a message starting with ``/command``."""
    match = _COMMAND.match(text)
    if match is None:
        raise ValueError(f"not a bot command: {text!r}")
    return entity(text, match.group(0), "bot_command")


def command(
    text: str,
    *,
    chat_type: ChatType = "private",
    user_id: int = DEFAULT_USER_ID,
    chat_id: int | None = None,
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
    is_forum: bool = False,
    message_thread_id: int | None = None,
) -> JSONDict:
    """A ``/command`` message, e.g. ``"/ask@interview_test_bot 问题"``, with its entity."""
    entities = [command_entity(text)]
    if chat_type == "private":
        return private_text(
            text,
            user_id=user_id,
            chat_id=chat_id,
            language_code=language_code,
            entities=entities,
        )
    return group_text(
        text,
        chat_id=DEFAULT_GROUP_ID if chat_id is None else chat_id,
        chat_type=chat_type,
        is_forum=is_forum,
        message_thread_id=message_thread_id,
        entities=entities,
        user_id=user_id,
        language_code=language_code,
    )


def mention(
    text: str,
    *,
    chat_type: ChatType = "supergroup",
    user_id: int = DEFAULT_USER_ID,
    chat_id: int = DEFAULT_GROUP_ID,
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
    is_forum: bool = False,
    message_thread_id: int | None = None,
) -> JSONDict:
    """A group message mentioning ``@interview_test_bot`` (which ``text`` must contain)."""
    handle = f"@{BOT_USERNAME}"
    if handle not in text:
        raise ValueError(f"{text!r} does not mention {handle}")
    return group_text(
        text,
        chat_id=chat_id,
        chat_type=chat_type,
        is_forum=is_forum,
        message_thread_id=message_thread_id,
        entities=[entity(text, handle, "mention")],
        user_id=user_id,
        language_code=language_code,
    )


def callback_query(
    data: str,
    *,
    message: JSONDict | None = None,
    user_id: int = DEFAULT_USER_ID,
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
    query_id: str | None = None,
) -> JSONDict:
    """A press on an inline button carrying ``data``.

    ``message`` is the bot message holding the keyboard, typically ``api.sent_messages[-1]``;
    by default a bot message in the user's private chat is made up.
    """
    sender = user(user_id, language_code=language_code)
    if message is None:
        keyboard = {"inline_keyboard": [[{"text": "按钮", "callback_data": data}]]}
        message = bot_message(chat=private_chat(sender), reply_markup=keyboard)
    return update(
        "callback_query",
        {
            "id": query_id or f"cbq-{next(_query_ids)}",
            "from": sender,
            "message": message,
            "chat_instance": f"ci{message['chat']['id']}",
            "data": data,
        },
    )


def inline_query(
    query: str,
    *,
    user_id: int = DEFAULT_USER_ID,
    language_code: str | None = DEFAULT_LANGUAGE_CODE,
    offset: str = "",
    chat_type: str = "sender",
    query_id: str | None = None,
) -> JSONDict:
    """An inline query ``@interview_test_bot <query>`` typed by a user."""
    return update(
        "inline_query",
        {
            "id": query_id or f"iq-{next(_query_ids)}",
            "from": user(user_id, language_code=language_code),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        },
    )
