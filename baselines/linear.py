"""A linear classifier over feature dictionaries, saved as JSON (no pickling).

Examples
--------
>>> clf = LinearClassifier(seed=0).fit([{"w=attack": 1}, {"w=left": 1}], ["ATTACKS", "NONE"])
>>> clf.predict([{"w=attack": 1}])
['ATTACKS']
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

__all__ = ["LinearClassifier"]


class LinearClassifier(BaseEstimator):  # type: ignore[misc]
    """Logistic regression over feature dictionaries.

    Parameters
    ----------
    C : float
        Inverse regularisation strength.
    class_weight : str or None
        ``"balanced"`` weights classes by inverse frequency.
    seed : int
        Random state of the solver.
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced", seed: int = 0):
        self.C = C
        self.class_weight = class_weight
        self.seed = seed

    def fit(self, X: Sequence[Mapping[str, Any]], y: Sequence[str]) -> LinearClassifier:
        if not X:
            raise ValueError("got an empty training set, expected at least one candidate")
        if len(X) != len(y):
            raise ValueError(f"got {len(X)} candidates and {len(y)} labels, expected as many")
        self.vectorizer_ = DictVectorizer()
        matrix = self.vectorizer_.fit_transform(X)
        self.classes_ = sorted(set(y))
        if len(self.classes_) == 1:
            self.coef_ = np.zeros((1, matrix.shape[1]))
            self.intercept_ = np.zeros(1)
            return self
        model = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=2000, random_state=self.seed
        )
        model.fit(matrix, y)
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        return self

    def _matrix(self, X: Sequence[Mapping[str, Any]]) -> csr_matrix:
        """The feature matrix of ``X``; unseen features are dropped (as DictVectorizer does)."""
        vocabulary = self.vectorizer_.vocabulary_
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for row in X:
            for name, value in row.items():
                k = vocabulary.get(name)
                if k is not None:
                    indices.append(k)
                    values.append(float(value))
            indptr.append(len(indices))
        return csr_matrix((values, indices, indptr), shape=(len(X), len(vocabulary)))

    def decision_function(self, X: Sequence[Mapping[str, Any]]) -> np.ndarray:
        scores: np.ndarray = self._matrix(X) @ self.coef_.T + self.intercept_
        return scores

    def predict(self, X: Sequence[Mapping[str, Any]]) -> list[str]:
        if not X:
            return []
        if len(self.classes_) == 1:
            return [self.classes_[0]] * len(X)
        scores = self.decision_function(X)
        if len(self.classes_) == 2:
            return [self.classes_[int(s > 0)] for s in scores.ravel()]
        return [self.classes_[i] for i in scores.argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        """Write the vocabulary, weights and classes as JSON."""
        state = {
            "params": self.get_params(),
            "classes": self.classes_,
            "features": self.vectorizer_.feature_names_,
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_.tolist(),
        }
        Path(path).write_text(json.dumps(state), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> LinearClassifier:
        """Load a classifier written by :meth:`save`."""
        state = json.loads(Path(path).read_text(encoding="utf-8"))
        clf = cls(**state["params"])
        clf.vectorizer_ = DictVectorizer()
        clf.vectorizer_.feature_names_ = state["features"]
        clf.vectorizer_.vocabulary_ = {f: i for i, f in enumerate(state["features"])}
        clf.classes_ = state["classes"]
        clf.coef_ = np.array(state["coef"])
        clf.intercept_ = np.array(state["intercept"])
        return clf
