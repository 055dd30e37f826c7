"""Finding spans by position in O(log n): which sentence holds a mention, what lies inside a zone.

:class:`SpanIndex` sorts items by their character spans once; each query is
then a binary search, so that validating or extracting a document costs
O(n log n) in its size rather than O(n²).

Examples
--------
>>> sentences = SpanIndex([(0, 10, "s1"), (11, 20, "s2")])
>>> sentences.containing(12, 15), sentences.containing(8, 12)
('s2', None)
>>> SpanIndex([(0, 4, "a"), (2, 3, "b"), (5, 9, "c")]).within(0, 5)
['a', 'b']
>>> SpanIndex([(0, 4, "a"), (5, 9, "c")]).overlapping(3, 6)
['a', 'c']
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Generic, TypeVar

__all__ = ["SpanIndex"]

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items with ``(start, end)`` spans, sorted for position queries.

    Parameters
    ----------
    items : iterable of (start, end, item)
        End exclusive. Spans may nest or overlap; queries stay correct, and
        stay logarithmic while overlaps are few.
    """

    def __init__(self, items: Iterable[tuple[int, int, T]]) -> None:
        ordered = sorted(items, key=lambda x: (x[0], -x[1]))
        self.starts = [a for a, _, _ in ordered]
        self.ends = [b for _, b, _ in ordered]
        self.items = [x for _, _, x in ordered]
        self._max_end = list(accumulate(self.ends, max))

    def __len__(self) -> int:
        return len(self.items)

    def containing(self, start: int, end: int) -> T | None:
        """The item whose span contains ``[start, end)`` (the innermost of nested ones)."""
        k = bisect_right(self.starts, start) - 1
        while k >= 0 and self._max_end[k] >= end:
            if self.ends[k] >= end:
                return self.items[k]
            k -= 1
        return None

    def within(self, start: int, end: int) -> list[T]:
        """The items whose spans lie inside ``[start, end)``, in order of position."""
        out = []
        k = bisect_left(self.starts, start)
        while k < len(self.starts) and self.starts[k] < end:
            if self.ends[k] <= end:
                out.append(self.items[k])
            k += 1
        return out

    def overlapping(self, start: int, end: int) -> list[T]:
        """The items that share at least one character with ``[start, end)``, in order."""
        out = []
        k = bisect_left(self.starts, end) - 1
        while k >= 0 and self._max_end[k] > start:
            if self.ends[k] > start:
                out.append(self.items[k])
            k -= 1
        return out[::-1]
