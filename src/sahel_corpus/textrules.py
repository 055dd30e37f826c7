"""The corpus's rules for a document's text, in one place.

A text is UTF-8 without a byte-order mark, uses LF line ends only, is in
Unicode normalisation form NFC, holds no control character but LF and tab,
and has at least one character that is not white space. :func:`text_problems`
lists every rule a text breaks with the place of the first offence;
:func:`check_text` raises the first one. The validator reports the problems
as findings under the same ids; ``new``, ``extract``, ``preannotate`` and the
format importers refuse text that breaks a rule, naming the file.

Examples
--------
>>> [p.rule for p in text_problems("\\ufeffMa\\u0301li\\r\\n")]
['text-bom', 'text-line-ends', 'text-nfc']
>>> print(text_problems("Mali\\x00")[0].message)
got control character U+0000, expected no control character but LF and tab
>>> first_non_nfc("Ma\\u0316\\u0301li")
1
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import AnnotationError, SahelCorpusError
from .fileio import decode_utf8

__all__ = [
    "TEXT_RULES",
    "TextProblem",
    "check_text",
    "decode_text",
    "first_non_nfc",
    "line_col",
    "normalise_newlines",
    "text_problems",
]

#: Every rule, by id (the validator's check ids), with what it requires.
TEXT_RULES: dict[str, str] = {
    "text-encoding": "the text file is UTF-8",
    "text-bom": "the text file has no byte-order mark",
    "text-line-ends": "the text file uses LF line ends only",
    "text-nfc": "the text is in Unicode normalisation form NFC",
    "text-control": "the text has no control character but LF and tab",
    "text-empty": "the text has a character that is not white space",
}

#: Unicode's control characters (category Cc) but LF, tab and CR (a rule of its own).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class TextProblem:
    """One broken rule: its id, the character index of the first offence, and a message."""

    rule: str
    index: int
    message: str


def line_col(text: str, index: int) -> str:
    """``line L, column C`` (both from 1) of a character index.

    >>> line_col("ab\\ncd", 4)
    'line 2, column 2'
    """
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {col}"


def first_non_nfc(text: str) -> int:
    """Index of the character that starts the first stretch NFC would change (-1 if none).

    A binary search for the shortest prefix that is not NFC, then back to the
    last character of combining class 0 before its end: O(n log n), and it
    finds a place for any text that is not NFC.
    """
    if unicodedata.is_normalized("NFC", text):
        return -1
    lo, hi = 0, len(text)  # text[:lo] is NFC, text[:hi] is not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if unicodedata.is_normalized("NFC", text[:mid]):
            lo = mid
        else:
            hi = mid
    k = hi - 1
    while k > 0 and unicodedata.combining(text[k]):
        k -= 1
    return k


def text_problems(text: str) -> list[TextProblem]:
    """Every text rule ``text`` breaks (not the encoding: it is already decoded)."""
    out: list[TextProblem] = []
    if text.startswith("\ufeff"):
        out.append(TextProblem("text-bom", 0, "got a UTF-8 byte-order mark, expected none"))
    cr = text.find("\r")
    if cr >= 0:
        out.append(
            TextProblem(
                "text-line-ends", cr, "got a carriage return (CR), expected LF line ends only"
            )
        )
    k = first_non_nfc(text)
    if k >= 0:
        end = k + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        piece = text[k:end]
        nfc = unicodedata.normalize("NFC", piece)
        out.append(
            TextProblem(
                "text-nfc", k, f"got {piece!a} (not NFC), expected {nfc!a} (NFC-normalised)"
            )
        )
    found = _CONTROL.search(text)
    if found is not None:
        control = found.start()
        out.append(
            TextProblem(
                "text-control",
                control,
                f"got control character U+{ord(text[control]):04X}, expected no control "
                "character but LF and tab",
            )
        )
    if not text.strip():
        out.append(
            TextProblem(
                "text-empty",
                0,
                f"got {'an empty text' if not text else 'white space only'}, expected a text "
                "with words",
            )
        )
    return out


def check_text(text: str, name: str, error: type[SahelCorpusError] = AnnotationError) -> None:
    """Raise ``error`` (code = the rule id) for the first text rule ``text`` breaks."""
    problems = text_problems(text)
    if problems:
        p = problems[0]
        raise error(f"{name}: {line_col(text, p.index)}: {p.message}", code=p.rule)


def decode_text(raw: bytes, name: str, error: type[SahelCorpusError] = AnnotationError) -> str:
    """Decode a text file's bytes and check every text rule; raise ``error`` on the first."""
    text = decode_utf8(raw, name, error)
    check_text(text, name, error)
    return text


def normalise_newlines(text: str) -> str:
    """Drop a leading byte-order mark and turn CRLF into LF (a lone CR stays, to be refused).

    >>> normalise_newlines("\\ufeffa\\r\\nb")
    'a\\nb'
    """
    return text.removeprefix("\ufeff").replace("\r\n", "\n")
