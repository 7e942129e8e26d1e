"""The `--search` query language, the same on SQLite and PostgreSQL.

    security talks          both words (words are ANDed)
    "security talks"        the exact phrase: the words one after the other
    security OR budget      either (OR in capitals joins words or phrases)
    -security, -"a b"       without the word or phrase
    secur*                  a word starting with "secur" (also at the end of a phrase: "security talk*")

A word is a run of letters and digits: case does not matter, punctuation separates words
("foreign-backed" is the phrase "foreign backed", "Putin's" the phrase "putin s"); no stemming
("guarantee" does not find "guarantees": write guarantee*), no stopwords ("not" and "the" are words
like any other), diacritics count ("Abışov" is not "Abisov"). A query of exclusions only finds the
quotes without them.

How it runs: the full-text index of the backend narrows the quotes down (SQLite FTS5 with the
porter stemmer, PostgreSQL's `to_tsvector('english', content)` GIN index: both match more than the
language does, never less), then every candidate is checked against the query here, on the words
of its content, so both backends give exactly the same quotes. The index queries are built from the
parsed words only (letters and digits), as bound parameters: user input is never pasted into SQL,
an FTS5 MATCH string or a tsquery. Limits of the narrowing on PostgreSQL: its parser reads web and
e-mail addresses, dotted abbreviations (U.S.) and signed or decimal numbers (-19, 3.5) as one word,
so a search for a part of one alone ("19" in "COVID-19") can miss there, though the whole does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, func, literal_column, select, text
from sqlalchemy.orm import Session

from quotetrack.errors import QuotetrackError

WORD = re.compile(r"[^\W_]+")
VOWELS = frozenset("aeiou")
# The expression the PostgreSQL index is built on (migration 0001); the query must say it the same way.
ENGLISH_VECTOR = "to_tsvector('english'::regconfig, quotes.content)"


class SearchError(QuotetrackError):
    """A --search query that holds nothing to search for, or an OR without terms on both sides."""


@dataclass(frozen=True)
class Term:
    """A word or phrase: its words (lower case), whether the last is a prefix, and the text typed."""

    words: tuple[str, ...]
    prefix: bool = False
    typed: str = ""

    def found_in(self, words: list[str]) -> bool:
        size = len(self.words)
        last = size - 1
        for start in range(len(words) - size + 1):
            if all(
                words[start + i].startswith(w) if (self.prefix and i == last) else words[start + i] == w
                for i, w in enumerate(self.words)
            ):
                return True
        return False


@dataclass(frozen=True)
class Query:
    """All of `groups` (each: any of its terms), none of `excluded`."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def matches(self, content: str) -> bool:
        words = words_of(content)
        return all(any(t.found_in(words) for t in group) for group in self.groups) and not any(
            t.found_in(words) for t in self.excluded
        )


def words_of(text_: str) -> list[str]:
    return WORD.findall(text_.lower())


TOKEN = re.compile(r'(?P<minus>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


def parse(search: str) -> Query:
    """The query a --search string means; SearchError (one line) when there is nothing to search for."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for match in TOKEN.finditer(search):
        raw = match.group("phrase") if match.group("phrase") is not None else match.group("word")
        if match.group("word") == "OR" and not match.group("minus"):
            if not groups or pending_or:
                raise SearchError(f"--search {search!r}: OR needs a word or phrase on each side")
            pending_or = True
            continue
        if match.group("phrase") is not None:
            prefix = search[match.end() : match.end() + 1] == "*"  # "security talk"*
        else:
            prefix = raw.endswith("*")
        words = tuple(words_of(raw))
        if not words:
            continue
        term = Term(words, prefix=prefix, typed=raw.rstrip("*"))
        if match.group("minus"):
            if pending_or:
                raise SearchError(f"--search {search!r}: OR joins words or phrases, not exclusions")
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or:
        raise SearchError(f"--search {search!r}: OR needs a word or phrase on each side")
    if not groups and not excluded:
        raise SearchError(f"--search {search!r}: no words to search for")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


# --- narrowing with the full-text index ------------------------------------------------------------


def index_prefix(prefix: str) -> str:
    """A prefix that every porter/snowball stem of a word starting with `prefix` starts with.

    Stemmers rewrite word endings ("securities" -> "secur", "hayed" -> "hai"), and both indexes
    hold stems, so "securit*" must look for stems starting with "sec": the prefix is cut to the
    end of its first vowel-consonant pair (stems keep at least that much, steps 2-5 of Porter need
    it), and before any ending the first step could take off (s, e, i, y, in)."""
    first = prefix
    for i in range(1, len(prefix)):
        if prefix[i - 1] in VOWELS and prefix[i] not in VOWELS and prefix[i].isascii():
            first = prefix[: i + 1]
            break
    kept = prefix
    while kept:
        if kept.endswith("in"):
            kept = kept[:-2]
        elif kept[-1] in "siey":
            kept = kept[:-1]
        else:
            break
    cut = min(first, kept, key=len)
    while cut.endswith("y"):
        cut = cut[:-1]
    return cut or prefix[:1]


def fts5_match(query: Query) -> str | None:
    """The FTS5 MATCH string narrowing to the positive terms (None when there are none)."""
    if not query.groups:
        return None

    def term(t: Term) -> str:
        words = list(t.words)
        if t.prefix:
            words[-1] = index_prefix(words[-1])
        return '"' + " ".join(words) + '"' + ("*" if t.prefix else "")

    return " AND ".join("(" + " OR ".join(term(t) for t in group) + ")" for group in query.groups)


def candidates(session: Session, query: Query):
    """A condition on StoredQuote narrowing to the quotes that may match (None: no narrowing)."""
    from quotetrack.store.models import StoredQuote

    if session.get_bind().dialect.name == "postgresql":
        return _postgres_candidates(session, query)
    match = fts5_match(query)
    if match is None:
        return None
    rows = text("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :query").bindparams(query=match)
    return StoredQuote.id.in_(rows.columns(rowid=Integer))


def _postgres_candidates(session: Session, query: Query):
    english: Any = literal_column("'english'::regconfig")

    def tsquery(t: Term) -> Any:
        if t.prefix:
            parts = [*t.words[:-1], index_prefix(t.words[-1]) + ":*"]
            return func.to_tsquery(english, " & ".join(parts))  # letters, digits and our own operators
        found: Any = func.phraseto_tsquery(english, " ".join(t.words))
        if t.typed and " ".join(words_of(t.typed)) != t.typed.lower():
            # as typed too ("COVID-19"): PostgreSQL's parser reads the content the same way
            found = found.op("||")(func.phraseto_tsquery(english, t.typed))
        return found

    terms = [t for group in query.groups for t in group]
    if not terms:
        return None
    # A term made of English stopwords only is no query for the english index: its group cannot narrow.
    sizes = session.execute(select(*(func.numnode(tsquery(t)) for t in terms))).one()
    usable = {id(t) for t, size in zip(terms, sizes) if size}
    narrowing = None
    for group in query.groups:
        if not all(id(t) in usable for t in group):
            continue
        either = tsquery(group[0])
        for t in group[1:]:
            either = either.op("||")(tsquery(t))
        narrowing = either if narrowing is None else narrowing.op("&&")(either)
    if narrowing is None:
        return None
    return literal_column(ENGLISH_VECTOR).op("@@")(narrowing)


def condition(session: Session, search: str):
    """The index condition for a search (None: none narrows); the caller checks `parse(search).matches`."""
    return candidates(session, parse(search))


__all__ = ["Query", "SearchError", "Term", "candidates", "condition", "index_prefix", "parse", "words_of"]
