"""Pure conversions between character spans and IOB2 tags.

``spans_to_iob2`` tags tokens from labelled character spans; ``iob2_to_spans``
reads labelled character spans back from tags. For token-aligned, non-nested
spans the two are inverse (a round-trip test checks it). Nested spans are
flattened to the outermost ones first with ``outermost_spans``.

Examples
--------
>>> text = "The Malian army left Ber."
>>> toks = [(0, 3), (4, 10), (11, 15), (16, 20), (21, 24), (24, 25)]
>>> tags = spans_to_iob2(toks, [(4, 15, "ORG"), (21, 24, "GPE")])
>>> tags
['O', 'B-ORG', 'I-ORG', 'O', 'B-GPE', 'O']
>>> iob2_to_spans(toks, tags)
[(4, 15, 'ORG'), (21, 24, 'GPE')]
>>> outermost_spans([(4, 15, "ORG"), (4, 10, "GPE")])
[(4, 15, 'ORG')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "LabelledSpan",
    "check_iob2",
    "iob2_to_spans",
    "outermost_spans",
    "spans_to_iob2",
]

#: ``(start, end, label)`` with character offsets, end exclusive.
LabelledSpan = tuple[int, int, str]


def outermost_spans(spans: Iterable[LabelledSpan]) -> list[LabelledSpan]:
    """Keep the spans that no other span contains, sorted by position.

    Of two identical spans the first one given is kept. Crossing spans (that
    overlap without nesting) raise ``ValueError``.
    """
    ordered = sorted(enumerate(spans), key=lambda item: (item[1][0], -item[1][1], item[0]))
    out: list[LabelledSpan] = []
    for _, span in ordered:
        if out and span[0] < out[-1][1]:
            if span[1] <= out[-1][1]:
                continue
            raise ValueError(
                f"got crossing spans {out[-1]} and {span}, expected nested or disjoint"
            )
        out.append(span)
    return out


def spans_to_iob2(tokens: Sequence[tuple[int, int]], spans: Iterable[LabelledSpan]) -> list[str]:
    """Return the IOB2 tag of each token for non-overlapping labelled spans.

    Raises ``ValueError`` when a span edge falls inside a token or between
    tokens, or when spans overlap.
    """
    tags = ["O"] * len(tokens)
    start_index = {s: i for i, (s, _) in enumerate(tokens)}
    end_index = {e: i for i, (_, e) in enumerate(tokens)}
    for start, end, label in sorted(spans):
        if start not in start_index or end not in end_index:
            raise ValueError(
                f"got span {start}:{end} ({label}) whose edges are not token edges, "
                "expected token-aligned spans"
            )
        first, last = start_index[start], end_index[end]
        if any(tag != "O" for tag in tags[first : last + 1]):
            raise ValueError(
                f"got span {start}:{end} ({label}) overlapping another span, "
                "expected non-overlapping spans (use outermost_spans)"
            )
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
    return tags


def check_iob2(tags: Sequence[str]) -> None:
    """Raise ``ValueError`` unless ``tags`` is a valid IOB2 sequence.

    >>> check_iob2(["O", "I-PER"])
    Traceback (most recent call last):
    ...
    ValueError: got 'I-PER' at position 1 after 'O', expected 'B-PER' or an I- tag continuing ...
    """
    previous = "O"
    for i, tag in enumerate(tags):
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise ValueError(
                f"got tag {tag!r} at position {i}, expected 'O', 'B-<type>' or 'I-<type>'"
            )
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            raise ValueError(
                f"got {tag!r} at position {i} after {previous!r}, expected 'B-{tag[2:]}' or an "
                f"I- tag continuing a {tag[2:]} span (strict IOB2)"
            )
        previous = tag


def iob2_to_spans(tokens: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[LabelledSpan]:
    """Return the labelled character spans encoded by strict IOB2 ``tags``."""
    if len(tokens) != len(tags):
        raise ValueError(f"got {len(tags)} tags for {len(tokens)} tokens, expected one per token")
    check_iob2(tags)
    spans: list[LabelledSpan] = []
    current: list[int] | None = None
    label = ""
    for (start, end), tag in zip(tokens, tags, strict=True):
        if tag.startswith("I-") and current is not None:
            current[1] = end
            continue
        if current is not None:
            spans.append((current[0], current[1], label))
            current = None
        if tag.startswith("B-"):
            current, label = [start, end], tag[2:]
    if current is not None:
        spans.append((current[0], current[1], label))
    return spans
