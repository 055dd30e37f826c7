"""Named entity recognition baselines, as scikit-learn style estimators.

``X`` is a list of token lists and ``y`` a list of IOB2 tag lists.

* :class:`MajorityTagger`: every token gets the most frequent training tag.
* :class:`MemorizationTagger`: longest match of the entity names seen in
  training (case-insensitive), plus patterns for DATE (years, month names)
  and CARDINAL (numbers, number words, with an approximator before them).
* :class:`CRFTagger`: a linear-chain CRF over the features of
  :func:`token_features`, trained by python-crfsuite and decoded many
  sentences at a time (:mod:`sahel_corpus.baselines.crf_batch`), with the
  library's own labels.

Fitted models save to a folder without pickling: the CRF's own model file
and JSON for the rest.

Examples
--------
>>> X = [["The", "Malian", "army", "left"], ["Wagner", "stayed"]]
>>> y = [["O", "B-ORG", "I-ORG", "O"], ["B-ORG", "O"]]
>>> MemorizationTagger().fit(X, y).predict([["the", "malian", "army", "and", "Wagner"]])
[['O', 'B-ORG', 'I-ORG', 'O', 'B-ORG']]
>>> MemorizationTagger().fit(X, y).predict([["in", "June", "2023", ",", "six", "died"]])
[['O', 'B-DATE', 'I-DATE', 'O', 'B-CARDINAL', 'O']]
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, KFold

from sahel_corpus.errors import BaselineError, DataError
from sahel_corpus.fileio import read_json, write_atomic
from sahel_corpus.iob import check_iob2, iob2_token_spans, token_spans_to_iob2
from sahel_corpus.scoring import strict_f1

from .crf_batch import CRFWeights, marginals, read_weights, state_scores, viterbi, warm_up
from .linear import MajorityClassifier

__all__ = [
    "CRF_GRID",
    "CRFTagger",
    "MajorityTagger",
    "MemorizationTagger",
    "TunedCRFTagger",
    "out_of_fold_gazetteer_tags",
    "pattern_spans",
    "token_features",
    "word_shape",
]

Tokens = Sequence[str]


def _check_xy(X: Sequence[Tokens], y: Sequence[Sequence[str]]) -> None:
    if len(X) != len(y):
        raise BaselineError(
            f"got {len(X)} sentences and {len(y)} tag sequences, expected as many",
            code="label-count",
        )
    if not X:
        raise BaselineError(
            "got an empty training set, expected at least one sentence", code="empty-training"
        )
    for i, (tokens, tags) in enumerate(zip(X, y, strict=True)):
        if len(tokens) != len(tags):
            raise BaselineError(
                f"sentence {i}: got {len(tags)} tags for {len(tokens)} tokens, "
                "expected one tag per token",
                code="tag-count",
            )
        try:
            check_iob2(tags)
        except DataError as err:
            raise DataError(f"sentence {i}: {err}", code=err.code) from None


class MajorityTagger(BaseEstimator):  # type: ignore[misc]
    """Tags every token with the most frequent training tag (the trivial row)."""

    def fit(self, X: Sequence[Tokens], y: Sequence[Sequence[str]]) -> MajorityTagger:
        _check_xy(X, y)
        tags = [t for sentence in y for t in sentence]
        tag = MajorityClassifier().fit(tags, tags).label_
        self.tag_ = "O" if tag.startswith("I-") else tag  # an I- tag cannot start a span
        return self

    def predict(self, X: Sequence[Tokens]) -> list[list[str]]:
        tag = self.tag_
        if tag.startswith("B-"):
            return [[tag] + [f"I-{tag[2:]}"] * (len(t) - 1) if t else [] for t in X]
        return [[tag] * len(t) for t in X]


_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "dozens",
    "hundreds",
    "thousands",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NUMBER_WORDS |= {
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "thousand",
    "million",
    "millions",
    "billion",
    "dozen",
    "scores",
}
_APPROXIMATORS = {"approximately", "about", "around", "nearly", "some", "over", "almost", "at"}
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_DAY = re.compile(r"^(0?[1-9]|[12]\d|3[01])$")
_NUMBER = re.compile(r"^\d+([,.]\d+)*$")


def _date_end(tokens: Tokens, i: int) -> int:
    """End of a date whose month name is at ``i``: ``June``, ``June 12``, ``June 12, 2023``,
    ``June 2023``."""
    j = i + 1
    if j < len(tokens) and _DAY.match(tokens[j]):
        j += 1
        if j + 1 < len(tokens) and tokens[j] == "," and _YEAR.match(tokens[j + 1]):
            return j + 2
        return j
    if j < len(tokens) and _YEAR.match(tokens[j]):
        return j + 1
    return j


def pattern_spans(tokens: Tokens) -> list[tuple[int, int, str]]:
    """Token spans ``(first, last + 1, type)`` of DATE and CARDINAL patterns.

    DATE: a weekday, a month name with an optional day before or after it and
    an optional year (``12 June 2023``, ``June 12, 2023``), a year from 1800
    to 2099. CARDINAL: digits (``11,600``) or number words (``two hundred``),
    with an approximator before them (``about 20``).

    >>> pattern_spans("On Tuesday , 12 June 2023 , about 20 and two hundred died".split())
    [(1, 2, 'DATE'), (3, 6, 'DATE'), (7, 9, 'CARDINAL'), (10, 12, 'CARDINAL')]
    """
    lower = [t.lower() for t in tokens]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        title = tokens[i][:1].isupper()
        if lower[i] in _MONTHS and title:
            start = i
            if spans and spans[-1] == (i - 1, i, "CARDINAL") and _DAY.match(tokens[i - 1]):
                start = spans.pop()[0]  # "12 June": the day belongs to the date
            end = _date_end(tokens, i)
            spans.append((start, end, "DATE"))
            i = end
        elif (lower[i] in _WEEKDAYS and title) or _YEAR.match(tokens[i]):
            spans.append((i, i + 1, "DATE"))
            i += 1
        elif _NUMBER.match(tokens[i]) or lower[i] in _NUMBER_WORDS:
            start = i - 1 if i > 0 and lower[i - 1] in _APPROXIMATORS else i
            if spans and spans[-1][1] > start:
                start = i
            end = i + 1
            while end < len(tokens) and lower[end] in _NUMBER_WORDS:
                end += 1
            spans.append((start, end, "CARDINAL"))
            i = end
        else:
            i += 1
    return spans


class MemorizationTagger(BaseEstimator):  # type: ignore[misc]
    """Longest match of training entity names, plus DATE and CARDINAL patterns.

    Parameters
    ----------
    patterns : bool
        Also tag DATE and CARDINAL patterns where no name matches.
    """

    def __init__(self, patterns: bool = True) -> None:
        self.patterns = patterns

    def fit(self, X: Sequence[Tokens], y: Sequence[Sequence[str]]) -> MemorizationTagger:
        _check_xy(X, y)
        counts: dict[tuple[str, ...], Counter[str]] = {}
        for tokens, tags in zip(X, y, strict=True):
            for a, b, label in iob2_token_spans(tags):
                key = tuple(t.lower() for t in tokens[a:b])
                counts.setdefault(key, Counter())[label] += 1
        self.gazetteer_ = {k: c.most_common(1)[0][0] for k, c in sorted(counts.items())}
        self.max_length_ = max((len(k) for k in self.gazetteer_), default=0)
        return self

    def _index(self) -> dict[str, list[tuple[int, tuple[str, ...], str]]]:
        """Gazetteer entries by first word, longest first (built once, on first use)."""
        index = self.__dict__.get("_first_word")
        if index is None or self.__dict__.get("_indexed") is not self.gazetteer_:
            index = {}
            for key, label in self.gazetteer_.items():
                index.setdefault(key[0], []).append((len(key), key, label))
            for entries in index.values():
                entries.sort(key=lambda e: (-e[0], e[1]))
            self.__dict__["_first_word"] = index
            self.__dict__["_indexed"] = self.gazetteer_
        return index

    def match_spans(self, tokens: Tokens) -> list[tuple[int, int, str]]:
        """Token spans of the longest gazetteer matches, left to right."""
        index = self._index()
        lower = [t.lower() for t in tokens]
        spans, i, n = [], 0, len(tokens)
        while i < n:
            for length, key, label in index.get(lower[i], ()):
                if i + length <= n and tuple(lower[i : i + length]) == key:
                    spans.append((i, i + length, label))
                    i += length
                    break
            else:
                i += 1
        return spans

    def predict_one(self, tokens: Tokens) -> list[str]:
        spans = self.match_spans(tokens)
        if self.patterns:
            taken = {k for a, b, _ in spans for k in range(a, b)}
            for a, b, label in pattern_spans(tokens):
                if not taken & set(range(a, b)):
                    spans.append((a, b, label))
        return token_spans_to_iob2(len(tokens), spans)

    def predict(self, X: Sequence[Tokens]) -> list[list[str]]:
        return [self.predict_one(t) for t in X]


def word_shape(word: str) -> str:
    """Collapse characters to X, x, d and keep others: ``"MINUSMA’s" -> "X’x"``.

    >>> word_shape("11,600"), word_shape("Tuareg")
    ('d,d', 'Xx')
    """
    return _DIGITS.sub("d", _LOWER.sub("x", _UPPER.sub("X", word)))


_UPPER = re.compile(r"[A-Z]+")
_LOWER = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d+")

#: :func:`word_shape` cached per word (a word gives its shape to itself and its neighbours).
_shape = lru_cache(maxsize=200_000)(word_shape)


@lru_cache(maxsize=200_000)
def _word_features(word: str) -> tuple[str, ...]:
    """The features of a word that do not depend on its context (cached per word)."""
    lower = word.lower()
    out = ["bias", f"w={lower}", f"shape={_shape(word)}"]
    if word.istitle():
        out.append("title")
    if word.isupper():
        out.append("upper")
    if word.replace(",", "").replace(".", "").isdigit():
        out.append("digit")
    out.append(f"pre3={lower[:3]}")
    out.append(f"suf3={lower[-3:]}")
    return tuple(out)


@lru_cache(maxsize=200_000)
def _rich_word_features(word: str) -> tuple[str, ...]:
    """The compact features plus affixes of one to four characters and a few flags."""
    lower = word.lower()
    out = list(_word_features(word))
    out += [f"pre{k}={lower[:k]}" for k in (1, 2, 4)]
    out += [f"suf{k}={lower[-k:]}" for k in (1, 2, 4)]
    out.append(f"len={min(len(word), 8)}")
    if any(map(str.isdigit, word)):
        out.append("has-digit")
    if "-" in word:
        out.append("has-hyphen")
    if word[:1] in "@#":
        out.append(f"starts={word[:1]}")
    return tuple(out)


@lru_cache(maxsize=200_000)
def _context_features(word: str, offset: str, tag: str) -> tuple[str, ...]:
    """The features a word with gazetteer tag ``tag`` gives its neighbour at ``offset``
    (``-1``, ``+2``...), cached per word and tag."""
    return (f"w{offset}={word.lower()}", f"shape{offset}={_shape(word)}", _gaz(offset, tag))


@lru_cache(maxsize=200_000)
def _own_features(word: str, tag: str, rich: bool) -> tuple[str, ...]:
    """A word's own features and its gazetteer tag, cached per word and tag."""
    return (*(_rich_word_features if rich else _word_features)(word), _gaz("", tag))


def token_features(
    tokens: Tokens, gazetteer_tags: Sequence[str], window: int = 1, rich: bool = False
) -> list[list[str]]:
    """Features of each token for the CRF, as lists of binary feature names.

    For token *i*: the lower-cased word, its shape (:func:`word_shape`),
    its first and last three characters, whether it is title-case,
    upper-case or a number, whether it starts the sentence, the gazetteer
    tag of the training names that cover it (``gaz=B-ORG``...), and the
    lower-cased words, shapes and gazetteer tags of the ``window`` tokens on
    each side (``w-1=the``, ``shape+1=Xx``...; ``w-1=<pad>`` past the edges).
    Word-level parts are cached, so a sentence costs list concatenation. A
    one-word window and three-character affixes score as well on the corpus
    as a two-word window with affixes of one to three characters, with about
    half the features per token, which halves tagging time. With ``rich`` a
    word also gives its first and last one, two and four characters, its
    length (up to 8) and whether it holds a digit or a hyphen or starts with
    ``@`` or ``#``, which help with names never seen in training.

    >>> token_features(["Mali", "army"], ["B-GPE", "O"], window=1)[1][:3]
    ['bias', 'w=army', 'shape=x']
    """
    n = len(tokens)
    offsets = [(d, f"-{d}", f"+{d}") for d in range(1, window + 1)]
    pairs = list(zip(tokens, gazetteer_tags, strict=True))
    own = [_own_features(w, g, rich) for w, g in pairs]
    context = {
        offset: [_context_features(w, offset, g) for w, g in pairs]
        for _, minus, plus in offsets
        for offset in (minus, plus)
    }
    feats = []
    for i in range(n):
        f = list(own[i])
        if i == 0:
            f.append("first")
        for d, minus, plus in offsets:
            if i - d >= 0:
                f += context[minus][i - d]
            else:
                f.append(_PAD[minus])
            if i + d < n:
                f += context[plus][i + d]
            else:
                f.append(_PAD[plus])
        feats.append(f)
    return feats


@lru_cache(maxsize=1024)
def _gaz(offset: str, tag: str) -> str:
    return f"gaz{offset}={tag}"


class _Pad(dict[str, str]):
    def __missing__(self, offset: str) -> str:
        self[offset] = value = f"w{offset}=<pad>"
        return value


_PAD = _Pad()


def out_of_fold_gazetteer_tags(
    X: Sequence[Tokens], y: Sequence[Sequence[str]], folds: int
) -> list[list[str]]:
    """Gazetteer tags of each training sentence from the names of the *other* folds.

    Sentence *i* is in fold ``i % folds``; its gazetteer is built from the
    sentences of every other fold. So a training sentence carries a
    gazetteer feature for a name only when the name also occurs elsewhere, as
    a new sentence would, and the CRF learns how far to trust the gazetteer
    rather than learning that every training name is in it (cross-fitting).
    With ``folds`` below 2 every sentence gets ``O`` tags (no gazetteer).

    >>> X = [["Gao"], ["Gao"], ["Kidal"]]
    >>> y = [["B-GPE"], ["B-GPE"], ["B-GPE"]]
    >>> out_of_fold_gazetteer_tags(X, y, folds=3)
    [['B-GPE'], ['B-GPE'], ['O']]
    """
    if folds < 2:
        return [["O"] * len(tokens) for tokens in X]
    out: list[list[str]] = [[] for _ in X]
    for k in range(folds):
        train = [i for i in range(len(X)) if i % folds != k]
        held = [i for i in range(len(X)) if i % folds == k]
        if not held:
            continue
        gaz = MemorizationTagger(patterns=False)
        if train:
            gaz.fit([X[i] for i in train], [y[i] for i in train])
        else:
            gaz.gazetteer_, gaz.max_length_ = {}, 0
        for i in held:
            out[i] = token_spans_to_iob2(len(X[i]), gaz.match_spans(X[i]))
    return out


#: (word, gazetteer tag) pairs a tagger keeps the attribute rows of; past this it starts afresh.
FEATURE_ROWS_CACHED = 200_000


class _BatchFeatures:
    """The attribute rows of :func:`token_features` for one trained model, built per
    (word, gazetteer tag) pair once and put together for whole batches of sentences.

    A pair's row holds the attribute ids of the word's own features (padded
    with the model's all-zero row) and, for each context offset, of the
    three features it gives its neighbour there; a token's attributes are its
    own, ``first`` (or nothing), then for each distance the left and right
    neighbours' (or the ``<pad>`` feature), in :func:`token_features`' order.
    """

    def __init__(self, weights: CRFWeights, window: int, rich: bool) -> None:
        self.weights = weights
        self.window = window
        self.rich = rich
        attrs, unknown = weights.attributes, weights.unknown
        self.offsets = [(f"-{d}", f"+{d}") for d in range(1, window + 1)]
        self.first = attrs.get("first", unknown)
        self.pads = [
            (attrs.get(_PAD[minus], unknown), attrs.get(_PAD[plus], unknown))
            for minus, plus in self.offsets
        ]
        self._reset()

    def _reset(self) -> None:
        self.index: dict[tuple[str, str], int] = {}
        #: ids of the pairs not yet in the table: own features, context features
        self.pending: list[tuple[list[int], list[int]]] = []
        self.own_width = 0
        self.table = np.zeros((0, 6 * self.window), dtype=np.intp)
        self.filled = 0

    def _ids(self, features: Sequence[str]) -> list[int]:
        return list(map(self.weights.attributes.get, features, repeat(self.weights.unknown)))

    def pairs(self, tokens: Tokens, tags: Sequence[str]) -> list[int]:
        """The row of each (word, gazetteer tag) pair of a sentence."""
        index, out = self.index, []
        for pair in zip(tokens, tags, strict=True):
            row = index.get(pair)
            if row is None:
                row = index[pair] = self.filled + len(self.pending)
                word, tag = pair
                context = [
                    f
                    for offsets in self.offsets
                    for offset in offsets
                    for f in _context_features(word, offset, tag)
                ]
                self.pending.append(
                    (self._ids(_own_features(word, tag, self.rich)), self._ids(context))
                )
            out.append(row)
        return out

    def _rows(self) -> np.ndarray:
        """The rows of every pair so far, as one array (own part, then context part)."""
        filled, unknown = self.filled, self.weights.unknown
        total = filled + len(self.pending)
        if self.pending:
            width = max(self.own_width, *(len(own) for own, _ in self.pending))
            if width > self.own_width:  # a word with more own features than any before
                at = [self.own_width] * (width - self.own_width)
                self.table = np.insert(self.table, at, unknown, axis=1)
                self.own_width = width
            if total > len(self.table):  # room for twice as many
                grown = np.empty((max(total, 2 * len(self.table)), self.table.shape[1]), np.intp)
                grown[:filled] = self.table[:filled]
                self.table = grown
            self.table[filled:total] = [
                own + [unknown] * (width - len(own)) + context for own, context in self.pending
            ]
            self.filled = total
            self.pending.clear()
        return self.table[:total]

    def scores(self, sentences: Sequence[tuple[Tokens, Sequence[str]]]) -> np.ndarray:
        """Every token's label scores (flat), for sentences given as (words, gazetteer tags)."""
        if len(self.index) > FEATURE_ROWS_CACHED:
            self._reset()
        rows = np.array(
            [r for words, tags in sentences for r in self.pairs(words, tags)], dtype=np.intp
        )
        lengths = np.array([len(words) for words, _ in sentences], dtype=np.intp)
        table = self._rows()[rows]
        unknown = self.weights.unknown
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        position = np.arange(len(rows)) - starts
        left = np.repeat(lengths, lengths) - position - 1  # tokens after this one
        columns = [
            table[:, : self.own_width],
            np.where(position == 0, self.first, unknown)[:, None],
        ]
        at = self.own_width
        for d, (pad_minus, pad_plus) in enumerate(self.pads, 1):
            for pad, has, step in ((pad_minus, position >= d, -d), (pad_plus, left >= d, d)):
                part = np.full((len(rows), 3), unknown, dtype=np.intp)
                part[:, 0] = pad
                near = np.flatnonzero(has)
                part[near] = table[near + step, at : at + 3]
                columns.append(part)
                at += 3
        return state_scores(self.weights, np.hstack(columns))


#: Sentences :meth:`CRFTagger.predict` decodes together (bounds the decoder's arrays).
DECODE_SENTENCES = 512


class CRFTagger(BaseEstimator):  # type: ignore[misc]
    """Linear-chain CRF over :func:`token_features`, trained with L-BFGS.

    python-crfsuite trains the model and keeps it in its own file format;
    :meth:`predict` and :meth:`predict_spans` decode :data:`DECODE_SENTENCES`
    sentences at a time from the model's weights (:mod:`.crf_batch`), giving
    the labels the library's tagger gives, with each (word, gazetteer tag)'s
    feature rows built once (up to :data:`FEATURE_ROWS_CACHED` of them).

    The gazetteer features come from the training names: for new text from
    all of them, for the training sentences themselves out of fold
    (:func:`out_of_fold_gazetteer_tags`), so that the CRF does not learn to
    trust a memorised name more than it deserves.

    Parameters
    ----------
    c1, c2 : float
        L1 and L2 regularisation.
    max_iterations : int
        L-BFGS iterations.
    window : int
        Context words on each side.
    gazetteer_folds : int
        Folds for the out-of-fold gazetteer of the training sentences; 0 or
        1 turns the gazetteer features off.
    rich : bool
        The richer word features of :func:`token_features`.
    """

    def __init__(
        self,
        c1: float = 0.05,
        c2: float = 0.05,
        max_iterations: int = 100,
        window: int = 1,
        gazetteer_folds: int = 5,
        rich: bool = False,
    ) -> None:
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.window = window
        self.gazetteer_folds = gazetteer_folds
        self.rich = rich

    def gazetteer_tags(self, tokens: Tokens) -> list[str]:
        """The gazetteer tags of a new sentence (from all training names)."""
        if self.gazetteer_folds < 2:
            return ["O"] * len(tokens)
        return token_spans_to_iob2(len(tokens), self.gazetteer_.match_spans(tokens))

    def features(self, tokens: Tokens) -> list[list[str]]:
        """The features of a new sentence (the gazetteer of all training names)."""
        return token_features(tokens, self.gazetteer_tags(tokens), self.window, self.rich)

    def fit(self, X: Sequence[Tokens], y: Sequence[Sequence[str]]) -> CRFTagger:
        import pycrfsuite

        _check_xy(X, y)
        self.gazetteer_ = MemorizationTagger(patterns=False).fit(X, y)
        trainer = pycrfsuite.Trainer(verbose=False)
        gazetteer_tags = out_of_fold_gazetteer_tags(X, y, self.gazetteer_folds)
        for tokens, tags, gaz in zip(X, y, gazetteer_tags, strict=True):
            trainer.append(token_features(tokens, gaz, self.window, self.rich), list(tags))
        trainer.set_params(
            {
                "c1": self.c1,
                "c2": self.c2,
                "max_iterations": self.max_iterations,
                "feature.possible_transitions": True,
            }
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.crfsuite"
            trainer.train(str(path))
            self.model_ = path.read_bytes()
        self._open()
        return self

    def _open(self) -> None:
        import pycrfsuite

        self.tagger_ = pycrfsuite.Tagger()
        self.tagger_.open_inmemory(self.model_)
        self.__dict__.pop("_batch", None)
        self._batch_features()  # the weights read now, as the library opens its model
        warm_up()

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the model bytes, not the CRF library's tagger (it cannot be pickled), so a
        fitted tagger can be shipped to other processes (Ray workers) as it is."""
        state: dict[str, Any] = dict(super().__getstate__())
        state.pop("tagger_", None)
        state.pop("_batch", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        if "model_" in self.__dict__:
            self._open()

    def _batch_features(self) -> _BatchFeatures:
        """The model's weights and feature rows for batch decoding (read when the model is
        opened, and again if the feature settings changed since)."""
        batch: _BatchFeatures | None = self.__dict__.get("_batch")
        if batch is None or (batch.window, batch.rich) != (self.window, self.rich):
            info = self.tagger_.info()
            weights = read_weights(
                self.model_,
                {k: int(v) for k, v in info.labels.items()},
                {k: int(v) for k, v in info.attributes.items()},
            )
            batch = self.__dict__["_batch"] = _BatchFeatures(weights, self.window, self.rich)
        return batch

    def _decode(
        self, X: Sequence[Tokens], confidence: bool
    ) -> Iterator[tuple[list[str], list[float]]]:
        """Each sentence's tags and, with ``confidence``, each tag's marginal probability;
        :data:`DECODE_SENTENCES` sentences decoded together at a time."""
        batch = self._batch_features()
        transitions, labels = batch.weights.transitions, batch.weights.labels
        for at in range(0, len(X), DECODE_SENTENCES):
            chunk = X[at : at + DECODE_SENTENCES]
            sentences = [(tokens, self.gazetteer_tags(tokens)) for tokens in chunk if tokens]
            lengths = [len(tokens) for tokens, _ in sentences]
            scores = batch.scores(sentences)
            path = viterbi(scores, lengths, transitions)
            tags = [labels[k] for k in path.tolist()]
            probs = (
                marginals(scores, lengths, transitions)[np.arange(len(path)), path].tolist()
                if confidence
                else []
            )
            start = 0
            for tokens in chunk:
                end = start + len(tokens)
                yield tags[start:end], probs[start:end]
                start = end

    def predict(self, X: Sequence[Tokens]) -> list[list[str]]:
        """The tags of each sentence (the CRF library's best sequence, decoded in batches)."""
        return [tags for tags, _ in self._decode(X, confidence=False)]

    def predict_spans(self, X: Sequence[Tokens]) -> list[list[tuple[int, int, str, float]]]:
        """Token spans ``(first, last + 1, type, confidence)`` of each sentence.

        The confidence of a span is the lowest marginal probability the CRF
        gives any of its tags (so a long, doubtful span scores low).
        """
        return [
            [(a, b, label, min(probs[a:b])) for a, b, label in iob2_token_spans(tags, strict=False)]
            for tags, probs in self._decode(X, confidence=True)
        ]

    def save(self, folder: str | Path) -> None:
        """Write ``model.crfsuite`` (the CRF library's own format) and ``tagger.json``."""
        folder = Path(folder)
        write_atomic(folder / "model.crfsuite", self.model_, mkdir=True)
        state = {
            "params": self.get_params(),
            "gazetteer": [[list(k), v] for k, v in self.gazetteer_.gazetteer_.items()],
        }
        write_atomic(folder / "tagger.json", json.dumps(state, indent=1))

    @classmethod
    def load(cls, folder: str | Path) -> CRFTagger:
        """Load a tagger written by :meth:`save`."""
        folder = Path(folder)
        state = read_json(folder / "tagger.json", "a saved tagger")
        tagger = cls(**state["params"])
        gaz = MemorizationTagger(patterns=False)
        gaz.gazetteer_ = {tuple(k): v for k, v in state["gazetteer"]}
        gaz.max_length_ = max((len(k) for k in gaz.gazetteer_), default=0)
        tagger.gazetteer_ = gaz
        tagger.model_ = (folder / "model.crfsuite").read_bytes()
        tagger._open()
        return tagger


#: The CRF settings that cross-validation on the training data chooses among: L1
#: regularisation, context window, whether to use the (out-of-fold) gazetteer and
#: whether to use the richer word features.
CRF_GRID: dict[str, list[Any]] = {
    "c1": [0.05, 0.2],
    "window": [1, 2],
    "gazetteer_folds": [0, 5],
    "rich": [False, True],
}


def _strict_f1_scorer(estimator: Any, X: Sequence[Tokens], y: Sequence[Sequence[str]]) -> float:
    return strict_f1(y, estimator.predict(X))


class TunedCRFTagger(BaseEstimator):  # type: ignore[misc]
    """A :class:`CRFTagger` whose settings are chosen by cross-validation on the training data.

    ``fit`` runs scikit-learn's ``GridSearchCV`` over ``grid`` (default
    :data:`CRF_GRID`) with ``folds`` shuffled folds (``seed``), scored by
    strict micro F1, and refits the best settings on all the training data.
    With fewer than two sentences per fold it fits the default settings.
    With ``tune_on``, the search runs on that many training sentences drawn at
    random (``seed``) and the chosen settings are then fitted on all of them,
    which bounds the time the search takes on a large training set.

    Attributes
    ----------
    tagger_ : CRFTagger
        The fitted tagger with the chosen settings.
    best_params_ : dict
        The chosen settings (empty when there was too little data to choose).
    cv_f1_ : float or None
        Their mean strict F1 over the inner folds.
    """

    def __init__(
        self,
        grid: dict[str, list[Any]] | None = None,
        folds: int = 3,
        seed: int = 0,
        tune_on: int | None = None,
    ) -> None:
        self.grid = grid
        self.folds = folds
        self.seed = seed
        self.tune_on = tune_on

    def fit(self, X: Sequence[Tokens], y: Sequence[Sequence[str]]) -> TunedCRFTagger:
        _check_xy(X, y)
        if len(X) < 2 * self.folds:
            self.tagger_, self.best_params_, self.cv_f1_ = CRFTagger().fit(X, y), {}, None
            return self
        sample = list(range(len(X)))
        if self.tune_on is not None and len(X) > self.tune_on:
            sample = sorted(random.Random(self.seed).sample(sample, self.tune_on))
        search = GridSearchCV(
            CRFTagger(),
            self.grid or CRF_GRID,
            scoring=_strict_f1_scorer,
            cv=KFold(self.folds, shuffle=True, random_state=self.seed),
            refit=len(sample) == len(X),
            error_score="raise",
        ).fit([X[i] for i in sample], [y[i] for i in sample])
        self.best_params_ = dict(search.best_params_)
        self.cv_f1_ = round(float(search.best_score_), 4)
        if len(sample) == len(X):
            self.tagger_ = search.best_estimator_
        else:
            self.tagger_ = CRFTagger(**self.best_params_).fit(X, y)
        return self

    def predict(self, X: Sequence[Tokens]) -> list[list[str]]:
        return self.tagger_.predict(X)
