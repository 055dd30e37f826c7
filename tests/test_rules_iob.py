"""IOB2 rules at their edges that the round-trip tests leave open: ``O`` continues nothing,
not even a tag whose type is empty."""

from __future__ import annotations

from sahel_corpus.iob import continues, repair_iob2


def test_o_continues_nothing_even_a_tag_without_type() -> None:
    assert not continues("O", "I-")
    assert not continues("O", "O")
    assert continues("B-", "I-")  # the same (empty) type: only O is special


def test_repair_turns_an_i_without_type_after_o_into_b() -> None:
    assert repair_iob2(["O", "I-"]) == (["O", "B-"], 1)
