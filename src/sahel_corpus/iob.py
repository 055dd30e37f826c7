"""Pure conversions between spans and IOB2 tags: the one home of the IOB2 rules.

Two levels, each with an encoder and a decoder that are inverse for
non-overlapping spans (round-trip tests check it):

* token spans ``(first, last + 1, label)``: :func:`token_spans_to_iob2` and
  :func:`iob2_token_spans`;
* character spans ``(start, end, label)`` over token offsets:
  :func:`spans_to_iob2` and :func:`iob2_to_spans`.

Strict IOB2 (:func:`check_iob2`): every tag is ``O``, ``B-X`` or ``I-X``, and an
``I-X`` continues a span of the same type. :func:`repair_iob2` turns a stray
``I-X`` into ``B-X``; the lenient decoder drops it, as seqeval's strict mode
does with a model's invalid predictions. Nested spans are flattened to the
outermost ones first with :func:`outermost_spans`.

Examples
--------
>>> text = "The Malian army left Ber."
>>> toks = [(0, 3), (4, 10), (11, 15), (16, 20), (21, 24), (24, 25)]
>>> tags = spans_to_iob2(toks, [(4, 15, "ORG"), (21, 24, "GPE")])
>>> tags
['O', 'B-ORG', 'I-ORG', 'O', 'B-GPE', 'O']
>>> iob2_to_spans(toks, tags)
[(4, 15, 'ORG'), (21, 24, 'GPE')]
>>> iob2_token_spans(["B-PER", "I-PER", "O", "I-ORG"], strict=False)
[(0, 2, 'PER')]
>>> outermost_spans([(4, 15, "ORG"), (4, 10, "GPE")])
[(4, 15, 'ORG')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import DataError

__all__ = [
    "LabelledSpan",
    "check_iob2",
    "continues",
    "iob2_to_spans",
    "iob2_token_spans",
    "outermost_spans",
    "repair_iob2",
    "spans_to_iob2",
    "token_spans_to_iob2",
]

#: ``(start, end, label)``: character offsets (or token indices), end exclusive.
LabelledSpan = tuple[int, int, str]


def continues(previous: str, tag: str) -> bool:
    """Whether ``tag`` (an ``I-`` tag) may follow ``previous`` in strict IOB2.

    >>> continues("B-PER", "I-PER"), continues("O", "I-PER"), continues("I-ORG", "I-PER")
    (True, False, False)
    """
    return previous != "O" and previous[2:] == tag[2:]


def check_iob2(tags: Sequence[str]) -> None:
    """Raise :class:`~sahel_corpus.errors.DataError` unless ``tags`` is strict IOB2.

    >>> check_iob2(["O", "I-PER"])
    Traceback (most recent call last):
    ...
    sahel_corpus.errors.DataError: got 'I-PER' at position 1 after 'O', expected 'B-PER' or ...
    """
    for i, tag in enumerate(tags):
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise DataError(
                f"got tag {tag!r} at position {i}, expected 'O', 'B-<type>' or 'I-<type>'",
                code="iob2-tag",
            )
        if tag.startswith("I-") and not (i and continues(tags[i - 1], tag)):
            after = f"after {tags[i - 1]!r}" if i else "first"
            raise DataError(
                f"got {tag!r} at position {i} {after}, expected 'B-{tag[2:]}' or an "
                f"I- tag continuing a {tag[2:]} span (strict IOB2)",
                code="iob2-continuation",
            )


def repair_iob2(tags: Sequence[str]) -> tuple[list[str], int]:
    """Turn each ``I-X`` that does not continue an ``X`` span into ``B-X``; count the changes.

    >>> repair_iob2(["O", "I-PER", "I-PER", "I-ORG"])
    (['O', 'B-PER', 'I-PER', 'B-ORG'], 2)
    """
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and not (out and continues(out[-1], tag)):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out, sum(a != b for a, b in zip(tags, out, strict=True))


def iob2_token_spans(tags: Sequence[str], strict: bool = True) -> list[LabelledSpan]:
    """Token spans ``(first, last + 1, label)`` encoded by ``tags``.

    With ``strict`` the tags must be strict IOB2 (:func:`check_iob2`);
    without, an ``I-X`` that continues no ``X`` span is dropped (a model's
    invalid prediction), as seqeval's strict mode does.
    """
    if strict:
        check_iob2(tags)
    spans: list[LabelledSpan] = []
    for i, tag in enumerate(tags):
        if tag.startswith("B-"):
            end = i + 1
            while end < len(tags) and tags[end] == "I-" + tag[2:]:
                end += 1
            spans.append((i, end, tag[2:]))
    return spans


def token_spans_to_iob2(n: int, spans: Iterable[LabelledSpan]) -> list[str]:
    """The IOB2 tags of ``n`` tokens for non-overlapping token spans.

    >>> token_spans_to_iob2(4, [(1, 3, "ORG")])
    ['O', 'B-ORG', 'I-ORG', 'O']
    """
    tags = ["O"] * n
    for first, end, label in sorted(spans):
        if not 0 <= first < end <= n:
            raise DataError(
                f"got token span {first}:{end} ({label}), expected 0 <= first < end <= {n}",
                code="token-span",
            )
        if any(tag != "O" for tag in tags[first:end]):
            raise DataError(
                f"got token span {first}:{end} ({label}) overlapping another span, "
                "expected non-overlapping spans (use outermost_spans)",
                code="overlapping-spans",
            )
        tags[first] = f"B-{label}"
        for i in range(first + 1, end):
            tags[i] = f"I-{label}"
    return tags


def outermost_spans(spans: Iterable[LabelledSpan]) -> list[LabelledSpan]:
    """Keep the spans that no other span contains, sorted by position.

    Of two identical spans the first one given is kept. Crossing spans (that
    overlap without nesting) raise :class:`~sahel_corpus.errors.DataError`.
    """
    ordered = sorted(enumerate(spans), key=lambda item: (item[1][0], -item[1][1], item[0]))
    out: list[LabelledSpan] = []
    for _, span in ordered:
        if out and span[0] < out[-1][1]:
            if span[1] <= out[-1][1]:
                continue
            raise DataError(
                f"got crossing spans {out[-1]} and {span}, expected nested or disjoint",
                code="crossing-spans",
            )
        out.append(span)
    return out


def spans_to_iob2(tokens: Sequence[tuple[int, int]], spans: Iterable[LabelledSpan]) -> list[str]:
    """The IOB2 tag of each token for non-overlapping labelled character spans.

    Raises :class:`~sahel_corpus.errors.DataError` when a span edge falls
    inside a token or between tokens, or when spans overlap.
    """
    start_index = {s: i for i, (s, _) in enumerate(tokens)}
    end_index = {e: i for i, (_, e) in enumerate(tokens)}
    token_spans = []
    for start, end, label in spans:
        if start not in start_index or end not in end_index:
            raise DataError(
                f"got span {start}:{end} ({label}) whose edges are not token edges, "
                "expected token-aligned spans",
                code="token-boundary",
            )
        token_spans.append((start_index[start], end_index[end] + 1, label))
    return token_spans_to_iob2(len(tokens), token_spans)


def iob2_to_spans(
    tokens: Sequence[tuple[int, int]], tags: Sequence[str], strict: bool = True
) -> list[LabelledSpan]:
    """The labelled character spans encoded by IOB2 ``tags`` (see :func:`iob2_token_spans`)."""
    if len(tokens) != len(tags):
        raise DataError(
            f"got {len(tags)} tags for {len(tokens)} tokens, expected one per token",
            code="tag-count",
        )
    return [
        (tokens[first][0], tokens[end - 1][1], label)
        for first, end, label in iob2_token_spans(tags, strict)
    ]
