"""Messy interview text to an ``Interview``: speakers, turns, pairs, and where it came from.

The parser works line by line. Each line is first classified (noise, a time,
a speaker label, plain text); document-wide evidence then decides which label
candidates are real speakers (a label that recurs, a role word, a person's
name); finally turns are assembled, trimmed of trailing junk and paired.
Turn text is always built from verbatim slices of the decoded source; only the line
breaks a hard-wrapped page (a PDF copy) puts mid-sentence are left out.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import bare_questions, labels, noise, wrapping
from knowledge.decode import SourceText, decode_bytes, read_source
from knowledge.errors import NotAnInterview
from knowledge.header import HeaderFacts, find_date_line, find_outlet, read_header
from knowledge.models import Interview, Pair, Role, Speaker, Turn
from knowledge.normalise import detect_script, to_simplified
from knowledge.spin import is_spun, spin_evidence
from knowledge.timestamps import (
    TIMESTAMP_LINE,
    is_programme_offset,
    parse_date,
    parse_timestamp,
    split_leading_time,
    time_after_start,
)

_ID_UNSAFE = re.compile(r"[^\w.\-]+")


_READERS = (
    "parser",
    "bare_questions",
    "decode",
    "header",
    "html_text",
    "labels",
    "noise",
    "spin",
    "timestamps",
    "wrapping",
)


def _parser_version() -> str:
    """A digest of the code that reads a file into an Interview. It is part of every
    content hash, so a store holding an older reading of a file reads it again when the
    file is ingested again, as the bot does with its seeds at every start."""
    digest = hashlib.sha256()
    for module in _READERS:
        digest.update(Path(__file__).with_name(f"{module}.py").read_bytes())
    return digest.hexdigest()[:12]


PARSER_VERSION = _parser_version()


def _content_hash(data: bytes) -> str:
    """The file's bytes as read by this version of the parser."""
    return hashlib.sha256(PARSER_VERSION.encode() + data).hexdigest()


@dataclass(slots=True)
class _Line:
    text: str  # stripped, verbatim
    simple: str  # the same line folded to Simplified, for matching only
    kind: str  # "text" | "noise" | "time" | "label" | "blank" | "cast"
    candidate: labels.LabelCandidate | None = None
    time: str | None = None
    width: int = 0  # display columns of the line as written, indent included
    indented: bool = False
    wrapped: bool = False  # the line runs to the page's margin: the next one goes on with it


@dataclass(slots=True)
class _OpenTurn:
    speaker: str
    role: Role
    paragraphs: list[str] = field(default_factory=list)
    time: str | None = None
    latin_label: bool = False


def parse_file(path: Path) -> Interview:
    source = read_source(path)
    digest = _content_hash(path.read_bytes())
    return parse_source(
        source, interview_id=_safe_id(path.stem), source_name=path.name, content_hash=digest
    )


def parse_bytes(data: bytes, *, name: str = "upload.txt") -> Interview:
    source = decode_bytes(data)
    digest = _content_hash(data)
    return parse_source(
        source, interview_id=_safe_id(Path(name).stem), source_name=name, content_hash=digest
    )


def parse_text(text: str, *, interview_id: str | None = None) -> Interview:
    data = text.encode("utf-8", "surrogatepass")
    source = SourceText(text=text, encoding="utf-8")
    # The id names the text, whichever parser reads it: a text pasted again replaces itself.
    default_id = f"text-{hashlib.sha256(data).hexdigest()[:12]}"
    return parse_source(
        source, interview_id=interview_id or default_id, content_hash=_content_hash(data)
    )


def parse_source(
    source: SourceText,
    *,
    interview_id: str,
    source_name: str | None = None,
    content_hash: str | None = None,
) -> Interview:
    """A page is read from its main content, or from all its text when that finds more
    answered questions: the speaker labels may sit outside the main content."""
    found: list[Interview] = []
    failure: NotAnInterview | None = None
    for text in (source.text, *filter(None, [source.page_text])):
        try:
            found.append(_parse_text(text, source, interview_id, source_name, content_hash))
        except NotAnInterview as error:
            failure = failure or error
    if not found:
        assert failure is not None
        raise failure
    return max(found, key=lambda interview: len(interview.pairs))


def _parse_text(
    text: str,
    source: SourceText,
    interview_id: str,
    source_name: str | None,
    content_hash: str | None,
) -> Interview:
    lines = _classify(text)
    speakers = _accepted_speakers(lines)
    header_end = next(
        (i for i, line in enumerate(lines) if line.kind == "label" and _label_key(line, speakers)),
        len(lines),
    )
    header = _read_header(lines[:header_end], source)
    open_turns = _assemble(lines[header_end:], speakers, header, _hosting_accounts(lines))
    if not open_turns:
        bare = _bare_question_turns(lines, source)
        if bare is not None:
            header, speakers, open_turns = bare
    if not open_turns:
        raise NotAnInterview(
            "no speaker turns found: this does not look like an interview transcript"
        )
    turns = [
        Turn(index=i, speaker=t.speaker, role=t.role, time=t.time, text="\n".join(t.paragraphs))
        for i, t in enumerate(open_turns)
    ]
    pairs = _pairs(turns)
    if (
        not pairs
        or not any(t.role == "interviewer" for t in turns)
        or not any(t.role == "interviewee" for t in turns)
    ):
        raise NotAnInterview(
            "no question-and-answer turns found: "
            "this looks like a notice, story or article, not an interview"
        )
    used = {t.speaker for t in turns}
    notes = {
        to_simplified(line.candidate.label): line.candidate.note
        for line in lines
        if line.candidate and line.candidate.note
    }
    speaker_models = _speaker_models(used, speakers, header, notes)
    body_simple = to_simplified("\n".join(t.text for t in turns))
    evidence = spin_evidence(body_simple)
    date = (
        header.date
        or _date_from_times(turns)
        or find_date_line([(line.text, line.simple) for line in lines if line.kind != "blank"])
    )
    outlet = (
        header.outlet
        or next(
            (
                s.label
                for s in speaker_models
                if s.role == "interviewer" and labels.is_outlet(to_simplified(s.label))
            ),
            None,
        )
        or find_outlet([(line.text, line.simple) for line in lines if line.kind == "noise"])
        or header.site
    )
    return Interview(
        id=interview_id,
        title=header.title,
        outlet=outlet,
        date=date,
        script=detect_script("\n".join(t.text for t in turns)),
        spun=is_spun(evidence),
        spun_evidence=evidence,
        speakers=speaker_models,
        turns=turns,
        pairs=pairs,
        warnings=list(source.warnings),
        source_name=source_name,
        content_hash=content_hash,
    )


def _read_header(lines: list[_Line], source: SourceText) -> HeaderFacts:
    return read_header(
        [(line.text, line.simple) for line in lines if line.kind != "blank"],
        html_title=source.html_title,
        html_sitename=source.html_sitename,
        html_date=source.html_date,
    )


_BARE_SPEAKERS: dict[str, tuple[Role, str]] = {
    "问": ("interviewer", "问"),
    "答": ("interviewee", "答"),
}
_INTERVIEW_WORD = re.compile(r"专访|采访|访谈|对话|做客|答问|问答|答记者问|走访|谈")


def _bare_question_turns(
    lines: list[_Line], source: SourceText
) -> tuple[HeaderFacts, dict[str, tuple[Role, str]], list[_OpenTurn]] | None:
    """Turns of an interview whose questions are bare lines ending in a question mark.

    The answers are attributed to the person the lead names as interviewed, so the
    shape is only taken when the lines before the first question name one and say
    it is an interview; a headline that is itself a question is skipped over.
    """
    body = [i for i, line in enumerate(lines) if line.kind in ("text", "label")]
    asked = bare_questions.question_lines([lines[i].simple for i in body])
    if asked is None:
        return None
    questions = {body[i] for i in asked}
    for start in sorted(questions)[:2]:
        header = _read_header(lines[:start], source)
        lead = "\n".join(line.simple for line in lines[:start])
        if header.named_interviewee is None or not _INTERVIEW_WORD.search(lead):
            continue
        turns = _assemble_bare(lines[start:], questions, start, header)
        if sum(t.role == "interviewer" for t in turns) >= 2:
            return header, _BARE_SPEAKERS, turns
    return None


def _assemble_bare(
    lines: list[_Line], questions: set[int], offset: int, header: HeaderFacts
) -> list[_OpenTurn]:
    turns: list[_OpenTurn] = []
    for position, line in enumerate(lines, start=offset):
        if line.kind == "blank":
            continue
        if line.kind == "time":
            if turns and turns[-1].time is None:
                turns[-1].time = _code_time(line.simple, header)
            continue
        if line.kind in ("noise", "cast") or noise.is_news_snippet(line.simple):
            if line.kind == "cast" or noise.ends_interview(line.simple):
                break
            continue
        role: Role = "interviewer" if position in questions else "interviewee"
        if not turns or turns[-1].role != role:
            turns.append(_OpenTurn(speaker="问" if role == "interviewer" else "答", role=role))
        turns[-1].paragraphs.append(line.text)
    return _times_opening_turns(turns, header)


def _classify(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for raw in text.splitlines():
        stripped = raw.strip().strip("\u200b\ufeff").strip()
        if not stripped:
            lines.append(_Line("", "", "blank"))
            continue
        simple = to_simplified(stripped)
        if TIMESTAMP_LINE.match(simple):
            lines.append(_Line(stripped, simple, "time", time=simple))
        elif noise.is_noise(simple):
            lines.append(_Line(stripped, simple, "noise"))
        else:
            candidate = labels.match_label(stripped, simple) or labels.match_own_line_label(
                stripped, simple
            )
            kind = "label" if candidate else "text"
            if candidate and labels.is_cast_line(
                to_simplified(candidate.label), to_simplified(candidate.rest)
            ):
                kind = "cast"
            lines.append(_Line(stripped, simple, kind, candidate))
        lines[-1].width = wrapping.display_width(raw.rstrip())
        lines[-1].indented = raw[:1].isspace()
    for line, wrapped in zip(
        lines, wrapping.wrapped_lines([line.width for line in lines]), strict=True
    ):
        line.wrapped = wrapped
    return _running_headers_dropped(lines)


_SENTENCE_END = re.compile(r"[。！？!?]")


def _running_headers_dropped(lines: list[_Line]) -> list[_Line]:
    """A printed document repeats its header at the top of every page: the same short
    line, no sentence, several times. It belongs to no turn."""
    counts = Counter(line.simple for line in lines if line.kind == "text")
    for line in lines:
        if (
            line.kind == "text"
            and counts[line.simple] >= 2
            and len(line.simple) <= 60
            and not _SENTENCE_END.search(line.simple)
        ):
            line.kind = "noise"
    return lines


def _hosts(lines: list[_Line]) -> str:
    """What the cast list says of the hosts (主持：@霁北城管（官方微博）), in Simplified."""
    return " ".join(
        to_simplified(line.candidate.rest)
        for line in lines
        if line.kind == "cast"
        and line.candidate
        and labels.role_word(to_simplified(line.candidate.label)) == "interviewer"
    )


def _answering(lines: list[_Line]) -> set[str]:
    """The accounts that answer somewhere (@霁北城管 回复@网友：…)."""
    return {
        to_simplified(line.candidate.label)
        for line in lines
        if line.candidate and line.kind == "label" and line.candidate.role == "interviewee"
    }


def _hosting_accounts(lines: list[_Line]) -> set[str]:
    """Accounts the cast names as host that also answer: their replies are answers, their
    own posts (#话题# 各位网友下午好，今天我们请到了…) host the interview."""
    hosts = _hosts(lines)
    return {key for key in _answering(lines) if key in hosts}


def _accepted_speakers(lines: list[_Line]) -> dict[str, tuple[Role, str]]:
    """Label key → (role, display label): only candidates the whole document vouches for."""
    counts: Counter[str] = Counter()
    aliases: dict[str, str] = {}
    hosts = _hosts(lines)
    for line in lines:
        if line.candidate and line.kind == "label":
            counts[to_simplified(line.candidate.label)] += 1
            if line.candidate.alias:
                aliases[to_simplified(line.candidate.alias)] = to_simplified(line.candidate.label)
    quoted = _quoted_phrases(lines)
    # An account that answers anywhere (回复@…) is an interviewee (but see _hosting_accounts).
    answering = _answering(lines)
    accepted: dict[str, tuple[Role, str]] = {}
    for line in lines:
        candidate = line.candidate
        if not candidate or line.kind != "label":
            continue
        key = to_simplified(candidate.label)
        if key in accepted:
            continue
        # The cast list names the host: 主持人：新闻发言人 彭楚宁, then 彭楚宁：….
        role = (
            labels.role_word(key)
            or ("interviewee" if key in answering else candidate.role)
            or ("interviewer" if key in hosts else None)
        )
        if candidate.style == "own_line" and counts[key] < 2:
            continue  # a lone name on a line is a byline or a caption, unless it recurs
        strong = (
            role is not None
            or (labels.is_person_like(key) and not (counts[key] == 1 and key in quoted))
            or key in aliases
            or key in aliases.values()
            or (counts[key] >= 2 and (candidate.style in ("bracket", "timed") or len(key) <= 12))
            or (candidate.style == "latin")
        )
        if strong:
            accepted[key] = (role or "interviewee", candidate.label)
    for alias, target in aliases.items():
        if target in accepted:
            accepted[alias] = accepted[target]
    return accepted


_QUOTED = re.compile(r"[“「『\"]([^”」』\"\n]{1,60})[”」』\"]")


def _quoted_phrases(lines: list[_Line]) -> str:
    """Every phrase the document puts in quotation marks, joined. A one-off label found
    in one is a term being explained (“增供给、促共享、强管理” then 强管理：…), not a
    person who speaks."""
    return "\n".join(phrase for line in lines for phrase in _QUOTED.findall(line.simple))


def _label_key(line: _Line, speakers: dict[str, tuple[Role, str]]) -> str | None:
    if not line.candidate:
        return None
    key = to_simplified(line.candidate.label)
    return key if key in speakers else None


def _code_time(code: str, header: HeaderFacts) -> str | None:
    """A time code read for a turn (before its label, on a line of its own, opening its
    text) as the turn's time. A programme's code (00:01:05) counts from the start of the
    broadcast: a time of day only when the header says when it began."""
    if is_programme_offset(code):
        return time_after_start(code, header.starts_at, header.date) if header.starts_at else None
    return parse_timestamp(code, header.date)


def _assemble(
    lines: list[_Line],
    speakers: dict[str, tuple[Role, str]],
    header: HeaderFacts,
    hosting: set[str],
) -> list[_OpenTurn]:
    turns: list[_OpenTurn] = []
    current: _OpenTurn | None = None
    ended = False
    canonical = _canonical_names(speakers)
    joining = False  # the last line added ran to the margin of a hard-wrapped page
    for line in lines:
        if line.kind == "blank":
            continue
        if line.kind == "time":
            if current is not None and current.time is None and not ended:
                current.time = _code_time(line.simple, header)
            continue
        key = _label_key(line, speakers) if line.kind == "label" else None
        if key is not None and line.candidate is not None:
            role, display = speakers[key]
            if key in hosting and line.candidate.role != "interviewee":
                role = "interviewer"  # the host account's own post, not one of its replies
            speaker = canonical.get(key, display)
            if ended and speaker not in {t.speaker for t in turns}:
                continue
            ended = False
            if line.candidate.style == "latin" and current is not None and current.role == role:
                if line.text:
                    current.paragraphs.append(line.text)
                continue
            current = _OpenTurn(
                speaker=speaker, role=role, latin_label=line.candidate.style == "latin"
            )
            if line.candidate.time:
                current.time = _code_time(line.candidate.time, header)
            if line.candidate.rest:
                current.paragraphs.append(line.candidate.rest)
            joining = line.wrapped and bool(line.candidate.rest)
            turns.append(current)
            continue
        if line.kind == "noise" or ended:
            if line.kind == "noise" and current is not None and noise.ends_interview(line.simple):
                ended = True
            continue
        if current is None:
            continue
        if noise.is_news_snippet(line.simple) and current.paragraphs:
            ended = True
            continue
        if joining and current.paragraphs and not line.indented:
            current.paragraphs[-1] += line.text
        else:
            current.paragraphs.append(line.text)
        joining = line.wrapped
    return _times_opening_turns([turn for turn in turns if turn.paragraphs], header)


def _times_opening_turns(turns: list[_OpenTurn], header: HeaderFacts) -> list[_OpenTurn]:
    """``【主持人】（10:00）各位网友…``: a time the turn opens with is its time, not its text."""
    for turn in turns:
        stamp, rest = split_leading_time(turn.paragraphs[0])
        if stamp:
            turn.paragraphs[0] = rest
            turn.time = turn.time or _code_time(stamp, header)
    return turns


def _canonical_names(speakers: dict[str, tuple[Role, str]]) -> dict[str, str]:
    """``交通运输部部长 李小鹏`` and later ``李小鹏`` are one speaker, shown by name."""
    canonical: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for key, (_, display) in speakers.items():
        name, position = labels.split_name(key)
        if name and position:
            by_name[name] = display[len(display) - len(name) :]
    for key in speakers:
        name, _ = labels.split_name(key)
        if name and name in by_name:
            canonical[key] = by_name[name]
    return canonical


def _pairs(turns: list[Turn]) -> list[Pair]:
    pairs: list[Pair] = []
    question: int | None = None
    answers: list[int] = []
    for turn in turns:
        if turn.role == "interviewer":
            if answers:
                pairs.append(Pair(question=question, answers=answers))
            question, answers = turn.index, []
        elif turn.role == "interviewee":
            answers.append(turn.index)
    if answers:
        pairs.append(Pair(question=question, answers=answers))
    return pairs


def _speaker_models(
    used: set[str],
    speakers: dict[str, tuple[Role, str]],
    header: HeaderFacts,
    notes: dict[str, str],
) -> list[Speaker]:
    models: list[Speaker] = []
    seen: set[str] = set()
    positions: dict[str, str] = {}
    for key, (_, display) in speakers.items():
        name, position = labels.split_name(key)
        if name and position:
            positions[name] = display[: len(display) - len(name)].strip()
    # The person the header names is the unnamed interviewee (答：, Ａ：), unless they
    # speak under their own name: then an unnamed one is someone else (an office's account).
    named_speaking = header.named_interviewee is not None and any(
        labels.split_name(key)[0] == to_simplified(header.named_interviewee[0])
        for key, (role, _) in speakers.items()
        if role == "interviewee"
    )
    for key, (role, display) in speakers.items():
        label = display
        if label not in used:
            name, _ = labels.split_name(key)
            label = display[len(display) - len(name) :] if name else display
            if label not in used or label in seen:
                continue
        if label in seen:
            continue
        seen.add(label)
        name, _ = labels.split_name(to_simplified(label))
        shown_name = label if name else None
        position = (
            positions.get(name or "")
            or notes.get(to_simplified(label))
            or (header.positions.get(name) if name else None)
        )
        if role == "interviewee" and not name and header.named_interviewee and not named_speaking:
            shown_name, position = header.named_interviewee
        if role == "interviewer" and name is None:
            person, _ = labels.split_name(
                to_simplified(label).replace("主持人", "").replace("记者", "")
            )
            shown_name = person
        models.append(Speaker(label=label, name=shown_name, position=position, role=role))
    return models


def _date_from_times(turns: list[Turn]) -> str | None:
    for turn in turns:
        if turn.time and len(turn.time) >= 10:
            return parse_date(turn.time[:10])
    return None


def _safe_id(stem: str) -> str:
    return _ID_UNSAFE.sub("-", stem).strip("-")[:80] or "interview"
