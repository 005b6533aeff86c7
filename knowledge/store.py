"""Parsed interviews kept in SQLite, and the passages that search indexes.

One ``Store`` wraps one aiosqlite connection. An interview is written in one
transaction keyed by its id: the same file ingested twice is ``"unchanged"``,
a changed file replaces every row of the old version at once, and a failure
half-way leaves the old version exactly as it was.

Every change bumps ``generation`` in the ``meta`` table; the search index
caches by it, so a process that sees a new generation knows to rebuild.
The passage key (``passages.key``) is what the index refers to: keys are never
reused, so a stale key finds nothing rather than some other paragraph.

The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a
store from version ``n`` to ``n + 1`` and ``open()`` applies whatever is missing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple, Self

import aiosqlite

from knowledge.errors import KnowledgeError
from knowledge.models import Interview, InterviewSummary, Pair, Speaker, Turn
from knowledge.passages import Passage, split_passages

logger = logging.getLogger(__name__)

IngestStatus = Literal["stored", "unchanged", "replaced"]
Normalise = Callable[[str], str]
Migration = Callable[[aiosqlite.Connection], Awaitable[None]]

MEMORY = ":memory:"
BATCH_SIZE = 10_000


class StoreError(KnowledgeError):
    """The store cannot be opened, migrated or written as asked."""


@dataclass(frozen=True, slots=True)
class StoredPassage:
    """One indexed answer paragraph: ``start``/``end`` are offsets into its turn's text."""

    key: int
    interview_id: str
    turn: int
    paragraph: int
    start: int
    end: int
    norm: str


@dataclass(frozen=True, slots=True)
class PassageColumns:
    """Every passage as parallel lists in key order, read in one snapshot of ``generation``."""

    generation: int
    keys: list[int] = field(default_factory=list)
    interview_ids: list[str] = field(default_factory=list)
    turns: list[int] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True, slots=True)
class PreparedInterview:
    """An interview with its passages split and normalised: the CPU-bound part of ingest.

    Made by ``prepare`` wherever parsing runs (a worker thread or process), so that
    ``Store.ingest`` only has to write.
    """

    interview: Interview
    passages: list[tuple[Passage, str]]  # each passage with its norm
    normaliser_version: str


def prepare(
    interview: Interview, normalise: Normalise, normaliser_version: str
) -> PreparedInterview:
    """Split ``interview`` into passages and normalise each one; pure, safe in any thread."""
    passages = [(p, normalise(p.text)) for p in split_passages(interview)]
    return PreparedInterview(interview, passages, normaliser_version)


@dataclass(frozen=True, slots=True)
class InterviewHead:
    """What an answer shows of an interview besides its turns."""

    id: str
    title: str | None
    outlet: str | None
    date: str | None
    spun: bool
    speakers: tuple[Speaker, ...]

    def speaker(self, label: str) -> Speaker | None:
        return next((s for s in self.speakers if s.label == label), None)


class AnsweredQuestion(NamedTuple):
    """The interviewer turn that an answer turn responded to, with the question's text."""

    interview_id: str
    answer_turn: int
    question_turn: int
    text: str


# --- schema -----------------------------------------------------------------


def _script(*statements: str) -> Migration:
    """A migration made of plain SQL statements, run in order inside the migration's transaction."""

    async def migrate(db: aiosqlite.Connection) -> None:
        for statement in statements:
            await db.execute(statement)

    return migrate


_V1 = _script(
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    "INSERT INTO meta (key, value) VALUES ('generation', '0')",
    """
    CREATE TABLE interviews (
        id TEXT PRIMARY KEY,
        source_name TEXT,
        content_hash TEXT,
        title TEXT,
        outlet TEXT,
        date TEXT,
        script TEXT NOT NULL,
        spun INTEGER NOT NULL,
        spun_evidence TEXT NOT NULL,
        warnings TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX interviews_by_date ON interviews (date DESC, id)",
    """
    CREATE TABLE speakers (
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        label TEXT NOT NULL,
        name TEXT,
        position TEXT,
        role TEXT NOT NULL,
        PRIMARY KEY (interview_id, pos)
    )
    """,
    """
    CREATE TABLE turns (
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        speaker TEXT NOT NULL,
        role TEXT NOT NULL,
        time TEXT,
        text TEXT NOT NULL,
        PRIMARY KEY (interview_id, pos),
        UNIQUE (interview_id, idx)
    )
    """,
    """
    CREATE TABLE pairs (
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        question INTEGER,
        answers TEXT NOT NULL,
        PRIMARY KEY (interview_id, pos)
    )
    """,
    """
    CREATE TABLE passages (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        turn INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        norm TEXT NOT NULL,
        FOREIGN KEY (interview_id, turn) REFERENCES turns (interview_id, idx) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX passages_by_turn ON passages (interview_id, turn, paragraph)",
)

# Index n upgrades a store from schema version n to n + 1. Append; never edit a released step.
MIGRATIONS: list[Migration] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)


# --- SQL ----------------------------------------------------------------------

_INSERT_INTERVIEW = """
INSERT INTO interviews (
    id, source_name, content_hash, title, outlet, date, script, spun,
    spun_evidence, warnings, ingested_at
) VALUES (
    :id, :source_name, :content_hash, :title, :outlet, :date, :script, :spun,
    :spun_evidence, :warnings, :ingested_at
)
"""
_INSERT_SPEAKER = """
INSERT INTO speakers (interview_id, pos, label, name, position, role)
VALUES (:interview_id, :pos, :label, :name, :position, :role)
"""
_INSERT_TURN = """
INSERT INTO turns (interview_id, pos, idx, speaker, role, time, text)
VALUES (:interview_id, :pos, :idx, :speaker, :role, :time, :text)
"""
_INSERT_PAIR = """
INSERT INTO pairs (interview_id, pos, question, answers)
VALUES (:interview_id, :pos, :question, :answers)
"""
_INSERT_PASSAGE = """
INSERT INTO passages (interview_id, turn, paragraph, start, "end", text, norm)
VALUES (:interview_id, :turn, :paragraph, :start, :end, :text, :norm)
"""
_BUMP_GENERATION = """
UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'
"""
_SET_META = """
INSERT INTO meta (key, value) VALUES (:key, :value)
ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""
_PASSAGE_FIELDS = 'key, interview_id, turn, paragraph, start, "end", norm'
_PASSAGES_AFTER = f"""
SELECT {_PASSAGE_FIELDS} FROM passages WHERE key > :after ORDER BY key LIMIT :limit
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(values: Sequence[Any]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _resolve_normaliser(normalise: Normalise | None, version: str | None) -> tuple[Normalise, str]:
    if normalise is None and version is None:
        # Imported here so that the store can be used (and tested) with any normaliser.
        from knowledge.normalise import NORMALISER_VERSION
        from knowledge.normalise import normalise as default

        return default, NORMALISER_VERSION
    if normalise is None or version is None:
        raise TypeError("pass normalise and normaliser_version together, or neither")
    return normalise, version


# --- the store ------------------------------------------------------------------


class Store:
    """Interviews and their passages in one SQLite file (or ``":memory:"``).

    Use ``await Store.open(path)``; every method is safe to call from concurrent
    tasks (one lock serialises them, so a reader never sees half an ingest).
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        *,
        path: str,
        normalise: Normalise,
        normaliser_version: str,
    ) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        self.path = path
        self._normalise = normalise
        self.normaliser_version = normaliser_version

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

    @property
    def normalise(self) -> Normalise:
        """The normaliser that makes ``passages.norm`` (``prepare`` needs it)."""
        return self._normalise

    # --- lifecycle ----------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        normalise: Normalise | None = None,
        normaliser_version: str | None = None,
    ) -> Self:
        """Open (creating or migrating as needed) the store at ``path``."""
        normalise, normaliser_version = _resolve_normaliser(normalise, normaliser_version)
        name = str(path)
        in_memory = name == MEMORY
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(name, isolation_level=None)
        try:
            await _configure(db, in_memory=in_memory)
            await _migrate(db, name)
            store = cls(db, path=name, normalise=normalise, normaliser_version=normaliser_version)
            await store._check_normaliser()
        except sqlite3.DatabaseError as exc:
            await db.close()
            raise StoreError(f"cannot open store {name}: {exc}") from exc
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed if the block finishes, rolled back if it raises."""
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            await self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                await self._db.execute("ROLLBACK")
            raise

    async def _check_normaliser(self) -> None:
        async with self._lock:
            stored = await self._meta("normaliser_version")
            if stored is None:
                async with self._transaction() as db:
                    await db.execute(
                        _SET_META, {"key": "normaliser_version", "value": self.normaliser_version}
                    )
                return
        if stored != self.normaliser_version:
            logger.info(
                "normaliser changed from %s to %s: renormalising passages",
                stored,
                self.normaliser_version,
            )
            await self.renormalise()

    # --- writes -------------------------------------------------------------

    async def ingest(self, item: Interview | PreparedInterview) -> IngestStatus:
        """Store an interview, replacing any earlier version with the same id.

        Same id and same ``content_hash``: ``"unchanged"``, nothing written. A
        ``PreparedInterview`` made with another normaliser version is prepared again.
        """
        interview = item.interview if isinstance(item, PreparedInterview) else item
        async with self._lock:
            rows = await self._db.execute_fetchall(
                "SELECT content_hash FROM interviews WHERE id = :id", {"id": interview.id}
            )
            stored = list(rows)
            if (
                stored
                and interview.content_hash is not None
                and stored[0][0] == interview.content_hash
            ):
                return "unchanged"
            if (
                not isinstance(item, PreparedInterview)
                or item.normaliser_version != self.normaliser_version
            ):
                # Normalising is CPU work: keep the event loop free while it runs.
                item = await asyncio.to_thread(
                    prepare, interview, self._normalise, self.normaliser_version
                )
            passages = [
                {
                    "interview_id": p.interview_id,
                    "turn": p.turn,
                    "paragraph": p.paragraph,
                    "start": p.start,
                    "end": p.end,
                    "text": p.text,
                    "norm": norm,
                }
                for p, norm in item.passages
            ]
            try:
                async with self._transaction() as db:
                    deleted = await db.execute(
                        "DELETE FROM interviews WHERE id = :id", {"id": interview.id}
                    )
                    replaced = deleted.rowcount > 0
                    await _insert(db, interview, passages)
                    await db.execute(_BUMP_GENERATION)
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"cannot store interview {interview.id}: {exc}") from exc
        return "replaced" if replaced else "stored"

    async def delete(self, interview_id: str) -> bool:
        """Remove an interview and everything hanging off it; False if it was not there."""
        async with self._lock, self._transaction() as db:
            cursor = await db.execute("DELETE FROM interviews WHERE id = :id", {"id": interview_id})
            deleted = cursor.rowcount > 0
            if deleted:
                await db.execute(_BUMP_GENERATION)
        return deleted

    async def renormalise(self) -> int:
        """Recompute every passage's ``norm`` with the current normaliser; returns how many."""
        count = 0
        async with self._lock, self._transaction() as db:
            after = 0
            while rows := list(
                await db.execute_fetchall(
                    "SELECT key, text FROM passages WHERE key > :after ORDER BY key LIMIT :limit",
                    {"after": after, "limit": BATCH_SIZE},
                )
            ):
                # Normalising is CPU work: keep the event loop free while it runs.
                updates = await asyncio.to_thread(self._norm_updates, rows)
                await db.executemany("UPDATE passages SET norm = :norm WHERE key = :key", updates)
                after = rows[-1][0]
                count += len(rows)
            await db.execute(
                _SET_META, {"key": "normaliser_version", "value": self.normaliser_version}
            )
            await db.execute(_BUMP_GENERATION)
        return count

    def _norm_updates(self, rows: Iterable[Any]) -> list[dict[str, Any]]:
        return [{"key": key, "norm": self._normalise(text)} for key, text in rows]

    # --- reads --------------------------------------------------------------

    async def generation(self) -> int:
        """A counter bumped by every change to the stored interviews or their passages."""
        async with self._lock:
            return int(await self._meta("generation") or 0)

    async def count(self) -> tuple[int, int]:
        """How many interviews and how many passages are stored."""
        async with self._lock:
            rows = await self._db.execute_fetchall(
                "SELECT (SELECT count(*) FROM interviews), (SELECT count(*) FROM passages)"
            )
        ((interviews, passages),) = rows
        return int(interviews), int(passages)

    async def interview_ids(self) -> list[str]:
        async with self._lock:
            rows = await self._db.execute_fetchall("SELECT id FROM interviews ORDER BY id")
        return [str(row[0]) for row in rows]

    async def summaries(self, *, limit: int | None = None) -> list[InterviewSummary]:
        """One line per interview, newest first (undated last), then by id.

        ``limit``: only the first that many lines, without reading the others.
        """
        # SQLite reads a negative LIMIT as no limit.
        bound = {"limit": -1 if limit is None else max(limit, 0)}
        async with self._lock:
            rows = await self._db.execute_fetchall(
                """
                SELECT i.id, i.title, i.outlet, i.date, i.spun,
                       (SELECT count(*) FROM turns AS t WHERE t.interview_id = i.id)
                FROM interviews AS i
                ORDER BY i.date DESC, i.id
                LIMIT :limit
                """,
                bound,
            )
            people = await self._db.execute_fetchall(
                """
                SELECT interview_id, coalesce(name, label) FROM speakers
                WHERE role = 'interviewee'
                ORDER BY interview_id, pos
                """
                if limit is None
                else """
                SELECT interview_id, coalesce(name, label) FROM speakers
                WHERE role = 'interviewee' AND interview_id IN (
                    SELECT id FROM interviews ORDER BY date DESC, id LIMIT :limit
                )
                ORDER BY interview_id, pos
                """,
                bound,
            )
        interviewees: dict[str, list[str]] = {}
        for interview_id, person in people:
            interviewees.setdefault(interview_id, []).append(person)
        return [
            InterviewSummary(
                id=id_,
                title=title,
                outlet=outlet,
                date=date,
                interviewees=interviewees.get(id_, []),
                turn_count=turn_count,
                spun=bool(spun),
            )
            for id_, title, outlet, date, spun, turn_count in rows
        ]

    async def interview(self, interview_id: str) -> Interview | None:
        """The interview exactly as it was ingested, or None."""
        key = {"id": interview_id}
        async with self._lock:
            head = list(
                await self._db.execute_fetchall(
                    """
                    SELECT id, title, outlet, date, script, spun, spun_evidence, warnings,
                           source_name, content_hash
                    FROM interviews WHERE id = :id
                    """,
                    key,
                )
            )
            if not head:
                return None
            speakers = await self._db.execute_fetchall(
                """
                SELECT label, name, position, role FROM speakers
                WHERE interview_id = :id ORDER BY pos
                """,
                key,
            )
            turns = await self._db.execute_fetchall(
                """
                SELECT idx, speaker, role, time, text FROM turns
                WHERE interview_id = :id ORDER BY pos
                """,
                key,
            )
            pairs = await self._db.execute_fetchall(
                "SELECT question, answers FROM pairs WHERE interview_id = :id ORDER BY pos", key
            )
        (id_, title, outlet, date, script, spun, evidence, warnings, source, content_hash) = head[0]
        return Interview(
            id=id_,
            title=title,
            outlet=outlet,
            date=date,
            script=script,
            spun=bool(spun),
            spun_evidence=json.loads(evidence),
            speakers=[
                Speaker(label=label, name=name, position=position, role=role)
                for label, name, position, role in speakers
            ],
            turns=[
                Turn(index=idx, speaker=speaker, role=role, time=time, text=text)
                for idx, speaker, role, time, text in turns
            ],
            pairs=[
                Pair(question=question, answers=json.loads(answers)) for question, answers in pairs
            ],
            warnings=json.loads(warnings),
            source_name=source,
            content_hash=content_hash,
        )

    async def heads(self, ids: Iterable[str]) -> dict[str, InterviewHead]:
        """The heads of the interviews with these ids; unknown ids are left out."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        async with self._lock:
            rows = await self._db.execute_fetchall(
                """
                SELECT i.id, i.title, i.outlet, i.date, i.spun,
                       s.label, s.name, s.position, s.role
                FROM interviews AS i
                LEFT JOIN speakers AS s ON s.interview_id = i.id
                WHERE i.id IN (SELECT value FROM json_each(:ids))
                ORDER BY i.id, s.pos
                """,
                {"ids": json.dumps(wanted)},
            )
        fields: dict[str, tuple[str | None, str | None, str | None, bool]] = {}
        speakers: dict[str, list[Speaker]] = {}
        for id_, title, outlet, date, spun, label, name, position, role in rows:
            fields[id_] = (title, outlet, date, bool(spun))
            listed = speakers.setdefault(id_, [])
            if label is not None:
                listed.append(Speaker(label=label, name=name, position=position, role=role))
        return {id_: InterviewHead(id_, *fields[id_], tuple(speakers[id_])) for id_ in fields}

    async def turns(self, wanted: Mapping[str, Iterable[int]]) -> dict[tuple[str, int], Turn]:
        """The turns asked for, by interview id and ``Turn.index``, in one read; missing
        ones are left out."""
        pairs = [[iid, int(index)] for iid, indexes in wanted.items() for index in indexes]
        if not pairs:
            return {}
        async with self._lock:
            rows = await self._db.execute_fetchall(
                """
                SELECT t.interview_id, t.idx, t.speaker, t.role, t.time, t.text
                FROM json_each(:pairs) AS w
                JOIN turns AS t ON t.interview_id = json_extract(w.value, '$[0]')
                               AND t.idx = json_extract(w.value, '$[1]')
                """,
                {"pairs": json.dumps(pairs, ensure_ascii=False)},
            )
        return {
            (iid, idx): Turn(index=idx, speaker=speaker, role=role, time=time, text=text)
            for iid, idx, speaker, role, time, text in rows
        }

    async def passage(self, key: int) -> StoredPassage:
        """The passage with this key; KeyError if there is none (a stale index)."""
        async with self._lock:
            rows = list(
                await self._db.execute_fetchall(
                    f"SELECT {_PASSAGE_FIELDS} FROM passages WHERE key = :key", {"key": key}
                )
            )
        if not rows:
            raise KeyError(key)
        return StoredPassage(*rows[0])

    async def passages(self, *, batch_size: int = BATCH_SIZE) -> AsyncIterator[StoredPassage]:
        """Every passage in key order, read ``batch_size`` rows at a time.

        Each batch is read atomically; a write between batches is not hidden, so a
        caller that needs one snapshot compares ``generation()`` before and after,
        or uses ``passage_columns()``.
        """
        after = 0
        while True:
            async with self._lock:
                rows = list(
                    await self._db.execute_fetchall(
                        _PASSAGES_AFTER, {"after": after, "limit": batch_size}
                    )
                )
            for row in rows:
                yield StoredPassage(*row)
            if len(rows) < batch_size:
                return
            after = rows[-1][0]

    async def passage_columns(self, *, batch_size: int = BATCH_SIZE) -> PassageColumns:
        """Every passage as parallel lists, read in one transaction with its generation."""
        async with self._lock:
            await self._db.execute("BEGIN")
            try:
                columns = PassageColumns(generation=int(await self._meta("generation") or 0))
                targets: tuple[list[Any], ...] = (
                    columns.keys,
                    columns.interview_ids,
                    columns.turns,
                    columns.paragraphs,
                    columns.starts,
                    columns.ends,
                    columns.norms,
                )
                # Rows repeat interview ids and offsets: keep one object per distinct value
                # (a million passages hold a few thousand of them), not one per row.
                ids: dict[str, str] = {}
                offsets: dict[int, int] = {}
                shared = (None, ids, None, None, offsets, offsets, None)
                async with self._db.execute(
                    f"SELECT {_PASSAGE_FIELDS} FROM passages ORDER BY key"
                ) as cursor:
                    while rows := await cursor.fetchmany(batch_size):
                        for target, values, seen in zip(
                            targets, zip(*rows, strict=True), shared, strict=True
                        ):
                            if seen is not None:
                                values = tuple(map(seen.setdefault, values, values))
                            target.extend(values)
            finally:
                await self._db.execute("COMMIT")
        return columns

    async def question_contexts(self) -> list[AnsweredQuestion]:
        """For every paired answer turn, the question it answered (from ``Interview.pairs``)."""
        async with self._lock:
            rows = await self._db.execute_fetchall(
                """
                SELECT p.interview_id, answer.value, p.question, t.text
                FROM pairs AS p
                JOIN json_each(p.answers) AS answer
                JOIN turns AS t ON t.interview_id = p.interview_id AND t.idx = p.question
                ORDER BY p.interview_id, p.pos, answer.key
                """
            )
        ids: dict[str, str] = {}  # one string per interview, not one per row
        return [
            AnsweredQuestion(ids.setdefault(iid, iid), answer, question, text)
            for iid, answer, question, text in rows
        ]

    async def _meta(self, key: str) -> str | None:
        rows = list(
            await self._db.execute_fetchall("SELECT value FROM meta WHERE key = :key", {"key": key})
        )
        return str(rows[0][0]) if rows else None


# --- helpers --------------------------------------------------------------------


async def _configure(db: aiosqlite.Connection, *, in_memory: bool) -> None:
    await db.execute("PRAGMA busy_timeout = 5000")
    await db.execute("PRAGMA foreign_keys = ON")
    if not in_memory:
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")


async def _user_version(db: aiosqlite.Connection) -> int:
    ((version,),) = await db.execute_fetchall("PRAGMA user_version")
    return int(version)


async def _migrate(db: aiosqlite.Connection, name: str) -> None:
    """Bring the schema up to ``len(MIGRATIONS)``, one transaction per step."""
    target = len(MIGRATIONS)
    version = await _user_version(db)
    if version > target:
        raise StoreError(
            f"store {name} has schema version {version}, newer than this program's"
            f" {target}: upgrade interview-bot or use another store"
        )
    while version < target:
        await db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            version = await _user_version(db)
            if version < target:
                await MIGRATIONS[version](db)
                # PRAGMA takes no parameters; the value is our own integer.
                await db.execute(f"PRAGMA user_version = {version + 1:d}")
            await db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"cannot migrate store {name} to schema version {version + 1}: {exc}"
                ) from exc
            raise
        logger.info("store %s is at schema version %d", name, version + 1)
        version = await _user_version(db)


async def _insert(
    db: aiosqlite.Connection, interview: Interview, passages: list[dict[str, Any]]
) -> None:
    iid = interview.id
    await db.execute(
        _INSERT_INTERVIEW,
        {
            "id": iid,
            "source_name": interview.source_name,
            "content_hash": interview.content_hash,
            "title": interview.title,
            "outlet": interview.outlet,
            "date": interview.date,
            "script": interview.script,
            "spun": int(interview.spun),
            "spun_evidence": _json(interview.spun_evidence),
            "warnings": _json(interview.warnings),
            "ingested_at": _now(),
        },
    )
    await db.executemany(
        _INSERT_SPEAKER,
        [
            {
                "interview_id": iid,
                "pos": pos,
                "label": s.label,
                "name": s.name,
                "position": s.position,
                "role": s.role,
            }
            for pos, s in enumerate(interview.speakers)
        ],
    )
    await db.executemany(
        _INSERT_TURN,
        [
            {
                "interview_id": iid,
                "pos": pos,
                "idx": t.index,
                "speaker": t.speaker,
                "role": t.role,
                "time": t.time,
                "text": t.text,
            }
            for pos, t in enumerate(interview.turns)
        ],
    )
    await db.executemany(
        _INSERT_PAIR,
        [
            {"interview_id": iid, "pos": pos, "question": p.question, "answers": _json(p.answers)}
            for pos, p in enumerate(interview.pairs)
        ],
    )
    await db.executemany(_INSERT_PASSAGE, passages)
