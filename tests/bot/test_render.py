"""bot.render: answers as Telegram HTML, split safely at 4,096 UTF-16 code units."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from botdoubles import ANSWER_TEXT, QUOTE, make_answer, make_interview, make_match
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    MESSAGE_LIMIT,
    Markup,
    Text,
    render_answer,
    render_context,
    render_interview_card,
    render_plain,
    split_html,
    utf16_len,
)
from bot.texts import Words
from knowledge.models import Answer

ALLOWED_TAGS = {"b", "i", "blockquote"}


class _Checker(HTMLParser):
    """Collects text and checks that tags nest and close within one message."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(piece: str) -> str:
    """The text of a well-formed piece; fails on unbalanced or unknown tags."""
    checker = _Checker()
    checker.feed(piece)
    checker.close()
    assert checker.bad == []
    assert checker.stack == []
    return "".join(checker.text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


ZH = Words("zh", "hans")
EN = Words("en", "hans")
HANT = Words("zh", "hant")


def test_answer_quote_is_in_a_blockquote() -> None:
    reply = render_answer(make_answer(), ZH, key="k" * 12)

    assert f"<blockquote>{QUOTE}</blockquote>" in reply.pieces[0]


def test_answer_longer_than_quote_shows_whole_turn_expandable() -> None:
    reply = render_answer(make_answer(), ZH, key="k" * 12)

    expected = f"<blockquote expandable>{html.escape(ANSWER_TEXT, quote=False)}</blockquote>"
    assert expected in reply.pieces[0]


def test_answer_equal_to_quote_has_no_expandable_block() -> None:
    match = make_match(quote=QUOTE, answer_text=QUOTE, quote_start=0)
    reply = render_answer(make_answer(results=[match]), ZH, key="k" * 12)

    assert "expandable" not in reply.pieces[0]


def test_answer_names_speaker_position_title_outlet_date_and_question() -> None:
    piece = render_answer(make_answer(), ZH, key="k" * 12).pieces[0]

    for expected in (
        "<b>高涌濤</b>，省應急管理廳副廳長",
        "《專訪省應急管理廳副廳長高涌濤》 · 廣東省人民政府門戶網站",
        "2019-05-11 10:23:00",
        "<b>问：</b> <i>這么多的職責",
    ):
        assert expected in piece


def test_spun_source_carries_a_warning() -> None:
    answer = make_answer(results=[make_match(spun=True)])

    piece = render_answer(answer, ZH, key="k" * 12).pieces[0]

    assert "机器改写" in piece


def test_source_text_is_escaped() -> None:
    match = make_match(
        quote="<b>x</b> & y",
        answer_text="<b>x</b> & y",
        speaker="A<script>",
        title="T&T",
        question="<i>?",
    )
    piece = render_answer(make_answer(results=[match]), ZH, key="k" * 12).pieces[0]

    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in piece
    assert "A&lt;script&gt;" in piece
    assert "T&amp;T" in piece
    assert "&lt;i&gt;?" in piece
    check(piece)


def test_traditional_user_gets_traditional_words_and_verbatim_simplified_quote() -> None:
    match = make_match(quote="我们坚持问题导向。", answer_text="我们坚持问题导向。", spun=True)
    answer = make_answer(results=[match, make_match()], script="hant")

    reply = render_answer(answer, HANT, key="k" * 12)

    assert "<blockquote>我们坚持问题导向。</blockquote>" in reply.pieces[0]
    assert "機器改寫" in reply.pieces[0]
    assert "第 1/2 條" in reply.pieces[0]
    labels = (
        [b.text for row in reply.keyboard.inline_keyboard for b in row] if reply.keyboard else []
    )
    assert "來源" in labels


def test_english_user_gets_english_words() -> None:
    answer = make_answer(language="en", results=[make_match(), make_match(turn=7)])

    reply = render_answer(answer, EN, key="k" * 12)

    assert "Full answer:" in reply.pieces[0]
    assert "Answer 1 of 2" in reply.pieces[0]
    assert reply.keyboard is not None
    labels = [b.text for row in reply.keyboard.inline_keyboard for b in row]
    assert labels == ["Other answers ›", "Context", "Source"]


def test_decline_is_honest_and_offers_topics_as_buttons() -> None:
    answer = Answer(query="?", answered=False, kind="declined", topics=["话题一", "话题二"])

    reply = render_answer(answer, ZH, key="k" * 12, topic_keys=["a" * 12, "b" * 12])

    assert "没有找到能可靠回答" in reply.pieces[0]
    assert reply.keyboard is not None
    buttons = [row[0] for row in reply.keyboard.inline_keyboard]
    assert [(b.text, b.callback_data) for b in buttons] == [
        ("话题一", f"t:{'a' * 12}:0"),
        ("话题二", f"t:{'b' * 12}:0"),
    ]


def test_decline_never_shows_suggestions_as_quotes() -> None:
    answer = Answer(query="?", answered=False, kind="declined", results=[make_match()])

    reply = render_answer(answer, ZH, key="k" * 12)

    assert "blockquote" not in "".join(reply.pieces)


def test_chitchat_gets_a_short_friendly_text_with_examples() -> None:
    answer = Answer(query="你好", answered=False, kind="chitchat")

    reply = render_answer(answer, ZH, key="k" * 12)

    assert "你好！" in reply.pieces[0]
    assert "可以这样问" in reply.pieces[0]


def test_long_answer_splits_into_messages_within_the_limit() -> None:
    long_turn = "\n".join(f"第{i}段：" + "应急管理工作责任重大。" * 40 for i in range(30))
    match = make_match(quote=long_turn[:300], answer_text=long_turn)

    reply = render_answer(make_answer(results=[match]), ZH, key="k" * 12)

    assert len(reply.pieces) > 1
    assert all(utf16_len(piece) <= MESSAGE_LIMIT for piece in reply.pieces)
    assert all(check(piece) for piece in reply.pieces)
    assert "<blockquote expandable>" in reply.pieces[1]


def test_single_message_leaves_a_long_turn_to_the_context_button() -> None:
    long_turn = "\n".join("应急管理工作责任重大。" * 40 for _ in range(30))
    match = make_match(quote=long_turn[:300], answer_text=long_turn)

    reply = render_answer(make_answer(results=[match]), ZH, key="k" * 12, single=True)

    assert len(reply.pieces) == 1
    assert "expandable" not in reply.pieces[0]


def test_context_shows_neighbouring_turns_and_marks_the_answer() -> None:
    reply = render_context(make_interview(), 5, ZH)

    text = "".join(reply.pieces)
    assert "第4輪的話。" in text
    assert "第6輪的話。" in text
    assert "第3輪的話。" not in text
    assert "👉 <b>高涌濤</b>" in text


def test_interview_card_lists_title_outlet_date_speakers_and_turns() -> None:
    piece = render_interview_card(make_interview(), ZH).pieces[0]

    for expected in (
        "專訪省應急管理廳副廳長高涌濤",
        "廣東省人民政府門戶網站",
        "2019-05-11",
        "高涌濤（省應急管理廳副廳長）",
        "发言轮次: 8",
    ):
        assert expected in piece


def test_plain_text_has_quote_speaker_and_source_without_html() -> None:
    text = render_plain(make_answer(), ZH)

    assert f"> {QUOTE}" in text
    assert "高涌濤" in text
    assert "<" not in text


# --- the splitter, over arbitrary text --------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("<>&\"'\n 。！？.,;")),
        st.sampled_from(list("应急管理廳😀👩‍👩‍👧𝄞")),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=3000,
)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(TEXT, min_size=1, max_size=4),
    limit=st.integers(min_value=120, max_value=MESSAGE_LIMIT),
    tags=st.lists(
        st.sampled_from([None, "blockquote", "blockquote expandable", "i"]), min_size=4, max_size=4
    ),
)
def test_split_pieces_fit_the_limit_balance_tags_and_keep_the_text(
    texts: list[str], limit: int, tags: list[str | None]
) -> None:
    blocks = [Markup("<b>head</b>")]
    blocks += [Text(text, tag) for text, tag in zip(texts, tags, strict=False)]

    pieces = split_html(blocks, limit=limit)

    assert all(utf16_len(piece) <= limit for piece in pieces)
    shown = "".join(check(piece) for piece in pieces)
    kept = [text for text in texts if text.strip()]
    assert squeeze(shown) == squeeze("head" + "".join(kept))


@settings(max_examples=60, deadline=None)
@given(text=TEXT.filter(lambda t: t.strip()))
def test_split_of_long_text_reopens_the_blockquote_in_every_piece(text: str) -> None:
    long_text = (text + "\n") * (2 * MESSAGE_LIMIT // max(len(text), 1) + 1)

    pieces = split_html([Text(long_text, "blockquote")])

    assert len(pieces) > 1
    assert all(p.startswith("<blockquote>") and p.endswith("</blockquote>") for p in pieces)
