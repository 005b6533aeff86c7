"""bot.state: the shared knowledge handle and the caches behind buttons."""

from __future__ import annotations

import asyncio

from botdoubles import FakeKnowledge, make_answer

from bot.keys import digest
from bot.state import TOP_K, BotState
from knowledge.models import Answer


class SlowKnowledge(FakeKnowledge):
    async def ask(self, query: str, *, top_k: int = 3) -> Answer:
        await asyncio.sleep(0.01)
        return await super().ask(query, top_k=top_k)


async def test_a_burst_of_the_same_question_searches_once() -> None:
    state = BotState()
    state.knowledge = SlowKnowledge({"问": make_answer("问")})

    results = await asyncio.gather(*(state.ask("问") for _ in range(50)))

    assert {key for key, _ in results} == {digest("问")}
    assert state.knowledge.asked == [("问", TOP_K)]


async def test_a_forgotten_question_is_recovered_from_the_users_message() -> None:
    state = BotState()
    state.knowledge = FakeKnowledge({"问": make_answer("问")})

    answer = await state.answer_for(digest("问"), fallback="问")

    assert answer == make_answer("问")


async def test_a_fallback_that_does_not_hash_to_the_key_is_not_used() -> None:
    state = BotState()
    state.knowledge = FakeKnowledge({"问": make_answer("问")})

    assert await state.answer_for(digest("问"), fallback="别的问题") is None


async def test_interviews_are_found_by_their_key_without_being_remembered() -> None:
    state = BotState()
    state.knowledge = FakeKnowledge()

    interview = await state.interview_by_key(digest("gd-2019-emergency"))

    assert interview is not None
    assert interview.id == "gd-2019-emergency"
