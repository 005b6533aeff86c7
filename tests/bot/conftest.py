"""Fixtures for the bot's tests: the real Application over a request class that never
touches the network, with hand-made answers or with the real knowledge base over the seeds.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botdoubles import (
    SEEDS,
    FakeKnowledge,
    RecordingRequest,
    Updates,
    make_answer,
    make_settings,
    started,
    stopped,
)

from bot.app import BotApplication, build_application


@pytest.fixture
def updates() -> Updates:
    return Updates()


@pytest.fixture
def request_recorder() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
def fake_knowledge() -> FakeKnowledge:
    return FakeKnowledge({"整合依靠什么？": make_answer()})


@pytest.fixture
async def fake_app(
    request_recorder: RecordingRequest, fake_knowledge: FakeKnowledge
) -> AsyncIterator[BotApplication]:
    """The real Application over hand-made answers."""
    application = build_application(
        make_settings(),
        knowledge=fake_knowledge,
        request=request_recorder,
        get_updates_request=request_recorder,
    )
    await started(application)
    fake_knowledge.asked.clear()  # forget the warm-up question
    yield application
    await stopped(application)


@pytest.fixture
async def app(
    request_recorder: RecordingRequest, seeded_db: Path, tmp_path: Path
) -> AsyncIterator[BotApplication]:
    """The real Application over the real knowledge base, opened by its own post_init."""
    database = tmp_path / "knowledge.sqlite3"
    shutil.copyfile(seeded_db, database)
    application = build_application(
        make_settings(knowledge_db=database, seeds_dir=SEEDS),
        request=request_recorder,
        get_updates_request=request_recorder,
    )
    yield await started(application)
    await stopped(application)
