"""bot.texts: the bot's words in Simplified, Traditional and English."""

from __future__ import annotations

import pytest

from bot import texts


def test_every_word_exists_in_both_languages() -> None:
    assert set(texts._ZH) == set(texts._EN)


def test_traditional_words_are_converted_from_simplified() -> None:
    assert texts.Words("zh", "hant")("button_source") == "來源"


def test_values_are_filled_in_after_conversion() -> None:
    assert texts.Words("zh", "hant")("sources_title", count=3) == "已收錄的訪談（共 3 篇）："


@pytest.mark.parametrize(
    ("text", "language_code", "expected"),
    [
        ("應急管理廳整合了哪些職責", "en", texts.Words("zh", "hant")),
        ("应急管理厅整合了哪些职责", "en", texts.Words("zh", "hans")),
        ("/start", "zh-hant", texts.Words("zh", "hant")),
        ("/start", "zh-TW", texts.Words("zh", "hant")),
        ("/start", "zh-hans", texts.Words("zh", "hans")),
        ("/start", None, texts.Words("zh", "hans")),
        ("/start", "en", texts.Words("en", "hans")),
        (None, "de", texts.Words("en", "hans")),
    ],
)
def test_words_follow_the_message_then_the_user_language(
    text: str | None, language_code: str | None, expected: texts.Words
) -> None:
    assert texts.for_message(text, language_code) == expected
