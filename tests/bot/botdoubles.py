"""Test doubles for the bot: a request class that never touches the network, factories
for the updates Telegram sends, and hand-made answers and interviews.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import BotApplication
from bot.config import Settings
from knowledge.models import Answer, Interview, InterviewSummary, Match, Pair, Speaker, Turn

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
BOT_ID = 123456789
BOT_USERNAME = "InterviewQuoteBot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Interview Bot",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
GROUP_ID = -1001234567890


# --- a Bot API that answers in process -----------------------------------------------


@dataclass
class Call:
    """One Bot API request the application made."""

    endpoint: str
    params: dict[str, Any]


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    times: int


class RecordingRequest(BaseRequest):
    """Answers every Bot API method with valid JSON, records the call, never uses a network."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, Failure] = {}
        self._message_ids = itertools.count(10_000)
        self._called = asyncio.Event()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 5.0

    def fail(self, endpoint: str, status: int, body: dict[str, Any], *, times: int = 1) -> None:
        """Answer the next ``times`` calls to ``endpoint`` with an error."""
        self.failures[endpoint] = Failure(status, body, times)

    async def wait_for(self, endpoint: str, count: int) -> None:
        """Return once ``endpoint`` has been called ``count`` times."""
        while len(self.to(endpoint)) < count:
            self._called.clear()
            await self._called.wait()

    def to(self, endpoint: str) -> list[dict[str, Any]]:
        """The parameters of every call made to ``endpoint``, in order."""
        return [call.params for call in self.calls if call.endpoint == endpoint]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(Call(endpoint, params))
        self._called.set()
        failure = self.failures.get(endpoint)
        if failure is not None and failure.times > 0:
            failure.times -= 1
            return failure.status, json.dumps(failure.body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(endpoint, params)}).encode()

    def _result(self, endpoint: str, params: dict[str, Any]) -> Any:
        if endpoint == "getMe":
            return BOT_USER
        if endpoint == "getUpdates":
            return []
        if endpoint in ("sendMessage", "editMessageText"):
            chat_id = int(params.get("chat_id", 1))
            message: dict[str, Any] = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(dtm.datetime.now(dtm.UTC).timestamp()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if "message_thread_id" in params:
                message["message_thread_id"] = params["message_thread_id"]
                message["is_topic_message"] = True
            return message
        return True


# --- updates as Telegram sends them ---------------------------------------------------


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Updates:
    """Factories for update dicts; ids come from counters so none repeat."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    @staticmethod
    def user(user_id: int = 1001, language_code: str | None = "zh-hans") -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "测试"}
        if language_code:
            user["language_code"] = language_code
        return user

    def message(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "zh-hans",
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A message dict; a leading /command gets its bot_command entity."""
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else GROUP_ID
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "测试群"
        if thread_id is not None:
            chat["is_forum"] = True
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(dtm.datetime.now(dtm.UTC).timestamp()),
            "chat": chat,
            "from": self.user(user_id, language_code),
            "text": text,
        }
        found = list(entities or [])
        if text.startswith("/"):
            command = text.split()[0]
            found.insert(0, {"type": "bot_command", "offset": 0, "length": utf16_len(command)})
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        return message

    @staticmethod
    def mention(text: str, username: str = BOT_USERNAME) -> list[dict[str, Any]]:
        """The mention entity for ``@username`` inside ``text``."""
        fragment = f"@{username}"
        index = text.index(fragment)
        return [
            {"type": "mention", "offset": utf16_len(text[:index]), "length": utf16_len(fragment)}
        ]

    @staticmethod
    def bot_message(
        text: str = "…", *, chat_id: int = 1001, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message the bot sent earlier (what a button sits under)."""
        message: dict[str, Any] = {
            "message_id": 9_000,
            "date": int(dtm.datetime.now(dtm.UTC).timestamp()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def update(self, **content: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), **content}

    def text(self, text: str, **options: Any) -> dict[str, Any]:
        return self.update(message=self.message(text, **options))

    def callback(
        self,
        data: str,
        *,
        message: dict[str, Any],
        user_id: int = 1001,
        language_code: str | None = "zh-hans",
    ) -> dict[str, Any]:
        return self.update(
            callback_query={
                "id": str(next(self._update_ids)),
                "from": self.user(user_id, language_code),
                "chat_instance": "42",
                "message": message,
                "data": data,
            }
        )

    def inline(
        self, query: str, *, user_id: int = 1001, language_code: str | None = "zh-hans"
    ) -> dict[str, Any]:
        return self.update(
            inline_query={
                "id": str(next(self._update_ids)),
                "from": self.user(user_id, language_code),
                "query": query,
                "offset": "",
            }
        )


# --- hand-made knowledge -----------------------------------------------------------------

ANSWER_TEXT = (
    "要整合的職責很多，而且各項職責都具有很強的專業性，因此，整合絕不能依靠物理相加，"
    "必須依靠化學融合。\n"
    "二是依靠“高、統、快、防、實”的工作思路，即政治站位要高，這是靈魂；應急指揮要統，這是關鍵。"
)
QUOTE = "整合絕不能依靠物理相加，必須依靠化學融合。"


def make_match(**changes: Any) -> Match:
    """A match like the engine makes: ``quote`` is a slice of ``answer_text``."""
    values: dict[str, Any] = {
        "interview_id": "gd-2019-emergency",
        "title": "專訪省應急管理廳副廳長高涌濤",
        "outlet": "廣東省人民政府門戶網站",
        "date": "2019-05-11",
        "speaker": "高涌濤",
        "position": "省應急管理廳副廳長",
        "turn": 5,
        "time": "2019-05-11 10:23:00",
        "question": "這么多的職責，整合的難度一定很大，是依靠什么整合在一起的呢？",
        "question_turn": 4,
        "quote": QUOTE,
        "quote_start": ANSWER_TEXT.index(QUOTE),
        "answer_text": ANSWER_TEXT,
        "score": 88.0,
    }
    values.update(changes)
    return Match(**values)


def make_answer(query: str = "整合依靠什么？", **changes: Any) -> Answer:
    values: dict[str, Any] = {
        "query": query,
        "answered": True,
        "kind": "answer",
        "results": [make_match()],
    }
    values.update(changes)
    return Answer(**values)


def make_interview(interview_id: str = "gd-2019-emergency") -> Interview:
    host = "主持人"
    turns = [
        Turn(
            index=i,
            speaker=host if i % 2 == 0 else "高涌濤",
            role="interviewer" if i % 2 == 0 else "interviewee",
            time=f"2019-05-11 10:{i:02d}:00",
            text=f"第{i}輪的話。",
        )
        for i in range(8)
    ]
    turns[5] = Turn(index=5, speaker="高涌濤", role="interviewee", text=ANSWER_TEXT)
    return Interview(
        id=interview_id,
        title="專訪省應急管理廳副廳長高涌濤",
        outlet="廣東省人民政府門戶網站",
        date="2019-05-11",
        script="hant",
        speakers=[
            Speaker(label=host, role="interviewer"),
            Speaker(
                label="高涌濤", name="高涌濤", position="省應急管理廳副廳長", role="interviewee"
            ),
        ],
        turns=turns,
        pairs=[Pair(question=4, answers=[5])],
    )


class FakeKnowledge:
    """Answers from a table: unknown questions are declined with two topics."""

    def __init__(self, answers: dict[str, Answer] | None = None) -> None:
        self.answers = dict(answers or {})
        self.interview_list = [make_interview()]
        self.asked: list[tuple[str, int]] = []
        self.closed = False

    async def ask(self, query: str, *, top_k: int = 3) -> Answer:
        self.asked.append((query, top_k))
        if query in self.answers:
            return self.answers[query]
        return Answer(
            query=query,
            answered=False,
            kind="declined",
            reason="no confident answer",
            topics=["应急管理厅整合了哪些职责？", "值守应急工作有什么变化？"],
        )

    async def interviews(self) -> list[InterviewSummary]:
        return [
            InterviewSummary(
                id=i.id,
                title=i.title,
                outlet=i.outlet,
                date=i.date,
                interviewees=[s.name or s.label for s in i.interviewees],
                turn_count=len(i.turns),
                spun=i.spun,
            )
            for i in self.interview_list
        ]

    async def interview(self, interview_id: str) -> Interview | None:
        return next((i for i in self.interview_list if i.id == interview_id), None)

    async def close(self) -> None:
        self.closed = True


async def feed(application: BotApplication, data: dict[str, Any]) -> None:
    """Process one update the way the update fetcher would."""
    await application.process_update(Update.de_json(data, application.bot))


def make_settings(**changes: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "rate_limiter": False,
        "knowledge_db": Path("unused.sqlite3"),
        "_env_file": None,
    }
    values.update(changes)
    return Settings(**values)


async def started(application: BotApplication) -> BotApplication:
    """Initialise the application and run its post_init, as run_polling would."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    return application


async def stopped(application: BotApplication) -> None:
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
