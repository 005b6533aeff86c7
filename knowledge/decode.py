"""Raw bytes to text: encodings Chinese sites use, and saved HTML pages.

Every failure here is an ``UnreadableFile`` with a one-line reason, because a
user who drops a broken file on the bot deserves to know which of the usual
suspects it was (empty, binary, too large, undecodable).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from knowledge.errors import UnreadableFile

MAX_BYTES = 20 * 1024 * 1024
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<\?xml|<head|<meta|<body|<!--)", re.I)
_HTML_TAGS = re.compile(r"</?(p|div|br|span|table|td|strong|b|h[1-6]|section|article)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Chinese sites label GB18030 content as gb2312/gbk; decoding with the superset is always safe.
_ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "ascii": "utf-8",
}
_CHINESE_CANDIDATES = ("gb18030", "big5hkscs")


@dataclass(frozen=True)
class SourceText:
    """Decoded text of a source file; ``text`` is what turns are verbatim slices of."""

    text: str
    encoding: str
    is_html: bool = False
    html_title: str | None = None
    html_sitename: str | None = None
    html_date: str | None = None
    warnings: list[str] = field(default_factory=list)
    # For a page: all the text a browser shows, read when the main content lost the
    # speaker labels. Turns are then verbatim slices of this text instead.
    page_text: str | None = None


def read_source(path: Path) -> SourceText:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableFile(
                f"{path.name}: file is {size / 1024 / 1024:.1f} MB; "
                f"the limit is {MAX_BYTES // 1024 // 1024} MB"
            )
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UnreadableFile(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise UnreadableFile(f"{path}: is a folder, not a file") from error
    except PermissionError as error:
        raise UnreadableFile(f"{path}: permission denied") from error
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot be read ({error.strerror})") from error
    return decode_bytes(data)


def decode_bytes(data: bytes) -> SourceText:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB"
        )
    if not data.strip():
        raise UnreadableFile("the file is empty")
    text, encoding, warnings = _decode(data)
    if _looks_binary(text):
        raise UnreadableFile("this is a binary file, not text or HTML")
    if not text.strip():
        raise UnreadableFile("the file is empty")
    if _is_html(data, text):
        from knowledge.html_text import html_to_text

        page = html_to_text(text)
        if not page.text.strip():
            raise UnreadableFile("the HTML page holds no readable text")
        return SourceText(
            page.text,
            encoding,
            True,
            page.title,
            page.sitename,
            page.date,
            warnings,
            page_text=page.full_text if page.full_text != page.text else None,
        )
    return SourceText(text, encoding, False, warnings=warnings)


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_with(data, name)
    utf16 = _bomless_utf16(data)
    if utf16:
        return _decode_with(data, utf16)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _decode_with(data, "utf-8")
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared, []
        except (UnicodeDecodeError, LookupError):
            pass
    clean = [name for name in _CHINESE_CANDIDATES if _decodes(data, name)]
    if len(clean) == 1:
        return data.decode(clean[0]), clean[0], []
    guess = from_bytes(data[:200_000]).best()
    encoding = _ENCODING_ALIASES.get(guess.encoding, guess.encoding) if guess else "gb18030"
    if clean and encoding not in clean:
        encoding = clean[0]
    return _decode_with(data, encoding)


def _decode_with(data: bytes, encoding: str) -> tuple[str, str, list[str]]:
    try:
        return data.decode(encoding), encoding, []
    except (UnicodeDecodeError, LookupError):
        text = data.decode(encoding if _known(encoding) else "utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text, encoding, [f"{bad} bytes could not be decoded as {encoding} and were replaced"]


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bad bytes (a pasted GBK line) is still UTF-8: GB18030
    would "decode" it without error, turning every good character into mojibake."""
    sample = data[:200_000]
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return multibyte >= 20 and bad * 20 < multibyte


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    name = _ENCODING_ALIASES.get(name, name)
    return name if _known(name) else None


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    replaced = sample.count("\ufffd")
    return (controls + replaced) > max(8, len(sample) // 10)


def _is_html(data: bytes, text: str) -> bool:
    if _HTML_START.match(data[:512]):
        return True
    return len(_HTML_TAGS.findall(text[:20000])) >= 5
