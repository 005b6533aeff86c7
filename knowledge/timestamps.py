"""Dates and times as transcripts write them, to ISO 8601."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_DATE = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_CLOCK = r"(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?"
_PLAIN_DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_PLAIN_CLOCK = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
TIMESTAMP_LINE = re.compile(
    rf"^[\[【(（]?\s*(?:{_PLAIN_DATE}\s*(?:{_PLAIN_CLOCK})?|{_PLAIN_CLOCK})\s*[\]】)）]?$"
)
_DATE_ANYWHERE = re.compile(_DATE)
_LEADING_TIME = re.compile(
    rf"^[\[【(（]\s*(?:{_PLAIN_DATE}\s*)?{_PLAIN_CLOCK}\s*[\]】)）]\s*(?=\S)"
)
_STAMP = re.compile(rf"^[\[【(（]?\s*(?:{_DATE}\s*)?(?:{_CLOCK})?")


def _iso_date(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    match = _DATE_ANYWHERE.search(text)
    return _iso_date(match["y"], match["m"], match["d"]) if match else None


# Taiwan dates pages by the ROC calendar: 115年3月5日 is 2026-03-05.
_ROC_DATE = re.compile(
    r"(?<![\d年])(?:民[國国]\s*)?(?P<y>1[0-4]\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
)


def find_roc_date(text: str) -> str | None:
    match = _ROC_DATE.search(text)
    return _iso_date(str(int(match["y"]) + 1911), match["m"], match["d"]) if match else None


def find_dates(text: str) -> list[str]:
    found = (_iso_date(m["y"], m["m"], m["d"]) for m in _DATE_ANYWHERE.finditer(text))
    return [d for d in found if d]


def parse_timestamp(text: str, known_date: str | None) -> str | None:
    """``2019-05-11 10:05:00`` or ``10:05`` → ISO; None when the text has no time of day."""
    match = _STAMP.match(text.strip())
    if not match or match["H"] is None:
        return None
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    clock = f"{hour:02d}:{minute:02d}:{second:02d}"
    day = _iso_date(match["y"], match["m"], match["d"]) if match["y"] else known_date
    return f"{day}T{clock}" if day else clock


def split_leading_time(text: str) -> tuple[str, str]:
    """(``（10:05）``, the rest) for a paragraph that opens with its time in brackets,
    ("", text) for any other."""
    match = _LEADING_TIME.match(text)
    return (match.group(), text[match.end() :]) if match else ("", text)


_OFFSET = re.compile(
    r"^[\[【(（]?\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})[:：](?P<S>\d{2})\s*[\]】)）]?$"
)
_START = re.compile(r"^(?P<H>\d{1,2})[:：](?P<M>\d{2})$")


def is_programme_offset(code: str) -> bool:
    """``00:01:05`` counts from the start of a programme; ``10:05`` is a time of day."""
    match = _OFFSET.match(code.strip())
    return match is not None and int(match["H"]) == 0


def time_after_start(offset: str, start: str, day: str | None) -> str | None:
    """The time of day ``offset`` (``00:01:05``) into a programme that began at ``start``
    (``19:35``): ``2026-04-18T19:36:05``; None when either cannot be read."""
    code = _OFFSET.match(offset.strip())
    begin = _START.match(start.strip())
    if code is None or begin is None or int(begin["H"]) > 23 or int(begin["M"]) > 59:
        return None
    when = datetime.fromisoformat(day or "2000-01-01") + timedelta(
        hours=int(begin["H"]) + int(code["H"]),
        minutes=int(begin["M"]) + int(code["M"]),
        seconds=int(code["S"]),
    )
    return when.isoformat() if day else when.time().isoformat()
