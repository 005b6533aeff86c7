"""Split interviewee turns into the paragraphs that search ranks.

The unit of retrieval is an answer paragraph inside its turn, so that a long
multi-topic answer can be found by the one paragraph that addresses a question
while the whole turn stays available for display.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.models import Interview

_PARAGRAPH = re.compile(r"[^\n]+")
# Pleasantries are never an answer, however well they match a greeting.
_PLEASANTRY = re.compile(
    r"^[\s好的是谢謝感大家各位网網友主持人您你们們很高兴興再见見,，。!！、~…]*$"
)


@dataclass(frozen=True, slots=True)
class Passage:
    interview_id: str
    turn: int
    paragraph: int
    start: int  # offset of the paragraph inside the turn text
    end: int
    text: str


# A host asking the guest to say hello: the reply is a greeting, however it is worded.
_GREETING_REQUEST = re.compile(r"打招呼|打个招呼|问好|问个好|问声好|致意|问候")
GREETING_REPLY_CHARS = 80  # two sentences of hello; a longer reply says more than that


# "除X以外/之外/外" (all but X): X is what the sentence is *not* about. 消除, 排除, 拆除 ...
# are verbs, not "except".
_EXCEPT = re.compile(
    r"(?<![消排拆清去解免剔删根破摒祛废革扣])(除了?)(?!夕)(\S{1,40}?)(以外|之外|外)"
)


def blank_exceptions(text: str) -> str:
    """A normalised text with what it names as an exception blanked out, so that a
    question about X does not match a sentence about everything but X. Offsets are
    kept: each blanked character becomes a space."""
    if "除" not in text:
        return text
    return _EXCEPT.sub(lambda m: m[1] + " " * len(m[2]) + m[3], text)


def reading_for(query: str) -> Callable[[str], str]:
    """How a normalised text reads for a (normalised) query: what it names as an
    exception does not count, unless the query asks about exceptions itself."""
    return _as_written if "除" in query else blank_exceptions


def _as_written(text: str) -> str:
    return text


def is_pleasantry(text: str) -> bool:
    return len(text.strip()) <= 40 and bool(_PLEASANTRY.match(text))


def asks_for_a_greeting(question: str) -> bool:
    """The host's (normalised) turn asks the guest to greet the audience."""
    return bool(_GREETING_REQUEST.search(question))


def split_passages(interview: Interview) -> list[Passage]:
    """Every non-pleasantry paragraph of every interviewee turn, with its offsets."""
    passages: list[Passage] = []
    for turn in interview.turns:
        if turn.role != "interviewee":
            continue
        for number, match in enumerate(_PARAGRAPH.finditer(turn.text)):
            text = match.group().strip()
            if not text or is_pleasantry(text):
                continue
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
            passages.append(
                Passage(interview.id, turn.index, number, start, start + len(text), text)
            )
    return passages
