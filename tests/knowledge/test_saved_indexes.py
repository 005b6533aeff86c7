"""A restart maps the saved search indexes instead of rebuilding them, and never trusts
indexes that do not fit the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import saved_indexes
from knowledge.engine import KnowledgeBase
from knowledge.index import BigramIndex
from knowledge.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
QUESTION = "广东应急管理厅整合了哪些部门的职责"
EXTRA = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts" / "inline_name_colon.txt"


@pytest.fixture
def store_file(seeded_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge.sqlite3"
    shutil.copy(seeded_db, copy)
    return copy


def saved_keys(store_file: Path) -> list[str]:
    folder = saved_indexes.folder_for(str(store_file))
    assert folder is not None
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def block_index_folder(store_file: Path) -> None:
    Path(str(store_file) + saved_indexes.SUFFIX).write_text("in the way", encoding="utf-8")


def damage_saved_indexes(store_file: Path) -> None:
    folder = saved_indexes.folder_for(str(store_file))
    assert folder is not None
    for meta in folder.glob("*/passages/meta.json"):
        meta.write_text("{not json", encoding="utf-8")


def saved_questions(store_file: Path) -> Path:
    folder = saved_indexes.folder_for(str(store_file))
    assert folder is not None
    (path,) = folder.glob("*/questions.tsv")
    return path


def saved_question_count(store_file: Path) -> int:
    return len(saved_questions(store_file).read_text(encoding="utf-8").splitlines())


def rewrite_saved_questions(store_file: Path, keep: slice, extra: str = "") -> None:
    path = saved_questions(store_file)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[keep]) + extra, encoding="utf-8")


def forbid_reading_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(self: Store) -> list[object]:
        raise AssertionError("the questions were read from the store again")

    monkeypatch.setattr(Store, "question_contexts", refuse)


def forbid_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> BigramIndex:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(BigramIndex, "build", refuse)


async def top_answer(store_file: Path) -> tuple[str, int, float]:
    async with await KnowledgeBase.open(store_file) as kb:
        answer = await kb.ask(QUESTION)
    top = answer.results[0]
    return top.interview_id, top.turn, top.score


async def test_the_first_open_saves_the_indexes_beside_the_store(store_file: Path) -> None:
    await top_answer(store_file)

    assert len(saved_keys(store_file)) == 1


async def test_a_restart_loads_the_saved_indexes_and_answers_the_same(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = await top_answer(store_file)
    forbid_building(monkeypatch)

    assert await top_answer(store_file) == built


async def test_a_restart_takes_the_normalised_questions_from_the_saved_folder(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = await top_answer(store_file)
    forbid_reading_questions(monkeypatch)
    forbid_building(monkeypatch)

    assert await top_answer(store_file) == built


async def test_unreadable_saved_questions_are_read_from_the_store_again(
    store_file: Path,
) -> None:
    built = await top_answer(store_file)
    rewrite_saved_questions(store_file, slice(None), extra="not\ta row\n")

    assert await top_answer(store_file) == built


async def test_saved_questions_that_do_not_fit_the_indexes_are_not_trusted(
    store_file: Path,
) -> None:
    built = await top_answer(store_file)
    whole = saved_question_count(store_file)
    rewrite_saved_questions(store_file, slice(1, None))

    assert await top_answer(store_file) == built
    assert saved_question_count(store_file) == whole


async def test_a_changed_store_gets_new_indexes_and_the_old_ones_go(store_file: Path) -> None:
    await top_answer(store_file)
    before = saved_keys(store_file)
    async with await KnowledgeBase.open(store_file) as kb:
        outcome = await kb.ingest_document(EXTRA.read_bytes(), EXTRA.name)
    assert outcome.status == "stored", outcome.reason

    after = saved_keys(store_file)
    assert len(after) == 1 and after != before


async def test_damaged_saved_indexes_are_rebuilt_not_trusted(store_file: Path) -> None:
    built = await top_answer(store_file)
    damage_saved_indexes(store_file)

    assert await top_answer(store_file) == built


async def test_saved_indexes_of_another_size_are_rebuilt(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await top_answer(store_file)
    folder = saved_indexes.folder_for(str(store_file))
    assert folder is not None
    (saved,) = folder.iterdir()
    shutil.copytree(saved / "questions", saved / "passages", dirs_exist_ok=True)
    forbid_building(monkeypatch)

    with pytest.raises(AssertionError, match="built again"):
        await top_answer(store_file)


async def test_a_store_whose_index_folder_cannot_be_written_still_answers(
    store_file: Path,
) -> None:
    block_index_folder(store_file)

    interview_id, _, _ = await top_answer(store_file)

    assert interview_id


def test_an_in_memory_store_has_no_index_folder() -> None:
    assert saved_indexes.folder_for(":memory:") is None


def test_the_saved_version_follows_the_generation_and_the_normaliser() -> None:
    keys = {
        saved_indexes.version_key(1, "n1"),
        saved_indexes.version_key(2, "n1"),
        saved_indexes.version_key(1, "n2"),
    }
    assert len(keys) == 3


def test_questions_with_a_tab_in_a_field_are_not_saved_and_read_as_missing(
    tmp_path: Path,
) -> None:
    index = BigramIndex.build([0], ["应急管理"])
    indexes = saved_indexes.SearchIndexes(index, index)
    rows = [("odd\tname", 1, 0, "应急管理")]

    assert saved_indexes.save(tmp_path, "g1", indexes, rows)
    assert saved_indexes.load_questions(tmp_path, "g1") is None
    assert saved_indexes.load(tmp_path, "g1", 1, 1) is not None


def test_saved_questions_come_back_as_they_were_written(tmp_path: Path) -> None:
    index = BigramIndex.build([0, 1], ["应急管理", "森林火灾"])
    rows = [("a", 1, 0, "应急 管理"), ("b", 3, 2, "森林火灾")]

    assert saved_indexes.save(tmp_path, "g1", saved_indexes.SearchIndexes(index, index), rows)
    assert saved_indexes.load_questions(tmp_path, "g1") == rows
