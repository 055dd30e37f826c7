"""The textbook CRF peer: sklearn-crfsuite with the features of its tutorial.

The sklearn-crfsuite tutorial (https://sklearn-crfsuite.readthedocs.io/en/latest/tutorial.html)
tags CoNLL-2002 with a linear-chain CRF over, for each word: a bias, the
lower-cased word, its last three and last two characters, whether it is
upper-case, title-case or a number, the same three flags and the lower-cased
word of its neighbours, and beginning- and end-of-sentence markers; L-BFGS
with ``c1=0.1``, ``c2=0.1``, 100 iterations, all possible transitions. The
tutorial also uses part-of-speech tags; the taggers compared here see words
only, so those features are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["TextbookCRF", "sentence_features"]


def _word(word: str, prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}word.lower()": word.lower(),
        f"{prefix}word.istitle()": word.istitle(),
        f"{prefix}word.isupper()": word.isupper(),
    }


def sentence_features(tokens: Sequence[str]) -> list[dict[str, Any]]:
    """The tutorial's feature dictionaries of each word, without part-of-speech tags.

    >>> sentence_features(["Gao", "fell"])[0]["+1:word.lower()"]
    'fell'
    """
    out = []
    n = len(tokens)
    for i, word in enumerate(tokens):
        f: dict[str, Any] = {
            "bias": 1.0,
            "word[-3:]": word[-3:],
            "word[-2:]": word[-2:],
            "word.isdigit()": word.isdigit(),
            **_word(word, ""),
        }
        if i > 0:
            f.update(_word(tokens[i - 1], "-1:"))
        else:
            f["BOS"] = True
        if i < n - 1:
            f.update(_word(tokens[i + 1], "+1:"))
        else:
            f["EOS"] = True
        out.append(f)
    return out


class TextbookCRF:
    """``sklearn_crfsuite.CRF`` with the tutorial's settings, on lists of tokens."""

    def __init__(self) -> None:
        import sklearn_crfsuite

        self.crf = sklearn_crfsuite.CRF(
            algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100, all_possible_transitions=True
        )

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str]]) -> TextbookCRF:
        self.crf.fit([sentence_features(t) for t in X], [list(tags) for tags in y])
        return self

    def predict(self, X: Sequence[Sequence[str]]) -> list[list[str]]:
        return [list(tags) for tags in self.crf.predict([sentence_features(t) for t in X])]
