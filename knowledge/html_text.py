"""Saved HTML pages to the text a reader sees, with the page's own metadata.

trafilatura does the main-content extraction (navigation, sidebars and footers
go); lxml's plain text is the fallback for pages it gives up on, such as
truncated downloads, so a page is never lost just because it is odd.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

_TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–]\s)\s*[^_|｜]{2,30}$")
_BLOCKS = [
    *("p", "div", "br", "li", "tr", "section", "article", "blockquote", "pre", "dt", "dd"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
]


@dataclass(frozen=True)
class PageText:
    text: str  # the main content
    title: str | None
    sitename: str | None
    date: str | None
    # Everything a browser shows. Main-content extraction keeps paragraphs and may drop
    # what sits beside them, such as <span class="name">[主持人]</span>: the speakers.
    full_text: str = ""


# Characters no XML tree may hold (C0 controls but tab and line breaks, DEL, lone
# surrogates, the non-characters U+FFFE/U+FFFF): lxml refuses to set a text holding one,
# and a page is read as a reader sees it, where they show as nothing.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def html_to_text(markup: str) -> PageText:
    markup = _NOT_XML.sub("", markup)
    title = sitename = date = None
    try:
        metadata = trafilatura.extract_metadata(markup)
        title, sitename, date = metadata.title, metadata.sitename, metadata.date
    except Exception:  # a page trafilatura cannot read still has a body worth trying
        logger.debug("no metadata could be read from the page", exc_info=True)
    text = None
    try:
        text = trafilatura.extract(
            markup,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            deduplicate=False,
        )
    except Exception:
        logger.debug("trafilatura could not extract the page", exc_info=True)
    fallback = _plain_text(markup)
    if not text or len(text) < 0.3 * len(fallback):
        text = fallback
    return PageText(text, _clean_title(title), sitename, date, fallback)


def _plain_text(markup: str) -> str:
    """What a browser shows, one block per line: the fallback for broken pages."""
    try:
        return _browser_text(markup)
    except Exception:  # lxml gives up on some pages: a lone comment is not even a tree
        logger.debug("lxml could not read the page; tags are stripped instead", exc_info=True)
        return re.sub(r"<[^>]*>", "\n", markup)


def _browser_text(markup: str) -> str:
    tree = lxml_html.fromstring(markup)
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    text: str = tree.text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = title.strip()
    cleaned = _TITLE_SUFFIX.sub("", title).strip()
    # A site's name is shorter than the headline it follows; 专访｜陈立峰：让垃圾分类… is
    # a headline with a kicker, not 专访 on a site called 陈立峰：….
    if not cleaned or len(cleaned) < len(title) - len(cleaned):
        return title
    return cleaned
