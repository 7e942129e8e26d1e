"""The Python API (`quotetrack.Store`) and the CLI give the same records: the seed fixtures stored
with `Store.ingest` and with `quotetrack extract`, then quotes, speakers, dedupe, show, compare and
report read both ways. The API side runs on SQLite and on PostgreSQL (skipped, saying why, where
there is none)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

import quotetrack
from quotetrack.cli import app
from quotetrack.errors import QuotetrackError
from quotetrack.records import Document
from store_support import FIXTURES, new_database

runner = CliRunner()
RECORD_KEYS = ("id", "doc", "type", "speaker", "speaker_id", "speaker_span", "cue_span", "content_spans", "outlet", "published")


def cli(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def cli_json(*args: object):
    return json.loads(cli(*args, "-f", "json"))


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory, nlp):
    """The fixtures stored by `quotetrack extract`, with what it printed."""
    db = tmp_path_factory.mktemp("cli") / "cli.db"
    return db, cli_json("extract", FIXTURES, "--db", db)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ingested(request, tmp_path_factory, nlp):
    """The fixtures stored by `Store.ingest` (a SQLite file or a fresh PostgreSQL schema), and its result."""
    from sqlalchemy.orm import close_all_sessions

    from quotetrack.store import upgrade
    from quotetrack.store.db import resolve_url

    url, cleanup = new_database(request.param, tmp_path_factory.mktemp("api"))
    try:
        if request.param == "postgresql":  # prepared once, as `quotetrack db upgrade` does
            upgrade(resolve_url(url))
        with quotetrack.Store.open(url, create=True) as store:
            yield store, store.ingest(sorted(FIXTURES.glob("*.txt")), nlp=nlp)
    finally:
        close_all_sessions()
        cleanup()


@pytest.fixture
def api_store(ingested):
    return ingested[0]


def records(rows: list[dict]) -> list[tuple]:
    return [tuple(json.dumps(row[key]) for key in RECORD_KEYS) for row in rows]


def test_ingest_counts_what_it_stored(ingested, cli_db):
    api_store, result = ingested
    _, extracted = cli_db
    assert result.ok and result.documents == 5 and result.quotes == len(extracted) > 10
    assert (result.stored.added, result.stored.replaced, result.stored.unchanged) == (5, 0, 0)
    again = api_store.ingest(FIXTURES)  # a directory, read as `extract` reads it: nothing new
    assert (again.documents, again.stored.added, again.stored.unchanged) == (5, 0, 5)


def test_quotes_are_the_same_records_as_the_cli(api_store, cli_db):
    db, extracted = cli_db
    from_cli = cli_json("quotes", "--db", db)
    from_api = api_store.quotes()
    assert records(from_api) == records(from_cli)
    assert sorted(q["id"] for q in from_api) == sorted(q["id"] for q in extracted)
    for filters, options in (
        ({"speaker": "Tokayev"}, ["--speaker", "Tokayev"]),
        ({"outlet": "TASS", "type": "direct"}, ["--outlet", "TASS", "--type", "direct"]),
        ({"search": "security guarantees"}, ["--search", "security guarantees"]),
        ({"since": date(2022, 1, 10), "until": "2022-12-31"}, ["--since", "2022-01-10", "--until", "2022-12-31"]),
        ({"limit": 3}, ["--limit", "3"]),
    ):
        assert records(api_store.quotes(**filters)) == records(cli_json("quotes", "--db", db, *options)), filters


def test_speakers_dedupe_and_show_as_the_cli(api_store, cli_db):
    db, _ = cli_db
    assert api_store.speakers() == cli_json("speakers", "--db", db)
    assert api_store.speakers("Ryabkov") == cli_json("speakers", "--search", "Ryabkov", "--db", db)
    from quotetrack.analysis.appearances import dedupe_rows

    claims = api_store.dedupe()
    assert dedupe_rows(claims, detail=True) == cli_json("quotes", "--dedupe", "--db", db)
    reused = next(claim for claim in claims if len(claim.appearances) > 1)
    detail = api_store.show(reused.id)
    assert detail.to_dict() == cli_json("show", reused.id, "--db", db)[0]
    assert api_store.provenance(reused.id[:8]).appearances == reused.appearances


def test_find_speaker(api_store):
    tokayev = api_store.find_speaker("Tokayev")
    assert tokayev.name == "Kassym-Jomart Tokayev"
    assert api_store.find_speaker(tokayev.id) == tokayev
    assert {q["speaker"] for q in api_store.quotes(speaker="Kassym Zhomart Tokayev")} == {tokayev.name}
    with pytest.raises(QuotetrackError, match="Nobody Atall"):
        api_store.find_speaker("Nobody Atall")


@pytest.mark.parametrize(
    ("kwargs", "options"),
    [
        ({}, []),
        ({"topic": "terrorism"}, ["--topic", "terrorism"]),
        ({"outlet": ["VOA", "Turan"], "since": "2022-01-01"}, ["--outlet", "VOA", "--outlet", "Turan", "--since", "2022-01-01"]),
    ],
)
def test_compare_is_the_same_as_the_cli(api_store, cli_db, kwargs, options):
    db, _ = cli_db
    comparison = api_store.compare(["Tokayev", "Murtazashvili"], **kwargs)
    assert comparison.to_dict() == cli_json("compare", "-s", "Tokayev", "-s", "Murtazashvili", *options, "--db", db)
    assert comparison.speakers == ["Kassym-Jomart Tokayev", api_store.find_speaker("Murtazashvili").name]


def test_compare_needs_two_speakers(api_store):
    with pytest.raises(quotetrack.api.CompareError, match="at least two"):
        api_store.compare(["Tokayev"])
    with pytest.raises(quotetrack.api.CompareError, match="all name one speaker"):
        api_store.compare(["Tokayev", "Kassym-Jomart Tokayev"])


@pytest.mark.parametrize(
    ("kwargs", "options"),
    [({}, []), ({"by": "outlet", "top": 2}, ["--by", "outlet", "--top", "2"]), ({"speaker": "Ryabkov"}, ["-s", "Ryabkov"])],
)
def test_report_is_the_same_as_the_cli(api_store, cli_db, kwargs, options):
    db, _ = cli_db
    assert api_store.report(**kwargs).to_dict() == cli_json("report", *options, "--db", db)


def test_corrections_through_the_api(tmp_path, nlp):
    with quotetrack.Store.open(tmp_path / "fix.db", create=True) as store:
        store.ingest(FIXTURES, nlp=nlp)
        abyshev = store.find_speaker("Gaziz Abyshev")
        renamed = store.rename(abyshev.id, "Gaziz Abyshev (analyst)")
        assert renamed.origin == abyshev and renamed.speaker.name == "Gaziz Abyshev (analyst)"
        assert store.find_speaker("Gaziz Abyshev").id == abyshev.id  # the old name stays an alias
        ryabkov = store.find_speaker("Ryabkov")
        split = store.split(ryabkov.name, documents=["003_768d1a41c320273d"], name="Sergey Ryabkov (003)")
        assert split.origin == ryabkov and split.speaker.name == "Sergey Ryabkov (003)"
        assert {q["doc"] for q in store.quotes(speaker="Sergey Ryabkov (003)")} == {"003_768d1a41c320273d"}
        merged = store.merge(ryabkov.id, split.speaker.id)
        assert merged.speaker == ryabkov and merged.origin == split.speaker
        assert "003_768d1a41c320273d" in {q["doc"] for q in store.quotes(speaker="Sergey Ryabkov")}


def test_a_bad_input_never_stops_the_batch(tmp_path, nlp):
    (tmp_path / "good.txt").write_text('"Roads first," Mayor Anna Berg said on Monday.\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02")
    documents = [Document(id="given", text='"Schools next," Tomas Lind said.')]
    failures, seen = [], []
    with quotetrack.Store.open(tmp_path / "q.db", create=True) as store:
        result = store.ingest(
            [tmp_path, *documents], outlet="Daily Test", published="2024-03-05", nlp=nlp,
            on_error=failures.append, progress=lambda r: seen.append(r.documents),
        )
        assert result.documents == 2 and result.stored.added == 2 and not result.ok
        assert sorted(f.name for f in result.failed) == ["empty.txt", "scan.txt"] and failures == result.failed
        assert seen[-1] == 2
        stored = store.quotes()
    assert {(q["doc"], q["outlet"], q["published"]) for q in stored} == {
        ("good", "Daily Test", "2024-03-05"), ("given", "Daily Test", "2024-03-05"),
    }


def test_ingesting_streams_what_extract_prints(tmp_path, nlp, cli_db):
    _, extracted = cli_db
    with quotetrack.Store.open(tmp_path / "q.db", create=True) as store:
        run = store.ingesting([FIXTURES], nlp=nlp)
        stream = iter(run)
        first, quotes = next(stream)
        assert first.id.startswith("000") and first.meta is not None and quotes
        assert run.result.documents == 1 and run.result.stored.added == 1
        assert len(store.quotes()) == len(quotes)
        texts = {first.id: first.text}
        rest = []
        for document, more in stream:
            texts[document.id] = document.text
            rest += more
        assert [quotetrack.api.quote_record(q, texts[q.doc]) for q in quotes + rest] == extracted
        assert run.result.documents == 5 and run.result.quotes == len(extracted)


def test_open_without_create_wants_an_existing_database(tmp_path):
    with pytest.raises(QuotetrackError, match="create=True"):
        quotetrack.Store.open(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    with quotetrack.Store.open(tmp_path / "new.db", create=True) as store:
        assert store.created and store.quotes() == []
    with quotetrack.Store.open(tmp_path / "new.db") as store:
        assert not store.created and "new.db" in repr(store)
