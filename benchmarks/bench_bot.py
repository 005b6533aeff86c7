"""Benchmark the whole bot: the real Application polling the fake Bot API on 127.0.0.1.

    python benchmarks/bench_bot.py --updates 2000 --concurrency 64

The Application is the one ``build_application`` makes (rate limiter off, concurrent
updates as configured by CONCURRENT_UPDATES or ``--concurrency``), over the real
knowledge base ingested from the seeds into a temporary database. N private messages
from N distinct users, their questions drawn in turn from a small list, are pushed into
the fake (all at once, or at ``--rate`` per second); each is counted as answered when the
fake receives the first sendMessage to that user's chat.

Printed, one ``name value`` per line: the number answered, the seconds from the first
push to the last answer, updates answered per second end to end, and the p50/p99 latency
in milliseconds from pushing an update to the fake receiving its sendMessage. The bot
caches answers per question, so with a short list this measures the Telegram side (HTTP,
PTB, rendering) more than the search. The fake runs in the same process and event loop,
so its HTML checks take a share of the CPU too.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.config import load_settings
from tests.e2e.conftest import TOKEN, polling
from tests.fakebot import updates
from tests.fakebot.server import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "化学融合 物理相加",
    "应急管理机构改革进展如何？",
    "內蒙古應急救援隊伍建設",
    "值守应急工作有什么变化？",
    "What did the official say about the emergency management reform?",
    "火星上有应急管理厅吗？",  # declined, with topics
    "你好",  # a greeting
)
FIRST_USER = 100_000


async def answered_at(api: FakeBotApi, users: set[int], seconds: float) -> dict[int, float]:
    """When the fake received the first sendMessage to each user; waits for all of them."""
    first: dict[int, float] = {}
    seen = 0
    deadline = time.monotonic() + seconds
    while len(first) < len(users):
        requests = api.requests
        for request in requests[seen:]:
            chat_id = request.params.get("chat_id")
            if request.method == "sendMessage" and request.status == 200 and chat_id in users:
                first.setdefault(int(chat_id), request.received_at)
        seen = len(requests)
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.005)
    return first


async def push(api: FakeBotApi, count: int, rate: float) -> None:
    """Push ``count`` messages from distinct users, all at once or ``rate`` per second."""
    begun = time.monotonic()
    for number in range(count):
        if rate > 0:
            due = begun + number / rate
            if (wait := due - time.monotonic()) > 0:
                await asyncio.sleep(wait)
        question = QUESTIONS[number % len(QUESTIONS)]
        api.push_update(updates.private_text(question, user_id=FIRST_USER + number))


async def run(count: int, concurrency: int | None, rate: float, wait: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as directory:
        async with FakeBotApi(token=TOKEN) as api:
            overrides: dict[str, Any] = {
                "telegram_bot_token": TOKEN,
                "telegram_base_url": api.base_url,
                "telegram_base_file_url": api.base_file_url,
                "knowledge_db": Path(directory) / "knowledge.sqlite3",
                "seeds_dir": ROOT / "seeds",
                "rate_limiter": False,
            }
            if concurrency is not None:
                overrides["concurrent_updates"] = concurrency
            settings = load_settings(**overrides)  # the rest as configured (environment, .env)
            concurrency = settings.concurrent_updates
            async with polling(build_application(settings)):
                users = set(range(FIRST_USER, FIRST_USER + count))
                pushing = asyncio.create_task(push(api, count, rate))
                first = await answered_at(api, users, wait)
                await pushing

    pushed_at = {
        pushed.update["message"]["chat"]["id"]: pushed.pushed_at for pushed in api.pushed_updates
    }
    if len(first) < 2:
        raise SystemExit(f"only {len(first)} of {count} updates answered within {wait}s")
    latencies = sorted((first[user] - pushed_at[user]) * 1e3 for user in first)
    span = max(first.values()) - min(pushed_at.values())
    percentiles = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"updates {count}")
    print(f"concurrent_updates {concurrency}")
    print(f"answered {len(first)}")
    print(f"seconds {span:.3f}")
    print(f"updates_per_second {len(first) / span:.1f}")
    print(f"latency_p50_ms {percentiles[49]:.1f}")
    print(f"latency_p99_ms {percentiles[98]:.1f}")
    if len(first) < count:
        raise SystemExit(f"only {len(first)} of {count} updates answered within {wait}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="how many updates to push")
    parser.add_argument(
        "--concurrency", type=int, help="CONCURRENT_UPDATES (default: as configured)"
    )
    parser.add_argument(
        "--rate", type=float, default=0.0, help="updates pushed per second (0: all at once)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait at most")
    args = parser.parse_args()
    asyncio.run(run(args.updates, args.concurrency, args.rate, args.timeout))


if __name__ == "__main__":
    main()
