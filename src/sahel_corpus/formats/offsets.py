"""Offset conversions between code points (this corpus) and the units of other tools.

Python ``str`` indices count code points; JavaScript and Java strings (Label
Studio, UIMA/INCEpTION) count UTF-16 code units; some tools count UTF-8
bytes. Characters outside the Basic Multilingual Plane take two UTF-16 units
and up to four bytes, so the counts differ as soon as one occurs.

Examples
--------
>>> text = "a😀b"
>>> to_utf16(text, 2), from_utf16(text, 3)
(3, 2)
>>> to_utf8(text, 2), from_utf8(text, 5)
(5, 2)
"""

from __future__ import annotations

from itertools import accumulate

from ..errors import FormatError

__all__ = ["OffsetError", "from_utf8", "from_utf16", "to_utf8", "to_utf16"]


class OffsetError(FormatError):
    """An offset that falls inside a character or outside the text."""

    default_code = "offset"


def _table(text: str, width: int) -> list[int]:
    sizes = (
        [2 if ord(ch) > 0xFFFF else 1 for ch in text]
        if width == 16
        else [len(ch.encode("utf-8")) for ch in text]
    )
    return [0, *accumulate(sizes)]


def to_utf16(text: str, index: int) -> int:
    """UTF-16 code-unit offset of code-point offset ``index``."""
    return len(text[:index].encode("utf-16-le")) // 2


def to_utf8(text: str, index: int) -> int:
    """UTF-8 byte offset of code-point offset ``index``."""
    return len(text[:index].encode("utf-8"))


def _back(text: str, offset: int, width: int, unit: str) -> int:
    table = _table(text, width)
    if not 0 <= offset <= table[-1]:
        raise OffsetError(
            f"got {unit} offset {offset}, expected 0 to {table[-1]}", code="offset-range"
        )
    lo, hi = 0, len(table) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if table[mid] < offset:
            lo = mid + 1
        else:
            hi = mid
    if table[lo] != offset:
        raise OffsetError(
            f"got {unit} offset {offset} inside the character at code point "
            f"{lo - 1}, expected an offset between characters",
            code="offset-inside-character",
        )
    return lo


def from_utf16(text: str, offset: int) -> int:
    """Code-point offset of UTF-16 code-unit offset ``offset``."""
    return _back(text, offset, 16, "UTF-16")


def from_utf8(text: str, offset: int) -> int:
    """Code-point offset of UTF-8 byte offset ``offset``."""
    return _back(text, offset, 8, "UTF-8 byte")
