"""Interviews printed with no speaker labels at all.

Newspapers often set the reporter's questions apart by typography alone (bold, a
different indent) and drop the labels; copied as text, each question is then a short
paragraph of its own ending in a question mark, and the official's answer is the
paragraphs that follow it. This shape is only trusted when the whole document shows it:
several such question lines, each followed by answer text, and none of them a long
paragraph that merely ends in a rhetorical question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ENDS_ASKING = re.compile(r"[？?][”’」』）)\"']*$")
_MAX_QUESTION_CHARS = 120  # a question line longer than this is an answer paragraph
_MIN_QUESTIONS = 3
# Answers sometimes pose their own question and answer it in the next line (那么，钱从哪里来？).
_RHETORICAL_OPENING = re.compile(r"^(那么|那|这|为什么呢|怎么办|如何|到底|究竟)")


def is_question_line(simple: str) -> bool:
    return (
        len(simple) <= _MAX_QUESTION_CHARS
        and bool(_ENDS_ASKING.search(simple))
        and not _RHETORICAL_OPENING.match(simple)
    )


def question_lines(texts: Sequence[str]) -> list[int] | None:
    """Positions in ``texts`` (the document's text lines, simplified, in order) of the
    questions, or ``None`` when the document is not a question-per-line interview.

    Only a run of question lines with answer text after it counts towards the evidence,
    so a list of questions (an FAQ heading, a teaser) is not read as an interview.
    """
    asked = [i for i, text in enumerate(texts) if is_question_line(text)]
    followed = [i for i in asked if i + 1 < len(texts) and i + 1 not in asked]
    if len(followed) < _MIN_QUESTIONS:
        return None
    return asked
