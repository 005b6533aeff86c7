"""Fixtures for end-to-end tests: the real Application polling the fake Bot API over HTTP.

Nothing here touches the internet: the fake listens on 127.0.0.1 and the knowledge base is
a copy of one ingested from the bundled seeds, in a temporary directory.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TelegramError

from bot.app import ALLOWED_UPDATES, BotApplication, build_application
from bot.config import Settings, load_settings
from tests.fakebot.server import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

TOKEN = "987654321:E2E-secret_token_0123456789abcdefXYZ"
"""The bot token both sides use; distinctive so that a leak into a log is easy to spot."""

POLL_TIMEOUT = 1
"""getUpdates long-poll seconds: short, so that nothing waits on a poll for long."""

Serve = Callable[..., contextlib.AbstractAsyncContextManager[BotApplication]]


@contextlib.asynccontextmanager
async def polling(
    application: BotApplication, *, poll_timeout: float = POLL_TIMEOUT
) -> AsyncIterator[BotApplication]:
    """Run ``application`` with long polling, in the order ``Application.run_polling`` uses.

    ``initialize`` and ``post_init``, then the updater and the application start; on the
    way out the updater and the application stop (the application after processing every
    update already fetched), then ``post_stop``, ``shutdown`` and ``post_shutdown``.
    Errors while fetching updates go to the error handlers, as ``run_polling`` sends them.
    """
    updater = application.updater
    if updater is None:
        raise RuntimeError("the application has no updater")

    def error_callback(error: TelegramError) -> None:
        application.create_task(application.process_error(update=None, error=error))

    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await updater.start_polling(
            poll_interval=0,
            timeout=poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=error_callback,
        )
        await application.start()
        try:
            yield application
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A started fake Bot API on 127.0.0.1 that knows the bot by ``TOKEN``."""
    async with FakeBotApi(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def settings_for(api: FakeBotApi, seeded_db: Path, tmp_path: Path) -> Callable[..., Settings]:
    """Settings pointing the bot at the fake and at a private copy of the seeded database."""
    database = tmp_path / "knowledge.sqlite3"
    shutil.copyfile(seeded_db, database)

    def make(**changes: Any) -> Settings:
        values: dict[str, Any] = {
            "telegram_bot_token": TOKEN,
            "telegram_base_url": api.base_url,
            "telegram_base_file_url": api.base_file_url,
            "knowledge_db": database,
            "seeds_dir": SEEDS,
            "rate_limiter": False,
            "concurrent_updates": 64,
            "admin_ids": (),
            "webhook_url": None,
            "webhook_secret": None,
            "_env_file": None,
        }
        values.update(changes)
        return load_settings(**values)

    return make


@pytest.fixture
def serve(settings_for: Callable[..., Settings]) -> Serve:
    """``async with serve(**settings) as application:`` runs the real bot against the fake."""

    def start(**changes: Any) -> contextlib.AbstractAsyncContextManager[BotApplication]:
        return polling(build_application(settings_for(**changes)))

    return start
