"""Character spans of a document and their arithmetic.

A `CharSpan` is a half-open pair of character offsets `(start, end)` into a document's text (not a
spaCy `Span`, which is a slice of tokens). A quote's content is a list of them, possibly
overlapping and unsorted; the functions here treat such a list as the set of characters it covers:

- `union` merges a list into sorted, disjoint, non-empty spans covering the same characters;
- `length` counts the characters of a merged list;
- `intersection_length` counts the characters two merged lists share; `shared_length` takes any lists;
- `jaccard` compares two lists by the characters they cover;
- `overlaps` tells whether one span shares a character with any of a list;
- `contains` tells whether a span lies within another (`contains_any`: one of a list within one
  of another), `covers` whether a list covers a position.

`bridge_gaps` is a different operation: it joins spans whose gap holds no words (spaces and
commas), so it needs the text and changes the characters covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

CharSpan = tuple[int, int]


def union(spans: Iterable[CharSpan]) -> list[CharSpan]:
    """Sorted, disjoint, non-empty spans covering the same characters (touching spans are joined)."""
    merged: list[CharSpan] = []
    for start, end in sorted(spans):  # int() keeps starts in order: it never decreases
        start, end = int(start), int(end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def length(merged: Iterable[CharSpan]) -> int:
    """How many characters a merged span list (see `union`) covers."""
    return sum(e - s for s, e in merged)


def intersection_length(a: Sequence[CharSpan], b: Sequence[CharSpan]) -> int:
    """Characters shared by two merged span lists (see `union`)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if end > start:
            total += end - start
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def shared_length(a: Iterable[CharSpan], b: Iterable[CharSpan]) -> int:
    """How many characters two span lists, merged or not, share."""
    return intersection_length(union(a), union(b))


def jaccard(a: Iterable[CharSpan], b: Iterable[CharSpan]) -> float:
    """Jaccard index of the sets of character indices covered by two span lists (0.0 when both are empty)."""
    ma, mb = union(a), union(b)
    inter = intersection_length(ma, mb)
    covered = length(ma) + length(mb) - inter
    return inter / covered if covered else 0.0


def overlaps(span: CharSpan, others: Iterable[CharSpan]) -> bool:
    """Whether `span` shares at least one character with any of `others`."""
    start, end = span
    return any(start < e and s < end for s, e in others)


def contains(outer: CharSpan, inner: CharSpan) -> bool:
    """Whether `inner` lies within `outer` (bounds included)."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def contains_any(outers: Iterable[CharSpan], inners: Sequence[CharSpan]) -> bool:
    """Whether one of `outers` contains one of `inners` (see `contains`)."""
    for s, e in outers:
        for start, end in inners:
            if s <= start and end <= e:
                return True
    return False


def covers(spans: Iterable[CharSpan], position: int) -> bool:
    """Whether the character at `position` lies in one of `spans`."""
    for s, e in spans:  # a loop, not any(): called for every pair of candidates
        if s <= position < e:
            return True
    return False


def bridge_gaps(spans: Iterable[CharSpan], text: str, fillers: str = " ,") -> list[CharSpan]:
    """Sorted spans where overlapping ones, those at most one character apart and those separated
    only by `fillers` (spaces and commas) are joined: a quote's pieces around a comma become one."""
    merged: list[CharSpan] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1 or merged and not text[merged[-1][1] : start].strip(fillers):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
