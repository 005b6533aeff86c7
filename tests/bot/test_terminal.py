"""bot.terminal: the same engine and replies, as plain text, until EOF or exit."""

from __future__ import annotations

import io

from botdoubles import QUOTE, FakeKnowledge, make_answer

from bot.terminal import chat


async def test_terminal_answers_each_line_until_exit() -> None:
    knowledge = FakeKnowledge({"整合依靠什么？": make_answer()})
    stdout = io.StringIO()

    await chat(knowledge, io.StringIO("整合依靠什么？\n\nexit\n不会被问到\n"), stdout, prompt=False)

    assert [query for query, _ in knowledge.asked] == ["整合依靠什么？"]
    assert f"> {QUOTE}" in stdout.getvalue()
    assert "<blockquote>" not in stdout.getvalue()


async def test_terminal_stops_at_end_of_input() -> None:
    knowledge = FakeKnowledge()
    stdout = io.StringIO()

    await chat(knowledge, io.StringIO("火星？"), stdout, prompt=False)

    assert "没有找到能可靠回答" in stdout.getvalue()
