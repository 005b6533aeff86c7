"""Fixtures for tests that talk to the fake Bot API."""

from collections.abc import AsyncIterator

import pytest

from .server import FakeBotApi


@pytest.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    """A started fake Bot API on 127.0.0.1, stopped after the test."""
    async with FakeBotApi(token="123:ABC") as api:
        yield api
