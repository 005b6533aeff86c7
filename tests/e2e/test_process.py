"""``interview-bot run`` as users start it: a real process, stopped by a signal."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.fakebot import updates
from tests.fakebot.server import FakeBotApi

from .conftest import SEEDS, TOKEN

CLI = Path(sys.executable).with_name("interview-bot")
STOP_WITHIN = 10.0


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
async def test_run_answers_then_stops_cleanly_on_a_signal_without_leaking_the_token(
    tmp_path: Path, stop: signal.Signals
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    async with FakeBotApi(TOKEN) as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "TELEGRAM_BASE_FILE_URL": api.base_file_url,
            "KNOWLEDGE_DB": str(tmp_path / "knowledge.sqlite3"),
            "SEEDS_DIR": str(seeds),
            "LOG_LEVEL": "DEBUG",
        }
        process = await asyncio.create_subprocess_exec(
            str(CLI),
            "run",
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            api.push_update(updates.private_text("化学融合 物理相加"))
            [sent] = await api.wait_for_requests("sendMessage", timeout=30)
            started = time.monotonic()
            process.send_signal(stop)
            output, _ = await asyncio.wait_for(process.communicate(), STOP_WITHIN)
            stopped_after = time.monotonic() - started
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    log = output.decode("utf-8", "replace")
    assert "<blockquote>" in sent.params["text"]
    assert process.returncode == 0, log
    assert stopped_after < STOP_WITHIN
    assert "Polling" in log
    assert TOKEN not in log
    assert TOKEN.split(":", 1)[1] not in log
