"""The values that cross the knowledge package's boundary.

Everything here is frozen: a parsed interview, a search result and an answer
are facts about a source document, and nothing downstream may edit them.
The CLI's ``--json`` output is these models dumped, never hand-built dicts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["interviewer", "interviewee", "other"]
Script = Literal["hans", "hant"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Speaker(Frozen):
    """A speaker label as it appears in the transcript, and who is behind it."""

    label: str
    name: str | None = None
    position: str | None = None
    role: Role


class Turn(Frozen):
    """One speaker's uninterrupted contribution; ``text`` is verbatim from the source."""

    index: int
    speaker: str
    role: Role
    time: str | None = None
    text: str


class Pair(Frozen):
    """An interviewer turn and the interviewee turns that answered it."""

    question: int | None
    answers: list[int]


class Interview(Frozen):
    """A parsed interview: the ``parse --json`` shape, plus bookkeeping fields."""

    id: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    script: Script = "hans"
    spun: bool = False
    spun_evidence: list[str] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    pairs: list[Pair] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    source_name: str | None = None
    content_hash: str | None = None

    def speaker(self, label: str) -> Speaker | None:
        return next((s for s in self.speakers if s.label == label), None)

    def question_for(self, turn_index: int) -> int | None:
        """The interviewer turn that a given answer turn responded to."""
        for pair in self.pairs:
            if turn_index in pair.answers:
                return pair.question
        return None

    @property
    def interviewees(self) -> list[Speaker]:
        return [s for s in self.speakers if s.role == "interviewee"]


class InterviewSummary(Frozen):
    """One row of ``interview-bot list`` and of the bot's /sources."""

    id: str
    title: str | None
    outlet: str | None
    date: str | None
    interviewees: list[str]
    turn_count: int
    spun: bool = False


class Match(Frozen):
    """One answer the search found: a verbatim quote inside a verbatim turn."""

    interview_id: str
    title: str | None
    outlet: str | None
    date: str | None
    speaker: str
    position: str | None
    turn: int
    time: str | None
    question: str | None
    question_turn: int | None = None
    quote: str
    quote_start: int = 0
    answer_text: str
    score: float
    spun: bool = False


AnswerKind = Literal["answer", "declined", "chitchat", "help", "empty"]


class Answer(Frozen):
    """What the engine says to one question; ``results`` may hold suggestions when declined."""

    query: str
    answered: bool
    reason: str | None = None
    kind: AnswerKind = "answer"
    ambiguous: bool = False
    language: Literal["zh", "en"] = "zh"
    script: Script = "hans"
    results: list[Match] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
