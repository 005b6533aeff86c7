"""The one place an answer becomes Telegram HTML (or plain text for the terminal).

Every piece of source or user text goes through ``html.escape``. Quotes are
shown exactly as the source has them. A reply longer than Telegram's 4,096
UTF-16 code units is split on paragraph boundaries (then sentences, then
characters), never inside a tag: a blockquote cut in two is closed at the end
of one message and reopened at the start of the next.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keys import Action, callback_data, digest
from bot.texts import Words, for_answer
from knowledge.models import Answer, Interview, InterviewSummary, Match, Turn

MESSAGE_LIMIT = 4096
"""Telegram's limit on one message, in UTF-16 code units."""

META_LIMIT = 200
"""Names, positions, titles and outlets longer than this are clipped for display."""

SOURCES_PER_PAGE = 10
MAX_TOPICS = 6

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;…])|(?<=\.\s)")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


# --- blocks and the splitter -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Markup:
    """A short line of HTML this module built (every value in it already escaped)."""

    html: str


@dataclass(frozen=True, slots=True)
class Text:
    """Source or user text that may be cut; escaped and wrapped in ``tag`` per message."""

    text: str
    tag: str | None = None  # "blockquote", "blockquote expandable", "i"
    lead: str = ""  # HTML before the text, in the first message only


Block = Markup | Text


@dataclass(frozen=True, slots=True)
class Reply:
    """One or more HTML messages; the keyboard belongs under the last one."""

    pieces: list[str]
    keyboard: InlineKeyboardMarkup | None = None


def _units(text: str, budget: int) -> Iterator[tuple[str, str]]:
    """``(separator, raw text)`` pairs whose escaped text fits ``budget`` code units each.

    Paragraphs are separated by a newline; a paragraph too long for one message is cut
    after sentence ends, and a sentence too long after as many characters as fit.
    """
    for number, paragraph in enumerate(text.split("\n")):
        separator = "\n" if number else ""
        if utf16_len(escape(paragraph)) <= budget:
            yield separator, paragraph
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            if not sentence:
                continue
            for chunk in _hard_split(sentence, budget):
                yield separator, chunk
                separator = ""


def _hard_split(text: str, budget: int) -> Iterator[str]:
    start, size = 0, 0
    for index, char in enumerate(text):
        width = utf16_len(escape(char))
        if size + width > budget and index > start:
            yield text[start:index]
            start, size = index, 0
        size += width
    if start < len(text):
        yield text[start:]


class _Packer:
    """Fills messages up to the limit, block by block."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pieces: list[str] = []
        self.parts: list[str] = []

    def _fits(self, part: str) -> bool:
        return utf16_len("\n".join([*self.parts, part])) <= self.limit

    def flush(self) -> None:
        if self.parts:
            self.pieces.append("\n".join(self.parts))
            self.parts = []

    def markup(self, block: Markup) -> None:
        if self.parts and not self._fits(block.html):
            self.flush()
        self.parts.append(block.html)

    def text(self, block: Text) -> None:
        opening = f"<{block.tag}>" if block.tag else ""
        closing = f"</{block.tag.split()[0]}>" if block.tag else ""
        budget = self.limit - utf16_len(opening + closing + block.lead)
        lead = block.lead
        body = ""

        def wrapped(content: str) -> str:
            return f"{lead}{opening}{content}{closing}"

        for separator, unit in _units(block.text, budget):
            piece = escape(unit)
            candidate = body + separator + piece if body else piece
            if self._fits(wrapped(candidate)):
                body = candidate
                continue
            if body:
                self.parts.append(wrapped(body))
                lead = ""
            self.flush()
            body = piece
        if body or lead:
            self.parts.append(wrapped(body))

    def close(self) -> list[str]:
        self.flush()
        return self.pieces


def split_html(blocks: Sequence[Block], *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages of at most ``limit`` UTF-16 code units, each with balanced tags."""
    packer = _Packer(limit)
    for block in blocks:
        if isinstance(block, Markup):
            packer.markup(block)
        elif block.text.strip():
            packer.text(block)
    return packer.close() or [""]


# --- answers -------------------------------------------------------------------------


def _clip(text: str, limit: int = META_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(date: str | None, time: str | None) -> str | None:
    """The date and the turn's time, without repeating the date a timestamp already has."""
    if time:
        time = time.replace("T", " ", 1) if re.match(r"\d{4}-\d\d-\d\dT", time) else time
    if time and date and time.startswith(date):
        return time
    return " ".join(part for part in (date, time) if part) or None


def _title_line(title: str | None, outlet: str | None, words: Words) -> str:
    shown = escape(_clip(title)) if title else escape(words("untitled"))
    shown = f"<i>{shown}</i>" if words.is_english() else f"《{shown}》"
    return f"{shown} · {escape(_clip(outlet))}" if outlet else shown


def _speaker_line(speaker: str, position: str | None, words: Words) -> str:
    line = f"{escape(words('said_by'))} <b>{escape(_clip(speaker))}</b>"
    if position:
        comma = ", " if words.is_english() else "，"
        line += comma + escape(_clip(position))
    return line


def match_blocks(match: Match, words: Words, *, full_turn: bool = True) -> list[Block]:
    """The quote, the whole turn when longer, who said it, where, when, and to what."""
    blocks: list[Block] = [Text(match.quote, "blockquote")]
    if full_turn and len(match.answer_text.strip()) > len(match.quote.strip()):
        blocks += [
            Markup(f"<b>{escape(words('full_answer'))}</b>"),
            Text(match.answer_text, "blockquote expandable"),
        ]
    blocks += [
        Markup(_speaker_line(match.speaker, match.position, words)),
        Markup(_title_line(match.title, match.outlet, words)),
    ]
    when = _when(match.date, match.time)
    if when:
        blocks.append(Markup(f"🗓 {escape(when)}"))
    if match.question:
        blocks.append(Text(match.question, "i", lead=f"<b>{escape(words('question'))}</b> "))
    if match.spun:
        blocks.append(Markup(f"<b>{escape(words('spun'))}</b>"))
    return blocks


def answer_keyboard(key: str, page: int, total: int, words: Words) -> InlineKeyboardMarkup:
    """Paging through the matches of one question, plus its context and source."""
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                words("button_previous"), callback_data=callback_data(Action.PAGE, key, page - 1)
            )
        )
    if page + 1 < total:
        paging.append(
            InlineKeyboardButton(
                words("button_next"), callback_data=callback_data(Action.PAGE, key, page + 1)
            )
        )
    details = [
        InlineKeyboardButton(
            words("button_context"), callback_data=callback_data(Action.CONTEXT, key, page)
        ),
        InlineKeyboardButton(
            words("button_source"), callback_data=callback_data(Action.SOURCE, key, page)
        ),
    ]
    return InlineKeyboardMarkup([row for row in (paging, details) if row])


def topic_keyboard(topics: Sequence[str], keys: Sequence[str]) -> InlineKeyboardMarkup | None:
    """One button per suggested topic; ``keys`` are what ``BotState.remember`` gave each."""
    rows = [
        [InlineKeyboardButton(_clip(topic, 60), callback_data=callback_data(Action.TOPIC, key))]
        for topic, key in zip(topics, keys, strict=True)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def render_answer(
    answer: Answer,
    words: Words,
    *,
    key: str,
    page: int = 0,
    topic_keys: Sequence[str] = (),
    single: bool = False,
) -> Reply:
    """The reply to ``answer``: match number ``page``, a decline, or a friendly nudge.

    ``single`` asks for one message (when editing one): the whole turn is left to the
    context button if the reply would not fit otherwise.
    """
    if answer.kind == "answer" and answer.answered and answer.results:
        page = min(max(page, 0), len(answer.results) - 1)
        total = len(answer.results)
        head: list[Block] = []
        if answer.ambiguous and page == 0:
            head.append(Markup(f"<i>{escape(words('ambiguous'))}</i>"))
        tail: list[Block] = []
        if total > 1:
            tail.append(Markup(escape(words("page", page=page + 1, total=total))))
        match = answer.results[page]
        pieces = split_html([*head, *match_blocks(match, words), *tail])
        if single and len(pieces) > 1:
            pieces = split_html([*head, *match_blocks(match, words, full_turn=False), *tail])
        return Reply(pieces, answer_keyboard(key, page, total, words))
    if answer.kind == "declined" or (answer.kind == "answer" and not answer.answered):
        return render_decline(answer, words, topic_keys)
    return render_greeting(words, answer.kind)


def render_decline(answer: Answer, words: Words, topic_keys: Sequence[str]) -> Reply:
    """An honest "no confident answer", with the closest topics as buttons."""
    topics = list(answer.topics[: len(topic_keys)])
    lines = [escape(words("declined"))]
    lines.append(escape(words("declined_topics" if topics else "declined_no_topics")))
    return Reply(split_html([Markup(line) for line in lines]), topic_keyboard(topics, topic_keys))


def render_greeting(words: Words, kind: str = "help", *, username: str | None = None) -> Reply:
    """Short friendly text with examples, for greetings, empty messages and /help.

    The list of commands (and inline mode) is added when the bot's ``username`` is given.
    """
    blocks: list[Block] = []
    if kind == "chitchat":
        blocks.append(Markup(escape(words("chitchat"))))
    elif kind == "empty":
        blocks.append(Markup(escape(words("empty"))))
    else:
        blocks.append(Markup(escape(words("welcome"))))
    blocks.append(Markup(escape(words("how_private") + " " + words("how_group"))))
    examples = "\n".join(f"• {escape(example)}" for example in words.examples())
    blocks.append(Markup(f"{escape(words('examples'))}\n{examples}"))
    if username:
        blocks.append(Markup(escape(words("help_commands", username=username))))
    return Reply(split_html(blocks))


def render_notice(words: Words, key: str, **values: object) -> Reply:
    """One of the bot's own sentences, alone."""
    return Reply([escape(words(key, **values))])


# --- context, interview cards, the list of sources ------------------------------------


def _turn_speaker(interview: Interview, turn: Turn) -> str:
    speaker = interview.speaker(turn.speaker)
    name = (speaker.name if speaker and speaker.name else None) or turn.speaker
    line = f"<b>{escape(_clip(name))}</b>"
    if speaker and speaker.position:
        line += f"（{escape(_clip(speaker.position))}）"
    when = _when(None, turn.time)
    if when:
        line += f" {escape(when)}"
    return line


def render_context(interview: Interview, turn: int, words: Words) -> Reply:
    """The turn that answered, with the turns just before and after it, verbatim."""
    blocks: list[Block] = [
        Markup(
            f"<b>{escape(words('context_title'))}</b> · "
            + _title_line(interview.title, interview.outlet, words)
        )
    ]
    for neighbour in interview.turns:
        if abs(neighbour.index - turn) > 1:
            continue
        speaker = _turn_speaker(interview, neighbour)
        if neighbour.index == turn:
            speaker = f"👉 {speaker} <i>{escape(words('answer_turn'))}</i>"
        blocks += [Markup(speaker), Text(neighbour.text, "blockquote")]
    return Reply(split_html(blocks))


def render_interview_card(interview: Interview, words: Words) -> Reply:
    """Title, outlet, date, speakers and number of turns of one interview."""
    unknown = escape(words("unknown"))
    speakers = [
        escape(_clip(s.name or s.label))
        + (f"（{escape(_clip(s.position))}）" if s.position else "")
        for s in interview.interviewees
    ]
    outlet = escape(_clip(interview.outlet)) if interview.outlet else unknown
    date = escape(interview.date) if interview.date else unknown
    lines = [
        f"<b>{_title_line(interview.title, None, words)}</b>",
        f"{escape(words('card_outlet'))}: {outlet}",
        f"{escape(words('card_date'))}: {date}",
        f"{escape(words('card_speakers'))}: {'、'.join(speakers) if speakers else unknown}",
        f"{escape(words('card_turns'))}: {len(interview.turns)}",
    ]
    if interview.spun:
        lines.append(f"<b>{escape(words('spun'))}</b>")
    return Reply(split_html([Markup("\n".join(lines))]))


def _summary_line(number: int, summary: InterviewSummary, words: Words) -> str:
    parts = [_title_line(summary.title, summary.outlet, words)]
    if summary.date:
        parts.append(escape(summary.date))
    if summary.interviewees:
        parts.append(escape(_clip("、".join(summary.interviewees))))
    line = f"{number}. " + " · ".join(parts)
    return line + (" ⚠️" if summary.spun else "")


def render_sources(summaries: Sequence[InterviewSummary], words: Words, page: int = 0) -> Reply:
    """A page of the interviews the bot knows, each with a button for its card."""
    if not summaries:
        return render_notice(words, "sources_none")
    pages = (len(summaries) + SOURCES_PER_PAGE - 1) // SOURCES_PER_PAGE
    page = min(max(page, 0), pages - 1)
    first = page * SOURCES_PER_PAGE
    shown = summaries[first : first + SOURCES_PER_PAGE]
    blocks: list[Block] = [Markup(escape(words("sources_title", count=len(summaries))))]
    blocks += [
        Markup(_summary_line(first + number + 1, summary, words))
        for number, summary in enumerate(shown)
    ]
    rows = [
        [
            InlineKeyboardButton(
                f"{first + number + 1}. {_clip(summary.title or words('untitled'), 40)}",
                callback_data=callback_data(Action.INTERVIEW, digest(summary.id)),
            )
        ]
        for number, summary in enumerate(shown)
    ]
    if page + 1 < pages:
        rows.append(
            [
                InlineKeyboardButton(
                    words("button_more_sources"),
                    callback_data=callback_data(Action.SOURCES, "", page + 1),
                )
            ]
        )
    return Reply(split_html(blocks), InlineKeyboardMarkup(rows))


# --- inline mode -----------------------------------------------------------------------


def render_inline(match: Match, words: Words) -> str | None:
    """The message an inline result inserts: the quote and its source, or None if too long."""
    pieces = split_html(match_blocks(match, words, full_turn=False))
    return pieces[0] if len(pieces) == 1 else None


def inline_description(match: Match) -> str:
    return _clip(" ".join(match.quote.split()), 120)


def inline_title(match: Match) -> str:
    return _clip(" · ".join(part for part in (match.speaker, match.title) if part), 80)


# --- plain text for the terminal --------------------------------------------------------


def render_plain(answer: Answer, words: Words | None = None) -> str:
    """The same reply as ``render_answer`` gives, as plain text for a terminal."""
    words = words or for_answer(answer)
    lines: list[str] = []
    if answer.kind == "answer" and answer.answered and answer.results:
        if answer.ambiguous:
            lines.append(words("ambiguous"))
        for number, match in enumerate(answer.results, start=1):
            if len(answer.results) > 1:
                lines.append(f"[{words('page', page=number, total=len(answer.results))}]")
            lines += [f"> {line}" for line in match.quote.split("\n")]
            lines.append(f"{words('said_by')} {match.speaker}")
            if match.position:
                lines[-1] += ("，" if not words.is_english() else ", ") + match.position
            title = match.title or words("untitled")
            lines.append(" · ".join(part for part in (title, match.outlet) if part))
            when = _when(match.date, match.time)
            if when:
                lines.append(when)
            if match.question:
                lines.append(f"{words('question')} {match.question}")
            if match.spun:
                lines.append(words("spun"))
            lines.append("")
        return "\n".join(lines).rstrip()
    if answer.kind == "declined" or (answer.kind == "answer" and not answer.answered):
        lines.append(words("declined"))
        if answer.topics:
            lines.append(words("declined_topics"))
            lines += [f"• {topic}" for topic in answer.topics[:MAX_TOPICS]]
        else:
            lines.append(words("declined_no_topics"))
        return "\n".join(lines)
    opening = {"chitchat": "chitchat", "empty": "empty"}.get(answer.kind, "welcome")
    lines += [words(opening), words("examples")]
    lines += [f"• {example}" for example in words.examples()]
    return "\n".join(lines)
