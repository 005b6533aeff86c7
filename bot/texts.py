"""The bot's own words: Simplified Chinese source strings and English.

Users who write Traditional Chinese get the Simplified strings converted to
Traditional; quotes from interviews never pass through here (they stay verbatim).
Templates are converted first and filled in afterwards, so a value (a title, a
user's words) is never converted either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from knowledge.models import Answer, Script
from knowledge.normalise import detect_script, to_script

Language = Literal["zh", "en"]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TRADITIONAL_LOCALES = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")

EXAMPLES_ZH = (
    "应急管理机构改革进展如何？",
    "应急管理部门是不是救火队？",
    "内蒙古如何防范化解重大安全风险？",
)
EXAMPLES_EN = (
    "What did the official say about the emergency management reform?",
    "How is Inner Mongolia preventing major safety risks?",
)

_ZH: dict[str, str] = {
    "welcome": (
        "你好！我用官员在公开访谈中的原话回答问题：逐字引用，注明是谁说的、"
        "出自哪次访谈、哪一天，以及回答的是主持人的哪个问题。"
    ),
    "how_private": "直接发送你的问题即可。",
    "how_group": "在群里请用 /ask 加问题，或 @我 提问，或回复我的消息。",
    "examples": "可以这样问：",
    "help_commands": (
        "/ask 问题 —— 提问（群聊中使用）\n"
        "/sources —— 查看收录的访谈\n"
        "/help —— 显示这条说明\n"
        "在任何聊天里输入 @{username} 加关键词，可以直接插入引文。"
    ),
    "chitchat": "你好！我只回答与已收录访谈有关的问题，并引用官员原话。",
    "empty": "请发送一个问题。",
    "ask_usage": "用法：/ask 你的问题",
    "declined": "抱歉，在已收录的访谈里没有找到能可靠回答这个问题的原话。",
    "declined_topics": "可以试试这些相关话题：",
    "declined_no_topics": "可以换个说法，或发送 /sources 查看收录了哪些访谈。",
    "ambiguous": "这个问题可以有多种理解，下面是最接近的一条；点“其他回答”可以看别的。",
    "full_answer": "完整回答：",
    "question": "问：",
    "said_by": "——",
    "spun": (
        "⚠️ 注意：这篇访谈的原文措辞疑似经过机器改写，引文可能与官员原话不同，请核对原始出处。"
    ),
    "page": "第 {page}/{total} 条",
    "button_next": "其他回答 ›",
    "button_previous": "‹ 上一条",
    "button_context": "上下文",
    "button_source": "来源",
    "button_more_sources": "更多访谈 ›",
    "context_title": "上下文",
    "answer_turn": "（即上面引用的回答）",
    "card_outlet": "媒体",
    "card_date": "日期",
    "card_speakers": "受访者",
    "card_turns": "发言轮次",
    "untitled": "（无标题）",
    "unknown": "不详",
    "sources_title": "已收录的访谈（共 {count} 篇）：",
    "sources_none": "还没有收录任何访谈。",
    "expired": "这个按钮已失效，请重新提问。",
    "error": "抱歉，处理时出了点问题，请稍后再试。",
    "inline_hint": "输入问题，插入官员原话",
    "inline_none": "没有找到可靠的原话",
    "inline_open": "去私聊里提问",
    "terminal_intro": "终端对话：输入问题后回车，输入 exit 或按 Ctrl-D 退出。",
    "command_start": "开始使用",
    "command_help": "使用说明和示例",
    "command_ask": "提问：/ask 问题",
    "command_sources": "查看收录的访谈",
}

_EN: dict[str, str] = {
    "welcome": (
        "Hello! I answer with what officials actually said in published interviews: "
        "quoted verbatim, with who said it, the interview, its date and the question "
        "it answered."
    ),
    "how_private": "Just send me your question.",
    "how_group": "In a group, use /ask with your question, mention me, or reply to my message.",
    "examples": "For example:",
    "help_commands": (
        "/ask question — ask (in groups)\n"
        "/sources — the interviews I know\n"
        "/help — this message\n"
        "In any chat, type @{username} and a few words to insert a quote."
    ),
    "chitchat": "Hello! I only answer questions about the interviews I know, in officials' words.",
    "empty": "Please send a question.",
    "ask_usage": "Usage: /ask your question",
    "declined": "Sorry — nothing in the published interviews confidently answers this.",
    "declined_topics": "You could try one of these related topics:",
    "declined_no_topics": "Try rephrasing, or send /sources to see which interviews I know.",
    "ambiguous": (
        "This question can be read in more than one way; here is the closest answer. "
        "Tap “Other answers” for more."
    ),
    "full_answer": "Full answer:",
    "question": "Question:",
    "said_by": "—",
    "spun": (
        "⚠️ Caution: this interview's wording appears to have been machine-rewritten; "
        "the quote may differ from what was actually said. Check the original source."
    ),
    "page": "Answer {page} of {total}",
    "button_next": "Other answers ›",
    "button_previous": "‹ Previous",
    "button_context": "Context",
    "button_source": "Source",
    "button_more_sources": "More interviews ›",
    "context_title": "Context",
    "answer_turn": "(the answer quoted above)",
    "card_outlet": "Outlet",
    "card_date": "Date",
    "card_speakers": "Interviewees",
    "card_turns": "Turns",
    "untitled": "(untitled)",
    "unknown": "unknown",
    "sources_title": "Interviews I know ({count}):",
    "sources_none": "No interviews have been added yet.",
    "expired": "This button has expired; please ask again.",
    "error": "Sorry, something went wrong. Please try again later.",
    "inline_hint": "Type a question to insert an official's words",
    "inline_none": "No confident quote found",
    "inline_open": "Ask in a private chat",
    "terminal_intro": "Terminal chat: type a question and press Enter; exit or Ctrl-D quits.",
    "command_start": "Start",
    "command_help": "How to use, with examples",
    "command_ask": "Ask: /ask question",
    "command_sources": "The interviews I know",
}


@cache
def _template(key: str, language: Language, script: Script) -> str:
    if language == "en":
        return _EN[key]
    text = _ZH[key]
    return to_script(text, "hant") if script == "hant" else text


@dataclass(frozen=True, slots=True)
class Words:
    """The bot's words in one language and script: ``words("key", value=...)``."""

    language: Language = "zh"
    script: Script = "hans"

    def __call__(self, key: str, /, **values: object) -> str:
        template = _template(key, self.language, self.script)
        return template.format(**values) if values else template

    def examples(self) -> tuple[str, ...]:
        if self.language == "en":
            return EXAMPLES_EN
        return tuple(_convert(example, self.script) for example in EXAMPLES_ZH)

    def is_english(self) -> bool:
        return self.language == "en"


@cache
def _convert(text: str, script: Script) -> str:
    return to_script(text, "hant") if script == "hant" else text


def for_answer(answer: Answer) -> Words:
    """The words for replying to ``answer``: its language, and its script for Chinese."""
    return Words(answer.language, answer.script)


def for_message(text: str | None, language_code: str | None = None) -> Words:
    """The words for a message that is not an answer: guessed from its text, then the user."""
    if text and _HAN.search(text):
        return Words("zh", detect_script(text))
    code = (language_code or "").lower()
    if not code or code.startswith("zh"):
        return Words("zh", "hant" if code.startswith(_TRADITIONAL_LOCALES) else "hans")
    return Words("en", "hans")


def keys() -> frozenset[str]:
    """Every key the bot's words are looked up by (the same in both languages)."""
    return frozenset(_ZH)
