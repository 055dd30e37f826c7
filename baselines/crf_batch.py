"""Decoding many sentences at once with a linear-chain CRF that python-crfsuite trained.

The CRF library tags one sentence per call, looking up each of its feature
strings again. Extraction tags hundreds of sentences at a time, and their
words repeat, so here the trained weights are read out of the library's
model file once (:func:`read_weights`) and whole batches are decoded in
one call each, by loops compiled to machine code (numba): a token's
features are rows of attribute ids (:func:`state_scores` sums their
weights), :func:`viterbi` gives the best label sequence of every sentence
and :func:`marginals` each label's probability at each token.

Every sum is taken in the order the library takes it (a token's attribute
weights left to right, then the best previous score plus the transition
weight), so the labels are the library's own, bit for bit; marginals agree
with the library's to rounding.

Sentences are given flat: ``scores`` holds the tokens of all sentences one
after another, ``lengths`` how many tokens each sentence has.

Examples
--------
>>> import numpy as np
>>> scores = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 3.0]])
>>> transitions = np.array([[0.0, -5.0], [0.0, 0.0]])
>>> viterbi(scores, [1, 2], transitions).tolist()
[0, 1, 1]
>>> marginals(scores, [1, 2], transitions).sum(axis=1).round(6).tolist()
[1.0, 1.0, 1.0]
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from sahel_corpus.errors import BaselineError

__all__ = ["CRFWeights", "marginals", "read_weights", "state_scores", "viterbi", "warm_up"]

#: The library's starting score for a best path (C's -DBL_MAX), kept for non-finite scores.
_FLOAT_MAX = float(np.finfo(np.float64).max)
_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK = struct.Struct("<4sII")
_FEATURE = struct.Struct("<IIId")


@dataclass(frozen=True)
class CRFWeights:
    """The weights of a trained model.

    Attributes
    ----------
    labels : tuple of str
        The labels, by label id.
    attributes : dict
        Attribute (feature string) to row of ``state``.
    state : numpy.ndarray
        ``(attributes + 1, labels)`` weights; the last row, all zeros, stands
        for an attribute the model does not know (:attr:`unknown`).
    transitions : numpy.ndarray
        ``(labels, labels)`` weights, from the row's label to the column's.
    """

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray
    transitions: np.ndarray

    @property
    def unknown(self) -> int:
        """The row of ``state`` whose weights are all zero."""
        return len(self.state) - 1


def read_weights(model: bytes, labels: dict[str, int], attributes: dict[str, int]) -> CRFWeights:
    """The weights of a python-crfsuite model file (its bytes), exactly as stored.

    ``labels`` and ``attributes`` map the model's label and attribute strings
    to their ids, as the library's ``Tagger.info()`` gives them.
    """
    try:
        magic, _, kind, *_, off_features, _, _, _, _ = _HEADER.unpack_from(model, 0)
        chunk, _, count = _CHUNK.unpack_from(model, off_features)
    except struct.error:
        magic, kind, chunk, count = b"", b"", b"", 0
    if (magic, kind, chunk) != (b"lCRF", b"FOMC", b"FEAT"):
        raise BaselineError(
            f"got a model file starting {model[:12]!r}, expected a CRFsuite first-order "
            "model (lCRF, FOMC) with a feature table",
            code="crf-model",
        )
    state = np.zeros((len(attributes) + 1, len(labels)))
    transitions = np.zeros((len(labels), len(labels)))
    start = off_features + _CHUNK.size
    for kind_id, src, dst, weight in _FEATURE.iter_unpack(
        model[start : start + count * _FEATURE.size]
    ):
        (state if kind_id == 0 else transitions)[src, dst] = weight
    by_id = sorted(labels, key=labels.__getitem__)
    return CRFWeights(tuple(by_id), dict(attributes), state, transitions)


def state_scores(weights: CRFWeights, ids: np.ndarray) -> np.ndarray:
    """Each token's score for each label: the weights of its attributes summed left to right.

    ``ids`` is ``(tokens, k)``: each token's attribute rows, padded with
    :attr:`CRFWeights.unknown` (skipped, as the library skips an attribute it
    does not know).
    """
    out = np.zeros((len(ids), len(weights.labels)))
    _state_scores(weights.state, np.ascontiguousarray(ids, dtype=np.intp), weights.unknown, out)
    return out


def warm_up() -> None:
    """Compile the decoding loops now (or load them from the disk cache), on a one-token
    sentence, so that the first batch is not slowed by it."""
    scores, transitions = np.zeros((1, 1)), np.zeros((1, 1))
    state_scores(CRFWeights(("O",), {}, np.zeros((1, 1)), transitions), np.zeros((1, 1), np.intp))
    viterbi(scores, [1], transitions)
    marginals(scores, [1], transitions)


def _compiled(function: Any) -> Any:
    """``function`` compiled to machine code on first call, the code kept on disk for the
    next process (compiled afresh in each process where no folder can keep it)."""
    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError:  # numba found no writable cache folder
        return njit(nogil=True)(function)


def _starts(lengths: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Where each sentence starts in the flat arrays, and its length."""
    lens = np.asarray(lengths, dtype=np.intp)
    if len(lens) and lens.min() < 1:
        raise BaselineError(
            f"got a sentence of {int(lens.min())} tokens, expected at least one",
            code="empty-sentence",
        )
    return np.cumsum(lens) - lens, lens


def viterbi(scores: np.ndarray, lengths: Sequence[int], transitions: np.ndarray) -> np.ndarray:
    """The best label id of every token (flat), sentence by sentence."""
    starts, lens = _starts(lengths)
    out = np.zeros(len(scores), dtype=np.intp)
    _viterbi(np.ascontiguousarray(scores, dtype=np.float64), starts, lens, transitions, out)
    return out


def marginals(scores: np.ndarray, lengths: Sequence[int], transitions: np.ndarray) -> np.ndarray:
    """Each token's probability of each label (flat ``(tokens, labels)``), by forward-backward
    with the values rescaled at each position, as the library computes them."""
    starts, lens = _starts(lengths)
    out = np.zeros(scores.shape)
    _marginals(np.ascontiguousarray(scores, dtype=np.float64), starts, lens, transitions, out)
    return out


@_compiled
def _state_scores(
    state: np.ndarray, ids: np.ndarray, unknown: int, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    for t in range(ids.shape[0]):
        for k in range(ids.shape[1]):
            row = ids[t, k]
            if row != unknown:
                for j in range(state.shape[1]):
                    out[t, j] += state[row, j]


@_compiled
def _viterbi(
    scores: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    transitions: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    labels = transitions.shape[0]
    previous = np.empty(labels)
    current = np.empty(labels)
    for s in range(len(starts)):
        first, n = starts[s], lengths[s]
        back = np.zeros((n, labels), dtype=np.intp)
        for j in range(labels):
            previous[j] = scores[first, j]
        for t in range(1, n):
            for j in range(labels):
                best, arg = -_FLOAT_MAX, -1
                for i in range(labels):
                    score = previous[i] + transitions[i, j]
                    if best < score:  # the first best previous label wins a tie
                        best, arg = score, i
                if arg >= 0:
                    back[t, j] = arg
                current[j] = best + scores[first + t, j]
            previous, current = current, previous
        best, label = -_FLOAT_MAX, 0
        for i in range(labels):
            if best < previous[i]:
                best, label = previous[i], i
        out[first + n - 1] = label
        for t in range(n - 1, 0, -1):
            out[first + t - 1] = back[t, out[first + t]]


@_compiled
def _marginals(
    scores: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    transitions: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    labels = transitions.shape[0]
    step = np.exp(transitions)
    for s in range(len(starts)):
        first, n = starts[s], lengths[s]
        emit = np.exp(scores[first : first + n])
        forward = np.zeros((n, labels))
        backward = np.zeros((n, labels))
        scale = np.zeros(n)
        for t in range(n):
            total = 0.0
            for j in range(labels):
                value = 1.0
                if t > 0:
                    value = 0.0
                    for i in range(labels):
                        value += forward[t - 1, i] * step[i, j]
                value *= emit[t, j]
                forward[t, j] = value
                total += value
            scale[t] = 1.0 / total if total != 0.0 else 1.0  # as the library guards it
            for j in range(labels):
                forward[t, j] *= scale[t]
        for j in range(labels):
            backward[n - 1, j] = scale[n - 1]
        for t in range(n - 2, -1, -1):
            for i in range(labels):
                value = 0.0
                for j in range(labels):
                    value += step[i, j] * backward[t + 1, j] * emit[t + 1, j]
                backward[t, i] = value * scale[t]
        for t in range(n):
            for j in range(labels):
                out[first + t, j] = forward[t, j] * backward[t, j] / scale[t]
