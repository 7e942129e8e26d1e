"""Document identity: a stored document is one source (a file by its resolved path, a JSONL record
by its id, standard input by its content). Another article never replaces a stored one because
their ids collide, the same source keeps its id from run to run, and the same text from another
source is another appearance, stored too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.store import open_store, upgrade
from quotetrack.store.db import resolve_url
from quotetrack.store.models import StoredDocument
from store_support import db_url  # noqa: F401

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIRST = "Maria Ivanova said the budget was ready today.\n"
SECOND = "John Smith said the new bridge would open in May.\n"


@pytest.fixture
def db(db_url):  # noqa: F811
    upgrade(resolve_url(db_url))
    return db_url


def extract(*args, input: str | None = None):
    result = CliRunner().invoke(app, ["extract", *map(str, args), "-f", "jsonl"], input=input)
    assert result.exit_code == 0, result.output
    summary = [line for line in result.stderr.splitlines() if "stored" in line]
    return [json.loads(line) for line in result.stdout.splitlines()], summary[-1].split("; ", 1)[1] if summary else ""


def documents(db) -> dict[str, tuple[str, str]]:
    store = open_store(db)
    try:
        with store.read() as session:
            return {d.key: (d.source, d.text) for d in session.scalars(select(StoredDocument))}
    finally:
        store.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_another_article_with_the_same_file_name_is_a_new_document(tmp_path, db):
    a = write(tmp_path / "a" / "article.txt", FIRST)
    b = write(tmp_path / "b" / "article.txt", SECOND)
    [first], summary = extract(a, "--db", db)
    assert first["doc"] == "article" and summary == "stored 1 new, 0 changed, 0 unchanged documents (1 quotes)"
    [second], summary = extract(b, "--db", db)
    assert second["doc"] == "b/article"
    assert summary == (
        "stored 1 new, 0 changed, 0 unchanged documents (1 quotes); "
        "1 new document stored under another id, as another source holds it: article → b/article"
    )
    assert documents(db) == {"article": (f"file:{a}", FIRST), "b/article": (f"file:{b}", SECOND)}
    # the same sources again, alone or together: the same ids and quote ids, nothing stored
    assert extract(b, "--db", db) == ([second], "stored 0 new, 0 changed, 1 unchanged documents (0 quotes)")
    assert extract(a, b, "--db", db) == ([first, second], "stored 0 new, 0 changed, 2 unchanged documents (0 quotes)")


def test_the_same_file_keeps_its_id_in_every_run(tmp_path, db):
    index = write(tmp_path / "index.txt", FIRST)
    dated = write(tmp_path / "2023-01-01" / "index.txt", SECOND)
    records, _ = extract(index, dated, "--db", db)
    ids = {r["doc"] for r in records}
    assert len(ids) == 2
    alone, summary = extract(dated, "--db", db)
    assert alone[0]["doc"] in ids and alone[0]["doc"] != "index" and summary.startswith("stored 0 new, 0 changed, 1 unchanged")
    alone, _ = extract(index, "--db", db)
    assert alone[0]["doc"] in ids


def test_only_the_same_source_with_another_text_is_changed(tmp_path, db):
    article = write(tmp_path / "a" / "article.txt", FIRST)
    [before], _ = extract(article, "--db", db)
    write(article, SECOND)
    [after], summary = extract(article, "--db", db)
    assert after["doc"] == before["doc"] == "article" and summary.startswith("stored 0 new, 1 changed, 0 unchanged")
    assert documents(db) == {"article": (f"file:{article}", SECOND)}


def test_the_same_text_from_another_outlet_is_stored_as_another_appearance(tmp_path, db):
    feed = write(tmp_path / "feed.jsonl", "".join(
        json.dumps({"id": id_, "text": FIRST, "outlet": outlet}) + "\n" for id_, outlet in (("tass-1", "TASS"), ("voa-1", "VOA"))
    ))
    records, summary = extract(feed, "--db", db)
    assert [r["doc"] for r in records] == ["tass-1", "voa-1"]
    assert summary == "stored 2 new, 0 changed, 0 unchanged documents (2 quotes)"
    report = json.loads(CliRunner().invoke(app, ["report", "--by", "outlet", "--db", db, "-f", "json"]).stdout)
    assert {g["name"]: g["quotes"] for g in report["groups"]} == {"TASS": 1, "VOA": 1}
    # a file with the same text is one more appearance
    copy = write(tmp_path / "copy.txt", FIRST)
    _, summary = extract(copy, "--db", db)
    assert summary.startswith("stored 1 new, 0 changed, 0 unchanged")
    # identical text under the same key stays unchanged
    _, summary = extract(feed, copy, "--db", db)
    assert summary == "stored 0 new, 0 changed, 3 unchanged documents (0 quotes)"


def test_a_jsonl_record_is_its_id(tmp_path, db):
    feed = write(tmp_path / "feed.jsonl", json.dumps({"id": "r1", "text": FIRST}) + "\n")
    extract(feed, "--db", db)
    other = write(tmp_path / "elsewhere" / "export.jsonl", json.dumps({"id": "r1", "text": SECOND}) + "\n")
    [record], summary = extract(other, "--db", db)
    assert record["doc"] == "r1" and summary.startswith("stored 0 new, 1 changed")
    # a file called r1.txt is another source: it does not replace the record
    [record], summary = extract(write(tmp_path / "r1.txt", FIRST), "--db", db)
    assert record["doc"] == f"{tmp_path.name}/r1" and summary.startswith("stored 1 new, 0 changed")


def test_standard_input_is_its_content(db):
    [one], _ = extract("-", "--db", db, input=FIRST)
    [two], _ = extract("-", "--db", db, input=SECOND)
    assert one["doc"].startswith("stdin:") and two["doc"].startswith("stdin:") and one["doc"] != two["doc"]
    again, summary = extract("-", "--db", db, input=FIRST)
    assert again == [one] and summary.startswith("stored 0 new, 0 changed, 1 unchanged")


def test_fixture_ids_are_the_file_stems(db):
    records, _ = extract(FIXTURES, "--db", db)
    assert {r["doc"] for r in records} == {p.stem for p in FIXTURES.glob("*.txt")}


def test_a_database_stored_before_source_keys_is_taken_over(tmp_path, monkeypatch):
    db = str(tmp_path / "old.db")
    article = write(tmp_path / "news" / "article.txt", FIRST)
    extract(article, "--db", db)
    import sqlite3

    with sqlite3.connect(db) as connection:  # as an older version stored it: the path as given
        connection.execute("UPDATE documents SET source = 'news/article.txt'")
    monkeypatch.chdir(tmp_path)
    [record], summary = extract("news/article.txt", "--db", db)
    assert record["doc"] == "article" and summary.startswith("stored 0 new, 0 changed, 1 unchanged")
    assert documents(db) == {"article": (f"file:{article}", FIRST)}
