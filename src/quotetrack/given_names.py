"""Given names that name one person in two forms: a nickname and the name it shortens ("Ben" and
"Benjamin", "Bill" and "William", "Len" and "Leonard"), from the hand-curated English nickname table
of the `nicknames` package (kept by its authors, where a hand-written list would go stale). Only a
direct relation counts: "Liz" and "Beth" both shorten "Elizabeth" but are not taken for each other."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _related() -> dict[str, frozenset[str]]:
    from nicknames import name_triplets

    related: dict[str, set[str]] = {}
    for triplet in name_triplets():
        if triplet.relationship == "has_nickname":
            related.setdefault(triplet.name1, set()).add(triplet.name2)
            related.setdefault(triplet.name2, set()).add(triplet.name1)
    return {name: frozenset(names) for name, names in related.items()}


def related_given_names(name: str) -> frozenset[str]:
    """The names (lower case) a given name is a nickname of, and its nicknames: "len" -> leonard, …"""
    return _related().get(name.strip().lower(), frozenset())


def same_given_name(a: str, b: str) -> bool:
    """True when the two given names (any case) are the same or one is a nickname of the other."""
    a, b = a.strip().lower(), b.strip().lower()
    return a == b or b in related_given_names(a)
