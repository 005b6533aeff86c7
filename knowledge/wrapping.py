"""Text copied out of a PDF: every line ends at the page margin, mid-sentence.

Such a line does not end its paragraph; the next line goes on with it. A document is
taken as hard-wrapped only when many of its lines share one width, the margin, within a
column or two; a line that reaches the margin is then wrapped, one that stops short ends
its paragraph.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

_MIN_MARGIN = 40  # columns: a margin narrower than this is a list or a poem, not a page
_MIN_LINES_AT_MARGIN = 8
_SHARE_AT_MARGIN = 0.4  # of the document's lines that are not empty
_SLACK = 3  # a wide character that does not fit leaves the line short of the margin


def display_width(text: str) -> int:
    """Columns the text takes on a page: two for a Chinese character, one for Latin."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrapped_lines(widths: Sequence[int]) -> list[bool]:
    """For each line (given by its display width), whether it runs to the margin of a
    hard-wrapped document; all False when the document is not hard-wrapped."""
    written = [width for width in widths if width >= _MIN_MARGIN]
    if not written:
        return [False] * len(widths)
    commonest = Counter(written).most_common(1)[0][0]
    margin = max(width for width in written if commonest <= width <= commonest + _SLACK)
    at_margin = [margin - _SLACK <= width <= margin for width in widths]
    non_empty = sum(1 for width in widths if width > 0)
    if sum(at_margin) < max(_MIN_LINES_AT_MARGIN, _SHARE_AT_MARGIN * non_empty):
        return [False] * len(widths)
    return at_margin
