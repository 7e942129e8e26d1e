"""Comparing speakers (library and `quotetrack compare`), and provenance of reused claims."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from analysis_quotes import (
    FIXTURES,
    MURTAZASHVILI,
    RYABKOV,
    TOKAYEV,
    make_quote,
    murtazashvili_differs,
    murtazashvili_extremists,
    murtazashvili_not_accept,
    murtazashvili_reforms,
    ryabkov_external_actors,
    texts,
    tokayev_terrorists,
)
from quotetrack.analysis.compare import CSV_COLUMNS, all_buckets, build_comparison, choose_granularity, csv_rows, filter_quotes
from quotetrack.analysis.provenance import group_appearances, shared_paragraphs, word_drift
from quotetrack.cli import app
from quotetrack.records import Document, Quote

runner = CliRunner()


def fixture_quotes():
    return [
        tokayev_terrorists(),
        murtazashvili_extremists(),
        murtazashvili_not_accept(),
        murtazashvili_differs(),
        murtazashvili_reforms(),
        ryabkov_external_actors(),
    ]


def row_with(data: dict, claim_id: str) -> dict:
    rows = [*data["propositions"], *(row for rows in data["alone"].values() for row in rows)]
    found = [row for row in rows if any(c["id"] == claim_id for claims in row["claims"].values() for c in claims)]
    assert found, claim_id
    return found[0]


def test_tokayev_against_murtazashvili_json():
    quotes = fixture_quotes()
    tokayev, extremists, not_accept = quotes[0], quotes[1], quotes[2]
    comparison = build_comparison(quotes, [TOKAYEV, MURTAZASHVILI], texts=texts())
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["speakers"] == [TOKAYEV, MURTAZASHVILI]
    row = row_with(data, tokayev.id)
    assert row["shared"] and row["disagreement"] and data["propositions"][0]["id"] == row["id"]
    assert {c["id"] for c in row["claims"][MURTAZASHVILI]} >= {extremists.id, not_accept.id}
    assert row["toward"][MURTAZASHVILI][TOKAYEV] == "disputes"
    assert row["stances"][TOKAYEV] == {"supports": 1, "opposes": 0, "neutral": 0}
    claims = {c["id"]: c for c in row["claims"][MURTAZASHVILI]}
    assert claims[extremists.id]["stance"] == "opposes" and claims[extremists.id]["evidence"] == "unbelievable"
    assert claims[not_accept.id]["stance"] == "opposes" and "do not accept" in claims[not_accept.id]["evidence"]
    assert claims[extremists.id]["outlet"] == "VOA" and claims[extremists.id]["published"] == "2022-01-29"
    assert row["representative"][MURTAZASHVILI] in {extremists.id, not_accept.id}  # the disputing side
    assert (row["first"], row["last"]) == ("2022-01-29", "2022-01-29") and row["outlets"] == ["VOA"]
    # Links join claims of this proposition only: Murtazashvili's rebuttals dispute Tokayev's claim, with their words.
    disputes = {(link["source"], link["target"]): link for link in data["links"] if link["kind"] == "disputes"}
    assert (extremists.id, tokayev.id) in disputes and disputes[(extremists.id, tokayev.id)]["evidence"] == "unbelievable"
    assert all(link["proposition"] == row["id"] for link in data["links"])


@pytest.mark.xfail(strict=True, reason="the synonym sets give 'external actors' and 'foreign-backed' a shared feature "
                   "(syn:foreign), but at the tune-chosen weights (concepts 0.5, threshold 0.90) Ryabkov's claim from TASS stays "
                   "apart; concepts weighted 1.0 at threshold 0.91 join it, at pairwise F1 0.75 tune but 0.58 heldout")
def test_ryabkov_external_actors_with_tokayev():
    # Another article (TASS, not VOA) and other words: "external actors … destabilizing" meets
    # "foreign-backed terrorists" and "20,000 extremists" through the synonym sets and families.
    quotes = fixture_quotes()
    comparison = build_comparison(quotes, [RYABKOV, TOKAYEV, MURTAZASHVILI], texts=texts())
    row = row_with(comparison.to_dict(), quotes[5].id)
    assert quotes[0].id in {c["id"] for c in row["claims"][TOKAYEV]}
    assert quotes[1].id in {c["id"] for c in row["claims"][MURTAZASHVILI]}
    assert {c["stance"] for c in row["claims"][RYABKOV]} == {"supports"}  # on Tokayev's side
    assert row["toward"][MURTAZASHVILI][TOKAYEV] == "disputes"


def test_topic_and_outlet_filters():
    quotes = fixture_quotes()
    comparison = build_comparison(quotes, [TOKAYEV, MURTAZASHVILI], texts=texts(), topic="governance reforms")
    ids = {c.id for row in comparison.rows() for claims in row.claims.values() for c in claims}
    ids |= {c.id for claims in comparison.ungrouped.values() for c in claims}
    assert quotes[4].id in ids and quotes[0].id not in ids
    assert comparison.filters == {"topic": "governance reforms"}
    assert filter_quotes(quotes, outlets=["tass"]) == [quotes[5]]
    assert filter_quotes(quotes, since="2022-01-10") == quotes[:5]
    assert filter_quotes(quotes, until="2022-01-09") == [quotes[5]]


def test_proposition_drill_down_limit_and_csv():
    quotes = fixture_quotes()
    full = build_comparison(quotes, [TOKAYEV, MURTAZASHVILI], texts=texts())
    row = full.shared[0]
    one = build_comparison(quotes, [TOKAYEV, MURTAZASHVILI], texts=texts(), proposition=row.id, limit=1)
    assert [r.id for r in one.rows()] == [row.id] and one.filters == {"proposition": row.id}
    rows = list(csv_rows(full))
    assert rows and set(rows[0]) == set(CSV_COLUMNS)
    assert all(not isinstance(v, (list, dict, tuple)) for r in rows for v in r.values())
    assert {r["claim"] for r in rows if r["section"] == "shared"} == {c.id for claims in row.claims.values() for c in claims}


def test_timeline_granularity_follows_the_span():
    assert choose_granularity(["2022-01-01", "2022-01-20"]) == "day"
    assert choose_granularity(["2022-01-01", "2022-04-20"]) == "week"
    assert choose_granularity(["2022-01-01", "2024-04-20"]) == "month"
    assert choose_granularity(["2012-01-01", "2024-04-20"]) == "year"
    assert all_buckets("2022-01-03", "2022-01-20", "week") == ["2022-W01", "2022-W02", "2022-W03"]
    assert all_buckets("2022-01-31", "2022-04-02", "month") == ["2022-01", "2022-02", "2022-03", "2022-04"]


LAW_AND_ORDER = "was restored to all of the country’s regions by the morning of January 7"


def law_and_order(doc: str) -> Quote:
    return make_quote(doc, LAW_AND_ORDER, "Kazakh authorities", "affirm")


def test_tass_paragraph_in_001_and_003_is_one_claim():
    first, second = law_and_order("001"), law_and_order("003")
    unrelated = ryabkov_external_actors()
    claims = group_appearances([second, unrelated, first])
    assert len(claims) == 2
    (claim,) = [c for c in claims if len(c.appearances) == 2]
    assert {a.doc for a in claim.appearances} == {"001", "003"}
    assert claim.first.outlet == "TASS" and claim.first.published == "2022-01-09"
    assert claim.reuses[0].drift == [] and claim.reuses[0].similarity == 100.0
    assert claim.to_dict()["appearances"] == 2
    # The shared paragraph itself is found across the two documents.
    docs = [Document(id=d, text=texts()[d]) for d in ("001", "003", "002")]
    shared = shared_paragraphs(docs)
    assert any({d for d, _, _ in places} == {"001", "003"} and "Law and order" in texts()[places[0][0]][places[0][1]:places[0][2]]
               for places in shared)


def test_drifted_wording_earliest_first_and_no_false_merges():
    base = "The government will raise the minimum wage by ten percent from next January, the minister said in parliament"
    drifted = base.replace("ten percent", "12 percent")
    quotes = [
        Quote(doc="late", type="indirect", content_spans=[(0, len(drifted))], content=drifted, speaker="Ann Lee",
              outlet="Wire B", published="2023-03-02"),
        Quote(doc="early", type="indirect", content_spans=[(0, len(base))], content=base, speaker="Ann Lee",
              outlet="Wire A", published="2023-03-01"),
        Quote(doc="other", type="indirect", content_spans=[(0, len(base))], content=base, speaker="Bob Stone",
              outlet="Wire C", published="2023-03-01"),
        Quote(doc="early", type="indirect", content_spans=[(200, 200 + len(base))], content=base, speaker="Ann Lee",
              outlet="Wire A", published="2023-03-01"),
    ]
    claims = group_appearances(quotes)
    merged = [c for c in claims if len(c.appearances) > 1]
    assert len(merged) == 1 and len(claims) == 3  # another speaker and the same document stay apart
    claim = merged[0]
    assert [a.doc for a in claim.appearances] == ["early", "late"]
    assert claim.reuses[0].drift == [{"from": "ten", "to": "12"}]
    assert 90 <= claim.reuses[0].similarity < 100
    assert word_drift("a b c", "a x c") == [{"from": "b", "to": "x"}]


def test_compare_merges_republished_claims():
    first, second = law_and_order("001"), law_and_order("003")
    quotes = [first, second, ryabkov_external_actors()]
    comparison = build_comparison(quotes, ["Kazakh authorities", RYABKOV], texts=texts())
    claims = [c for c in comparison.ungrouped["Kazakh authorities"]] + [
        c for row in comparison.rows() for c in row.claims["Kazakh authorities"]
    ]
    assert len({c.id for c in claims}) == 1
    assert len(claims[0].appearances) == 2
    counts = comparison.counts["Kazakh authorities"]
    assert (counts["claims"], counts["quotes"], counts["stances"]["supports"]) == (1, 2, 1)


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    """The seed fixtures extracted and stored: depends on the extractor's quality."""
    db = tmp_path_factory.mktemp("db") / "quotes.db"
    result = runner.invoke(app, ["extract", str(FIXTURES), "--db", str(db), "-f", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    return db


def cli_row(data: dict, speaker: str, words: str) -> dict:
    rows = [*data["propositions"], *(row for rows in data["alone"].values() for row in rows)]
    return next(r for r in rows if any(words in c["content"] for c in r["claims"][speaker]))


def test_cli_compare_tokayev_murtazashvili(fixture_db):
    result = runner.invoke(app, ["compare", "--speaker", "Tokayev", "--speaker", "Murtazashvili", "--db", str(fixture_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tokayev, murtazashvili = data["speakers"]
    row = cli_row(data, tokayev, "foreign-backed terrorists")
    claims = {c["content"]: c for c in row["claims"][murtazashvili]}
    extremists = next(c for text, c in claims.items() if "20,000 extremists" in text)
    assert extremists["stance"] == "opposes" and extremists["evidence"] == "unbelievable"
    assert row["toward"][murtazashvili][tokayev] == "disputes" and row["disagreement"]
    assert data["propositions"][0]["id"] == row["id"]  # the most claimed shared proposition comes first


def test_cli_compare_ryabkov_blinken_nested(fixture_db):
    result = runner.invoke(app, ["compare", "-s", "Ryabkov", "-s", "Blinken", "--db", str(fixture_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ryabkov, blinken = data["speakers"]
    row = cli_row(data, blinken, "has questions")
    questions = [c for c in row["claims"][blinken]]
    rebuttal = next(c for c in row["claims"][ryabkov] if "additional explanations" in c["content"])
    assert all(c["reported_by"] == ryabkov for c in questions)  # Ryabkov noted that Blinken stated …
    assert {c["stance"] for c in questions} == {"supports"} and rebuttal["stance"] == "opposes"
    assert row["disagreement"]
    table = runner.invoke(app, ["compare", "-s", "Ryabkov", "-s", "Blinken", "--db", str(fixture_db), "-p", str(row["id"])],
                          env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert table.exit_code == 0, table.output
    assert "reported by" in table.stdout and "disputes" in table.stdout and "\x1b[" not in table.stdout


def test_cli_compare_first_screen_and_csv(fixture_db):
    table = runner.invoke(
        app, ["compare", "-s", "Tokayev", "-s", "Murtazashvili", "--db", str(fixture_db)], env={"COLUMNS": "100", "NO_COLOR": "1"}
    )
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].startswith("Comparing") and "Shared propositions" in table.stdout
    assert max(len(line) for line in lines) <= 100
    assert "foreign-backed terrorists" in table.stdout
    flat = runner.invoke(app, ["compare", "-s", "Tokayev", "-s", "Murtazashvili", "--db", str(fixture_db), "-f", "csv"])
    assert flat.exit_code == 0, flat.output
    rows = list(csv.DictReader(io.StringIO(flat.stdout)))
    assert rows and list(rows[0]) == list(CSV_COLUMNS)
    assert not any(v.startswith(("[", "{")) for r in rows for v in r.values() if v)


def test_cli_compare_topic_option(fixture_db):
    options = ["-s", "Tokayev", "-s", "Murtazashvili", "--topic", "terrorism", "--db", str(fixture_db), "-f", "json"]
    result = runner.invoke(app, ["compare", *options])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = [*data["propositions"], *(row for rows in data["alone"].values() for row in rows)]
    claims = [(row["topic"], c["content"]) for row in rows for cs in row["claims"].values() for c in cs]
    claims += [(None, c["content"]) for cs in data["ungrouped"].values() for c in cs]
    # The claims that name the topic, and the others of propositions about it (security threats).
    assert any("foreign-backed terrorists" in content for _, content in claims)
    assert all(topic == "security-threats" or any(w in content for w in ("terrorist", "extremist")) for topic, content in claims)
    assert not any("Herbst’s assessment" in content for _, content in claims)  # Russia-China competition


def test_cli_compare_errors(tmp_path, fixture_db):
    one = runner.invoke(app, ["compare", "-s", "Tokayev", "--db", str(fixture_db)])
    assert one.exit_code == 2 and "at least two" in one.output
    unknown = runner.invoke(app, ["compare", "-s", "Tokayev", "-s", "Nobody Atall", "--db", str(fixture_db)])
    assert unknown.exit_code == 1
    assert unknown.output.strip().startswith("Error:") and "Nobody Atall" in unknown.output
    assert "Traceback" not in unknown.output
    bad_date = runner.invoke(app, ["compare", "-s", "Tokayev", "-s", "Ryabkov", "--since", "yesterday", "--db", str(fixture_db)])
    assert bad_date.exit_code == 1 and "--since" in bad_date.output
