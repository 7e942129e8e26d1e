"""Grouping items by pairwise links: a union-find (disjoint sets) with path halving."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    """Items in groups; `union` joins two groups, `find` names an item's group by its root item."""

    def __init__(self, items: Iterable[T]):
        self.parent: dict[T, T] = {item: item for item in items}

    def find(self, item: T) -> T:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> None:
        """Join the groups of `a` and `b` (the root of `a`'s group goes under the root of `b`'s)."""
        self.join_roots(self.find(a), self.find(b))

    def join_roots(self, root_a: T, root_b: T) -> None:
        """Join two groups given by their roots (from `find`), for callers that check roots first."""
        self.parent[root_a] = root_b

    def groups(self) -> list[list[T]]:
        """The groups, each in item order, ordered by their first item."""
        found: dict[T, list[T]] = {}
        for item in self.parent:
            found.setdefault(self.find(item), []).append(item)
        return list(found.values())
