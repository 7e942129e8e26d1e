"""Terminal and bidi control characters in article text, titles, outlets, ids or file names are
shown escaped (\\x1b, \\u202e) by every command that prints to the terminal: they never clear the
screen (ESC[2J), set the window title (OSC 0), plant a hyperlink (OSC 8) or reorder a line (U+202E)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.render.formats import printable

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
RLO = "\u202e"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

TEXT = (
    f"Anna Berg said the city budget{CLEAR} would rise sharply {TITLE}next year, the council heard.\n\n"
    f"Tomas Lind said the city budget plan {RLO}would fail{LINK} next year without new taxes.\n"
)


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def assert_clean(result) -> None:
    assert not RAW.search(result.stdout), repr(result.stdout)
    assert not RAW.search(result.stderr), repr(result.stderr)


def test_printable_escapes_controls_and_bidi():
    assert printable(f"a{CLEAR}b{RLO}c\u2066d\u2069e\u202af") == "a\\x1b[2Jb\\u202ec\\u2066d\\u2069e\\u202af"
    assert printable("line\nnext\ttab “quoted” Абв") == "line\nnext\ttab “quoted” Абв"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("escapes")
    db = str(folder / "quotes.db")
    corpus = folder / "corpus.jsonl"
    record = {"id": f"evil{CLEAR}doc{RLO}", "text": TEXT, "outlet": f"Daily{TITLE}News", "title": f"{RLO}Budget{LINK}",
              "published": "2024-03-05"}
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    named = folder / f"named{CLEAR}{RLO}.txt"
    named.write_text(TEXT.replace("Anna Berg", "Rita Sol"), encoding="utf-8")
    result = run("extract", str(corpus), str(named), "--db", db)
    assert_clean(result)
    assert "\\x1b[2J" in result.stdout  # the table shows the escape, visibly
    quotes = json.loads(run("quotes", "--db", db, "-f", "json").stdout)
    assert {q["speaker"] for q in quotes} >= {"Anna Berg", "Tomas Lind"}
    return db, quotes


def test_quotes_and_speakers_tables(stored):
    db, _ = stored
    result = run("quotes", "--db", db)
    assert_clean(result)
    assert "\\u202e" in result.stdout
    assert_clean(run("speakers", "--db", db))


def test_show(stored):
    db, quotes = stored
    for quote in quotes:
        result = run("show", quote["id"], "--db", db)
        assert_clean(result)
    evil = next(q for q in quotes if CLEAR in q["doc"] and "would fail" in q["content"])
    shown = "".join(run("show", evil["id"], "--db", db).stdout.split())  # however the lines wrap
    assert "documentevil\\x1b[2Jdoc\\u202e" in shown and "\\u202eBudget\\x1b]8;;http://evil.example" in shown
    assert "\\u202ewouldfail\\x1b]8;;http://evil.example\\x1b\\click" in shown


@pytest.mark.parametrize("by", ["speaker", "outlet", "doc"])
def test_report(stored, by):
    db, _ = stored
    result = run("report", "--db", db, "--by", by)
    assert_clean(result)
    if by != "speaker":
        assert "\\x1b]0;pwned\\x07" in result.stdout


def test_compare(stored):
    db, _ = stored
    result = run("compare", "--speaker", "Anna Berg", "--speaker", "Tomas Lind", "--db", db)
    assert_clean(result)
    assert "\\x1b[2J" in result.stdout or "\\u202e" in result.stdout


def test_error_messages_name_files_escaped(tmp_path):
    missing = tmp_path / f"gone{CLEAR}{RLO}.txt"
    result = CliRunner().invoke(app, ["extract", "--no-store", str(missing)])
    assert result.exit_code == 1
    assert_clean(result)
    assert "gone\\x1b[2J\\u202e.txt: no such file or directory" in result.stderr
