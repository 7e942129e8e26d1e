"""--search means the same on SQLite and PostgreSQL: words ANDed, "exact phrases", OR, -exclusion,
prefix*; no stemming and no stopwords on either side (store/search.py)."""

from __future__ import annotations

import pytest

from quotetrack.errors import QuotetrackError
from quotetrack.records import Document, Quote
from quotetrack.store import Ingestor
from quotetrack.store.queries import find_quotes
from quotetrack.store.search import index_prefix, parse
from store_support import db_url, store  # noqa: F401

CONTENTS = [
    "Security talks resumed in Geneva.",
    "The security guarantee talks are not over.",
    "We will not accept budget cuts.",
    "Secure borders matter more than anything.",
    "Foreign-backed terrorists attacked the city, Tokayev said.",
    "The budget talks and security guarantees went on.",
    "Qaziz Abışov spoke about COVID-19 and the U.S. economy.",
    "Nothing about it at all.",
]

QUERIES = {
    "security": {0, 1, 5},  # not "Secure": no stemming
    "security talks": {0, 1, 5},
    '"security talks"': {0},
    "security OR budget": {0, 1, 2, 5},
    "-security": {2, 3, 4, 6, 7},
    "security -budget": {0, 1},
    "not": {1, 2},  # a stopword in English, a word here
    "the": {1, 4, 5, 6},
    "not OR budget": {1, 2, 5},
    '"not accept"': {2},
    "guarantee": {1},
    "guarantee*": {1, 5},
    "secur*": {0, 1, 3, 5},
    "talk*": {0, 1, 5},
    '"security guarantee"*': {1, 5},
    "tie*": set(),
    "foreign-backed": {4},
    '"foreign backed" -Tokayev': set(),
    "ABIŞOV": set(),  # upper-case I is i, not the dotless ı of Abışov
    "abışov QAZIZ": {6},
    "abisov": set(),
    "covid-19": {6},
    "U.S.": {6},
    'budget OR "security talks" -guarantee': {0, 2, 5},
    "-security -budget -the": {3, 7},
    "zeppelin": set(),
}


def add_quotes(store) -> None:
    ingestor = Ingestor(store)
    for number, content in enumerate(CONTENTS):
        doc = f"d{number}"
        quote = Quote(doc=doc, type="direct", content_spans=[(0, len(content))], content=content, speaker="Anna Berg")
        ingestor.add(Document(id=doc, text=content), [quote])


@pytest.fixture
def searched(store):  # noqa: F811
    add_quotes(store)

    def run(search: str, limit: int | None = None) -> set[int]:
        with store.read() as session:
            rows = find_quotes(session, search=search, limit=limit)
        return {CONTENTS.index(r["content"]) for r in rows}

    return run


def test_every_form_gives_the_same_rows_on_every_backend(searched):
    got = {search: searched(search) for search in QUERIES}
    assert got == QUERIES


def test_limit_counts_matching_quotes(searched):
    assert searched("-security", limit=2) == {2, 3}
    assert searched("security", limit=1) == {0}


@pytest.mark.parametrize(
    "search, message",
    [
        ("", "--search '': no words to search for"),
        ('"" - *', "--search '\"\" - *': no words to search for"),
        ("OR budget", "--search 'OR budget': OR needs a word or phrase on each side"),
        ("budget OR", "--search 'budget OR': OR needs a word or phrase on each side"),
        ("budget OR -cuts", "--search 'budget OR -cuts': OR joins words or phrases, not exclusions"),
    ],
)
def test_queries_without_terms_are_one_line_errors(search, message):
    with pytest.raises(QuotetrackError) as info:
        parse(search)
    assert str(info.value) == message


def test_prefixes_for_the_stemmed_indexes():
    # every stem of a word starting with the prefix starts with what the index is asked for
    assert [index_prefix(p) for p in ("securit", "guarante", "hay", "nationa", "ab")] == ["sec", "guar", "ha", "nat", "ab"]
