"""Comparing speakers (library and `quotetrack compare`), and provenance of reused claims."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from analysis_quotes import (
    ALIASES,
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
from quotetrack.analysis.compare import build_comparison, filter_quotes
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
    rows = [row for row in data["topics"] if any(c["id"] == claim_id for claims in row["claims"].values() for c in claims)]
    assert rows, claim_id
    return rows[0]


def test_tokayev_against_murtazashvili_json():
    quotes = fixture_quotes()
    tokayev, extremists, not_accept = quotes[0], quotes[1], quotes[2]
    comparison = build_comparison(quotes, [TOKAYEV, MURTAZASHVILI], texts=texts(), aliases=ALIASES)
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["speakers"] == [TOKAYEV, MURTAZASHVILI]
    row = row_with(data, tokayev.id)
    assert row["shared"] and row["disagreement"]
    assert {c["id"] for c in row["claims"][MURTAZASHVILI]} >= {extremists.id, not_accept.id}
    assert row["toward"][MURTAZASHVILI][TOKAYEV] == "disputes"
    assert row["stances"][TOKAYEV] == ["asserts"]
    claims = {c["id"]: c for c in row["claims"][MURTAZASHVILI]}
    assert claims[extremists.id]["stance"] == "doubts"
    assert claims[extremists.id]["outlet"] == "VOA" and claims[extremists.id]["published"] == "2022-01-29"
    explicit = [l for l in data["links"] if l["basis"] == "explicit"]
    assert {(l["source"], l["target"], l["kind"]) for l in explicit} == {(not_accept.id, tokayev.id, "disputes")}
    by_stance = [l for l in data["links"] if l["basis"] == "stance" and l["source"] == extremists.id]
    assert [(l["target"], l["kind"]) for l in by_stance] == [(tokayev.id, "disputes")]
    # Herbst is not compared here: the claim disputing him has no link, and is on no shared topic.
    other = {c["id"] for c in data["other"][MURTAZASHVILI]}
    assert quotes[3].id in other and quotes[4].id in other


def test_ryabkov_external_actors_echo_tokayev():
    quotes = fixture_quotes()
    comparison = build_comparison(quotes, [RYABKOV, TOKAYEV], texts=texts(), aliases=ALIASES)
    data = comparison.to_dict()
    row = row_with(data, quotes[5].id)
    assert quotes[0].id in {c["id"] for c in row["claims"][TOKAYEV]}
    assert not row["disagreement"]
    # Tokayev's claim is the later one (by publication date), so it is the echo.
    assert row["toward"][TOKAYEV][RYABKOV] == "echoes"
    assert "external actors" in row["terms"] and "terrorists" in row["terms"]


def test_topic_and_outlet_filters():
    quotes = fixture_quotes()
    comparison = build_comparison(quotes, [TOKAYEV, MURTAZASHVILI], texts=texts(), aliases=ALIASES, topic="governance reforms")
    ids = {c.id for row in comparison.topics for claims in row.claims.values() for c in claims}
    ids |= {c.id for claims in comparison.other.values() for c in claims}
    assert quotes[4].id in ids and quotes[0].id not in ids
    assert comparison.filters == {"topic": "governance reforms"}
    assert filter_quotes(quotes, outlets=["tass"]) == [quotes[5]]
    assert filter_quotes(quotes, since="2022-01-10") == quotes[:5]
    assert filter_quotes(quotes, until="2022-01-09") == [quotes[5]]


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
    claims = [c for c in comparison.other["Kazakh authorities"]] + [
        c for row in comparison.topics for c in row.claims["Kazakh authorities"]
    ]
    assert len({c.id for c in claims}) == 1
    assert len(claims[0].appearances) == 2
    assert comparison.counts["Kazakh authorities"] == {"claims": 1, "quotes": 2, "stances": {"asserts": 1}}


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    """The seed fixtures extracted and stored: depends on the extractor's quality."""
    db = tmp_path_factory.mktemp("db") / "quotes.db"
    result = runner.invoke(app, ["extract", str(FIXTURES), "--db", str(db), "-f", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    return db


def test_cli_compare_tokayev_murtazashvili(fixture_db):
    result = runner.invoke(app, ["compare", "--speaker", "Tokayev", "--speaker", "Murtazashvili", "--db", str(fixture_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tokayev, murtazashvili = data["speakers"]
    row = next(r for r in data["topics"] if any("foreign-backed terrorists" in c["content"] for c in r["claims"][tokayev]))
    contents = " ".join(c["content"] for c in row["claims"][murtazashvili])
    assert "20,000 extremists" in contents
    assert row["toward"][murtazashvili][tokayev] == "disputes"


def test_cli_compare_ryabkov_tokayev_table(fixture_db):
    result = runner.invoke(app, ["compare", "-s", "Ryabkov", "-s", "Tokayev", "--db", str(fixture_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ryabkov, tokayev = data["speakers"]
    row = next(r for r in data["topics"] if any("external actors" in c["content"] for c in r["claims"][ryabkov]))
    assert any("foreign-backed terrorists" in c["content"] for c in row["claims"][tokayev])
    table = runner.invoke(app, ["compare", "-s", "Ryabkov", "-s", "Tokayev", "--db", str(fixture_db)], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert table.exit_code == 0, table.output
    assert "Shared topics" in table.stdout and "external actors" in table.stdout and "echoes" in table.stdout
    assert "\x1b[" not in table.stdout


def test_cli_compare_topic_option(fixture_db):
    result = runner.invoke(app, ["compare", "-s", "Tokayev", "-s", "Murtazashvili", "--topic", "terrorism", "--db", str(fixture_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    contents = [c["content"] for row in data["topics"] for claims in row["claims"].values() for c in claims]
    contents += [c["content"] for claims in data["other"].values() for c in claims]
    assert contents and all(any(w in c for w in ("terrorist", "extremist")) for c in contents)


def test_cli_compare_errors(tmp_path, fixture_db):
    one = runner.invoke(app, ["compare", "-s", "Tokayev", "--db", str(fixture_db)])
    assert one.exit_code == 2 and "at least two" in one.output
    unknown = runner.invoke(app, ["compare", "-s", "Tokayev", "-s", "Nobody Atall", "--db", str(fixture_db)])
    assert unknown.exit_code == 1
    assert unknown.output.strip().startswith("Error:") and "Nobody Atall" in unknown.output
    assert "Traceback" not in unknown.output
    bad_date = runner.invoke(app, ["compare", "-s", "Tokayev", "-s", "Ryabkov", "--since", "yesterday", "--db", str(fixture_db)])
    assert bad_date.exit_code == 1 and "--since" in bad_date.output
