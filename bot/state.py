"""What every handler shares: the knowledge base, the settings and small caches.

PTB keeps one ``BotState`` per application as ``context.bot_data`` (see
``ContextTypes`` in ``bot.app``), so handlers are typed against it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeAlias, TypeVar

from telegram.ext import CallbackContext, ExtBot

from bot import keys
from knowledge.models import Answer, Interview, InterviewSummary

if TYPE_CHECKING:
    from bot.config import Settings

TOP_K = 5
"""How many matches one question fetches; "other answers" pages through them."""


class Knowledge(Protocol):
    """The part of ``knowledge.engine.KnowledgeBase`` the bot talks to."""

    async def ask(self, query: str, *, top_k: int = ...) -> Answer: ...

    async def interviews(self) -> list[InterviewSummary]: ...

    async def interview(self, interview_id: str) -> Interview | None: ...

    async def close(self) -> None: ...


K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, maxsize: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._maxsize = maxsize

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._maxsize:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class BotState:
    """The knowledge base and the caches behind button payloads; one per Application."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.knowledge: Knowledge | None = None
        self.owns_knowledge = False
        self.admin_ids: tuple[int, ...] = ()
        self._texts: Lru[str, str] = Lru(8192)
        self._answers: Lru[tuple[str, int], Answer] = Lru(1024)
        self._asking: dict[tuple[str, int], asyncio.Future[Answer]] = {}

    @property
    def kb(self) -> Knowledge:
        if self.knowledge is None:
            raise RuntimeError("the knowledge base is not open yet")
        return self.knowledge

    def remember(self, text: str) -> str:
        """The short key a button carries for ``text``; ``recall`` turns it back."""
        key = keys.digest(text)
        self._texts.put(key, text)
        return key

    def recall(self, key: str) -> str | None:
        return self._texts.get(key)

    async def ask(self, question: str, *, top_k: int = TOP_K) -> tuple[str, Answer]:
        """The answer to ``question`` and the key its buttons carry."""
        key = self.remember(question)
        answer = self._answers.get((key, top_k))
        if answer is not None:
            return key, answer
        # A burst of the same question waits for one search instead of running it again.
        pending = self._asking.get((key, top_k))
        if pending is None:
            pending = asyncio.ensure_future(self.kb.ask(question, top_k=top_k))
            self._asking[key, top_k] = pending
            pending.add_done_callback(lambda _: self._asking.pop((key, top_k), None))
        answer = await asyncio.shield(pending)
        self._answers.put((key, top_k), answer)
        return key, answer

    async def answer_for(self, key: str, fallback: str | None = None) -> Answer | None:
        """The answer a button refers to: cached, re-asked from memory, or from ``fallback``.

        ``fallback`` is the question as the user's message still shows it, so buttons keep
        working after a restart; it is used only if it hashes to the button's key.
        """
        answer = self._answers.get((key, TOP_K))
        if answer is not None:
            return answer
        question = self.recall(key)
        if question is None and fallback is not None and keys.digest(fallback) == key:
            question = fallback
        if question is None:
            return None
        return (await self.ask(question))[1]

    async def interview_by_key(self, key: str) -> Interview | None:
        """The interview whose id hashes to ``key`` (the key a button or deep link carries)."""
        interview_id = self.recall(key)
        if interview_id is None:
            for summary in await self.kb.interviews():
                if self.remember(summary.id) == key:
                    interview_id = summary.id
                    break
        return None if interview_id is None else await self.kb.interview(interview_id)


Context: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotState]
"""The ``context`` every handler receives."""
