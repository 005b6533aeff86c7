"""Files in, stored interviews out: one outcome per file, and a run never stops at a bad file.

Parsing is CPU work, so it runs off the event loop (a worker thread by default,
a process pool if one is given) while the store writes the previous file.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from knowledge.errors import KnowledgeError
from knowledge.models import Interview
from knowledge.store import Normalise, PreparedInterview, Store, prepare

logger = logging.getLogger(__name__)

OutcomeStatus = Literal["stored", "unchanged", "replaced", "rejected"]
Parse = Callable[[Path], Interview]

SOURCE_SUFFIXES = frozenset({".txt", ".htm", ".html", ".md"})
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# Files parsed ahead of the one being stored: enough to keep a worker busy, few enough
# that a large folder never sits in memory as parsed interviews.
PARSE_AHEAD = 4
_REASON_LIMIT = 200


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one file."""

    path: Path
    status: OutcomeStatus
    interview_id: str | None
    reason: str | None = None
    turns: int | None = None

    def line(self) -> str:
        """One line for the CLI: ``stored     000_b101c70aef683fe2  (17 turns)``."""
        if self.status == "rejected":
            return f"{self.status:<10} {self.path}: {self.reason}"
        line = f"{self.status:<10} {self.interview_id}"
        if self.turns is not None:
            line += f"  ({self.turns} turn{'' if self.turns == 1 else 's'})"
        return line


def iter_source_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given (even missing ones, which ingest rejects); folders walked for sources.

    A folder yields its ``.txt``, ``.htm``, ``.html`` and ``.md`` files at any depth,
    sorted, skipping hidden files and folders. A file named twice is listed once.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        for found in _walk(path) if path.is_dir() else [path]:
            if found not in seen:
                seen.add(found)
                files.append(found)
    return files


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += (
            Path(root, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SOURCE_SUFFIXES
        )
    return sorted(found)


async def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    parse: Parse | None = None,
    executor: Executor | None = None,
) -> list[IngestOutcome]:
    """Parse and store every source file under ``paths``; one outcome per file, in order.

    ``parse`` defaults to ``knowledge.parser.parse_file``. It runs in ``executor``
    (the event loop's default thread pool when None; a ``ProcessPoolExecutor`` needs
    a picklable, module-level ``parse``).
    """
    parse_file = parse or _default_parse()
    loop = asyncio.get_running_loop()
    files = iter(iter_source_files(paths))
    ahead: deque[tuple[Path, asyncio.Future[PreparedInterview]]] = deque()
    job = functools.partial(
        _parse_and_prepare, parse_file, store.normalise, store.normaliser_version
    )

    def submit_next() -> None:
        path = next(files, None)
        if path is not None:
            ahead.append((path, loop.run_in_executor(executor, job, path)))

    outcomes: list[IngestOutcome] = []
    try:
        for _ in range(PARSE_AHEAD):
            submit_next()
        while ahead:
            path, parsed = ahead.popleft()
            submit_next()
            outcome = await _ingest_one(store, path, parsed)
            logger.debug("%s", outcome.line())
            outcomes.append(outcome)
    finally:
        # Only when the run itself is interrupted: drop the parses nobody will store.
        for _, parsed in ahead:
            if parsed.done() and not parsed.cancelled():
                parsed.exception()  # retrieved, so asyncio does not log it as forgotten
            else:
                parsed.cancel()
    return outcomes


def _parse_and_prepare(
    parse: Parse, normalise: Normalise, normaliser_version: str, path: Path
) -> PreparedInterview:
    """What runs in the worker: all the CPU-bound work for one file."""
    return prepare(parse(path), normalise, normaliser_version)


async def _ingest_one(
    store: Store, path: Path, parsed: asyncio.Future[PreparedInterview]
) -> IngestOutcome:
    interview_id: str | None = None
    try:
        prepared = await parsed
        interview = prepared.interview
        interview_id = interview.id
        status = await store.ingest(prepared)
    except KnowledgeError as exc:
        return IngestOutcome(path, "rejected", interview_id, _short(str(exc) or type(exc).__name__))
    except OSError as exc:  # a missing or unreadable file is the file's problem, not a bug
        return IngestOutcome(path, "rejected", interview_id, _short(exc.strerror or str(exc)))
    except Exception as exc:
        logger.warning("unexpected error ingesting %s", path, exc_info=True)
        return IngestOutcome(path, "rejected", interview_id, _short(f"{type(exc).__name__}: {exc}"))
    return IngestOutcome(path, status, interview.id, None, len(interview.turns))


def _short(reason: str) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= _REASON_LIMIT else reason[: _REASON_LIMIT - 1] + "…"


def _default_parse() -> Parse:
    # Imported here: the store and this module are usable (and tested) without the parser.
    from knowledge.parser import parse_file

    return parse_file


async def ensure_seeded(
    store: Store, seeds_dir: Path = SEEDS_DIR, *, parse: Parse | None = None
) -> list[IngestOutcome]:
    """Ingest ``seeds_dir`` into a store that holds no interviews; leave any other alone."""
    interviews, _ = await store.count()
    if interviews:
        return []
    logger.info("store %s is empty: ingesting seeds from %s", store.path, seeds_dir)
    return await ingest_paths(store, [seeds_dir], parse=parse)


def summarise(outcomes: Iterable[IngestOutcome]) -> str:
    """The total line: ``4 files: 2 stored, 1 unchanged, 0 replaced, 1 rejected``."""
    counts = Counter(outcome.status for outcome in outcomes)
    total = sum(counts.values())
    parts = ", ".join(f"{counts[s]} {s}" for s in ("stored", "unchanged", "replaced", "rejected"))
    return f"{total} file{'' if total == 1 else 's'}: {parts}"
