"""The classifiers the relation and stance baselines share, saved as JSON (no pickling).

* :class:`MajorityClassifier`: the most frequent training label for every
  input (scikit-learn's ``DummyClassifier``), the trivial row of each table;
* :class:`LinearClassifier`: logistic regression over feature dictionaries
  (``features="dict"``, a ``DictVectorizer``) or over text (``features="text"``,
  TF-IDF of word unigrams and bigrams), predicting from its coefficients with
  a sparse product.

Examples
--------
>>> clf = LinearClassifier(seed=0).fit([{"w=attack": 1}, {"w=left": 1}], ["ATTACKS", "NONE"])
>>> clf.predict([{"w=attack": 1}])
['ATTACKS']
>>> LinearClassifier(features="text").fit(["they attacked", "they left"], ["A", "N"]).predict(
...     ["attacked again"])
['A']
>>> MajorityClassifier().fit([None] * 3, ["NONE", "NONE", "ATTACKS"]).predict([None])
['NONE']
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from sahel_corpus.errors import BaselineError
from sahel_corpus.fileio import read_json, write_atomic

__all__ = ["FEATURE_KINDS", "LinearClassifier", "MajorityClassifier"]

#: The inputs a :class:`LinearClassifier` reads.
FEATURE_KINDS = ("dict", "text")


def _check_training(X: Sequence[Any], y: Sequence[str]) -> None:
    if not len(X):
        raise BaselineError(
            "got an empty training set, expected at least one candidate", code="empty-training"
        )
    if len(X) != len(y):
        raise BaselineError(
            f"got {len(X)} candidates and {len(y)} labels, expected as many", code="label-count"
        )


class MajorityClassifier(BaseEstimator):  # type: ignore[misc]
    """Predicts the most frequent training label (scikit-learn's ``DummyClassifier``)."""

    def fit(self, X: Sequence[Any], y: Sequence[str]) -> MajorityClassifier:
        _check_training(X, y)
        dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(y), 1)), list(y))
        self.label_ = str(dummy.predict(np.zeros((1, 1)))[0])
        return self

    def predict(self, X: Sequence[Any]) -> list[str]:
        return [self.label_] * len(X)


def _text_vectorizer(vocabulary: Mapping[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, lowercase=True, vocabulary=vocabulary
    )


class LinearClassifier(BaseEstimator):  # type: ignore[misc]
    """Logistic regression over feature dictionaries or over text.

    Parameters
    ----------
    C : float
        Inverse regularisation strength.
    class_weight : str or None
        ``"balanced"`` weights classes by inverse frequency.
    seed : int
        Random state of the solver.
    features : {"dict", "text"}
        What ``X`` holds: feature dictionaries, or strings read as TF-IDF
        unigrams and bigrams.
    """

    def __init__(
        self,
        C: float = 1.0,
        class_weight: str | None = "balanced",
        seed: int = 0,
        features: str = "dict",
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.seed = seed
        self.features = features

    def _new_vectorizer(self) -> DictVectorizer | TfidfVectorizer:
        if self.features not in FEATURE_KINDS:
            raise BaselineError(
                f"got features={self.features!r}, expected one of {', '.join(FEATURE_KINDS)}",
                code="features",
            )
        return DictVectorizer() if self.features == "dict" else _text_vectorizer()

    def fit(self, X: Sequence[Any], y: Sequence[str]) -> LinearClassifier:
        _check_training(X, y)
        self.vectorizer_ = self._new_vectorizer()
        matrix = self.vectorizer_.fit_transform(X)
        labels = sorted(set(y))
        if len(labels) == 1:
            self.classes_ = labels
            self.coef_ = np.zeros((1, matrix.shape[1]))
            self.intercept_ = np.zeros(1)
            return self
        model = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=2000, random_state=self.seed
        )
        model.fit(matrix, list(y))
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        return self

    def _matrix(self, X: Sequence[Any]) -> csr_matrix:
        """The feature matrix of ``X``; unseen features are dropped, as the vectorizers do."""
        if self.features == "text":
            return self.vectorizer_.transform(X)
        vocabulary = self.vectorizer_.vocabulary_
        get = vocabulary.get
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        add_index, add_value, add_row = indices.append, values.append, indptr.append
        for row in X:
            for name, value in row.items():
                k = get(name)
                if k is not None:
                    add_index(k)
                    add_value(value)
            add_row(len(indices))
        data = np.asarray(values, dtype=float)
        return csr_matrix((data, indices, indptr), shape=(len(X), len(vocabulary)))

    def decision_function(self, X: Sequence[Any]) -> np.ndarray:
        scores: np.ndarray = np.asarray(self._matrix(X) @ self.coef_.T) + self.intercept_
        return scores

    def predict(self, X: Sequence[Any]) -> list[str]:
        if not len(X):
            return []
        if len(self.classes_) == 1:
            return [self.classes_[0]] * len(X)
        scores = self.decision_function(X)
        if len(self.classes_) == 2:
            return [self.classes_[int(s > 0)] for s in scores.ravel()]
        return [self.classes_[i] for i in scores.argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        """Write the vocabulary (and idf weights), coefficients and classes as JSON."""
        state: dict[str, Any] = {
            "params": self.get_params(),
            "classes": self.classes_,
            "coef": np.asarray(self.coef_).tolist(),
            "intercept": np.asarray(self.intercept_).tolist(),
        }
        if self.features == "text":
            state["vocabulary"] = {k: int(v) for k, v in self.vectorizer_.vocabulary_.items()}
            state["idf"] = self.vectorizer_.idf_.tolist()
        else:
            state["vocabulary"] = self.vectorizer_.feature_names_
        write_atomic(path, json.dumps(state))

    @classmethod
    def load(cls, path: str | Path) -> LinearClassifier:
        """Load a classifier written by :meth:`save`."""
        state = read_json(path, "a saved classifier")
        clf = cls(**state["params"])
        if clf.features == "text":
            clf.vectorizer_ = _text_vectorizer(state["vocabulary"])
            clf.vectorizer_.idf_ = np.array(state["idf"])
        else:
            clf.vectorizer_ = DictVectorizer()
            clf.vectorizer_.feature_names_ = state["vocabulary"]
            clf.vectorizer_.vocabulary_ = {f: i for i, f in enumerate(state["vocabulary"])}
        clf.classes_ = state["classes"]
        clf.coef_ = np.array(state["coef"])
        clf.intercept_ = np.array(state["intercept"])
        return clf
