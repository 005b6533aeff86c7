"""``interview-bot``: a thin command line over the knowledge library and the bot.

Each command opens what it needs, makes one library call and prints the result;
a domain error becomes one line on stderr and an exit status, never a traceback.
Exit statuses: 0 fine, 1 some files rejected, 2 usage or configuration, 3 not an
interview, 4 unreadable file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.errors import KnowledgeError, NotAnInterview, UnreadableFile
from knowledge.models import Answer, Interview

if TYPE_CHECKING:
    from bot.config import Settings

EXIT_REJECTED, EXIT_USAGE, EXIT_NOT_INTERVIEW, EXIT_UNREADABLE = 1, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    except KnowledgeError as error:
        _error(str(error))
        return EXIT_UNREADABLE
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interview-bot",
        description="Answer questions with what officials actually said in published interviews.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="parse one interview file without storing it")
    parse.add_argument("file", type=Path)
    parse.add_argument("--json", action="store_true", help="print the parsed interview as JSON")
    parse.set_defaults(handler=_parse)

    ingest = commands.add_parser("ingest", help="store interview files or folders")
    ingest.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    ingest.set_defaults(handler=_ingest)

    listing = commands.add_parser("list", help="show the stored interviews")
    listing.set_defaults(handler=_list)

    ask = commands.add_parser("ask", help="answer a question (or one per line from stdin)")
    ask.add_argument("question", nargs="?", help="the question; omitted: read questions from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument(
        "--top", type=int, default=3, metavar="K", help="results per question (default 3)"
    )
    ask.set_defaults(handler=_ask)

    run = commands.add_parser(
        "run", help="start the Telegram bot (a terminal chat without a token)"
    )
    run.set_defaults(handler=_run)
    return parser


def _parse(args: argparse.Namespace) -> int:
    from knowledge.parser import parse_file

    try:
        interview = parse_file(args.file)
    except NotAnInterview as error:
        _error(f"{args.file}: not an interview: {error}")
        return EXIT_NOT_INTERVIEW
    except UnreadableFile as error:
        _error(str(error))
        return EXIT_UNREADABLE
    if args.json:
        print(interview.model_dump_json(indent=2))
    else:
        print(_describe(interview))
    return 0


def _describe(interview: Interview) -> str:
    lines = [
        f"id:       {interview.id}",
        f"title:    {interview.title or '-'}",
        f"outlet:   {interview.outlet or '-'}",
        f"date:     {interview.date or '-'}",
        f"script:   {interview.script}",
        f"spun:     {'yes: ' + '; '.join(interview.spun_evidence[:3]) if interview.spun else 'no'}",
        "speakers: "
        + "; ".join(
            f"{s.label} ({s.role}{', ' + s.name if s.name and s.name != s.label else ''}"
            f"{', ' + s.position if s.position else ''})"
            for s in interview.speakers
        ),
        f"turns:    {len(interview.turns)}, pairs: {len(interview.pairs)}",
    ]
    for turn in interview.turns:
        first_line = turn.text.split("\n", 1)[0]
        preview = first_line if len(first_line) <= 40 else first_line[:39] + "…"
        lines.append(
            f"  [{turn.index:>3}] {turn.speaker} ({turn.role})"
            f"{' ' + turn.time if turn.time else ''}: {preview}"
        )
    lines.extend(f"warning:  {w}" for w in interview.warnings)
    return "\n".join(lines)


def _ingest(args: argparse.Namespace) -> int:
    from knowledge.ingest import ensure_seeded, ingest_paths, summarise
    from knowledge.store import Store

    settings = _settings()

    async def ingest() -> int:
        async with await Store.open(settings.knowledge_db) as store:
            await ensure_seeded(store, settings.seeds_dir)
            outcomes = await ingest_paths(store, args.paths)
        for outcome in outcomes:
            print(outcome.line())
        print(summarise(outcomes))
        return EXIT_REJECTED if any(o.status == "rejected" for o in outcomes) else 0

    return asyncio.run(ingest())


def _list(args: argparse.Namespace) -> int:
    from knowledge.ingest import ensure_seeded
    from knowledge.store import Store

    settings = _settings()

    async def listing() -> int:
        async with await Store.open(settings.knowledge_db) as store:
            await ensure_seeded(store, settings.seeds_dir)
            summaries = await store.summaries()
        print(f"{'id':<28} {'date':<10}  {'outlet':<12} {'interviewee':<10} {'turns':>5}  title")
        for s in summaries:
            print(
                f"{s.id:<28} {s.date or '-':<10}  {s.outlet or '-':<12} "
                f"{', '.join(s.interviewees) or '-':<10} {s.turn_count:>5}  {s.title or '-'}"
            )
        print(f"{len(summaries)} interviews")
        return 0

    return asyncio.run(listing())


def _ask(args: argparse.Namespace) -> int:
    from knowledge.engine import KnowledgeBase

    settings = _settings()
    questions = [args.question] if args.question is not None else None

    async def answer_all() -> int:
        kb = await KnowledgeBase.open(
            settings.knowledge_db, seeds_dir=settings.seeds_dir, threshold=settings.answer_threshold
        )
        async with kb:
            source = questions if questions is not None else _stdin_lines()
            for question in source:
                answer = await kb.ask(question, top_k=max(args.top, 1))
                print(answer.model_dump_json() if args.json else _plain(answer), flush=True)
        return 0

    return asyncio.run(answer_all())


def _stdin_lines() -> list[str]:
    return [line.rstrip("\n") for line in sys.stdin if line.strip()]


def _plain(answer: Answer) -> str:
    from bot.render import render_plain

    return render_plain(answer)


def _run(args: argparse.Namespace) -> int:
    from bot.runner import run_bot

    return run_bot()


def _settings() -> Settings:
    from bot.config import load_settings_or_exit

    return load_settings_or_exit()


def _error(message: str) -> None:
    print(f"interview-bot: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
