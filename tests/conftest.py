"""Fixtures every test package shares."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from knowledge.engine import KnowledgeBase

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge database ingested from the seeds once per test session.

    Tests that change the store copy it first; tests that only ask may open it as is.
    """
    path = tmp_path_factory.mktemp("knowledge") / "knowledge.sqlite3"

    async def ingest() -> None:
        knowledge = await KnowledgeBase.open(path, seeds_dir=SEEDS)
        await knowledge.close()

    asyncio.run(ingest())
    return path
