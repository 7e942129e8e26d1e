"""A lone surrogate (a JSON escape such as "\\udfff" that no encoding can write) in a JSONL field is
replaced by U+FFFD when read, one code point for one, with one warning per document; the run goes on."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.io.readers import iter_documents
from quotetrack.store import open_store, upgrade
from quotetrack.store.db import resolve_url
from quotetrack.store.models import StoredDocument
from store_support import db_url  # noqa: F401

TEXT = "Maria Ivanova said the budget was ready today."
BAD = "\udfff"


def jsonl_line(**fields) -> str:
    # json.dumps writes a lone surrogate as the escape \udfff, as broken exporters do
    return json.dumps({"id": "a", "text": TEXT, **fields})


@pytest.mark.parametrize("field", ["outlet", "title", "url", "text"])
def test_reader_replaces_lone_surrogates_keeping_offsets(tmp_path, field):
    value = TEXT.replace("budget", "bud" + BAD + "et") if field == "text" else f"Value {BAD}"
    path = tmp_path / "corpus.jsonl"
    path.write_text(jsonl_line(**{field: value}) + "\n", encoding="utf-8")
    [document] = list(iter_documents([str(path)]))
    got = getattr(document, field)
    assert got == value.replace(BAD, "\ufffd") and len(got) == len(value)
    assert document.warnings == (f"1 invalid character (lone surrogate) replaced by U+FFFD in {field}",)


@pytest.mark.parametrize("options", [["--no-store"], ["--no-store", "--n-process", "2"]])
@pytest.mark.parametrize("field", ["outlet", "title", "url"])
def test_extract_goes_on_past_a_lone_surrogate(tmp_path, field, options):
    path = tmp_path / "corpus.jsonl"
    path.write_text(jsonl_line(**{field: f"Value {BAD}"}) + "\n" + json.dumps({"id": "b", "text": TEXT}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl", *options])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["doc"] for line in result.stdout.splitlines()] == ["a", "b"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [f"Warning: {path}:1: 1 invalid character (lone surrogate) replaced by U+FFFD in {field}"]


def test_extract_stores_every_field_with_the_replacement(tmp_path, db_url):  # noqa: F811
    upgrade(resolve_url(db_url))
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        jsonl_line(outlet=f"TASS {BAD}", title=f"T{BAD}", url=f"http://x/{BAD}", text=TEXT.replace("today", "to" + BAD + "day")) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["extract", str(path), "--db", db_url, "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "4 invalid characters (lone surrogates) replaced by U+FFFD in text, outlet, url, title" in result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["outlet"] == "TASS \ufffd" and record["content"] == "the budget was ready to\ufffdday"
    store = open_store(db_url)
    try:
        with store.read() as session:
            document = session.scalars(select(StoredDocument)).one()
            assert (document.title, document.url, document.text) == ("T\ufffd", "http://x/\ufffd", TEXT.replace("today", "to\ufffdday"))
    finally:
        store.close()
