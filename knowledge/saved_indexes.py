"""Search indexes saved next to the store, so a restart maps them instead of rebuilding.

Building the bigram indexes is most of start-up (about 15 s at a million passages);
loading saved ones is a memory map. A saved pair is only valid for the exact passages
it was built from, so its folder is named after the store's generation and everything
else that shapes the tokens: the normaliser, the sound table and the index format. Any
mismatch, and any damaged or unwritable folder, means "build it again", never an error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from knowledge.host_turns import HOST_CONTEXT_VERSION
from knowledge.index import FORMAT, BigramIndex, IndexFileError
from knowledge.phonetic import SOUND_TABLE_VERSION

logger = logging.getLogger(__name__)

SUFFIX = ".index"


# (interview id, answer turn, question turn, normalised question text)
QuestionRow = tuple[str, int, int, str]
_QUESTIONS = "questions.tsv"


class SearchIndexes(NamedTuple):
    """The index over answer paragraphs and the one over the questions they answered."""

    passages: BigramIndex
    questions: BigramIndex


def folder_for(store_path: str) -> Path | None:
    """Where a store's indexes live: beside a store file; nowhere for an in-memory one."""
    if store_path == ":memory:" or store_path.startswith("file:"):
        return None
    return Path(store_path + SUFFIX)


def version_key(generation: int, normaliser_version: str) -> str:
    try:
        pinyin = metadata.version("pypinyin")
    except metadata.PackageNotFoundError:
        pinyin = "unknown"
    shape = (
        f"{normaliser_version}|{SOUND_TABLE_VERSION}|pypinyin {pinyin}|format {FORMAT}"
        f"|host context {HOST_CONTEXT_VERSION}"
    )
    return f"g{generation}-{hashlib.sha256(shape.encode()).hexdigest()[:16]}"


def load(folder: Path, key: str, passages: int, questions: int) -> SearchIndexes | None:
    """The saved indexes for ``key`` if they exist and have the expected sizes."""
    saved = folder / key
    if not saved.is_dir():
        return None
    try:
        indexes = SearchIndexes(
            BigramIndex.load(saved / "passages"), BigramIndex.load(saved / "questions")
        )
    except IndexFileError as error:
        logger.warning("rebuilding the search index: %s", error)
        shutil.rmtree(saved, ignore_errors=True)  # so that the rebuilt one can take its place
        return None
    if (len(indexes.passages), len(indexes.questions)) != (passages, questions):
        logger.warning("rebuilding the search index: %s does not fit the store", saved)
        shutil.rmtree(saved, ignore_errors=True)
        return None
    return indexes


def load_questions(folder: Path, key: str) -> list[QuestionRow] | None:
    """The normalised host questions saved with the indexes for ``key``, or None.

    Reading them from the store and normalising them again is most of a restart once
    the indexes are mapped (6 s of 10 at a million passages).
    """
    try:
        *lines, rest = (folder / key / _QUESTIONS).read_text(encoding="utf-8").split("\n")
        rows = []
        for line in lines:
            interview_id, answer_turn, question_turn, norm = line.split("\t")
            rows.append((interview_id, int(answer_turn), int(question_turn), norm))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return rows if rest == "" else None  # every row ends its line: nothing was cut off


def save(
    folder: Path, key: str, indexes: SearchIndexes, questions: Iterable[QuestionRow] = ()
) -> bool:
    """Write the indexes (and the questions they index) under ``key`` and drop older
    ones; False (logged) if it cannot.

    The folder appears whole or not at all: it is written aside and renamed into place.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=folder))
    except OSError as error:
        logger.warning("search index not saved (%s): the next start rebuilds it", error)
        return False
    try:
        indexes.passages.save(staging / "passages")
        indexes.questions.save(staging / "questions")
        _write_questions(staging / _QUESTIONS, questions)
        os.replace(staging, folder / key)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        if (folder / key).is_dir():
            return True  # another process saved the same indexes first
        logger.warning("search index not saved (%s): the next start rebuilds it", error)
        return False
    for old in folder.iterdir():  # older generations, and what crashed writers left
        if old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    return True


def _write_questions(path: Path, questions: Iterable[QuestionRow]) -> None:
    """One tab-separated line per question, streamed; no file at all if a field holds a
    tab or a line break (an odd interview id), so that the store is read instead."""
    with path.open("w", encoding="utf-8") as out:
        for row in questions:
            line = "\t".join(map(str, row))
            if line.count("\t") != 3 or "\n" in line:
                break
            out.write(line + "\n")
        else:
            return
    path.unlink()
