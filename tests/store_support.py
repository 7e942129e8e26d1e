"""Helpers for the store tests: a fresh database per test on SQLite and on PostgreSQL, and quotes
built on the seed articles by locating their text (so offsets are real)."""

from __future__ import annotations

import os
import uuid
from functools import cache, lru_cache
from pathlib import Path

import pytest

from quotetrack.records import Document, Quote

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PG_BASE = os.environ.get("QUOTETRACK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@lru_cache(maxsize=1)
def pg_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(PG_BASE)
        with psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, connect_timeout=3
        ):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return f"PostgreSQL at {PG_BASE} is unreachable: {exc}"


def _pg_admin(sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_BASE)
    with psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, autocommit=True) as c:
        c.execute(sql)


def new_database(backend: str, tmp_path: Path):
    """Return (url, cleanup) for an empty database on the backend."""
    if backend == "sqlite":
        return str(tmp_path / "quotes.db"), lambda: None
    problem = pg_problem()
    if problem:
        pytest.skip(problem)
    schema = f"qt_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    return url, lambda: _pg_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty database (SQLite file or a fresh PostgreSQL schema), as a --db value."""
    url, cleanup = new_database(request.param, tmp_path)
    yield url
    from sqlalchemy.orm import close_all_sessions

    close_all_sessions()
    cleanup()


@pytest.fixture
def store(db_url):
    from quotetrack.store import open_store, upgrade
    from quotetrack.store.db import resolve_url

    upgrade(resolve_url(db_url))
    opened = open_store(db_url, writable=True)
    yield opened
    opened.close()


@cache
def seed_text(prefix: str) -> str:
    (path,) = FIXTURES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def seed_document(prefix: str, text: str | None = None) -> Document:
    return Document(id=prefix, text=text if text is not None else seed_text(prefix), source=f"{prefix}.txt")


def quote_on(
    doc: str,
    text: str,
    content: str,
    speaker: str | None,
    mention: str | None = None,
    cue: str | None = None,
    *,
    kind: str | None = "person",
    type: str = "indirect",
    reported_by: str | None = None,
) -> Quote:
    """A quote whose spans are where `content`, `mention` and `cue` first occur in `text`."""
    start = text.index(content)
    span = None
    if mention:
        m = text.index(mention)
        span = (m, m + len(mention))
    cue_span = None
    if cue:
        c = text.index(cue)
        cue_span = (c, c + len(cue))
    return Quote(
        doc=doc,
        type=type,
        content_spans=[(start, start + len(content))],
        content=content,
        speaker=speaker,
        speaker_mention=mention,
        speaker_span=span,
        cue=cue,
        cue_span=cue_span,
        speaker_kind=kind,
        reported_by=reported_by,
    )


def seed_quotes() -> dict[str, list[Quote]]:
    """Quotes an extractor would give on the five seed articles, with the in-document names as the
    articles write them (which differ across articles: that is what identity has to join)."""
    t = {p: seed_text(p) for p in ("000", "001", "002", "003", "004")}
    return {
        "000": [quote_on("000", t["000"], "I believe that it", "Valery Garbuzov", "the expert", "pointed out", type="direct")],
        "001": [
            quote_on("001", t["001"], "We cooperate in the CSTO format, including with the authorities of the country, fairly efficiently. I think",
                     "Sergey Ryabkov", "he", "said", type="direct"),
            quote_on("001", t["001"], "The events [in Kazakhstan] have demonstrated", "Sergey Ryabkov", "Ryabkov", "added", type="direct"),
        ],
        "002": [
            quote_on("002", t["002"], "President Vladimir Putin’s goal of restoring Russian influence", "John Herbst", "John Herbst", "argued", type="direct"),
            quote_on("002", t["002"], "foreign-backed terrorists", "Kassym-Jomart Tokayev", "Tokayev", "says", type="mixed"),
            quote_on("002", t["002"], "US interest in a peaceful, stable, more open and pluralistic Kazakhstan will last",
                     "William Courtney", "William Courtney", "says"),
        ],
        "003": [
            quote_on("003", t["003"], "The CSTO’s forces were employed at the request of legal authorities", "Sergey Ryabkov", "Ryabkov", "emphasized", type="direct"),
        ],
        "004": [
            quote_on("004", t["004"], "he did not intend to recognize", "Kassym Zhomart Tokayev", "The head of Kazakhstan", "said"),
            quote_on("004", t["004"], "In Russian reactionary circles, of course, there is irritation", "Qaziz Abışov", "Qaziz Abışov", None, type="direct"),
            quote_on("004", t["004"], "The main function of the CSTO for Kazakhstan", "Gaziz Abyshev", None, None, type="direct"),
        ],
    }


def write_articles(directory: Path, count: int, *, start: int = 0) -> list[Path]:
    """Small articles of our own, each with two attributed statements by recurring people."""
    people = [("Anna Berg", "Mayor"), ("Tomas Lind", "Engineer"), ("Rita Sol", "Senator"), ("Omar Haddad", "Professor")]
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        first, first_title = people[number % len(people)]
        second, _ = people[(number + 1) % len(people)]
        text = (
            f"RIVERTON, March {1 + number % 28}. The council met on Tuesday to discuss bridge number {number}.\n\n"
            f'"We will build {number + 2} new bridges before winter," {first_title} {first} said.\n\n'
            f"{second} said the crossing at pier {number} would open in May.\n"
        )
        path = directory / f"article_{number:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
