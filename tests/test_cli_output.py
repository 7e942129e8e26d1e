"""What the commands print, read as a person reads it: tables at 80, 120 and 200 columns, --full,
the pager, stance and negation in every quote output, flat CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import sys

import pytest
from typer.testing import CliRunner

from quotetrack.analysis.report import unresolved_label
from quotetrack.cli import app
from quotetrack.cli import pager as pager_module
from quotetrack.render.tables import records_table, wrap
from store_support import FIXTURES

runner = CliRunner()
ID_LINE = re.compile(r"^([0-9a-f]{16})  ")
HINT = "(content cut: --full shows all, or quotetrack show ID)"


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, nlp):
    db = tmp_path_factory.mktemp("output") / "seeds.db"
    result = run("extract", FIXTURES, "--db", db, "-f", "jsonl", "-q")
    assert result.exit_code == 0, result.output
    return db, [json.loads(line) for line in result.stdout.splitlines()]


def table_rows(output: str) -> dict[str, list[str]]:
    """Quote id -> the lines of its row (a row starts at the line that begins with its id)."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in output.splitlines():
        found = ID_LINE.match(line)
        if found:
            current = rows.setdefault(found.group(1), [])
        elif line.startswith("(") or not line.strip():
            current = None
        if current is not None:
            current.append(line)
    return rows


@pytest.mark.parametrize("width", [80, 120, 200])
def test_extract_table_fits_each_quote_in_six_lines(seeded, width):
    _, records = seeded
    result = run("extract", FIXTURES, "--no-store", "-q", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    rows = table_rows(result.stdout)
    # every quote, each id whole on one line, each row at most 6 lines
    assert set(rows) == {r["id"] for r in records}
    assert max(len(row) for row in rows.values()) <= 6
    # long content is cut with "…" and the hint says how to see it all (not `show`: nothing was stored)
    assert any(line.rstrip().endswith("…") for line in lines)
    assert lines[-1] == "(content cut: --full shows all)"
    # the header names the columns extract shows
    head = "\n".join(lines[:4])
    for name in ("id", "speaker", "cue", "stance", "content", "outlet", "date"):
        assert re.search(rf"\b{name}\b", head), (name, head)


def test_content_takes_the_extra_width(seeded):
    _, records = seeded
    heights = {}
    for width in (80, 120, 200):
        rows = table_rows(run("extract", FIXTURES, "--no-store", "-q", env={"COLUMNS": str(width)}).stdout)
        heights[width] = sum(len(row) for row in rows.values())
    assert heights[80] > heights[120] > heights[200] >= len(records)
    assert heights[80] < 6 * len(records)


def test_words_are_not_broken(seeded):
    _, records = seeded
    output = run("quotes", "--db", seeded[0], env={"COLUMNS": "80"}).stdout
    words = {w for r in records for w in re.findall(r"\w+", r["content"])}
    shown = re.findall(r"\w+", output)
    # a word broken across lines would leave pieces that are no word of any quote (ids and dates aside)
    pieces = [w for w in shown if w not in words and not re.fullmatch(r"[0-9a-f]{16}|\d+", w)]
    known = {"id", "speaker", "cue", "stance", "content", "outlet", "date", "asserts", "denies", "doubts", "hedges",
             "TASS", "VOA", "Turan", "full", "shows", "all", "or", "quotetrack", "show", "ID", "cut"}
    speakers = {w for r in records for w in re.findall(r"\w+", f"{r['speaker']} {r['speaker_mention']} {r['cue']}")}
    assert [p for p in pieces if p not in known | speakers] == []


def test_full_shows_the_whole_content(seeded):
    db, records = seeded
    cut = run("quotes", "--db", db, env={"COLUMNS": "80"}).stdout
    assert cut.splitlines()[-1] == HINT
    full = run("quotes", "--db", db, "--full", env={"COLUMNS": "80"}).stdout
    assert HINT not in full and "…" not in full.replace(" … ", "")
    longest = max(records, key=lambda r: len(r["content"]))
    row = table_rows(full)[longest["id"]]
    assert len(row) > 6
    flat = " ".join(" ".join(line.split()) for line in full.splitlines())
    for word in longest["content"].split()[-6:]:
        assert word in flat


def test_quotes_dedupe_and_speakers_tables_fit_80_columns(seeded):
    db, _ = seeded
    for args in (("quotes", "--dedupe"), ("speakers",)):
        result = run(*args, "--db", db, env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.output
        assert all(len(line.rstrip()) <= 80 for line in result.stdout.splitlines()), args
    speakers = run("speakers", "--db", db, env={"COLUMNS": "80"}).stdout
    assert "Murtazashvili" in speakers and "Murtazashvi\n" not in speakers
    dedupe = table_rows(run("quotes", "--dedupe", "--db", db, env={"COLUMNS": "80"}).stdout)
    assert dedupe and max(len(row) for row in dedupe.values()) <= 8


def test_unresolved_speaker_shows_the_mention_in_parentheses(seeded):
    db, records = seeded
    unresolved = next(r for r in records if r["speaker"] is None and r["speaker_mention"] == "the government")
    output = run("quotes", "--db", db, env={"COLUMNS": "120"}).stdout
    (line,) = [line for line in output.splitlines() if line.startswith(unresolved["id"])]
    assert "(the government)" in line


def test_wrap_cuts_at_a_word_with_an_ellipsis():
    lines, cut = wrap("one two three four five six seven eight nine ten", 10, 2)
    assert lines == ["one two", "three…"] and cut
    assert wrap("short", 10, 2) == (["short"], False)
    lines, cut = wrap("x" * 25, 10, None)
    assert lines == ["x" * 10, "x" * 10, "x" * 5] and not cut


def test_table_cells_are_text_not_markup():
    rendered = records_table([{"id": "a" * 16, "content": "[bold]x[/bold] \x1b[31m"}], ["id", "content"], width=80,
                             clean=lambda s: s.replace("\x1b", "\\x1b"))
    console_text = io.StringIO()
    from rich.console import Console

    Console(file=console_text, width=80).print(rendered.table)
    assert "[bold]x[/bold] \\x1b[31m" in console_text.getvalue()


# --- the pager -------------------------------------------------------------------------------------


def test_pager_choice_follows_the_environment(monkeypatch):
    for name in ("NO_PAGER", "QUOTETRACK_PAGER", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    assert pager_module.pager_command() == "less -R -F -X"
    monkeypatch.setenv("PAGER", "more")
    assert pager_module.pager_command() == "more"
    monkeypatch.setenv("QUOTETRACK_PAGER", "most")
    assert pager_module.pager_command() == "most"
    monkeypatch.setenv("QUOTETRACK_PAGER", "never")
    assert pager_module.pager_command() is None
    monkeypatch.delenv("QUOTETRACK_PAGER")
    monkeypatch.setenv("NO_PAGER", "1")
    assert pager_module.pager_command() is None


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def paged_output(monkeypatch, tmp_path, args, lines=10, pager=True):
    """Run the command with standard output a (fake) terminal of `lines` lines and a pager that
    writes what it is given to a file; return (what reached the terminal, what the pager got)."""
    got = tmp_path / "paged.txt"
    monkeypatch.setenv("QUOTETRACK_PAGER", f"cat > {got}" if pager else "never")
    monkeypatch.delenv("NO_PAGER", raising=False)
    monkeypatch.setenv("LINES", str(lines))
    monkeypatch.setenv("COLUMNS", "100")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    from typer.main import get_command

    command = get_command(app)
    try:
        command.main([str(a) for a in args], standalone_mode=False)
    finally:
        monkeypatch.setattr(sys, "stdout", sys.__stdout__)
    return terminal.getvalue(), got.read_text(encoding="utf-8") if got.exists() else None


def test_long_table_on_a_terminal_goes_through_the_pager(seeded, monkeypatch, tmp_path):
    db, _ = seeded
    shown, paged = paged_output(monkeypatch, tmp_path, ["quotes", "--db", db])
    assert shown == "" and paged and "Sergey Ryabkov" in paged and paged.count("\n") > 10
    # a screenful or less is printed directly
    shown, paged = paged_output(monkeypatch, tmp_path / "short", ["quotes", "--db", db, "--limit", "1"], lines=40)
    assert "Valery Garbuzov" in shown and paged is None


def test_no_pager_and_never_print_directly(seeded, monkeypatch, tmp_path):
    db, _ = seeded
    shown, paged = paged_output(monkeypatch, tmp_path, ["quotes", "--db", db, "--no-pager"])
    assert "Sergey Ryabkov" in shown and paged is None
    shown, paged = paged_output(monkeypatch, tmp_path / "never", ["quotes", "--db", db], pager=False)
    assert "Sergey Ryabkov" in shown and paged is None


def test_piped_output_is_never_paged(seeded, monkeypatch, tmp_path):
    db, _ = seeded
    got = tmp_path / "paged.txt"
    result = run("quotes", "--db", db, env={"QUOTETRACK_PAGER": f"cat > {got}", "LINES": "5"})
    assert "Sergey Ryabkov" in result.stdout and not got.exists()


# --- stance and negation, flat csv -------------------------------------------------------------


def test_every_quote_record_has_stance_and_negated(seeded):
    db, records = seeded
    garbuzov = next(r for r in records if r["cue"] == "does not think")
    assert (garbuzov["stance"], garbuzov["negated"]) == ("denies", True)
    assert {r["stance"] for r in records} <= {"asserts", "denies", "doubts", "hedges"}
    assert all(isinstance(r["negated"], bool) for r in records)
    stored = {q["id"]: q for q in json.loads(run("quotes", "--db", db, "-f", "json").stdout)}
    assert {(k, q["stance"], q["negated"]) for k, q in stored.items()} == {(r["id"], r["stance"], r["negated"]) for r in records}
    shown = json.loads(run("show", garbuzov["id"], "--db", db, "-f", "json").stdout)[0]
    assert (shown["stance"], shown["negated"], shown["cue"]) == ("denies", True, "does not think")
    table = run("show", garbuzov["id"], "--db", db, env={"COLUMNS": "120"}).stdout
    assert "denies · cue: does not think (negated)" in table


def test_csv_is_flat(seeded):
    db, records = seeded
    by_id = {r["id"]: r for r in records}
    for args in (("quotes", "--db", db), ("extract", FIXTURES, "--no-store", "-q")):
        rows = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv").stdout)))
        assert rows, args
        header = list(rows[0])
        for column in ("speaker_start", "speaker_end", "cue_start", "cue_end", "content_spans", "stance", "negated"):
            assert column in header, (args, column)
        assert "cue_span" not in header and "speaker_span" not in header
        for row in rows:
            record = by_id[row["id"]]
            assert row["content_spans"] == "; ".join(f"{s}-{e}" for s, e in record["content_spans"])
            assert row["cue_start"] == (str(record["cue_span"][0]) if record["cue_span"] else "")
            assert row["stance"] == record["stance"] and row["negated"] == str(record["negated"])
            assert not any(cell.startswith(("[", "{")) for cell in row.values())
    speakers = list(csv.DictReader(io.StringIO(run("speakers", "--db", db, "-f", "csv").stdout)))
    tokayev = next(s for s in speakers if s["name"] == "Kassym-Jomart Tokayev")
    assert "; Tokayev;" in f"; {tokayev['aliases']};" and not tokayev["aliases"].startswith("[")


# --- reports list what other commands find -------------------------------------------------------


def test_report_groups_unresolved_quotes_by_their_mention(seeded):
    db, records = seeded
    data = json.loads(run("report", "--db", db, "-f", "json", "--top", "100").stdout)
    names = [g["name"] for g in data["groups"]]
    assert "(unresolved: government)" in names and "(unresolved: kazakh authorities)" in names
    assert "(unknown)" not in names  # junk: no speaker mention at all
    unresolved = [r for r in records if r["speaker"] is None]
    # junk names no one: no mention (a template line), or a relative pronoun the parse took for a subject
    junk = [r for r in unresolved if unresolved_label(r["speaker_mention"]) is None]
    assert {r["speaker_mention"] for r in junk} == {None, "that"}
    assert data["unresolved"] == len(unresolved) and data["unlisted"] == len(junk)
    # every other row is a speaker `quotes --speaker` finds, with as many quotes
    speakers = {s["name"]: s["quotes"] for s in json.loads(run("speakers", "--db", db, "-f", "json").stdout)}
    for group in data["groups"]:
        if not group["name"].startswith("("):
            assert speakers[group["name"]] == group["quotes"], group["name"]
    assert data["speakers"] == len(speakers)
    table = run("report", "--db", db, env={"COLUMNS": "120"}).stdout
    note = (f"{len(unresolved)} quotes without a resolved speaker ({data['unlisted']} naming no one, in no row): "
            "quotetrack quotes --unresolved lists them")
    assert note in " ".join(table.split())
    html = run("report", "--db", db, "-f", "html").stdout
    assert note in html and ".date,td.date{white-space:nowrap" in html and '<td class="date">2022-01-' in html


def test_quotes_unresolved_lists_the_quotes_without_a_speaker(seeded):
    db, records = seeded
    listed = json.loads(run("quotes", "--unresolved", "--db", db, "-f", "json").stdout)
    assert {q["id"] for q in listed} == {r["id"] for r in records if r["speaker"] is None}
    searched = json.loads(run("quotes", "--unresolved", "--search", "terrorists", "--db", db, "-f", "json").stdout)
    assert [q["speaker_mention"] for q in searched] == ["the government"]
    result = run("quotes", "--unresolved", "--speaker", "Tokayev", "--db", db)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: --unresolved: quotes without a resolved speaker have no --speaker; drop one of the two"]


def test_report_links_claims_to_their_article(tmp_path, nlp):
    article = tmp_path / "a.txt"
    article.write_text("Budget passes\n\nThe city budget passed, Mayor Ann Lee said.\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("id,url\na,https://example.com/budget?x=1&y=2\n", encoding="utf-8")
    db = tmp_path / "r.db"
    assert run("extract", article, "--db", db, "--meta", meta, "-q").exit_code == 0
    html = run("report", "--db", db, "-f", "html").stdout
    assert '<a class="source" href="https://example.com/budget?x=1&amp;y=2">source</a>' in html
