"""A large quote database synthesised from real extracted quotes, for query latency.

Each synthetic document is a real article (its text, so offsets and context windows stay valid)
under a new id, outlet and date, holding that article's real extracted quotes. The speakers of
those quotes are mapped to a pool of speakers (the real names, then given names and surnames of
real names recombined) with a skewed, news-like frequency: a few speakers are quoted very often,
most rarely. The schema is the store's own (created by its migrations); rows go in by executemany
on SQLite and by COPY on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from quotetrack.records import Quote
from quotetrack.store import identity, ingest
from quotetrack.store.models import Base

SPEAKERS = 25_000
OUTLETS = ("breitbart", "huff-post", "nyt", "politico", "usa-today", "wash-post", "west-journal") + tuple(
    f"regional-{i:02d}" for i in range(1, 24)
)
FIRST_DAY = date(2016, 1, 1)
DAYS = 9 * 365
CHUNK = 20_000


@dataclass
class Synthesised:
    documents: int = 0
    quotes: int = 0
    speakers: int = 0
    seconds: float = 0.0
    quotes_per_speaker: Counter = field(default_factory=Counter)
    word_quotes: Counter = field(default_factory=Counter)  # quotes containing each word
    names: list[str] = field(default_factory=list)  # speaker names; speaker id n is names[n - 1]


def speaker_pool(quotes: list[Quote], size: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """(name, kind) of `size` speakers: the real ones first, then real given names and surnames recombined."""
    real: dict[str, str | None] = {}
    for quote in quotes:
        if quote.speaker and identity.proper_name(quote.speaker, quote.speaker_kind):
            real.setdefault(quote.speaker, quote.speaker_kind)
    pool = list(real.items())
    people = [n for n, k in real.items() if k == "person" and len(n.split()) >= 2] or ["Alex Smith"]
    given = sorted({n.split()[0] for n in people})
    surnames = sorted({n.split()[-1] for n in people})
    taken = set(real)
    while len(pool) < size:
        name = f"{rng.choice(given)} {rng.choice(surnames)}"
        if len(taken) >= len(given) * len(surnames):
            name = f"{name} {len(pool)}"  # more speakers wanted than combinations exist
        if name not in taken:
            taken.add(name)
            pool.append((name, "person"))
    return pool


def plan(
    articles: dict[str, str],
    quotes: list[Quote],
    target: int,
    speakers: int = SPEAKERS,
    seed: int = 7,
):
    """Yield (document row, quote rows) for synthetic documents until `target` quotes, with stats."""
    rng = random.Random(seed)
    by_doc: dict[str, list[Quote]] = {}
    for quote in quotes:
        by_doc.setdefault(quote.doc, []).append(quote)
    sources = sorted(d for d in by_doc if d in articles)
    if not sources:
        raise SystemExit("no extracted quotes to synthesise a database from")
    pool = speaker_pool(quotes, speakers, rng)
    # Zipf-like weights, tempered so the most quoted speaker holds a few percent of all quotes.
    weights = [1.0 / (rank + 20) for rank in range(len(pool))]
    stats = Synthesised(speakers=len(pool), names=[name for name, _ in pool])

    def rows():
        number = 0
        while stats.quotes < target:
            source = sources[number % len(sources)]
            number += 1
            doc_id = number
            published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            outlet = rng.randrange(len(OUTLETS)) + 1
            names = sorted({q.speaker for q in by_doc[source] if q.speaker} | {q.reported_by for q in by_doc[source] if q.reported_by})
            chosen = rng.choices(range(len(pool)), weights=weights, k=len(names))
            mapping = {name: index + 1 for name, index in zip(names, chosen)}  # speaker ids are 1-based
            text = articles[source]
            document = {
                "id": doc_id,
                "key": f"{source}#{number}",
                "source": None,
                "url": None,
                "content_hash": hashlib.sha256(f"{number}\0{text}".encode()).hexdigest(),
                "title": None,
                "outlet_id": outlet,
                "republished_by_id": None,
                "published": published,
                "dateline_place": None,
                "byline": None,
                "text": text,
                "quote_count": 0,
                "ingested_at": datetime.now(timezone.utc),
            }
            rows_out = []
            seen = set()
            for quote in by_doc[source]:
                if stats.quotes >= target:
                    break
                if quote.id in seen:
                    continue
                seen.add(quote.id)
                speaker_id = mapping.get(quote.speaker) if quote.speaker else None
                rows_out.append(quote_row(quote, doc_id, speaker_id, pool, mapping))
                stats.quotes += 1
                if speaker_id:
                    stats.quotes_per_speaker[speaker_id] += 1
                for word in set(re.findall(r"[a-z]{5,}", quote.content.lower())):
                    stats.word_quotes[word] += 1
            document["quote_count"] = len(rows_out)
            stats.documents += 1
            yield document, rows_out

    return pool, stats, rows()


def quote_row(quote: Quote, doc_id: int, speaker_id: int | None, pool, mapping) -> dict:
    """The store's own row for the quote, with the synthetic speaker in place of the resolved one."""
    reporter = mapping.get(quote.reported_by) if quote.reported_by else None
    row = ingest.quote_row(doc_id, quote, {})
    row.update(
        speaker_name=pool[speaker_id - 1][0] if speaker_id else quote.speaker,
        speaker_id=speaker_id,
        reported_by=pool[reporter - 1][0] if reporter else quote.reported_by,
        reported_by_id=reporter,
    )
    return row


def speaker_rows(pool) -> tuple[list[dict], list[dict], list[dict]]:
    now = datetime.now(timezone.utc)
    speakers, aliases, keys = [], [], []
    for number, (name, kind) in enumerate(pool, start=1):
        speakers.append({"id": number, "name": name, "kind": kind, "locked": False, "created_at": now})
        parts = identity.name_parts(name, kind)
        aliases.append({"speaker_id": number, "alias": name, "folded": parts.folded})
        keys.extend({"speaker_id": number, "key": key} for key in sorted(identity.stored_keys(parts, kind)))
    return speakers, aliases, keys


def fill(store, articles: dict[str, str], quotes: list[Quote], target: int, speakers: int = SPEAKERS) -> Synthesised:
    """Fill an empty, migrated store with about `target` quotes by `speakers` speakers."""
    started = time.perf_counter()
    pool, stats, rows = plan(articles, quotes, target, speakers)
    speaker_table, aliases, keys = speaker_rows(pool)
    outlets = [{"id": i, "name": name} for i, name in enumerate(OUTLETS, start=1)]
    if store.backend == "postgresql":
        _fill_postgresql(store, outlets, speaker_table, aliases, keys, rows)
    else:
        _fill_sqlite(store, outlets, speaker_table, aliases, keys, rows)
    stats.seconds = time.perf_counter() - started
    return stats


def _fill_sqlite(store, outlets, speakers, aliases, keys, rows) -> None:
    from sqlalchemy import insert

    tables = Base.metadata.tables
    with store.engine.connect() as connection:
        with connection.begin():
            connection.execute(insert(tables["outlets"]), outlets)
            connection.execute(insert(tables["speakers"]), speakers)
            connection.execute(insert(tables["speaker_aliases"]), aliases)
            connection.execute(insert(tables["speaker_keys"]), keys)
        documents, quote_rows = [], []

        def flush():
            with connection.begin():
                if documents:
                    connection.execute(insert(tables["documents"]), documents)
                if quote_rows:
                    connection.execute(insert(tables["quotes"]), quote_rows)  # FTS5 triggers index them
            documents.clear()
            quote_rows.clear()

        for document, quotes in rows:
            documents.append(document)
            quote_rows.extend(quotes)
            if len(quote_rows) >= CHUNK:
                flush()
        flush()


QUOTE_COLUMNS = (
    "key", "document_id", "type", "start", "end", "content", "content_spans", "cue", "cue_start", "cue_end",
    "speaker_name", "speaker_mention", "mention_start", "mention_end", "speaker_kind", "speaker_id",
    "reported_by", "reported_by_id", "confidence",
)
DOCUMENT_COLUMNS = (
    "id", "key", "source", "url", "content_hash", "title", "outlet_id", "republished_by_id", "published",
    "dateline_place", "byline", "text", "quote_count", "ingested_at",
)


def _copy(cursor, table: str, columns, rows) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(json.dumps(row[c]) if c == "content_spans" else row[c] for c in columns))


def _fill_postgresql(store, outlets, speakers, aliases, keys, rows) -> None:
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # The full-text index is built once after the load rather than row by row.
        cursor.execute("DROP INDEX IF EXISTS ix_quotes_content_fts")
        _copy(cursor, "outlets", ("id", "name"), outlets)
        _copy(cursor, "speakers", ("id", "name", "kind", "locked", "created_at"), speakers)
        _copy(cursor, "speaker_aliases", ("speaker_id", "alias", "folded"), aliases)
        _copy(cursor, "speaker_keys", ("speaker_id", "key"), keys)
        batch_docs, batch_quotes = [], []

        def flush():
            _copy(cursor, "documents", DOCUMENT_COLUMNS, batch_docs)
            _copy(cursor, "quotes", QUOTE_COLUMNS, batch_quotes)
            batch_docs.clear()
            batch_quotes.clear()

        for document, quotes in rows:
            batch_docs.append(document)
            batch_quotes.extend(quotes)
            if len(batch_quotes) >= 10 * CHUNK:
                flush()
        flush()
        cursor.execute("CREATE INDEX ix_quotes_content_fts ON quotes USING gin (to_tsvector('english', content))")
        for table in ("outlets", "speakers", "documents"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        raw.commit()
        cursor.execute("ANALYZE")  # what autovacuum does shortly after a bulk load
        raw.commit()
    finally:
        raw.close()
