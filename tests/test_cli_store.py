"""The store commands end to end through the CLI: extract stores, then speakers / quotes / show,
corrections, `db upgrade|path`, and one-line errors for unusable databases.

The first tests run the real extractor over the seed articles, so they depend on its quality
(speaker names and mentions for Tokayev, Ryabkov and Abyshev)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from store_support import FIXTURES, PG_BASE, pg_problem

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def one_line_error(result, *fragments):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, nlp):
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = run("extract", FIXTURES, "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    return db, result


def test_first_use_creates_the_database_with_a_notice(seeded):
    db, result = seeded
    assert "Created a new database" in result.stderr and db.exists()
    records = [json.loads(line) for line in result.stdout.splitlines()]
    # Quotes carry the outlet and date detected in their article.
    assert {(r["doc"][:3], r["outlet"], r["published"]) for r in records} >= {
        ("001", "TASS", "2022-01-09"), ("003", "TASS", "2022-01-09"), ("002", "VOA", "2022-01-29"),
    }


def test_speakers_are_one_across_the_seed_articles(seeded):
    db, _ = seeded
    speakers = json.loads(run("speakers", "--db", db, "--format", "json").stdout)
    tokayev = [s for s in speakers if any("Tokayev" in a for a in s["aliases"])]
    assert len(tokayev) == 1 and set(tokayev[0]["outlets"]) >= {"VOA", "Turan"}
    assert len([s for s in speakers if any("Abyshev" in a or "Abışov" in a for a in s["aliases"])]) == 1
    ryabkov = [s for s in speakers if any("Ryabkov" in a for a in s["aliases"])]
    assert len(ryabkov) == 1 and ryabkov[0]["name"] == "Sergey Ryabkov"

    quotes = json.loads(run("quotes", "--speaker", "Tokayev", "--db", db, "--format", "json").stdout)
    assert {q["doc"][:3] for q in quotes} == {"002", "004"}
    assert {(q["doc"][:3], q["outlet"]) for q in quotes} == {("002", "VOA"), ("004", "Turan")}
    ryabkov_quotes = json.loads(run("quotes", "--speaker", "Ryabkov", "--db", db, "--format", "json").stdout)
    assert {q["doc"][:3] for q in ryabkov_quotes} == {"001", "003"}


def test_outlets_and_dates_of_the_stored_documents(seeded):
    db, _ = seeded
    rows = json.loads(run("quotes", "--db", db, "--format", "json").stdout)
    by_doc = {(r["doc"][:3], r["outlet"], r["published"]) for r in rows}
    assert {d for d in by_doc if d[0] in ("000", "001", "003")} <= {
        ("000", "TASS", "2022-01-05"), ("001", "TASS", "2022-01-09"), ("003", "TASS", "2022-01-09"),
    }
    assert ("002", "VOA", "2022-01-29") in by_doc and ("004", "Turan", "2022-06-17") in by_doc
    tass = json.loads(run("quotes", "--outlet", "tass", "--db", db, "--format", "json").stdout)
    assert tass and {r["outlet"] for r in tass} == {"TASS"}


def test_rerun_stores_nothing_new(seeded, tmp_path):
    db, _ = seeded
    before = run("quotes", "--db", db, "--format", "jsonl").stdout
    result = run("extract", FIXTURES, "--db", db, "--format", "jsonl")
    assert result.exit_code == 0 and "0 new, 0 changed, 5 unchanged" in result.stderr
    assert run("quotes", "--db", db, "--format", "jsonl").stdout == before


def test_formats_and_filters(seeded):
    db, _ = seeded
    csv_out = run("quotes", "--db", db, "--format", "csv", "--limit", "2").stdout.splitlines()
    assert csv_out[0].startswith("id,doc,type,speaker,speaker_id") and len(csv_out) == 3
    assert run("quotes", "--since", "2022-13-01", "--db", db).exit_code == 1
    found = json.loads(run("speakers", "--search", "ryabkov", "--db", db, "-f", "json").stdout)
    assert [s["name"] for s in found] == ["Sergey Ryabkov"]
    table = run("speakers", "--db", db, env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "Ryabkov" in table.stdout


def test_show_highlights_the_quote_in_its_paragraph(seeded):
    db, _ = seeded
    quote = json.loads(run("quotes", "--speaker", "Ryabkov", "--db", db, "--format", "json").stdout)[0]
    shown = run("show", quote["id"], "--db", db)
    assert shown.exit_code == 0
    assert "TASS" in shown.stdout and "2022-01-09" in shown.stdout
    assert quote["content"].split()[0] in shown.stdout
    detail = json.loads(run("show", quote["id"], "--db", db, "--format", "json").stdout)[0]
    start = detail["content_spans"][0][0] - detail["paragraph_start"]
    assert detail["paragraph"][start:].startswith(detail["content"][:20])
    one_line_error(run("show", "ffffffffffffffff", "--db", db), "no stored quote")


def test_article_text_is_not_rich_markup(tmp_path, nlp):
    article = tmp_path / "markup.txt"
    article.write_text('"We will [bold]never[/bold] stop," Mayor Anna Berg said on Monday.\n', encoding="utf-8")
    db = tmp_path / "m.db"
    assert run("extract", article, "--db", db, "-q").exit_code == 0
    quote = json.loads(run("quotes", "--db", db, "--format", "json").stdout)[0]
    shown = run("show", quote["id"], "--db", db)
    assert "[bold]never[/bold]" in shown.stdout


def test_corrections_through_the_cli(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text('"Roads first," Mayor Anna Berg said.\n\nEngineer Tomas Lind said the bridge was safe.\n', encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("extract", folder, "--db", db, "-q").exit_code == 0
    assert run("speakers", "merge", "Anna Berg", "Tomas Lind", "--db", db).exit_code == 0
    names = [s["name"] for s in json.loads(run("speakers", "--db", db, "-f", "json").stdout)]
    assert "Anna Berg" in names and not any("Lind" in n for n in names)
    split = run("speakers", "split", "Anna Berg", "--alias", "Tomas Lind", "--name", "Tomas Lind", "--db", db)
    assert split.exit_code == 0, split.stderr
    assert run("speakers", "rename", "Tomas Lind", "Tomas A. Lind", "--db", db).exit_code == 0
    # A changed article is ingested again; the corrections hold.
    (folder / "a.txt").write_text((folder / "a.txt").read_text() + "\nMore.\n", encoding="utf-8")
    assert run("extract", folder, "--db", db, "-q").exit_code == 0
    speakers = {s["name"]: s["quotes"] for s in json.loads(run("speakers", "--db", db, "-f", "json").stdout)}
    assert speakers.get("Anna Berg") == 1 and speakers.get("Tomas A. Lind") == 1
    one_line_error(run("speakers", "merge", "Nobody", "Anna Berg", "--db", db), "Nobody")


def test_no_store_writes_no_database(tmp_path, nlp):
    db = tmp_path / "never.db"
    result = run("extract", FIXTURES / next(p.name for p in FIXTURES.glob("001_*.txt")), "--no-store", "--db", db, "-f", "jsonl")
    assert result.exit_code == 0 and not db.exists()


def test_db_path_and_upgrade(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "QUOTETRACK_DB": ""}
    path = run("db", "path", env=env)
    assert path.exit_code == 0 and path.stdout.strip().endswith("quotetrack.db")
    assert path.stdout.strip().startswith(str(tmp_path / "config"))
    target = tmp_path / "up.db"
    first = run("db", "upgrade", "--db", target)
    assert first.exit_code == 0 and "upgraded from empty to schema 0003" in first.stderr
    assert "up to date" in run("db", "upgrade", "--db", target).stderr
    assert run("db", "path", "--db", target).stdout.strip() == str(target)


def test_unusable_databases_fail_in_one_line(tmp_path):
    one_line_error(run("quotes", "--db", "mysql://u@h/d"), "only sqlite and postgresql")
    one_line_error(run("quotes", "--db", "postgresql://postgres@127.0.0.1:1/test"), "cannot connect")
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    one_line_error(run("quotes", "--db", junk), "not a SQLite database")
    readonly = tmp_path / "ro.db"
    assert run("db", "upgrade", "--db", readonly).exit_code == 0
    article = tmp_path / "a.txt"
    article.write_text('"Roads first," Mayor Anna Berg said.\n', encoding="utf-8")
    result = run("extract", article, "--db", f"sqlite:///file:{readonly}?mode=ro&uri=true", "-q")
    one_line_error(result, "cannot write")
    assert result.stdout == ""


@pytest.mark.postgres
def test_out_of_date_postgresql_is_refused_with_the_upgrade_command():
    if pg_problem():
        pytest.skip(pg_problem())
    import uuid

    from store_support import _pg_admin

    schema = f"qt_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE SCHEMA "{schema}"')
    try:
        url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
        one_line_error(run("quotes", "--db", url), "has no quotetrack schema", "quotetrack db upgrade --db")
        assert run("db", "upgrade", "--db", url).exit_code == 0
        assert run("quotes", "--db", url, "-f", "json").stdout.strip() == "[]"
    finally:
        _pg_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
