"""Spans <-> IOB2: round trip on generated data, errors on bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sahel_corpus.iob import check_iob2, iob2_to_spans, outermost_spans, spans_to_iob2
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


def test_crossing_spans_are_refused() -> None:
    with pytest.raises(ValueError, match="crossing"):
        outermost_spans([(0, 5, "ORG"), (3, 8, "PER")])


def test_misaligned_span_is_refused() -> None:
    with pytest.raises(ValueError, match="token edges"):
        spans_to_iob2([(0, 3), (4, 8)], [(1, 3, "ORG")])


@pytest.mark.parametrize(
    "tags",
    [["I-PER"], ["B-PER", "I-ORG"], ["X"], ["B-"], ["O", "I-ORG"]],
)
def test_not_iob2_is_refused(tags: list[str]) -> None:
    with pytest.raises(ValueError, match="expected"):
        check_iob2(tags)


def test_tag_count_must_match_tokens() -> None:
    with pytest.raises(ValueError, match="got 1 tags for 2 tokens"):
        iob2_to_spans([(0, 1), (2, 3)], ["O"])


@given(st.text(max_size=200))
def test_tokens_cover_every_non_space_character(text: str) -> None:
    covered = set()
    for start, end in token_offsets(text):
        piece = text[start:end]
        assert piece and not any(ch.isspace() for ch in piece)
        covered.update(range(start, end))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered
