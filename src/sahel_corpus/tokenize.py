"""Tokenisation with character offsets.

One rule set for the whole project: the token-level NER view, the validator's
token-boundary check and the baselines all split text the same way. A token
is a number (with inner ``,`` or ``.`` groups: ``11,600``), a run of letters
and digits, a possessive clitic (``’s``), or any other single non-space
character. Hyphens split words, so ``Tuareg-dominated`` is three tokens and
the name inside it can be tagged.

Examples
--------
>>> text = "MINUSMA’s 11,600 troops (UN) left Tuareg-dominated areas."
>>> [text[s:e] for s, e in token_offsets(text)]  # doctest: +NORMALIZE_WHITESPACE
['MINUSMA', '’s', '11,600', 'troops', '(', 'UN', ')', 'left', 'Tuareg', '-',
 'dominated', 'areas', '.']
>>> token_offsets("in 2013.", 3)
[(3, 7), (7, 8)]
"""

from __future__ import annotations

import re

__all__ = ["TOKEN_PATTERN", "token_offsets", "tokens", "word_count"]

TOKEN_PATTERN = re.compile(r"\d+(?:[.,]\d+)*|[’']s\b|[^\W_]+|\S", re.UNICODE)


def token_offsets(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the tokens of ``text[start:end]``.

    Offsets are indices into ``text`` itself, not into the slice.
    """
    stop = len(text) if end is None else end
    return [m.span() for m in TOKEN_PATTERN.finditer(text, start, stop)]


def tokens(text: str) -> list[str]:
    """Return the token strings of ``text``.

    >>> tokens("the year’s end")
    ['the', 'year', '’s', 'end']
    """
    return [m.group() for m in TOKEN_PATTERN.finditer(text)]


def word_count(text: str) -> int:
    """Return the number of words of ``text``: runs of characters between white space.

    The project's words per second count these (``wc -w`` counts the same); the
    tokens, punctuation included, are more.

    >>> text = "MINUSMA’s 11,600 troops (UN) left."
    >>> word_count(text), len(tokens(text))
    (5, 9)
    """
    return len(text.split())
