"""Small things that lost data or hid the problem: read commands creating databases from typos, a
blank QUOTETRACK_DB, postgres:// URLs, psycopg2 URLs, foreign and newer databases, CSV formulas,
JSONL on standard input, files a directory skips silently, and --n-process beyond the CPUs."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.render.formats import write_records
from quotetrack.store.db import default_path, head_revision, resolve_url
from store_support import db_url  # noqa: F401

ARTICLE = "Maria Ivanova said the budget was ready today.\n"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def one_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"Error: {message}"]


@pytest.mark.parametrize(
    "command",
    [
        ["quotes"],
        ["speakers"],
        ["show", "abcdef12"],
        ["compare", "-s", "A", "-s", "B"],
        ["report"],
        ["speakers", "merge", "A", "B"],
        ["speakers", "rename", "A", "B"],
    ],
)
def test_read_commands_never_create_a_database(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    args = ["speakers", "--db", "typo.db", *command[1:]] if command[0] == "speakers" and len(command) > 1 else [*command, "--db", "typo.db"]
    one_error(invoke(*args), "--db typo.db: no such database (extract creates one)")
    assert list(tmp_path.iterdir()) == []


def test_extract_and_db_upgrade_still_create(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert invoke("extract", article, "--db", tmp_path / "new.db", "-q").exit_code == 0
    assert invoke("db", "upgrade", "--db", tmp_path / "other.db").exit_code == 0
    assert invoke("quotes", "--db", tmp_path / "new.db", "-f", "json").exit_code == 0


def test_a_blank_quotetrack_db_is_unset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUOTETRACK_DB", "   ")
    result = invoke("db", "path")
    assert result.exit_code == 0 and result.stdout.strip() == str(default_path())
    assert resolve_url("  ") == resolve_url(None)
    invoke("quotes")
    assert list(tmp_path.iterdir()) == []  # never a file named "   "


def test_postgres_urls_are_accepted_and_psycopg2_gets_a_hint():
    assert resolve_url("postgres://me@db.example/news").render_as_string() == "postgresql+psycopg://me@db.example/news"
    assert resolve_url("postgresql://me@db.example/news").drivername == "postgresql+psycopg"
    result = invoke("quotes", "--db", "postgresql+psycopg2://me@db.example/news")
    one_error(
        result,
        "database URL postgresql+psycopg2://me@db.example/news: the psycopg2 driver is not installed; "
        "use postgresql://me@db.example/news (psycopg 3 is installed)",
    )


@pytest.mark.postgres
def test_a_postgres_url_works_end_to_end(db_url, tmp_path):  # noqa: F811
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    url = db_url.replace("postgresql+psycopg://", "postgres://")
    assert invoke("db", "upgrade", "--db", url).exit_code == 0
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert invoke("extract", article, "--db", url, "-q").exit_code == 0
    [quote] = json.loads(invoke("quotes", "--db", url, "-f", "json").stdout)
    assert quote["speaker"] == "Maria Ivanova"


def test_db_upgrade_refuses_a_foreign_database(tmp_path):
    foreign = tmp_path / "app.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE users (name TEXT)")
    before = foreign.read_bytes()
    message = (
        f"database sqlite:///{foreign} is not a quotetrack database: it holds tables quotetrack did not create "
        "(users); use a new file or another database"
    )
    one_error(invoke("db", "upgrade", "--db", foreign), message)
    one_error(invoke("quotes", "--db", foreign), message)
    one_error(invoke("extract", FIXTURES, "--db", foreign), message)
    assert foreign.read_bytes() == before


def test_db_upgrade_refuses_a_newer_schema(tmp_path):
    newer = tmp_path / "newer.db"
    assert invoke("db", "upgrade", "--db", newer).exit_code == 0
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    message = (
        f"database sqlite:///{newer} is at schema revision 0099, which this version of quotetrack does not know "
        f"(its newest is {head_revision()}): it was made by a newer quotetrack (upgrade quotetrack) or by another application "
        "(use another database)"
    )
    one_error(invoke("db", "upgrade", "--db", newer), message)
    one_error(invoke("quotes", "--db", newer), message)


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed():
    rows = [{"id": i, "content": value, "confidence": -0.5} for i, value in enumerate(
        ["=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"])]
    stream = io.StringIO()
    write_records(rows, "csv", stream)
    read = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [r["content"] for r in read] == [
        "'=HYPERLINK(\"http://evil\")", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain", "a=b",
    ]
    assert {r["confidence"] for r in read} == {"-0.5"} and read[0]["id"] == "0"  # numbers stay numbers


def test_input_format_reads_jsonl_from_standard_input():
    lines = "".join(json.dumps({"id": f"x{i}", "text": ARTICLE, "outlet": "TASS"}) + "\n" for i in (1, 2))
    result = invoke("extract", "-", "--input-format", "jsonl", "--no-store", "-f", "jsonl", input=lines)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["doc"], r["outlet"], r["speaker"]) for r in records] == [("x1", "TASS", "Maria Ivanova"), ("x2", "TASS", "Maria Ivanova")]
    # without it, the lines are one text article
    auto = invoke("extract", "-", "--no-store", "-f", "jsonl", input=lines)
    assert {json.loads(line)["doc"] for line in auto.stdout.splitlines()} == {"stdin"}


def test_input_format_forces_text_and_html(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(f"<html><body><article><p>{ARTICLE}</p></article></body></html>", encoding="utf-8")
    as_text = invoke("extract", page, "--input-format", "text", "--no-store", "-f", "json")
    [quote] = json.loads(as_text.stdout)
    assert quote["content_spans"][0][0] > 20  # offsets into the markup: read as text
    as_html = invoke("extract", page, "--input-format", "html", "--no-store", "-f", "json")
    assert [q["content_spans"] for q in json.loads(as_html.stdout)] == [[[19, 45]]]


def test_files_a_directory_skips_are_reported_one_line_each(tmp_path):
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "feed.json").write_text("{}", encoding="utf-8")
    (folder / "old.txt.gz").write_bytes(b"\x1f\x8b")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "sub" / "up").symlink_to(folder)
    (folder / ".hidden.json").write_text("{}", encoding="utf-8")
    result = invoke("extract", folder, "--no-store", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: {folder}/feed.json: skipped: .json files are not read from a directory (name the file to read it)",
        f"Warning: {folder}/loop1.txt: skipped: symbolic link loop",
        f"Warning: {folder}/loop2.txt: skipped: symbolic link loop",
        f"Warning: {folder}/old.txt.gz: skipped: .gz files are not read from a directory (name the file to read it)",
        f"Warning: {folder}/sub/up: skipped: symbolic link to a directory, not followed",
    ]
    assert [json.loads(line)["doc"] for line in result.stdout.splitlines()] == ["a"]


def test_many_skipped_files_end_in_one_summary_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for number in range(25):
        (tmp_path / f"data{number:02d}.csv").write_text("x", encoding="utf-8")
    result = invoke("extract", tmp_path, "--no-store", "-f", "jsonl")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 11 and warnings[-1] == f"Warning: {tmp_path}: skipped 15 more files not listed (25 in all)"


def test_n_process_is_capped_at_the_cpus(tmp_path, monkeypatch):
    monkeypatch.setattr("quotetrack.cli.common.cpu_count", lambda: 2)
    used = []
    import quotetrack.api

    real = quotetrack.api.extract_stream

    def spy(documents, **options):
        used.append(options["n_process"])
        return real(documents, **{**options, "n_process": 1})

    monkeypatch.setattr(quotetrack.api, "extract_stream", spy)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke("extract", article, "--no-store", "--n-process", "64", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert "Warning: --n-process 64: capped at 2, the number of CPUs available" in result.stderr.splitlines()
    assert used == [2]
