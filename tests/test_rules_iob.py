"""IOB2 rules at their edges that the round-trip tests leave open: ``O`` continues nothing,
not even a tag whose type is empty; where a stray I- tag is said to be; strict by default."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from sahel_corpus.errors import DataError
from sahel_corpus.iob import check_iob2, continues, iob2_token_spans, repair_iob2


def test_o_continues_nothing_even_a_tag_without_type() -> None:
    assert not continues("O", "I-")
    assert not continues("O", "O")
    assert continues("B-", "I-")  # the same (empty) type: only O is special


def test_repair_turns_an_i_without_type_after_o_into_b() -> None:
    assert repair_iob2(["O", "I-"]) == (["O", "B-"], 1)


def _got(call: Callable[[], object]) -> tuple[str, str]:
    """The code and the "got X" part of the DataError ``call`` raises."""
    with pytest.raises(DataError) as caught:
        call()
    match = re.fullmatch(r"got (.+), expected (.+)", str(caught.value), re.DOTALL)
    assert match, str(caught.value)
    return caught.value.code, match[1]


def test_a_stray_i_tag_is_placed_after_the_tag_before_it_or_first() -> None:
    with pytest.raises(DataError) as caught:
        check_iob2(["O", "I-PER"])
    expected = str(caught.value).partition(", expected ")[2]
    assert re.findall(r"[A-Z]{2,}", expected) == ["PER", "PER", "IOB"]  # B-PER, a PER span
    assert _got(lambda: check_iob2(["I-PER", "O"])) == (
        "iob2-continuation",
        "'I-PER' at position 0 first",
    )
    assert _got(lambda: check_iob2(["B-ORG", "I-PER", "O"])) == (
        "iob2-continuation",
        "'I-PER' at position 1 after 'B-ORG'",
    )
    assert _got(lambda: check_iob2(["O", "B-ORG", "I-PER"]))[1] == (
        "'I-PER' at position 2 after 'B-ORG'"
    )


def test_decoding_token_spans_is_strict_by_default() -> None:
    assert _got(lambda: iob2_token_spans(["O", "I-A"]))[0] == "iob2-continuation"
    assert iob2_token_spans(["O", "I-A"], strict=False) == []
