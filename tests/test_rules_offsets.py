"""Offset conversions at the edges of each unit: the last BMP character, the first astral one,
every UTF-8 width; offsets outside the text or inside a character, with their codes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from sahel_corpus.errors import FormatError
from sahel_corpus.formats.offsets import OffsetError, from_utf8, from_utf16, to_utf8, to_utf16

#: One character of each UTF-8 width (1, 2, 3 and 4 bytes); the last takes two UTF-16 units.
WIDTHS = "aé€😀b"


def _error(call: Callable[[], object]) -> OffsetError:
    with pytest.raises(OffsetError) as caught:
        call()
    assert isinstance(caught.value, FormatError)
    return caught.value


def _got_expected(err: OffsetError) -> tuple[str, str]:
    """The two parts of a message of the form "got X, expected Y"."""
    match = re.fullmatch(r"got (.+), expected (.+)", str(err), re.DOTALL)
    assert match, str(err)
    return match[1], match[2]


def test_the_last_bmp_character_is_one_utf16_unit() -> None:
    text = "\uffffa"
    assert [to_utf16(text, i) for i in range(3)] == [0, 1, 2]
    assert [from_utf16(text, u) for u in range(3)] == [0, 1, 2]


def test_the_first_astral_character_is_two_utf16_units() -> None:
    text = "\U00010000a"
    assert [to_utf16(text, i) for i in range(3)] == [0, 2, 3]
    assert from_utf16(text, 2) == 1
    assert from_utf16(text, 3) == 2
    assert _error(lambda: from_utf16(text, 1)).code == "offset-inside-character"


def test_utf8_offsets_of_every_width() -> None:
    assert [to_utf8(WIDTHS, i) for i in range(6)] == [0, 1, 3, 6, 10, 11]
    assert [from_utf8(WIDTHS, b) for b in (0, 1, 3, 6, 10, 11)] == [0, 1, 2, 3, 4, 5]


def test_utf16_offsets_of_every_width() -> None:
    units = [to_utf16(WIDTHS, i) for i in range(6)]
    assert units == [0, 1, 2, 3, 5, 6]
    assert all(type(u) is int for u in units)  # an index, never 3.0
    assert [from_utf16(WIDTHS, u) for u in (0, 1, 2, 3, 5, 6)] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("convert", "unit", "offset", "last"),
    [
        (from_utf16, "UTF-16", 7, 6),
        (from_utf16, "UTF-16", -1, 6),
        (from_utf8, "UTF-8 byte", 12, 11),
        (from_utf8, "UTF-8 byte", -2, 11),
    ],
)
def test_an_offset_outside_the_text_names_the_unit_and_the_range(
    convert: Callable[[str, int], int], unit: str, offset: int, last: int
) -> None:
    err = _error(lambda: convert(WIDTHS, offset))
    assert err.code == "offset-range"
    got, expected = _got_expected(err)
    assert got == f"{unit} offset {offset}"
    assert re.findall(r"\d+", expected) == ["0", str(last)]


@pytest.mark.parametrize(
    ("convert", "unit", "offset", "char"),
    [
        (from_utf16, "UTF-16", 4, 3),
        (from_utf8, "UTF-8 byte", 2, 1),
        (from_utf8, "UTF-8 byte", 5, 2),
        (from_utf8, "UTF-8 byte", 9, 3),
    ],
)
def test_an_offset_inside_a_character_names_that_character(
    convert: Callable[[str, int], int], unit: str, offset: int, char: int
) -> None:
    err = _error(lambda: convert(WIDTHS, offset))
    assert err.code == "offset-inside-character"
    got, _ = _got_expected(err)
    assert got.startswith(f"{unit} offset {offset} ")
    assert re.findall(r"\d+", got)[-1] == str(char)  # the code point the offset falls in


def test_the_empty_text_has_one_offset() -> None:
    assert from_utf16("", 0) == 0 and from_utf8("", 0) == 0
    assert _error(lambda: from_utf8("", 1)).code == "offset-range"
