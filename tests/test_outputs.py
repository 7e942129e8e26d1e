"""-o/--output never destroys an input or the database: such a path (or an existing file that is
no text output) is refused with one line before any work, and outputs are replaced atomically."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.io.outputs import atomic_output

ARTICLE = "Maria Ivanova said the budget was ready today.\n"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def refused(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"Error: {message}; nothing was read or written"]
    assert result.stdout == ""


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    db = tmp_path_factory.mktemp("outputs") / "q.db"
    assert invoke("extract", FIXTURES, "--db", db, "-q").exit_code == 0
    return db


def test_extract_refuses_to_write_over_its_input(tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    refused(invoke("extract", article, "--no-store", "-o", article), f"--output {article}: is one of the inputs")
    assert article.read_text(encoding="utf-8") == ARTICLE
    # the same file by another name, and through a symbolic link
    monkeypatch.chdir(tmp_path)
    refused(invoke("extract", "a.txt", "--no-store", "-o", "sub/../a.txt"), "--output sub/../a.txt: is one of the inputs")
    (tmp_path / "link.txt").symlink_to(article)
    refused(invoke("extract", "a.txt", "--no-store", "-o", "link.txt"), "--output link.txt: is one of the inputs")
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_extract_refuses_an_output_inside_an_input_directory(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = folder / "deeper" / "quotes.jsonl"
    refused(invoke("extract", folder, "--no-store", "-o", out), f"--output {out}: is inside the input directory {folder}")


def test_extract_refuses_its_database(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "q.db"
    refused(invoke("extract", article, "--db", db, "-o", db), f"--output {db}: is the database in use")
    assert not db.exists()  # refused before the database was created


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "-s", "Tokayev", "-s", "Ryabkov", "--format", "html"],
        ["compare", "-s", "Tokayev", "-s", "Ryabkov"],
        ["report", "--format", "json"],
        ["report"],
        ["quotes", "-f", "csv"],
    ],
)
def test_commands_refuse_the_database_in_use(database, command):
    before = database.read_bytes()
    refused(invoke(*command, "--db", database, "-o", database), f"--output {database}: is the database in use")
    refused(invoke(*command, "--db", database, "-o", f"{database}-wal"), f"--output {database}-wal: is the database in use")
    assert database.read_bytes() == before


def test_an_existing_file_that_is_no_text_output_is_refused(database, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    before = other.read_bytes()
    assert before.startswith(b"SQLite format 3\x00")
    refused(invoke("report", "--db", database, "-f", "html", "-o", other), f"--output {other}: is a SQLite database, not a text output")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    refused(invoke("quotes", "--db", database, "-o", pdf), f"--output {pdf}: is a binary file (a PDF document), not a text output")
    refused(invoke("quotes", "--db", database, "-o", tmp_path), f"--output {tmp_path}: is a directory")
    assert other.read_bytes() == before


def test_evaluate_refuses_errors_file_that_is_an_input(tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text("", encoding="utf-8")
    result = invoke("evaluate", tmp_path, "--pred", pred, "--errors", pred)
    refused(result, f"--errors {pred}: is one of the inputs")


def test_outputs_replace_old_files_and_still_work(database, tmp_path):
    out = tmp_path / "quotes.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert invoke("quotes", "--db", database, "-f", "csv", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,doc,type") and (out.stat().st_mode & 0o777) == 0o640
    page = tmp_path / "report.html"
    assert invoke("report", "--db", database, "-f", "html", "-o", page).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert invoke("quotes", "--db", database, "-f", "csv", "-o", os.devnull).exit_code == 0  # written in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quotes.csv", "report.html"]  # no temporary left


def test_a_failed_run_leaves_the_old_output_intact(tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "quotes.jsonl"
    out.write_text('{"old": true}\n', encoding="utf-8")

    def broken(rows, fmt, stream, **kwargs):
        for row in rows:
            stream.write(json.dumps(row) + "\n")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("quotetrack.cli.extract.write_records", broken)
    result = invoke("extract", article, "--no-store", "-f", "jsonl", "-o", out)
    assert result.exit_code == 1 and "disk on fire" in result.stderr
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "quotes.jsonl"]


def test_atomic_output_keeps_the_old_file_when_the_block_fails(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as stream:
            stream.write("new, half")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    with atomic_output(target) as stream:
        stream.write("new")
    assert target.read_text(encoding="utf-8") == "new"
