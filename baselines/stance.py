"""Stance baselines over holder-target candidates.

:class:`StanceClassifier` reads the sentence with the holder's and target's
mentions marked, as TF-IDF word unigrams and bigrams plus the holder's type,
and classifies it with logistic regression (balanced class weights) into
FAVOR, AGAINST, NEUTRAL or NONE. :class:`MajorityStance` predicts the most
frequent training label.

Examples
--------
>>> from sahel_corpus.baselines.data import StanceCandidate
>>> c = StanceCandidate("d", "s1", 0, "e1", "ORG", "e2", " holderstart CMA holderend criticized")
>>> stance_text(c)
'holdertype_org  holderstart CMA holderend criticized'
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .data import StanceCandidate

__all__ = ["MajorityStance", "StanceClassifier", "stance_text"]


def stance_text(c: StanceCandidate) -> str:
    """The text the classifier reads: holder type token, then the marked sentence."""
    return f"holdertype_{c.holder_type.lower()} {c.text}"


class StanceClassifier(BaseEstimator):  # type: ignore[misc]
    """TF-IDF and logistic regression with balanced class weights."""

    def __init__(self, C: float = 1.0, seed: int = 0) -> None:
        self.C = C
        self.seed = seed

    def fit(self, X: Sequence[StanceCandidate], y: Sequence[str]) -> StanceClassifier:
        if not X:
            raise ValueError("got an empty training set, expected at least one candidate")
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
        matrix = self.vectorizer_.fit_transform([stance_text(c) for c in X])
        labels = sorted(set(y))
        if len(labels) == 1:
            self.classes_ = labels
            self.coef_ = np.zeros((1, matrix.shape[1]))
            self.intercept_ = np.zeros(1)
            return self
        model = LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=2000, random_state=self.seed
        )
        model.fit(matrix, list(y))
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        return self

    def predict(self, X: Sequence[StanceCandidate]) -> list[str]:
        if not X:
            return []
        if len(self.classes_) == 1:
            return [self.classes_[0]] * len(X)
        scores = self.vectorizer_.transform([stance_text(c) for c in X]) @ self.coef_.T
        scores = scores + self.intercept_
        if len(self.classes_) == 2:
            return [self.classes_[int(s > 0)] for s in np.asarray(scores).ravel()]
        return [self.classes_[i] for i in np.asarray(scores).argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        """Write vocabulary, idf weights, coefficients and classes as JSON."""
        state = {
            "params": self.get_params(),
            "vocabulary": {k: int(v) for k, v in self.vectorizer_.vocabulary_.items()},
            "idf": self.vectorizer_.idf_.tolist(),
            "classes": self.classes_,
            "coef": np.asarray(self.coef_).tolist(),
            "intercept": np.asarray(self.intercept_).tolist(),
        }
        Path(path).write_text(json.dumps(state), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> StanceClassifier:
        """Load a classifier written by :meth:`save`."""
        state = json.loads(Path(path).read_text(encoding="utf-8"))
        clf = cls(**state["params"])
        clf.vectorizer_ = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, lowercase=True, vocabulary=state["vocabulary"]
        )
        clf.vectorizer_.idf_ = np.array(state["idf"])
        clf.classes_ = state["classes"]
        clf.coef_ = np.array(state["coef"])
        clf.intercept_ = np.array(state["intercept"])
        return clf


class MajorityStance(BaseEstimator):  # type: ignore[misc]
    """Predicts the most frequent training label (the trivial row)."""

    def fit(self, X: Sequence[StanceCandidate], y: Sequence[str]) -> MajorityStance:
        if not y:
            raise ValueError("got an empty training set, expected at least one candidate")
        self.label_ = Counter(y).most_common(1)[0][0]
        return self

    def predict(self, X: Sequence[StanceCandidate]) -> list[str]:
        return [self.label_] * len(X)
