"""Spans <-> IOB2: round trip on generated data, errors on bad input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sahel_corpus.errors import DataError
from sahel_corpus.iob import (
    check_iob2,
    continues,
    iob2_to_spans,
    iob2_token_spans,
    outermost_spans,
    repair_iob2,
    spans_to_iob2,
    token_spans_to_iob2,
)
from sahel_corpus.schema import ENTITY_TYPES
from sahel_corpus.tokenize import token_offsets


@st.composite
def tokens_and_spans(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    lengths = draw(st.lists(st.integers(1, 6), min_size=1, max_size=30))
    tokens, pos = [], 0
    for n in lengths:
        tokens.append((pos, pos + n))
        pos += n + draw(st.integers(0, 2))
    spans, i = [], 0
    while i < len(tokens):
        if draw(st.booleans()):
            j = draw(st.integers(i, min(len(tokens) - 1, i + 4)))
            spans.append((tokens[i][0], tokens[j][1], draw(st.sampled_from(ENTITY_TYPES))))
            i = j + 1
        else:
            i += 1
    return tokens, spans


@given(tokens_and_spans())
def test_round_trip(case: tuple[list[tuple[int, int]], list[tuple[int, int, str]]]) -> None:
    tokens, spans = case
    tags = spans_to_iob2(tokens, spans)
    check_iob2(tags)
    assert iob2_to_spans(tokens, tags) == spans
    assert spans_to_iob2(tokens, iob2_to_spans(tokens, tags)) == tags


def test_round_trip_on_real_text() -> None:
    text = "The Malian army and the Russian mercenary group Wagner attacked Ber."
    toks = token_offsets(text)
    spans = [(4, 15, "ORG"), (24, 54, "ORG"), (64, 67, "GPE")]
    assert iob2_to_spans(toks, spans_to_iob2(toks, spans)) == spans


def test_outermost_keeps_containing_spans() -> None:
    spans = [(0, 2, "GPE"), (0, 10, "ORG"), (12, 15, "PER"), (11, 20, "PER")]
    assert outermost_spans(spans) == [(0, 10, "ORG"), (11, 20, "PER")]


@given(st.text(max_size=200))
def test_tokens_cover_every_non_space_character(text: str) -> None:
    covered = set()
    for start, end in token_offsets(text):
        piece = text[start:end]
        assert piece and not any(ch.isspace() for ch in piece)
        covered.update(range(start, end))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered


# -- each rule, with its error code -------------------------------------------------------------


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(DataError) as err:
        call()
    message = str(err.value)
    assert message.startswith("got ") and ", expected " in message, message
    return err.value.code


def test_one_letter_types_are_tags() -> None:
    check_iob2(["B-X", "I-X", "O"])
    assert iob2_token_spans(["B-X", "I-X", "O", "B-Y"]) == [(0, 2, "X"), (3, 4, "Y")]


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        (["X"], "iob2-tag"),
        (["B-"], "iob2-tag"),
        (["I-"], "iob2-tag"),
        (["b-PER"], "iob2-tag"),
        (["I-PER"], "iob2-continuation"),
        (["O", "I-PER"], "iob2-continuation"),
        (["B-ORG", "I-PER"], "iob2-continuation"),
        (["B-PER", "O", "I-PER"], "iob2-continuation"),
    ],
)
def test_each_broken_rule_has_its_code(tags: list[str], code: str) -> None:
    assert _code(lambda: check_iob2(tags)) == code


def test_an_i_tag_may_continue_a_b_or_an_i_tag() -> None:
    assert continues("B-PER", "I-PER") and continues("I-PER", "I-PER")
    assert not continues("O", "I-PER") and not continues("B-ORG", "I-PER")
    check_iob2(["B-PER", "I-PER", "I-PER", "B-PER", "O"])


def test_repair_turns_each_stray_i_into_b_and_counts_them() -> None:
    tags = ["I-A", "I-A", "B-B", "I-A", "O", "I-B"]
    repaired, changed = repair_iob2(tags)
    assert repaired == ["B-A", "I-A", "B-B", "B-A", "O", "B-B"]
    assert changed == 3
    check_iob2(repaired)
    assert repair_iob2(repaired) == (repaired, 0)


def test_decoding_is_strict_unless_asked() -> None:
    tokens = [(0, 1), (2, 3), (4, 5)]
    assert _code(lambda: iob2_to_spans(tokens, ["O", "I-A", "O"])) == "iob2-continuation"
    assert iob2_to_spans(tokens, ["O", "I-A", "B-A"], strict=False) == [(4, 5, "A")]
    assert iob2_token_spans(["I-A", "I-A", "B-A", "I-B"], strict=False) == [(2, 3, "A")]


def test_token_spans_must_be_non_empty_inside_and_apart() -> None:
    assert token_spans_to_iob2(3, [(2, 3, "A"), (0, 2, "B")]) == ["B-B", "I-B", "B-A"]
    assert _code(lambda: token_spans_to_iob2(3, [(1, 1, "A")])) == "token-span"
    assert _code(lambda: token_spans_to_iob2(3, [(2, 4, "A")])) == "token-span"
    assert _code(lambda: token_spans_to_iob2(3, [(-1, 1, "A")])) == "token-span"
    assert _code(lambda: token_spans_to_iob2(3, [(0, 2, "A"), (1, 3, "B")])) == "overlapping-spans"
    assert token_spans_to_iob2(3, [(0, 3, "A")]) == ["B-A", "I-A", "I-A"]


def test_character_spans_must_sit_on_token_edges() -> None:
    tokens = [(0, 3), (4, 8)]
    assert spans_to_iob2(tokens, [(0, 8, "A")]) == ["B-A", "I-A"]
    assert _code(lambda: spans_to_iob2(tokens, [(1, 3, "A")])) == "token-boundary"
    assert _code(lambda: spans_to_iob2(tokens, [(0, 5, "A")])) == "token-boundary"
    assert _code(lambda: iob2_to_spans(tokens, ["O"])) == "tag-count"


def test_outermost_keeps_the_first_of_identical_spans() -> None:
    assert outermost_spans([(0, 4, "ORG"), (0, 4, "GPE")]) == [(0, 4, "ORG")]
    assert outermost_spans([(0, 4, "GPE"), (0, 4, "ORG")]) == [(0, 4, "GPE")]
    assert outermost_spans([(5, 9, "A"), (0, 4, "B"), (0, 9, "C")]) == [(0, 9, "C")]
    assert outermost_spans([(0, 4, "A"), (4, 9, "B")]) == [(0, 4, "A"), (4, 9, "B")]
    assert _code(lambda: outermost_spans([(0, 5, "A"), (4, 9, "B")])) == "crossing-spans"
