"""Relation extraction baselines over candidate mention pairs.

:class:`RelationClassifier` turns each :class:`~sahel_corpus.baselines.data.RelationCandidate`
into the features of :func:`relation_features` and classifies it with
logistic regression (balanced class weights) into a relation type or
``NONE``. The trivial row is :class:`~sahel_corpus.baselines.linear.MajorityClassifier`.

Examples
--------
>>> from sahel_corpus.baselines.data import RelationCandidate
>>> c = RelationCandidate("d", "s1", 0, (0, 4), (20, 27), "ORG", "ORG", "army", "rebels",
...                       ("launched", "an", "attack", "on"), 4, "e1", "e2")
>>> sorted(k for k in relation_features(c) if k.startswith("trigger"))
['trigger=ATTACKS']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sklearn.base import BaseEstimator

from .data import RelationCandidate
from .linear import LinearClassifier

__all__ = ["TRIGGERS", "RelationClassifier", "distance_bin", "relation_features"]

#: Trigger word stems and the relation type they suggest.
TRIGGERS: dict[str, str] = {
    "attack": "ATTACKS",
    "kill": "ATTACKS",
    "fight": "ATTACKS",
    "skirmish": "ATTACKS",
    "clash": "ATTACKS",
    "strike": "ATTACKS",
    "withdraw": "WITHDRAWS_FROM",
    "left": "WITHDRAWS_FROM",
    "leave": "WITHDRAWS_FROM",
    "departure": "WITHDRAWS_FROM",
    "depart": "WITHDRAWS_FROM",
    "control": "CONTROLS",
    "occup": "CONTROLS",
    "hold": "CONTROLS",
    "govern": "CONTROLS",
    "member": "MEMBER_OF",
    "soldier": "MEMBER_OF",
    "fighter": "MEMBER_OF",
    "part": "PART_OF",
    "mission": "PART_OF",
    "council": "PART_OF",
    "ally": "ALLIED_WITH",
    "allied": "ALLIED_WITH",
    "alongside": "ALLIED_WITH",
    "and": "ALLIED_WITH",
    "tension": "IN_CONFLICT_WITH",
    "relation": "IN_CONFLICT_WITH",
    "fray": "IN_CONFLICT_WITH",
    "deteriorat": "IN_CONFLICT_WITH",
    "in": "LOCATED_IN",
    "locat": "LOCATED_IN",
    "near": "LOCATED_IN",
    "from": "AFFILIATED_WITH",
    "dominated": "AFFILIATED_WITH",
    "ethnic": "AFFILIATED_WITH",
}


@lru_cache(maxsize=100_000)
def _triggers(word: str) -> tuple[str, ...]:
    """The trigger classes a word starts with (cached per word)."""
    return tuple(
        sorted({f"trigger={rel}" for stem, rel in TRIGGERS.items() if word.startswith(stem)})
    )


def distance_bin(n: int) -> str:
    """A token distance, binned: 0, 1, 2, 3, 4-7, 8-15 or 16+.

    >>> distance_bin(3), distance_bin(9)
    ('3', '8-15')
    """
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16+"


def relation_features(c: RelationCandidate) -> dict[str, Any]:
    """Features of a candidate pair.

    Both entity types and their pair, the order of the two mentions, the
    binned token distance, the words between them (bag of words), the first
    and last word between, trigger-word classes found between (:data:`TRIGGERS`)
    and whether one mention contains the other.
    """
    head_first = c.head[0] <= c.tail[0]
    nested = (c.head[0] <= c.tail[0] and c.tail[1] <= c.head[1]) or (
        c.tail[0] <= c.head[0] and c.head[1] <= c.tail[1]
    )
    f: dict[str, Any] = {
        f"ht={c.head_type}": 1,
        f"tt={c.tail_type}": 1,
        f"pair={c.head_type}>{c.tail_type}": 1,
        f"order={'ht' if head_first else 'th'}": 1,
        f"dist={distance_bin(c.distance)}": 1,
        f"nested={nested}": 1,
        f"pair_order={c.head_type}>{c.tail_type}:{head_first}": 1,
    }
    for w in c.between:
        f["bw=" + w] = 1
        for trigger in _triggers(w):
            f[trigger] = 1
    if c.between:
        f[f"first={c.between[0]}"] = 1
        f[f"last={c.between[-1]}"] = 1
    return f


class RelationClassifier(BaseEstimator):  # type: ignore[misc]
    """Logistic regression over :func:`relation_features`."""

    def __init__(self, C: float = 1.0, seed: int = 0) -> None:
        self.C = C
        self.seed = seed

    def fit(self, X: Sequence[RelationCandidate], y: Sequence[str]) -> RelationClassifier:
        self.model_ = LinearClassifier(C=self.C, seed=self.seed).fit(
            [relation_features(c) for c in X], list(y)
        )
        return self

    def predict(self, X: Sequence[RelationCandidate]) -> list[str]:
        return self.model_.predict([relation_features(c) for c in X])
