"""Grouping items that belong together (mentions of one entity): a union-find forest.

Examples
--------
>>> groups = UnionFind(["a", "b", "c"])
>>> _ = groups.union("a", "b")
>>> groups.find("b") == groups.find("a"), groups.find("c") == groups.find("a")
(True, False)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets with path halving: ``find`` and ``union`` in near-constant time."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {x: x for x in items}

    def add(self, item: T) -> T:
        """Add ``item`` as a group of its own (if new); return it."""
        self.parent.setdefault(item, item)
        return item

    def find(self, item: T) -> T:
        """The root of ``item``'s group."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> T:
        """Merge the groups of ``a`` and ``b``; return the root of the merged group (``a``'s)."""
        root_a, root_b = self.find(a), self.find(b)
        self.parent[root_b] = root_a
        return root_a
