"""Stance baselines over holder-target candidates.

:class:`StanceClassifier` reads the sentence with the holder's and target's
mentions marked, as TF-IDF word unigrams and bigrams plus the holder's type,
and classifies it with logistic regression (balanced class weights) into
FAVOR, AGAINST, NEUTRAL or NONE. The trivial row is
:class:`~sahel_corpus.baselines.linear.MajorityClassifier`.

Examples
--------
>>> from sahel_corpus.baselines.data import StanceCandidate
>>> c = StanceCandidate("d", "s1", 0, "e1", "ORG", "e2", " holderstart CMA holderend criticized")
>>> stance_text(c)
'holdertype_org  holderstart CMA holderend criticized'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sklearn.base import BaseEstimator

from .data import StanceCandidate
from .linear import LinearClassifier

__all__ = ["StanceClassifier", "stance_text"]


def stance_text(c: StanceCandidate) -> str:
    """The text the classifier reads: holder type token, then the marked sentence."""
    return f"holdertype_{c.holder_type.lower()} {c.text}"


class StanceClassifier(BaseEstimator):  # type: ignore[misc]
    """TF-IDF and logistic regression with balanced class weights over :func:`stance_text`.

    The shared :class:`~sahel_corpus.baselines.linear.LinearClassifier` with
    text features does the work.
    """

    def __init__(self, C: float = 1.0, seed: int = 0) -> None:
        self.C = C
        self.seed = seed

    def fit(self, X: Sequence[StanceCandidate], y: Sequence[str]) -> StanceClassifier:
        self.model_ = LinearClassifier(C=self.C, seed=self.seed, features="text").fit(
            [stance_text(c) for c in X], list(y)
        )
        return self

    def predict(self, X: Sequence[StanceCandidate]) -> list[str]:
        return self.model_.predict([stance_text(c) for c in X])

    def save(self, path: str | Path) -> None:
        """Write the fitted model as JSON (see :meth:`LinearClassifier.save`)."""
        self.model_.save(path)

    @classmethod
    def load(cls, path: str | Path) -> StanceClassifier:
        """Load a classifier written by :meth:`save`."""
        model = LinearClassifier.load(path)
        clf = cls(C=model.C, seed=model.seed)
        clf.model_ = model
        return clf
