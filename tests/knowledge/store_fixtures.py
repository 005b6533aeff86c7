"""Interviews built by hand, so store and ingest tests do not depend on the parser."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from knowledge.errors import NotAnInterview
from knowledge.models import Interview, Pair, Speaker, Turn
from knowledge.store import Store

NORMALISER_VERSION = "test-casefold-1"


def normalise(text: str) -> str:
    """A stand-in normaliser: enough to tell ``norm`` from ``text`` in assertions."""
    return text.casefold()


async def open_store(
    path: Path | str = ":memory:",
    *,
    normalise: Callable[[str], str] = normalise,
    normaliser_version: str = NORMALISER_VERSION,
) -> Store:
    """A store with the stand-in normaliser (the real one is tested on its own)."""
    return await Store.open(path, normalise=normalise, normaliser_version=normaliser_version)


def make_interview(
    interview_id: str = "gd_emergency_2019",
    *,
    date: str | None = "2019-05-11",
    title: str | None = "专访省应急管理厅副厅长高涌涛",
    answers: list[str] | None = None,
    version: str = "1",
) -> Interview:
    """A small but complete interview: host, guest, a pleasantry, paired Q&A.

    ``answers`` replaces the guest's two answer texts; ``version`` feeds the content
    hash, so the same id with another version looks like an edited source file.
    """
    answer_texts = answers or [
        "省应急管理厅整合了安监、消防、三防等11个部门的职责。\n"
        "我们的首要任务是理顺体制，形成统一指挥的格局。",
        "今年汛期我们提前部署，做好防汛防风各项准备。",
    ]
    turns = [
        Turn(index=0, speaker="主持人", role="interviewer", time="10:00", text="各位网友大家好！"),
        Turn(index=1, speaker="高涌涛", role="interviewee", text="主持人好，各位网友大家好！"),
    ]
    pairs: list[Pair] = []
    for number, answer in enumerate(answer_texts):
        question = Turn(
            index=len(turns),
            speaker="主持人",
            role="interviewer",
            text=f"第{number + 1}个问题：请您介绍一下相关情况？",
        )
        reply = Turn(index=len(turns) + 1, speaker="高涌涛", role="interviewee", text=answer)
        turns += [question, reply]
        pairs.append(Pair(question=question.index, answers=[reply.index]))
    return Interview(
        id=interview_id,
        title=title,
        outlet="广东省人民政府网",
        date=date,
        script="hans",
        spun=False,
        speakers=[
            Speaker(label="主持人", role="interviewer"),
            Speaker(
                label="高涌涛", name="高涌涛", position="省应急管理厅副厅长", role="interviewee"
            ),
        ],
        turns=turns,
        pairs=pairs,
        warnings=["no time stamps on most turns"],
        source_name=f"{interview_id}.txt",
        content_hash=hashlib.sha256(f"{interview_id}:{version}".encode()).hexdigest(),
    )


def fake_parse(path: Path) -> Interview:
    """The parser's contract without the parser: a file holds an interview as JSON.

    ``NOT AN INTERVIEW`` raises NotAnInterview; ``BOOM`` raises an unexpected error.
    The id is the file stem, the hash that of the raw bytes, as ``parse_file`` does.
    """
    raw = path.read_bytes()
    text = raw.decode()
    if text.startswith("NOT AN INTERVIEW"):
        raise NotAnInterview(f"not an interview ({path.name} reads like a notice)")
    if text.startswith("BOOM"):
        raise RuntimeError("the parser tripped over something")
    interview = Interview.model_validate_json(text)
    return interview.model_copy(
        update={
            "id": path.stem,
            "source_name": path.name,
            "content_hash": hashlib.sha256(raw).hexdigest(),
        }
    )


def write_interview(path: Path, interview: Interview) -> Path:
    """Write ``interview`` as a file that ``fake_parse`` reads back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(interview.model_dump_json(), encoding="utf-8")
    return path


def failing_after(calls: int, normalise: Callable[[str], str] = normalise) -> Callable[[str], str]:
    """A normaliser that works ``calls - 1`` times and then raises."""
    count = 0

    def flaky(text: str) -> str:
        nonlocal count
        count += 1
        if count >= calls:
            raise RuntimeError(f"normaliser failed on call {count}")
        return normalise(text)

    return flaky
