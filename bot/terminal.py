"""The terminal chat: the same engine and the same replies, as plain text."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot import texts
from bot.render import render_plain
from bot.state import Knowledge

QUIT = frozenset({"exit", "quit", "/exit", "/quit"})


async def chat(knowledge: Knowledge, stdin: TextIO, stdout: TextIO, *, prompt: bool) -> None:
    """Answer each line read from ``stdin`` until end of input or ``exit``."""
    stdout.write(texts.Words("zh")("terminal_intro") + "\n")
    while True:
        if prompt:
            stdout.write("> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line or line.strip().lower() in QUIT:
            break
        if not line.strip():
            continue
        answer = await knowledge.ask(line.strip())
        stdout.write(render_plain(answer) + "\n\n")
        stdout.flush()
