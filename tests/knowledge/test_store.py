"""The store keeps interviews whole, versioned and consistent."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import knowledge.store as store_module
from knowledge.models import Interview, InterviewSummary, Pair, Speaker, Turn
from knowledge.passages import split_passages
from knowledge.store import (
    SCHEMA_VERSION,
    PassageColumns,
    Store,
    StoredPassage,
    StoreError,
    prepare,
)
from tests.knowledge.store_fixtures import (
    NORMALISER_VERSION,
    failing_after,
    make_interview,
    normalise,
    open_store,
)


@pytest.fixture
async def store() -> AsyncIterator[Store]:
    store = await open_store()
    yield store
    await store.close()


@pytest.fixture
async def file_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await open_store(tmp_path / "store.db")
    yield store
    await store.close()


def sql(path: Path | str, query: str) -> list[tuple[object, ...]]:
    """Look at a store file from outside, the way another process would."""
    with sqlite3.connect(path) as db:
        return db.execute(query).fetchall()


def schema(path: Path | str) -> list[tuple[object, ...]]:
    return sql(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


def expected_passages(interview: Interview) -> list[tuple[str, int, int, int, int, str]]:
    return [
        (p.interview_id, p.turn, p.paragraph, p.start, p.end, normalise(p.text))
        for p in split_passages(interview)
    ]


def without_keys(passages: list[StoredPassage]) -> list[tuple[str, int, int, int, int, str]]:
    return [(p.interview_id, p.turn, p.paragraph, p.start, p.end, p.norm) for p in passages]


async def all_passages(store: Store, batch_size: int = 10_000) -> list[StoredPassage]:
    return [p async for p in store.passages(batch_size=batch_size)]


# --- round trip ------------------------------------------------------------------


async def test_round_trip_returns_the_interview_as_ingested(store: Store) -> None:
    interview = make_interview()

    await store.ingest(interview)

    assert interview == await store.interview(interview.id)


speakers = st.builds(
    Speaker,
    label=st.text(min_size=1, max_size=8),
    name=st.none() | st.text(max_size=8),
    position=st.none() | st.text(max_size=12),
    role=st.sampled_from(["interviewer", "interviewee", "other"]),
)


@st.composite
def interviews(draw: st.DrawFn) -> Interview:
    indexes = draw(st.lists(st.integers(0, 10_000), unique=True, max_size=8))
    turns = [
        Turn(
            index=index,
            speaker=draw(st.text(min_size=1, max_size=6)),
            role=draw(st.sampled_from(["interviewer", "interviewee", "other"])),
            time=draw(st.none() | st.text(max_size=8)),
            text=draw(st.text(max_size=200)),
        )
        for index in indexes
    ]
    return Interview(
        id=draw(st.text(min_size=1, max_size=20)),
        title=draw(st.none() | st.text(max_size=30)),
        outlet=draw(st.none() | st.text(max_size=10)),
        date=draw(st.none() | st.dates().map(str)),
        script=draw(st.sampled_from(["hans", "hant"])),
        spun=draw(st.booleans()),
        spun_evidence=draw(st.lists(st.text(max_size=20), max_size=3)),
        speakers=draw(st.lists(speakers, max_size=4)),
        turns=turns,
        pairs=draw(
            st.lists(
                st.builds(
                    Pair,
                    question=st.none() | st.integers(0, 99),
                    answers=st.lists(st.integers(0, 99)),
                ),
                max_size=4,
            )
        ),
        warnings=draw(st.lists(st.text(max_size=20), max_size=3)),
        source_name=draw(st.none() | st.text(max_size=20)),
        content_hash=draw(
            st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
        ),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interview=interviews())
def test_round_trip_holds_for_any_interview(interview: Interview) -> None:
    async def round_trip() -> tuple[Interview | None, list[StoredPassage]]:
        async with await open_store() as store:
            await store.ingest(interview)
            return await store.interview(interview.id), await all_passages(store)

    stored, passages = asyncio.run(round_trip())

    assert interview == stored
    assert expected_passages(interview) == without_keys(passages)


# --- ingest ------------------------------------------------------------------------


async def test_ingest_of_a_new_interview_reports_stored(store: Store) -> None:
    expected = "stored"
    assert expected == await store.ingest(make_interview())


async def test_ingest_of_the_same_content_is_unchanged_and_keeps_generation(store: Store) -> None:
    await store.ingest(make_interview())
    generation = await store.generation()

    status = await store.ingest(make_interview())

    assert ("unchanged", generation) == (status, await store.generation())


async def test_every_change_bumps_generation(store: Store) -> None:
    generations = [await store.generation()]
    for change in (
        store.ingest(make_interview(version="1")),
        store.ingest(make_interview(version="2")),
        store.delete(make_interview().id),
    ):
        await change
        generations.append(await store.generation())

    expected = [0, 1, 2, 3]
    assert expected == generations


async def test_interview_without_content_hash_is_always_rewritten(store: Store) -> None:
    interview = make_interview().model_copy(update={"content_hash": None})
    await store.ingest(interview)

    expected = "replaced"
    assert expected == await store.ingest(interview)


async def test_changed_content_replaces_the_old_turns(store: Store) -> None:
    await store.ingest(make_interview(answers=["旧的回答。"], version="1"))
    new = make_interview(answers=["新的回答，第一段。", "新的回答，第二段。"], version="2")

    status = await store.ingest(new)

    assert ("replaced", new) == (status, await store.interview(new.id))
    assert expected_passages(new) == without_keys(await all_passages(store))


async def test_replacing_one_interview_keeps_the_passage_keys_of_others(store: Store) -> None:
    await store.ingest(make_interview("a"))
    await store.ingest(make_interview("b"))
    others_before = [p for p in await all_passages(store) if p.interview_id == "b"]

    await store.ingest(make_interview("a", answers=["改过的回答。"], version="2"))

    assert others_before == [p for p in await all_passages(store) if p.interview_id == "b"]


async def test_failing_normaliser_leaves_the_previous_version_intact() -> None:
    old = make_interview(answers=["只有一段回答。"], version="1")
    async with await open_store(normalise=failing_after(3)) as store:
        await store.ingest(old)  # one passage: the first call; the new version has three
        generation = await store.generation()

        with pytest.raises(RuntimeError):
            await store.ingest(make_interview(version="2"))

        assert (old, generation) == (await store.interview(old.id), await store.generation())


async def test_failure_inside_the_transaction_rolls_back(store: Store) -> None:
    old = make_interview(version="1")
    await store.ingest(old)
    generation = await store.generation()
    good = make_interview(version="2")
    duplicate_index = good.model_copy(update={"turns": [*good.turns, good.turns[-1]]})

    with pytest.raises(StoreError, match="UNIQUE"):
        await store.ingest(duplicate_index)

    assert (old, generation) == (await store.interview(old.id), await store.generation())
    assert expected_passages(old) == without_keys(await all_passages(store))


async def test_a_prepared_interview_is_not_normalised_again() -> None:
    interview = make_interview()
    prepared = prepare(interview, normalise, NORMALISER_VERSION)

    async with await open_store(normalise=failing_after(1)) as store:
        status = await store.ingest(prepared)

    assert "stored" == status


async def test_a_prepared_interview_from_another_normaliser_is_prepared_again(
    store: Store,
) -> None:
    interview = make_interview(answers=["推进 SMART 城市建设。"])
    stale = prepare(interview, str.upper, "upper-1")

    await store.ingest(stale)

    expected = expected_passages(interview)
    assert expected == without_keys(await all_passages(store))


async def test_readers_never_see_half_a_replacement(store: Store) -> None:
    await store.ingest(make_interview(version="0"))
    done = asyncio.Event()
    seen: list[int] = []

    async def write() -> None:
        for version in range(1, 10):
            await store.ingest(make_interview(version=str(version)))
        done.set()

    async def read() -> None:
        while not done.is_set():
            seen.append(len(await store.summaries()))

    await asyncio.gather(write(), read(), read())

    assert {1} == set(seen)


# --- opening, pragmas, migrations ------------------------------------------------------


async def test_file_store_uses_wal_journal(file_store: Store) -> None:
    expected = [("wal",)]
    assert expected == sql(file_store.path, "PRAGMA journal_mode")


async def test_new_store_records_the_schema_version(file_store: Store) -> None:
    expected = [(SCHEMA_VERSION,)]
    assert expected == sql(file_store.path, "PRAGMA user_version")


async def test_open_creates_missing_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "store.db"

    async with await open_store(path):
        pass

    assert path.is_file()


async def test_store_closes_at_the_end_of_async_with(tmp_path: Path) -> None:
    async with await open_store(tmp_path / "store.db") as store:
        pass

    with pytest.raises(ValueError, match="closed"):
        await store.count()


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
async def test_open_migrates_an_older_store_to_the_current_schema(
    tmp_path: Path, version: int
) -> None:
    older = tmp_path / "older.db"
    async with aiosqlite.connect(older) as db:
        for migrate in store_module.MIGRATIONS[:version]:
            await migrate(db)
        await db.execute(f"PRAGMA user_version = {version}")
        await db.commit()
    async with await open_store(tmp_path / "fresh.db"):
        pass

    async with await open_store(older):
        pass

    assert (schema(tmp_path / "fresh.db"), [(SCHEMA_VERSION,)]) == (
        schema(older),
        sql(older, "PRAGMA user_version"),
    )


async def test_open_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()

    async with await open_store(path) as store:
        await store.ingest(make_interview())
        count = await store.count()

    expected = ((1, 3), [(SCHEMA_VERSION,)])
    assert expected == (count, sql(path, "PRAGMA user_version"))


async def add_language_column(db: aiosqlite.Connection) -> None:
    await db.execute("ALTER TABLE interviews ADD COLUMN language TEXT NOT NULL DEFAULT 'zh'")


async def test_open_applies_a_newer_migration_and_keeps_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    interview = make_interview()
    async with await open_store(path) as store:
        await store.ingest(interview)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, add_language_column])

    async with await open_store(path) as store:
        stored = await store.interview(interview.id)

    assert (interview, [(SCHEMA_VERSION + 1,)], [("zh",)]) == (
        stored,
        sql(path, "PRAGMA user_version"),
        sql(path, "SELECT language FROM interviews"),
    )


async def test_failed_migration_leaves_the_store_at_its_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    async with await open_store(path) as store:
        await store.ingest(make_interview())

    async def half_done(db: aiosqlite.Connection) -> None:
        await add_language_column(db)
        await db.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, half_done])

    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
        await open_store(path)

    expected = ([(SCHEMA_VERSION,)], [])
    assert expected == (
        sql(path, "PRAGMA user_version"),
        [c for c in sql(path, "PRAGMA table_info(interviews)") if c[1] == "language"],
    )


async def test_open_refuses_a_store_newer_than_the_code(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}, newer"):
        await open_store(path)


async def test_open_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite, just some notes\n" * 100)

    with pytest.raises(StoreError, match="cannot open store"):
        await open_store(path)


async def test_open_needs_normalise_and_its_version_together() -> None:
    with pytest.raises(TypeError, match="together"):
        await Store.open(":memory:", normalise=str.lower)


# --- normaliser versions ------------------------------------------------------------


async def test_open_renormalises_passages_when_the_normaliser_changes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    interview = make_interview()
    async with await open_store(path) as store:
        await store.ingest(interview)
        generation = await store.generation()

    async with await open_store(path, normalise=str.upper, normaliser_version="upper-1") as store:
        norms = [p.norm async for p in store.passages()]
        new_generation = await store.generation()

    assert ([p.text.upper() for p in split_passages(interview)], generation + 1) == (
        norms,
        new_generation,
    )
    expected = [("upper-1",)]
    assert expected == sql(path, "SELECT value FROM meta WHERE key = 'normaliser_version'")


async def test_open_with_the_same_normaliser_keeps_generation(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    async with await open_store(path) as store:
        await store.ingest(make_interview())
        generation = await store.generation()

    async with await open_store(path) as store:
        assert generation == await store.generation()


async def test_renormalise_reports_how_many_passages_it_rewrote(store: Store) -> None:
    await store.ingest(make_interview("a"))
    await store.ingest(make_interview("b"))

    expected = 6
    assert expected == await store.renormalise()


# --- reads -------------------------------------------------------------------------


async def test_summaries_are_newest_first_then_by_id_with_undated_last(store: Store) -> None:
    for interview_id, date in [
        ("b", "2019-05-11"),
        ("undated", None),
        ("a", "2019-05-11"),
        ("newest", "2021-01-02"),
    ]:
        await store.ingest(make_interview(interview_id, date=date))

    expected = ["newest", "a", "b", "undated"]
    assert expected == [s.id for s in await store.summaries()]


async def test_summary_carries_title_outlet_interviewees_and_turn_count(store: Store) -> None:
    interview = make_interview()
    await store.ingest(interview)

    expected = InterviewSummary(
        id=interview.id,
        title=interview.title,
        outlet=interview.outlet,
        date=interview.date,
        interviewees=["高涌涛"],
        turn_count=6,
        spun=False,
    )
    assert [expected] == await store.summaries()


async def test_interview_ids_are_sorted(store: Store) -> None:
    for interview_id in ["c", "a", "b"]:
        await store.ingest(make_interview(interview_id))

    expected = ["a", "b", "c"]
    assert expected == await store.interview_ids()


async def test_missing_interview_is_none(store: Store) -> None:
    assert await store.interview("nope") is None


async def test_heads_hold_title_outlet_date_and_speakers_of_known_interviews(
    store: Store,
) -> None:
    first, second = make_interview("a"), make_interview("b", title=None, date=None)
    for interview in (first, second):
        await store.ingest(interview)

    heads = await store.heads(["a", "b", "missing"])

    assert sorted(heads) == ["a", "b"]
    a, b = heads["a"], heads["b"]
    assert (a.title, a.outlet, a.date, a.spun) == (first.title, first.outlet, first.date, False)
    assert (b.title, b.date) == (None, None)
    assert list(a.speakers) == first.speakers
    assert a.speaker("高涌涛") == first.speaker("高涌涛")


async def test_turns_are_read_only_as_asked(store: Store) -> None:
    first, second = make_interview("a"), make_interview("b")
    for interview in (first, second):
        await store.ingest(interview)

    turns = await store.turns({"a": [2, 3], "b": [5, 99], "missing": [0]})

    assert turns == {("a", 2): first.turns[2], ("a", 3): first.turns[3], ("b", 5): second.turns[5]}


async def test_nothing_asked_reads_nothing(store: Store) -> None:
    assert (await store.heads([]), await store.turns({})) == ({}, {})


async def test_passages_are_the_interviewee_paragraphs_with_norm(store: Store) -> None:
    interview = make_interview(
        answers=["我们整合了 GDP 统计口径。\n  第二段：推进 SMART 城市建设。", "第三段回答。"]
    )
    await store.ingest(interview)

    passages = await all_passages(store)

    assert [
        (interview.id, 3, 0, 0, 15, "我们整合了 gdp 统计口径。"),
        (interview.id, 3, 1, 18, 36, "第二段：推进 smart 城市建设。"),
        (interview.id, 5, 0, 0, 6, "第三段回答。"),
    ] == without_keys(passages)


async def test_passages_stream_in_key_order_across_batches(store: Store) -> None:
    for interview_id in ["a", "b", "c", "d"]:
        await store.ingest(make_interview(interview_id))

    keys = [p.key for p in await all_passages(store, batch_size=5)]

    assert (list(range(1, 13)), keys) == (sorted(keys), keys)


async def test_passage_columns_hold_the_same_passages_as_the_stream(store: Store) -> None:
    for interview_id in ["a", "b", "c"]:
        await store.ingest(make_interview(interview_id))
    streamed = await all_passages(store)

    columns = await store.passage_columns(batch_size=4)

    assert (
        PassageColumns(
            generation=3,
            keys=[p.key for p in streamed],
            interview_ids=[p.interview_id for p in streamed],
            turns=[p.turn for p in streamed],
            paragraphs=[p.paragraph for p in streamed],
            starts=[p.start for p in streamed],
            ends=[p.end for p in streamed],
            norms=[p.norm for p in streamed],
        )
        == columns
    )


async def test_passage_is_found_by_key(store: Store) -> None:
    await store.ingest(make_interview())
    first = (await all_passages(store))[0]

    assert first == await store.passage(first.key)


async def test_unknown_passage_key_raises_key_error(store: Store) -> None:
    with pytest.raises(KeyError):
        await store.passage(12345)


async def test_count_is_interviews_and_passages(store: Store) -> None:
    await store.ingest(make_interview("a"))
    await store.ingest(make_interview("b", answers=["只有一段回答。"]))

    expected = (2, 4)
    assert expected == await store.count()


async def test_question_contexts_pair_each_answer_turn_with_its_question(store: Store) -> None:
    interview = make_interview()
    await store.ingest(interview)

    expected = [
        (interview.id, 3, 2, interview.turns[2].text),
        (interview.id, 5, 4, interview.turns[4].text),
    ]
    assert expected == await store.question_contexts()


async def test_question_contexts_skip_pairs_without_a_question(store: Store) -> None:
    interview = make_interview().model_copy(
        update={"pairs": [Pair(question=None, answers=[1]), Pair(question=2, answers=[3, 5])]}
    )
    await store.ingest(interview)

    expected = [
        (interview.id, 3, 2, interview.turns[2].text),
        (interview.id, 5, 2, interview.turns[2].text),
    ]
    assert expected == await store.question_contexts()


# --- delete ------------------------------------------------------------------------


async def test_delete_removes_every_row_of_the_interview(file_store: Store) -> None:
    await file_store.ingest(make_interview("gone"))
    await file_store.ingest(make_interview("kept"))

    deleted = await file_store.delete("gone")

    expected = (True, [("kept",)] * 4)
    assert expected == (
        deleted,
        [
            *sql(file_store.path, "SELECT DISTINCT interview_id FROM speakers"),
            *sql(file_store.path, "SELECT DISTINCT interview_id FROM turns"),
            *sql(file_store.path, "SELECT DISTINCT interview_id FROM pairs"),
            *sql(file_store.path, "SELECT DISTINCT interview_id FROM passages"),
        ],
    )


async def test_deleting_a_missing_interview_is_false_and_keeps_generation(store: Store) -> None:
    await store.ingest(make_interview())
    generation = await store.generation()

    assert (False, generation) == (await store.delete("nope"), await store.generation())
