"""Word lists, read from the data files `data/lexicon/<name>.tsv`.

Each file holds one entry per line, in the order the list is used where order matters; a list
that maps words to something has a second column after a tab. Lines starting with `#` say what
the list is for and which modules use it; blank lines are skipped. A file is read once per
process (the readers are cached), so the modules keep what they need in module-level names:

    PERSON_TITLES = lexicon.words("person_titles")

Missing or malformed files raise at import: a word list is part of the package, not an option.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

DIRECTORY = "data/lexicon"


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of `<name>.tsv` in file order, each as its tab-separated fields."""
    source = resources.files("quotetrack").joinpath(f"{DIRECTORY}/{name}.tsv")
    found = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = tuple(field.strip() for field in line.split("\t"))
        if not all(fields):
            raise ValueError(f"lexicon {name}.tsv: line {number}: empty field")
        found.append(fields)
    return tuple(found)


def _columns(name: str, width: int) -> tuple[tuple[str, ...], ...]:
    entries = rows(name)
    for entry in entries:
        if len(entry) != width:
            raise ValueError(f"lexicon {name}.tsv: {entry!r} has {len(entry)} columns, expected {width}")
    return entries


@cache
def sequence(name: str) -> tuple[str, ...]:
    """A one-column list in file order (for lists whose order matters)."""
    return tuple(entry[0] for entry in _columns(name, 1))


@cache
def words(name: str) -> frozenset[str]:
    """A one-column list as a set, for membership tests."""
    return frozenset(sequence(name))


@cache
def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """A two-column list in file order, keys may repeat (for ordered groupings)."""
    return tuple((key, value) for key, value in _columns(name, 2))


@cache
def mapping(name: str) -> Mapping[str, str]:
    """A two-column list as a read-only mapping, first column to second, in file order."""
    table: dict[str, str] = {}
    for key, value in pairs(name):
        if key in table:
            raise ValueError(f"lexicon {name}.tsv: {key!r} listed twice")
        table[key] = value
    return MappingProxyType(table)


@cache
def groups(name: str) -> Mapping[str, frozenset[str]]:
    """A two-column list with repeated keys: each key to the set of its second-column words."""
    table: dict[str, set[str]] = {}
    for key, value in pairs(name):
        table.setdefault(key, set()).add(value)
    return MappingProxyType({key: frozenset(values) for key, values in table.items()})
