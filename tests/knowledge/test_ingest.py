"""Ingesting files: one outcome per file, and one bad file never stops the run."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from knowledge import parser
from knowledge.ingest import (
    SEEDS_DIR,
    IngestOutcome,
    ensure_seeded,
    ingest_paths,
    iter_source_files,
    summarise,
)
from knowledge.models import Interview
from knowledge.normalise import normalise
from knowledge.parser import parse_file
from knowledge.passages import split_passages
from knowledge.store import Store
from tests.knowledge.store_fixtures import fake_parse, make_interview, open_store, write_interview


@pytest.fixture
async def store() -> AsyncIterator[Store]:
    store = await open_store()
    yield store
    await store.close()


def statuses(outcomes: list[IngestOutcome]) -> list[tuple[str, str]]:
    return [(outcome.path.name, outcome.status) for outcome in outcomes]


# --- outcome lines and the total -------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            IngestOutcome(
                Path("seeds/000_b101c70aef683fe2.txt"), "stored", "000_b101c70aef683fe2", turns=17
            ),
            "stored     000_b101c70aef683fe2  (17 turns)",
        ),
        (IngestOutcome(Path("a.txt"), "unchanged", "a", turns=1), "unchanged  a  (1 turn)"),
        (
            IngestOutcome(Path("foo.txt"), "rejected", None, "not an interview (a notice)"),
            "rejected   foo.txt: not an interview (a notice)",
        ),
    ],
)
def test_outcome_line_names_status_id_and_turns_or_reason(
    outcome: IngestOutcome, expected: str
) -> None:
    assert expected == outcome.line()


def test_summarise_counts_every_status() -> None:
    outcomes = [
        IngestOutcome(Path("a.txt"), "stored", "a"),
        IngestOutcome(Path("b.txt"), "stored", "b"),
        IngestOutcome(Path("c.txt"), "unchanged", "c"),
        IngestOutcome(Path("d.txt"), "rejected", None, "empty"),
    ]

    expected = "4 files: 2 stored, 1 unchanged, 0 replaced, 1 rejected"
    assert expected == summarise(outcomes)


def test_summarise_of_one_file_is_singular() -> None:
    outcome = IngestOutcome(Path("a.txt"), "replaced", "a")

    expected = "1 file: 0 stored, 0 unchanged, 1 replaced, 0 rejected"
    assert expected == summarise([outcome])


# --- finding files -------------------------------------------------------------------


def test_folders_are_walked_for_sources_sorted_skipping_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.HTML",
        "notes.md",
        "sub/deeper/c.htm",
        "image.png",
        ".hidden.txt",
        ".git/d.txt",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    found = iter_source_files([tmp_path])

    expected = ["a.HTML", "b.txt", "notes.md", "sub/deeper/c.htm"]
    assert expected == [path.relative_to(tmp_path).as_posix() for path in found]


def test_files_are_kept_as_given_even_missing_or_of_another_kind(tmp_path: Path) -> None:
    given = [tmp_path / "data.json", tmp_path / "missing.txt"]
    given[0].write_text("{}")

    assert given == iter_source_files(given)


def test_a_file_named_twice_is_listed_once(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")

    assert [path] == iter_source_files([path, tmp_path, path])


# --- ingesting -----------------------------------------------------------------------


async def test_ingest_paths_reports_stored_unchanged_replaced_and_rejected(
    store: Store, tmp_path: Path
) -> None:
    write_interview(tmp_path / "a.txt", make_interview(answers=["第一版回答。"]))
    write_interview(tmp_path / "b.txt", make_interview(answers=["第一版回答。"]))
    await ingest_paths(store, [tmp_path], parse=fake_parse)
    write_interview(tmp_path / "b.txt", make_interview(answers=["第二版回答。"]))
    write_interview(tmp_path / "c.txt", make_interview())
    (tmp_path / "d.txt").write_text("NOT AN INTERVIEW, a notice", encoding="utf-8")

    outcomes = await ingest_paths(store, [tmp_path, tmp_path / "e.txt"], parse=fake_parse)

    expected = [
        ("a.txt", "unchanged"),
        ("b.txt", "replaced"),
        ("c.txt", "stored"),
        ("d.txt", "rejected"),
        ("e.txt", "rejected"),
    ]
    assert expected == statuses(outcomes)


async def test_a_file_read_by_an_older_parser_is_read_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gd.txt"
    path.write_text("主持人：森林火灾有多少宗？\n高涌涛：发生森林火灾266宗。\n", encoding="utf-8")
    await ingest_paths(store, [path], parse=parse_file)
    unchanged = await ingest_paths(store, [path], parse=parse_file)
    monkeypatch.setattr(parser, "PARSER_VERSION", "a-newer-parser")

    again = await ingest_paths(store, [path], parse=parse_file)

    assert (statuses(unchanged), statuses(again)) == (
        [("gd.txt", "unchanged")],
        [("gd.txt", "replaced")],
    )


async def test_outcome_carries_the_interview_id_and_turn_count(
    store: Store, tmp_path: Path
) -> None:
    path = write_interview(tmp_path / "gd_2019.txt", make_interview())

    outcomes = await ingest_paths(store, [path], parse=fake_parse)

    assert [IngestOutcome(path, "stored", "gd_2019", None, 6)] == outcomes


async def test_a_knowledge_error_is_rejected_with_its_message(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("NOT AN INTERVIEW", encoding="utf-8")

    outcomes = await ingest_paths(store, [path], parse=fake_parse)

    assert [
        IngestOutcome(path, "rejected", None, "not an interview (notice.txt reads like a notice)")
    ] == outcomes


async def test_a_missing_path_is_rejected_not_raised(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "nowhere"

    outcomes = await ingest_paths(store, [path], parse=fake_parse)

    assert [IngestOutcome(path, "rejected", None, "No such file or directory")] == outcomes


async def test_an_unexpected_parse_error_rejects_that_file_and_stores_the_others(
    store: Store, tmp_path: Path
) -> None:
    write_interview(tmp_path / "a.txt", make_interview())
    (tmp_path / "b.txt").write_text("BOOM", encoding="utf-8")
    write_interview(tmp_path / "c.txt", make_interview())

    outcomes = await ingest_paths(store, [tmp_path], parse=fake_parse)

    expected = (
        [("a.txt", "stored"), ("b.txt", "rejected"), ("c.txt", "stored")],
        ["a", "c"],
    )
    assert expected == (statuses(outcomes), await store.interview_ids())


async def test_an_unexpected_error_is_a_short_reason_and_a_logged_traceback(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "b.txt"
    path.write_text("BOOM", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="knowledge.ingest"):
        (outcome,) = await ingest_paths(store, [path], parse=fake_parse)

    expected = (
        "RuntimeError: the parser tripped over something",
        [(f"unexpected error ingesting {path}", True)],
    )
    assert expected == (
        outcome.reason,
        [(record.getMessage(), record.exc_info is not None) for record in caplog.records],
    )


async def test_an_interview_the_store_refuses_is_rejected_with_its_id(
    store: Store, tmp_path: Path
) -> None:
    good = make_interview()
    broken = good.model_copy(update={"turns": [*good.turns, good.turns[0]]})
    path = write_interview(tmp_path / "dup.txt", broken)

    (outcome,) = await ingest_paths(store, [path], parse=fake_parse)

    expected = ("rejected", "dup")
    assert expected == (outcome.status, outcome.interview_id)


async def test_parsing_in_a_process_pool_stores_the_same_interviews(
    store: Store, tmp_path: Path
) -> None:
    for name in ["a", "b", "c"]:
        write_interview(tmp_path / f"{name}.txt", make_interview())
    spawn = multiprocessing.get_context("spawn")

    with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        outcomes = await ingest_paths(store, [tmp_path], parse=fake_parse, executor=pool)

    expected = [("a.txt", "stored"), ("b.txt", "stored"), ("c.txt", "stored")]
    assert expected == statuses(outcomes)
    assert fake_parse(tmp_path / "b.txt") == await store.interview("b")


# --- seeding -------------------------------------------------------------------------


async def test_ensure_seeded_fills_an_empty_store(store: Store, tmp_path: Path) -> None:
    write_interview(tmp_path / "seeds" / "s1.txt", make_interview())

    outcomes = await ensure_seeded(store, tmp_path / "seeds", parse=fake_parse)

    expected = ([("s1.txt", "stored")], ["s1"])
    assert expected == (statuses(outcomes), await store.interview_ids())


async def test_ensure_seeded_leaves_a_store_with_interviews_alone(
    store: Store, tmp_path: Path
) -> None:
    await store.ingest(make_interview("mine"))
    write_interview(tmp_path / "seeds" / "s1.txt", make_interview())

    outcomes = await ensure_seeded(store, tmp_path / "seeds", parse=fake_parse)

    expected = ([], ["mine"])
    assert expected == (outcomes, await store.interview_ids())


def test_fake_parse_follows_the_parser_contract(tmp_path: Path) -> None:
    path = write_interview(tmp_path / "x1.txt", make_interview("ignored"))

    interview: Interview = fake_parse(path)

    expected = ("x1", "x1.txt", 64)
    assert expected == (
        interview.id,
        interview.source_name,
        len(interview.content_hash or ""),
    )


# --- with the real parser and normaliser ----------------------------------------------


@pytest.fixture
async def real_store() -> AsyncIterator[Store]:
    store = await Store.open(":memory:")
    yield store
    await store.close()


async def test_seeds_are_stored_as_the_parser_reads_them(real_store: Store) -> None:
    outcomes = await ingest_paths(real_store, [SEEDS_DIR])

    expected = [parse_file(outcome.path) for outcome in outcomes]
    assert expected == [await real_store.interview(o.interview_id or "") for o in outcomes]


async def test_seeds_ingested_twice_are_unchanged(real_store: Store) -> None:
    await ingest_paths(real_store, [SEEDS_DIR])

    outcomes = await ingest_paths(real_store, [SEEDS_DIR])

    expected = [("unchanged", path.stem) for path in sorted(SEEDS_DIR.glob("*.txt"))]
    assert expected == [(o.status, o.interview_id) for o in outcomes]


async def test_seed_passages_are_normalised_by_the_real_normaliser(real_store: Store) -> None:
    await ensure_seeded(real_store)
    interview = await real_store.interview((await real_store.interview_ids())[0])
    assert interview is not None

    expected = [normalise(p.text) for p in split_passages(interview)]
    assert expected == [
        p.norm async for p in real_store.passages() if p.interview_id == interview.id
    ]
