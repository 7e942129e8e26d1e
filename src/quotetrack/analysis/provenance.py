"""Provenance: the same quote (or paragraph) appearing in several documents is one claim.

Two quotes are the same claim when their normalised wording (case, quotation marks, dashes and
spacing unified) is identical, or nearly so (rapidfuzz ratio >= `NEAR_RATIO`) and their
speakers do not contradict each other (equal, or one unknown). Candidates are found through
rare word 4-grams, so grouping n quotes costs about n lookups rather than n² comparisons.

The first appearance is the earliest by publication date (undated last, then by document id);
later ones are reuses, each with the wording that changed against the first.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from quotetrack.analysis.terms import normalise_for_matching
from quotetrack.grouping import DisjointSets
from quotetrack.records import Document, Quote

NEAR_RATIO = 90.0
SHINGLE = 4
COMMON_SHINGLE = 200  # a 4-gram in more quotes than this is boilerplate, not evidence


@dataclass
class Appearance:
    quote_id: str
    doc: str
    outlet: str | None
    published: str | None
    content: str
    speaker: str | None
    similarity: float = 100.0  # to the first appearance's wording, 0..100
    drift: list[dict[str, str]] = field(default_factory=list)  # [{"from": ..., "to": ...}]

    def to_dict(self) -> dict:
        return {
            "quote": self.quote_id,
            "doc": self.doc,
            "outlet": self.outlet,
            "published": self.published,
            "speaker": self.speaker,
            "similarity": round(self.similarity, 1),
            "drift": list(self.drift),
        }


@dataclass
class Claim:
    """One claim with every place it appeared; `appearances[0]` is the first."""

    id: str  # the first appearance's quote id
    content: str
    speaker: str | None
    appearances: list[Appearance]

    @property
    def first(self) -> Appearance:
        return self.appearances[0]

    @property
    def reuses(self) -> list[Appearance]:
        return self.appearances[1:]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "content": self.content,
            "first": self.first.to_dict(),
            "reuses": [a.to_dict() for a in self.reuses],
            "appearances": len(self.appearances),
        }


def _shingles(words: Sequence[str]) -> set[tuple[str, ...]]:
    if len(words) <= SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _speakers_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def word_drift(first: str, later: str) -> list[dict[str, str]]:
    """The word runs that changed from `first` to `later` ({"from": old, "to": new})."""
    a, b = first.split(), later.split()
    changes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            changes.append({"from": " ".join(a[i1:i2]), "to": " ".join(b[j1:j2])})
    return changes


def _order_key(quote: Quote) -> tuple:
    return (quote.published is None, quote.published or "", quote.doc, quote.start if quote.content_spans else 0)


def group_appearances(items: Iterable[Quote | tuple[Quote, Document | None]]) -> list[Claim]:
    """Group quotes into claims; each claim lists its appearances, the first one first.

    Items are quotes, or (quote, document) pairs whose document supplies outlet and date when
    the quote lacks them. Quotes in the same document are never merged with each other (a
    speaker repeating a phrase in one article is two quotes, not a reuse).
    """
    quotes: list[Quote] = []
    for item in items:
        quote, document = item if isinstance(item, tuple) else (item, None)
        if document is not None and (quote.outlet is None or quote.published is None):
            quote = replace(quote, outlet=quote.outlet or document.outlet, published=quote.published or document.published)
        quotes.append(quote)
    normalised = [normalise_for_matching(q.content) for q in quotes]
    linked = DisjointSets(range(len(quotes)))
    find = linked.find
    docs_of = [{q.doc} for q in quotes]  # per group root: its documents, which must stay disjoint

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a == b or docs_of[a] & docs_of[b]:
            return
        linked.join_roots(a, b)
        docs_of[b] |= docs_of[a]

    exact: dict[str, list[int]] = defaultdict(list)
    for i, norm in enumerate(normalised):
        if norm:
            exact[norm].append(i)
    for members in exact.values():
        for j in members[1:]:
            if _speakers_agree(quotes[j].speaker, quotes[members[0]].speaker):
                union(j, members[0])

    # Near matches are looked for once per group of exact copies: a copy already joined to its group
    # would find the same candidates again (a speaker's wire quote reprinted 20 times is 20x the work).
    leaders: dict[tuple[str, int], int] = {}
    for i, norm in enumerate(normalised):
        leaders.setdefault((norm, find(i)), i)
    searched = set(leaders.values())
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    shingles = [_shingles(norm.split()) if i in searched else set() for i, norm in enumerate(normalised)]
    for i, grams in enumerate(shingles):
        for gram in grams:
            index[gram].append(i)
    for i, grams in enumerate(shingles):
        candidates: set[int] = set()
        for gram in grams:
            members = index[gram]
            if len(members) <= COMMON_SHINGLE:
                candidates.update(j for j in members if j > i)
        for j in candidates:
            if find(i) == find(j):
                continue
            if not _speakers_agree(quotes[i].speaker, quotes[j].speaker):
                continue
            if fuzz.ratio(normalised[i], normalised[j]) >= NEAR_RATIO:
                union(i, j)

    claims = []
    for members in linked.groups():
        members.sort(key=lambda i: _order_key(quotes[i]))
        first, first_norm = quotes[members[0]], normalised[members[0]]
        appearances = []
        for i in members:
            quote, norm = quotes[i], normalised[i]
            appearances.append(
                Appearance(
                    quote_id=quote.id,
                    doc=quote.doc,
                    outlet=quote.outlet,
                    published=quote.published,
                    content=quote.content,
                    speaker=quote.speaker,
                    similarity=100.0 if norm == first_norm else fuzz.ratio(first_norm, norm),
                    drift=[] if norm == first_norm else word_drift(first.content, quote.content),
                )
            )
        speaker = next((quotes[i].speaker for i in members if quotes[i].speaker), None)
        claims.append((_order_key(first), Claim(id=first.id, content=first.content, speaker=speaker, appearances=appearances)))
    claims.sort(key=lambda pair: pair[0])
    return [claim for _, claim in claims]


def provenance_of(quote: Quote, claims: Sequence[Claim]) -> Claim | None:
    """The claim that holds this quote, if any."""
    for claim in claims:
        if any(a.quote_id == quote.id for a in claim.appearances):
            return claim
    return None


def claims_to_rows(claims: Sequence[Claim]) -> list[dict]:
    """Flat rows for `quotes --dedupe` (write_records): one per claim."""
    rows = []
    for claim in claims:
        first = claim.first
        rows.append(
            {
                "id": claim.id,
                "speaker": claim.speaker,
                "content": claim.content,
                "appearances": len(claim.appearances),
                "first_doc": first.doc,
                "first_outlet": first.outlet,
                "first_published": first.published,
                "reused_in": [a.doc for a in claim.reuses],
                "drifted": [a.doc for a in claim.reuses if a.drift],
            }
        )
    return rows


def shared_paragraphs(documents: Sequence[Document], min_chars: int = 80) -> list[list[tuple[str, int, int]]]:
    """Paragraphs that occur (normalised) in more than one document: each as [(doc id, start, end), ...]."""
    seen: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for document in documents:
        text = document.text
        start = 0
        for block in text.split("\n"):
            end = start + len(block)
            stripped = block.strip()
            if len(stripped) >= min_chars:
                left = start + block.index(stripped[0])
                seen[normalise_for_matching(stripped)].append((document.id, left, left + len(stripped)))
            start = end + 1
    return [places for places in seen.values() if len({doc for doc, _, _ in places}) > 1]
