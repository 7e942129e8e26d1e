"""The quote store on SQLite and PostgreSQL: schema by Alembic, ingest, identity across documents,
corrections, queries. Quotes are built on the seed articles (see store_support.seed_quotes), so
these tests do not depend on the extractor."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import String, Text, func, inspect, select, text
from sqlalchemy.orm import aliased

from quotetrack.records import Quote
from quotetrack.store import Ingestor, StoreError, open_store, upgrade
from quotetrack.store.corrections import merge, rename, split
from quotetrack.store.db import resolve_url
from quotetrack.store.ingest import StoreFailure, counts
from quotetrack.store.models import Base, Outlet, Speaker, StoredDocument, StoredQuote
from quotetrack.store.queries import NotFound, find_quotes, find_speaker, list_speakers, show_quote, speaker_ids
from store_support import db_url, seed_document, seed_quotes, seed_text, store  # noqa: F401


def ingest_seeds(store, quotes=None):
    quotes = quotes or seed_quotes()
    ingestor = Ingestor(store)
    for prefix in sorted(quotes):
        ingestor.add(seed_document(prefix), quotes[prefix])
    return ingestor


def speaker_named(rows, fragment):
    found = [r for r in rows if any(fragment in alias for alias in r["aliases"])]
    assert len(found) == 1, f"{fragment}: {[r['name'] for r in found]}"
    return found[0]


def test_upgrade_creates_the_schema_of_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    before, after = upgrade(resolve_url(db_url))
    assert before is None and after == "0003"
    opened = open_store(db_url)
    try:
        names = set(inspect(opened.engine).get_table_names())
        assert {"documents", "outlets", "speakers", "speaker_aliases", "speaker_roles", "speaker_pins", "quotes"} <= names

        def ours(obj, name, type_, reflected, compare_to):
            return not (type_ == "table" and name.startswith("quotes_fts"))

        def types_differ(context, inspected, metadata_column, inspected_type, metadata_type):
            # SQLite enforces no VARCHAR length: 0002 leaves its VARCHAR(n) columns as they are
            # (rebuilding a parent table would fire its ON DELETE actions); PostgreSQL has TEXT.
            if opened.backend == "sqlite" and isinstance(metadata_type, Text) and isinstance(inspected_type, String):
                return False
            return None  # the default comparison

        with opened.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": ours, "compare_type": types_differ})
            diff = [d for d in compare_metadata(context, Base.metadata) if not (d[0] == "remove_index" and d[1].name == "ix_quotes_content_fts")]
            assert diff == []
            if opened.backend == "sqlite":
                assert connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'quotes_fts'")).scalar() == 1
            else:
                assert "ix_quotes_content_fts" in {i["name"] for i in inspect(connection).get_indexes("quotes")}
    finally:
        opened.close()


def test_identity_outlets_and_dates_across_the_seed_articles(store):
    ingest_seeds(store)
    with store.read() as session:
        speakers = list_speakers(session)
        tokayev = speaker_named(speakers, "Tokayev")
        assert tokayev["name"] == "Kassym-Jomart Tokayev"
        assert tokayev["quotes"] == 2 and tokayev["outlets"] == ["Turan", "VOA"]
        assert (tokayev["first"], tokayev["last"]) == ("2022-01-29", "2022-06-17")
        assert "Kazakh President" in tokayev["roles"]
        abyshev = speaker_named(speakers, "Abyshev")
        assert abyshev["quotes"] == 2 and "Qaziz Abışov" in abyshev["aliases"]
        assert "political observer from Astana" in abyshev["roles"]
        ryabkov = speaker_named(speakers, "Ryabkov")
        assert ryabkov["quotes"] == 3 and ryabkov["roles"] == ["Russian Deputy Foreign Minister"]
        herbst = speaker_named(speakers, "Herbst")
        assert set(herbst["roles"]) == {"Atlantic Council", "former US ambassador to Ukraine and Uzbekistan"}
        garbuzov = speaker_named(speakers, "Garbuzov")
        assert garbuzov["roles"] == ["Director of the Institute for US and Canadian Studies"]

        republisher = aliased(Outlet)
        by_doc = {
            row.key: (row.outlet, row.published.isoformat() if row.published else None, row.republisher)
            for row in session.execute(
                select(StoredDocument.key, Outlet.name.label("outlet"), StoredDocument.published, republisher.name.label("republisher"))
                .outerjoin(Outlet, StoredDocument.outlet_id == Outlet.id)
                .outerjoin(republisher, StoredDocument.republished_by_id == republisher.id)
            )
        }
    assert by_doc == {
        "000": ("TASS", "2022-01-05", None),
        "001": ("TASS", "2022-01-09", None),
        "002": ("VOA", "2022-01-29", "Nation World News"),
        "003": ("TASS", "2022-01-09", None),
        "004": ("Turan", "2022-06-17", None),
    }


def test_a_name_on_the_command_line_resolves_through_aliases(store):
    ingest_seeds(store)
    with store.read() as session:
        rows = find_quotes(session, speaker="Tokayev")
        assert sorted({r["doc"] for r in rows}) == ["002", "004"]
        assert {r["speaker"] for r in rows} == {"Kassym-Jomart Tokayev"}
        assert {r["doc"] for r in find_quotes(session, speaker="Kasımjomart Tokayev")} == {"002", "004"}
        assert {r["doc"] for r in find_quotes(session, speaker="Abışov")} == {"004"}
        with pytest.raises(NotFound, match="no speaker has this name or alias"):
            find_quotes(session, speaker="Nobody Known")


def test_filters_and_full_text_search(store):
    ingest_seeds(store)
    with store.read() as session:
        assert {r["doc"] for r in find_quotes(session, outlet="TASS")} == {"000", "001", "003"}
        assert {r["doc"] for r in find_quotes(session, outlet="Voa News")} == {"002"}
        # Stemmed full-text search: "forces employed" finds "forces were employed".
        hits = find_quotes(session, search="forces employed")
        assert [r["doc"] for r in hits] == ["003"]
        assert find_quotes(session, search="terrorists")[0]["speaker"] == "Kassym-Jomart Tokayev"
        assert find_quotes(session, search="zeppelin") == []
        assert {r["type"] for r in find_quotes(session, type="mixed")} == {"mixed"}
        assert {r["doc"] for r in find_quotes(session, since=date(2022, 1, 10), until=date(2022, 2, 1))} == {"002"}
        assert len(find_quotes(session, limit=2)) == 2
        first = find_quotes(session)[0]
        assert first["doc"] == "000" and first["published"] == "2022-01-05"


def test_show_gives_the_paragraph_and_spans(store):
    quotes = seed_quotes()
    ingest_seeds(store, quotes)
    target = quotes["003"][0]
    with store.read() as session:
        found = show_quote(session, target.id[:8])
    text_ = seed_text("003")
    start, end = target.content_spans[0]
    assert found.paragraph.startswith('"The CSTO’s forces were employed')
    assert found.paragraph == text_[found.paragraph_start : found.paragraph_start + len(found.paragraph)]
    assert found.record["content_spans"] == [[start, end]] and found.record["outlet"] == "TASS"
    assert found.dateline_place == "Geneva"


def test_rerun_adds_nothing_and_changed_article_replaces_its_quotes(store):
    ingest_seeds(store)
    with store.read() as session:
        before = counts(session)
    again = ingest_seeds(store)
    assert again.stats.unchanged == 5 and again.stats.added == 0
    with store.read() as session:
        assert counts(session) == before

    edited = seed_text("003").replace("I don’t think there is any binomial theorem here", "No theorem here")
    kept = [q for q in seed_quotes()["003"]]
    extra = Quote(doc="003", type="direct", content_spans=[(edited.index("No theorem"), edited.index("No theorem") + 15)],
                  content="No theorem here", speaker="Sergey Ryabkov", speaker_mention="Ryabkov")
    outcome = Ingestor(store).add(seed_document("003", edited), kept + [extra])
    assert outcome == "replaced"
    with store.read() as session:
        document = session.scalars(select(StoredDocument).where(StoredDocument.key == "003")).one()
        keys = set(session.scalars(select(StoredQuote.key).where(StoredQuote.document_id == document.id)))
        assert keys == {q.id for q in kept} | {extra.id} and document.quote_count == 2
        assert document.text == edited
        assert counts(session)["quotes"] == before["quotes"] + 1


def test_a_failing_document_leaves_nothing(store):
    ingest_seeds(store)
    with store.read() as session:
        before = counts(session)
    good = Quote(doc="new", type="direct", content_spans=[(0, 4)], content="text", speaker="Anna Berg")
    bad = dataclasses.replace(good, id="other", content=None)  # NOT NULL content: the insert fails
    with pytest.raises(StoreFailure, match="new: not stored"):
        Ingestor(store).add(seed_document("new", "text of a new article by Anna Berg"), [good, bad])
    with store.read() as session:
        assert counts(session) == before
        assert session.scalar(select(func.count()).select_from(Speaker).where(Speaker.name == "Anna Berg")) == 0


def test_same_surname_different_people_stay_apart(store):
    text_a = "Finance Minister Nurlan Tokayev said taxes would rise."
    text_b = "Olympic swimmer Aida Tokayev said she would compete."
    ingestor = Ingestor(store)
    for key, text_, name in (("a", text_a, "Nurlan Tokayev"), ("b", text_b, "Aida Tokayev")):
        content = text_[text_.index("said") + 5 : -1]
        ingestor.add(seed_document(key, text_), [Quote(doc=key, type="indirect", content_spans=[(text_.index(content), text_.index(content) + len(content))],
                                                      content=content, speaker=name, speaker_mention=name)])
    with store.read() as session:
        rows = list_speakers(session, "Tokayev")
        assert sorted(r["name"] for r in rows) == ["Aida Tokayev", "Nurlan Tokayev"]
        assert {r["roles"][0] for r in rows} == {"Finance Minister", "Olympic swimmer"}
        # "Tokayev" finds all Tokayevs.
        assert len(speaker_ids(session, "Tokayev")) == 2


def test_corrections_survive_reingest(store):
    quotes = seed_quotes()
    ingest_seeds(store, quotes)
    with store.write() as session:
        garbuzov = find_speaker(session, "Garbuzov")
        courtney = find_speaker(session, "William Courtney")
        merge(session, garbuzov, courtney)  # a deliberate (wrong) merge an analyst may make
    with store.write() as session:
        rename(session, find_speaker(session, "Sergey Ryabkov"), "Sergei Ryabkov")
    with store.write() as session:
        split(session, find_speaker(session, "Abyshev"), aliases=["Qaziz Abışov"], name="Qaziz Abışov")

    # The articles change slightly and are ingested again: their quotes are replaced and resolved anew.
    for prefix in ("002", "003", "004"):
        changed = seed_text(prefix) + "\n\nUpdated."
        Ingestor(store).add(seed_document(prefix, changed), quotes[prefix])
    with store.read() as session:
        rows = {r["name"]: r for r in list_speakers(session)}
        assert "William Courtney" not in rows and "William Courtney" in rows["Valery Garbuzov"]["aliases"]
        assert rows["Valery Garbuzov"]["quotes"] == 2
        assert "Sergey Ryabkov" not in rows and rows["Sergei Ryabkov"]["quotes"] == 3
        assert rows["Qaziz Abışov"]["quotes"] == 1 and rows["Gaziz Abyshev"]["quotes"] == 1
        assert session.scalar(select(func.count()).select_from(StoredQuote)) == sum(len(v) for v in quotes.values())


def test_split_by_document_is_pinned(store):
    a = "Senator John Smith said the bill would pass."
    b = "Striker John Smith said the team would win."
    ingestor = Ingestor(store)
    for key, text_ in (("a", a), ("b", b)):
        content = text_[text_.index("said") + 5 : -1]
        start = text_.index(content)
        ingestor.add(seed_document(key, text_), [Quote(doc=key, type="indirect", content_spans=[(start, start + len(content))],
                                                      content=content, speaker="John Smith", speaker_mention="John Smith")])
    with store.write() as session:
        (smith,) = [session.get(Speaker, i) for i in speaker_ids(session, "John Smith")]
        split(session, smith, documents=["b"], name="John Smith (footballer)")
    Ingestor(store).add(seed_document("b", b + " He scored."), [])
    Ingestor(store).add(seed_document("b", b), [Quote(doc="b", type="indirect", content_spans=[(b.index("the team"), len(b) - 1)],
                                                      content=b[b.index("the team"):-1], speaker="John Smith", speaker_mention="John Smith")])
    with store.read() as session:
        rows = {r["name"]: r["quotes"] for r in list_speakers(session, "Smith")}
    assert rows == {"John Smith": 1, "John Smith (footballer)": 1}


def test_out_of_date_database_is_refused(db_url):
    if "://" not in db_url:
        # An existing SQLite file without our schema is not silently taken over either, not even
        # by `db upgrade`: it is another application's database.
        import sqlite3

        sqlite3.connect(db_url).execute("CREATE TABLE other (x)").connection.commit()
        for attempt in (lambda: open_store(db_url), lambda: upgrade(resolve_url(db_url))):
            with pytest.raises(StoreError, match=r"is not a quotetrack database: it holds tables quotetrack did not create \(other\)"):
                attempt()
        return
    with pytest.raises(StoreError, match=r"has no quotetrack schema.*quotetrack db upgrade --db"):
        open_store(db_url)
    upgrade(resolve_url(db_url))
    open_store(db_url).close()


def test_a_two_thousand_character_mention_stores_on_every_backend(store):
    """Free-text columns have no silent limits (PostgreSQL refused a 763-character mention)."""
    from quotetrack.records import Document, Quote
    from quotetrack.store import Ingestor

    mention = "Director " + "of the very long institute name " * 62 + "Anna Berg"
    text = f"{mention} said that the bridge would open."
    content = text.index("that the bridge")
    quote = Quote(
        doc="long", type="indirect", content_spans=[(content, len(text) - 1)], content=text[content:-1],
        speaker="Anna Berg", speaker_mention=mention, speaker_span=(0, len(mention)),
        cue="said", cue_span=(len(mention) + 1, len(mention) + 5), speaker_kind="person",
    )
    assert len(mention) >= 2000
    Ingestor(store).add(Document(id="long", text=text), [quote])
    with store.read() as session:
        assert session.scalar(select(StoredQuote.speaker_mention)) == mention


def test_a_sqlite_store_writes_ahead_and_checkpoints_in_large_steps(tmp_path):
    # A checkpoint syncs both files; a large store's random index pages made the default 1,000-page
    # interval cost 15% more time storing into 1M quotes than into none (benchmarks/identity.py).
    from quotetrack.store.db import WAL_CHECKPOINT_PAGES

    store = open_store(str(tmp_path / "q.db"), writable=True)
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == WAL_CHECKPOINT_PAGES > 1000
    finally:
        store.close()
