"""What a host's turn asks, apart from what it says about the answer just given.

Hosts bridge from one answer to the next question with a reaction: 成立以来的短短半年内，
能够取得这样的成效，着实不易！ opens the question after the answer about the results, and
看来，"超级厅"确实名不虚传！ the one after the answer about the super department. Such an
opening exclamation describes the previous answer, not the question that follows, so it
is matched as context of the previous answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

# A sentence with its closing punctuation and any closing quote or bracket after it.
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*[”’」』）)\"']*")
_EXCLAIMS = re.compile(r"[！!][”’」』）)\"']*$")
_ASKS = re.compile(r"[？?]")
HOST_CONTEXT_VERSION = "3"  # saved questions built with another version are rebuilt


def split_reaction(host_text: str) -> tuple[str, str]:
    """(the opening exclamations reacting to the last answer, the rest of the turn).

    Only a turn that goes on to ask something has a reaction to split off; a turn of
    exclamations alone (谢谢大家，再见！) is left whole.
    """
    sentences = list(_SENTENCE.finditer(host_text))
    opening = 0
    while opening < len(sentences) and _EXCLAIMS.search(sentences[opening].group().strip()):
        opening += 1
    if not opening or opening == len(sentences):
        return "", host_text
    cut = sentences[opening].start()
    rest = host_text[cut:]
    if not _ASKS.search(rest):
        return "", host_text
    return host_text[: sentences[opening - 1].end()], rest


@dataclass(frozen=True, slots=True)
class HostContext:
    interview_id: str
    answer_turn: int
    question_turn: int
    text: str  # what the answer turn is matched with besides its own words


def host_contexts(rows: Iterable[tuple[str, int, int, str]]) -> list[HostContext]:
    """For each (interview, answer turn, question turn, question text), in interview and
    question order: the question without its opening reaction, then the reaction that
    opens the interview's next question."""
    rows = list(rows)
    parts: dict[tuple[str, int], tuple[str, str]] = {}  # each question once, in order
    for iid, _, question, text in rows:
        if (iid, question) not in parts:  # a question answered in several turns
            parts[(iid, question)] = split_reaction(text)
    questions = list(parts)
    reaction_after = {
        asked: parts[following][0]
        for asked, following in pairwise(questions)
        if asked[0] == following[0]
    }
    return [
        HostContext(
            iid,
            answer,
            question,
            " ".join(
                filter(None, [parts[(iid, question)][1], reaction_after.get((iid, question))])
            ),
        )
        for iid, answer, question, _ in rows
    ]
