"""The text rules at their edges: an offence at index 0, at the end of the text, after the
first line; the place of the first NFC offence; the error class and file a caller names."""

from __future__ import annotations

import re

import pytest

from sahel_corpus.errors import AnnotationError, FormatError
from sahel_corpus.textrules import (
    TEXT_RULES,
    check_text,
    decode_text,
    first_non_nfc,
    line_col,
    normalise_newlines,
    text_problems,
)

#: U+212B ANGSTROM SIGN: one character that NFC replaces (by U+00C5) all on its own.
ANGSTROM = "\u212b"


def _rules(text: str) -> list[tuple[str, int]]:
    return [(p.rule, p.index) for p in text_problems(text)]


def _quoted(message: str) -> list[str]:
    """The quoted values of a message (the text-nfc message quotes the piece and its NFC)."""
    return re.findall(r"'[^']*'", message)


def test_line_and_column_count_a_newline_at_index_0() -> None:
    assert line_col("\nab", 2) == "line 2, column 2"
    assert line_col("\nab", 1) == "line 2, column 1"
    assert line_col("\nab", 0) == "line 1, column 1"


def test_the_column_counts_from_the_last_newline() -> None:
    assert line_col("a\nb\ncd", 5) == "line 3, column 2"
    assert line_col("ab\ncd", 2) == "line 1, column 3"


def test_first_non_nfc_is_minus_one_for_nfc_text() -> None:
    assert first_non_nfc("Mali") == -1
    assert first_non_nfc("") == -1


@pytest.mark.parametrize(
    ("text", "index"),
    [
        (ANGSTROM + "abc", 0),  # the first character alone is not NFC
        ("abcd" + ANGSTROM + "efgh", 4),  # the search must narrow to one character
        ("\u0301\u0316", 0),  # marks in the wrong order at the very start
        ("a\u0301\u0316", 0),  # back over two marks to their base at index 0
        ("abc\u0301", 2),  # back over one mark to its base
        ("xyMa\u0301li", 3),
    ],
)
def test_first_non_nfc_finds_the_base_character(text: str, index: int) -> None:
    assert first_non_nfc(text) == index


def test_each_rule_at_index_0() -> None:
    assert _rules("\ufeffMali") == [("text-bom", 0)]
    assert _rules("\r\nMali") == [("text-line-ends", 0)]
    assert _rules(ANGSTROM + "bc") == [("text-nfc", 0)]
    assert _rules("\x00Mali") == [("text-control", 0)]
    assert _rules("") == [("text-empty", 0)]
    assert _rules(" \n\t") == [("text-empty", 0)]


def test_every_rule_a_text_breaks_in_order_with_its_first_offence() -> None:
    text = "\ufeffab\r\nc" + ANGSTROM + "\x00\r"
    assert _rules(text) == [
        ("text-bom", 0),
        ("text-line-ends", 3),
        ("text-nfc", 6),
        ("text-control", 7),
    ]
    assert {rule for rule, _ in _rules(text)} <= set(TEXT_RULES)


@pytest.mark.parametrize(
    ("text", "piece", "nfc"),
    [
        ("Ma\u0301li", r"'a\u0301'", r"'\xe1'"),
        ("Ma\u0301", r"'a\u0301'", r"'\xe1'"),  # the marks run to the end of the text
        (ANGSTROM + "bc", r"'\u212b'", r"'\xc5'"),  # no mark follows
        ("Ma\u0301\u0316li", r"'a\u0301\u0316'", r"'\xe1\u0316'"),
    ],
)
def test_the_nfc_message_quotes_the_offending_piece_and_its_nfc(
    text: str, piece: str, nfc: str
) -> None:
    [problem] = text_problems(text)
    assert problem.rule == "text-nfc"
    assert problem.message.startswith("got ") and ", expected " in problem.message
    assert _quoted(problem.message) == [piece, nfc]


def test_check_text_raises_the_first_rule_with_file_and_place() -> None:
    with pytest.raises(AnnotationError) as caught:
        check_text("ab\r\ncd" + ANGSTROM, "doc.txt")
    assert caught.value.code == "text-line-ends"
    assert str(caught.value).startswith("doc.txt: line 1, column 3: got ")
    check_text("Mali\n", "doc.txt")  # a good text passes


def test_check_text_raises_the_class_it_is_given() -> None:
    with pytest.raises(FormatError) as caught:
        check_text("x\n\n\x7f", "doc.txt", FormatError)
    assert caught.value.code == "text-control"
    assert str(caught.value).startswith("doc.txt: line 3, column 1: got ")


def test_decode_text_returns_a_good_text() -> None:
    assert decode_text(b"Mali\n", "doc.txt") == "Mali\n"
    assert decode_text("Bé".encode(), "doc.txt", FormatError) == "Bé"


@pytest.mark.parametrize(
    ("raw", "code", "place"),
    [
        (b"ab\n\xffc", "text-encoding", "line 2, byte 3"),
        (b"\xef\xbb\xbfMali", "text-bom", "line 1, column 1"),
        (b" \n\n ", "text-empty", "line 1, column 1"),
        (b"a\nb\x1b", "text-control", "line 2, column 2"),
    ],
)
def test_decode_text_names_the_file_and_raises_the_class_it_is_given(
    raw: bytes, code: str, place: str
) -> None:
    for error in (FormatError, AnnotationError):
        with pytest.raises(error) as caught:
            decode_text(raw, "doc.txt", error)
        assert type(caught.value) is error
        assert caught.value.code == code
        assert str(caught.value).startswith(f"doc.txt: {place}: got ")


def test_decode_text_raises_an_annotation_error_by_default() -> None:
    with pytest.raises(AnnotationError) as caught:
        decode_text(b"\xc3", "doc.txt")
    assert caught.value.code == "text-encoding"
    with pytest.raises(AnnotationError) as caught:
        decode_text(b"Mali\r", "doc.txt")
    assert caught.value.code == "text-line-ends"


def test_normalise_newlines_drops_a_leading_bom_and_joins_crlf_only() -> None:
    assert normalise_newlines("\ufeffa\r\nb\rc\r\n") == "a\nb\rc\n"
    assert normalise_newlines("a\ufeff\r\r\n") == "a\ufeff\r\n"
    assert text_problems(normalise_newlines("\ufeffMali\r\n")) == []


@pytest.mark.parametrize(
    ("text", "got"),
    [("", "an empty text"), (" \n\t", "white space only"), ("\n", "white space only")],
)
def test_the_empty_text_message_tells_nothing_from_white_space(text: str, got: str) -> None:
    [problem] = text_problems(text)
    assert problem.rule == "text-empty"
    match = re.fullmatch(r"got (.+), expected (.+)", problem.message, re.DOTALL)
    assert match, problem.message
    assert match[1] == got
