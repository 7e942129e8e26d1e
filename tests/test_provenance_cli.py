"""Provenance through the CLI: `quotes --dedupe` groups a claim's appearances across documents,
`show` prints where else the shown quote's claim appeared.

The seed tests run the real extractor and depend on it finding "Law and order, Kazakh
authorities affirm, was restored …" in both TASS articles 001 and 003 (the same paragraph); the
markup test depends on it finding the "Mayor Anna Berg said" quotes of its own two articles."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from quotetrack.analysis.appearances import PROBE_WORDS, candidate_appearances, probe_words
from quotetrack.analysis.terms import normalise_for_matching
from quotetrack.cli import app
from quotetrack.records import Quote
from quotetrack.store import open_store
from quotetrack.store.queries import show_quote
from store_support import FIXTURES, db_url  # noqa: F401 (db_url is a fixture)

runner = CliRunner()
WIDE = {"COLUMNS": "220"}  # so document ids are not folded across lines in tables


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def ok(result):
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def is_law_and_order(content: str) -> bool:
    words = normalise_for_matching(content)
    return words.startswith("law and order") and "was restored" in words


def extract_seeds(db) -> list[dict]:
    ok(run("db", "upgrade", "--db", db))  # a PostgreSQL database is not created on first use
    return [json.loads(line) for line in ok(run("extract", FIXTURES, "--db", db, "--format", "jsonl")).splitlines()]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, nlp):
    db = tmp_path_factory.mktemp("provenance") / "seeds.db"
    return db, extract_seeds(db)


def test_dedupe_shows_the_republished_paragraph_once_with_both_appearances(db_url, nlp):  # noqa: F811
    records = extract_seeds(db_url)
    copies = [r for r in records if is_law_and_order(r["content"])]
    assert sorted(r["doc"][:3] for r in copies) == ["001", "003"]

    claims = json.loads(ok(run("quotes", "--dedupe", "--db", db_url, "--format", "json")))
    # Every stored quote is in exactly one claim.
    assert sum(c["appearances"] for c in claims) == len(records)
    law = [c for c in claims if is_law_and_order(c["content"])]
    assert len(law) == 1
    (claim,) = law
    assert claim["appearances"] == 2
    assert claim["first_doc"].startswith("001_") and claim["first_outlet"] == "TASS"
    assert claim["first_published"] == "2022-01-09"
    assert [d[:4] for d in claim["reused_in"]] == ["003_"] and claim["drifted"] == []
    (reuse,) = claim["reuses"]
    assert reuse["doc"].startswith("003_") and reuse["outlet"] == "TASS" and reuse["similarity"] == 100.0
    assert claim["id"] == next(r["id"] for r in copies if r["doc"].startswith("001"))

    # `show` finds the other appearance through the full-text index, on this backend too.
    later = next(r for r in copies if r["doc"].startswith("003"))
    detail = json.loads(ok(run("show", later["id"], "--db", db_url, "--format", "json")))[0]
    assert [a["doc"][:3] for a in detail["appearances"]] == ["001", "003"]
    assert detail["document"]["id"] == later["doc"] and detail["document"]["outlet"] == "TASS"


def test_dedupe_in_every_format_and_with_filters(seeded):
    db, records = seeded
    claims = json.loads(ok(run("quotes", "--dedupe", "--db", db, "--format", "json")))
    assert len(claims) < len(records)

    lines = [json.loads(line) for line in ok(run("quotes", "--dedupe", "--db", db, "--format", "jsonl")).splitlines()]
    assert lines == claims

    table = list(csv.DictReader(io.StringIO(ok(run("quotes", "--dedupe", "--db", db, "--format", "csv")))))
    assert len(table) == len(claims)
    row = next(r for r in table if is_law_and_order(r["content"]))
    # flat cells, no JSON: lists joined by "; "
    assert row["appearances"] == "2" and row["first_outlet"] == "TASS" and row["reused_in"].split("; ")[0].startswith("003_")

    shown = ok(run("quotes", "--dedupe", "--db", db, env=WIDE))
    assert "Law and order … was restored" in shown and "003_768d1a41c320273d" in shown

    # The filters of `quotes` select what is grouped.
    searched = json.loads(ok(run("quotes", "--dedupe", "--search", "law order restored", "--db", db, "--format", "json")))
    assert len(searched) == 1 and searched[0]["appearances"] == 2
    assert json.loads(ok(run("quotes", "--dedupe", "--outlet", "VOA", "--search", "law order restored", "--db", db, "-f", "json"))) == []


def test_dedupe_limit_counts_claims_after_grouping(seeded):
    db, records = seeded
    claims = json.loads(ok(run("quotes", "--dedupe", "--db", db, "--format", "json")))
    position = next(i for i, c in enumerate(claims) if is_law_and_order(c["content"]))
    limited = json.loads(ok(run("quotes", "--dedupe", "--limit", position + 1, "--db", db, "--format", "json")))
    assert limited == claims[: position + 1]
    # Without --dedupe, --limit still counts quotes.
    assert len(json.loads(ok(run("quotes", "--limit", 3, "--db", db, "--format", "json")))) == 3


def test_show_prints_the_provenance_naming_the_other_document(seeded):
    db, records = seeded
    later = next(r for r in records if is_law_and_order(r["content"]) and r["doc"].startswith("003"))
    shown = ok(run("show", later["id"], "--db", db, env=WIDE))
    assert "Provenance: 2 appearances" in shown
    assert "001_6fd35980eca0e9a9" in shown
    # The provenance comes after the highlighted paragraph; the shown quote is the reuse.
    assert shown.index("Provenance") > shown.index("Law and order, Kazakh authorities affirm")
    (reuse_line,) = [line for line in shown.splitlines() if "reuse" in line]
    assert "003_768d1a41c320273d" in reuse_line and "TASS" in reuse_line and "this" in reuse_line
    (first_line,) = [line for line in shown.splitlines() if "first" in line and "001_" in line]
    assert "2022-01-09" in first_line and "this" not in first_line

    (row,) = csv.DictReader(io.StringIO(ok(run("show", later["id"], "--db", db, "--format", "csv"))))
    # one flat row: the document's fields as columns, the appearances as document ids, spans as columns
    assert row["doc"] == later["doc"] and "document" not in row and row["dateline_place"] == "Geneva"
    assert [doc[:3] for doc in row["appearances"].split("; ")] == ["001", "003"]
    assert (int(row["cue_start"]), int(row["cue_end"])) == tuple(later["cue_span"])
    assert row["content_spans"] == "; ".join(f"{s}-{e}" for s, e in later["content_spans"])
    assert row["stance"] == "asserts" and row["negated"] == "False"

    # A quote found in one document only has no provenance section, and one appearance in JSON.
    lone = next(r for r in records if r["doc"].startswith("002"))
    assert "Provenance" not in ok(run("show", lone["id"], "--db", db, env=WIDE))
    detail = json.loads(ok(run("show", lone["id"], "--db", db, "--format", "json")))[0]
    assert [a["quote"] for a in detail["appearances"]] == [lone["id"]]


def test_show_looks_up_candidates_by_distinctive_words_not_every_quote(seeded):
    db, records = seeded
    later = next(r for r in records if is_law_and_order(r["content"]) and r["doc"].startswith("003"))
    probes = probe_words(later["content"])
    assert probes and all(1 <= len(p) <= PROBE_WORDS for p in probes)
    flat = [w for p in probes for w in p]
    assert len(flat) == len(set(flat)) and "the" not in flat and "and" not in flat
    assert flat[0] in {"restored", "country", "regions", "morning", "january"}  # among the longest words
    store = open_store(str(db))
    try:
        with store.read() as session:
            quote = Quote.from_dict(show_quote(session, later["id"]).record)
            candidates = candidate_appearances(session, quote)
    finally:
        store.close()
    assert any(c.doc.startswith("001") and is_law_and_order(c.content) for c in candidates)
    assert all(c.doc != quote.doc for c in candidates)
    assert len(candidates) < len(records) // 4
    for candidate in candidates:  # each holds every word of some probe
        words = set(normalise_for_matching(candidate.content).split())
        assert any(all(w in words or w + "s" in words for w in probe) for probe in probes), candidate.content


def test_markup_in_a_republished_quote_prints_as_typed(tmp_path, nlp):
    first = tmp_path / "riverton.txt"
    first.write_text('"We will [bold]never[/bold] stop building bridges across the river," Mayor Anna Berg said on Monday.\n',
                     encoding="utf-8")
    second = tmp_path / "valley.txt"
    second.write_text("The council met again on Thursday.\n\n"
                      '"We will [bold]never[/bold] stop building bridges across the [red]wide[/red] river," '
                      "Mayor Anna Berg said on Monday.\n", encoding="utf-8")
    db = tmp_path / "markup.db"
    ok(run("extract", first, "--db", db, "--outlet", "Riverton Post", "--published", "2024-03-01", "-q"))
    ok(run("extract", second, "--db", db, "--outlet", "Valley News", "--published", "2024-03-05", "-q"))

    (claim,) = json.loads(ok(run("quotes", "--dedupe", "--db", db, "--format", "json")))
    assert claim["appearances"] == 2 and claim["first_doc"] == "riverton" and claim["first_outlet"] == "Riverton Post"
    assert claim["drifted"] == ["valley"]
    assert claim["reuses"][0]["drift"] == [{"from": "", "to": "[red]wide[/red]"}]

    later = claim["reuses"][0]["quote"]
    shown = ok(run("show", later, "--db", db, env=WIDE))
    assert "[bold]never[/bold]" in shown and "the [red]wide[/red] river" in shown
    assert "added “[red]wide[/red]”" in shown
    assert "riverton" in shown and "Riverton Post" in shown and "2024-03-01" in shown
    table = ok(run("quotes", "--dedupe", "--db", db, env=WIDE))
    assert "[bold]never[/bold]" in table
