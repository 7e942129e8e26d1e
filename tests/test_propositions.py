"""Propositions: grouping, stance toward the proposition, the stored propositions and `quotetrack propositions`."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from quotetrack.analysis.proposition_store import _claim, _claim_query, rebuild_propositions, update_propositions
from quotetrack.analysis.propositions import (
    ClaimText,
    Vocabulary,
    claim_polarity,
    claim_tokens,
    group_claims,
    proposition_stances,
)
from quotetrack.cli import app
from quotetrack.store import open_store, upgrade
from quotetrack.store.db import resolve_url
from quotetrack.store.ingest import Ingestor
from quotetrack.store.models import Proposition, PropositionModel, QuoteProposition
from store_support import FIXTURES, db_url, quote_on, seed_document, seed_quotes, seed_text  # noqa: F401 - db_url is a fixture

runner = CliRunner()


def polarity(text: str, cue: str | None = None, before: tuple[str, ...] = ()) -> tuple[int, str]:
    found = claim_polarity(ClaimText("x", "A", text, cue=cue, cue_context=before))
    return found.sign, found.evidence


def test_stance_words_decide_and_are_kept():
    assert polarity("Tokayev’s statements about terrorists", "accept", ("who", "do", "not")) == (-1, "who do not accept")
    assert polarity("it is unbelievable that 20,000 extremists could have done it") == (-1, "unbelievable")
    assert polarity("the claims", "denied") == (-1, "denied")
    assert polarity("we do not accept that the vote was fair") == (-1, "not accept that")
    assert polarity("Does the US have any interest in the region?") == (0, "a question")
    # A plain negation is part of what is claimed: "paid no taxes" asserts it.
    assert polarity("Trump paid no federal income taxes for years") == (1, "")
    # Rebuttal words call what another says wrong or overstated.
    assert polarity("the suing states were exaggerating the regulatory reach of the EPA") == (-1, "exaggerating")
    assert polarity("this is an issue that has been sort of manufactured") == (-1, "manufactured")
    assert polarity("That is simply not true, he said") == (-1, "not true")


def test_synonym_sets_are_features():
    assert "syn:foreign" in claim_tokens("external actors aimed at destabilizing the situation")
    assert "syn:foreign" in claim_tokens("foreign-backed terrorists are behind the deaths")
    assert {"syn:terrorist", "syn:destabilize"} <= set(claim_tokens("militants tried to undermine the state"))
    assert "syn:terrorist" in claim_tokens("20,000 extremists could have carried it out")


def test_stance_is_the_side_of_the_speaker_toward_the_anchor():
    claims = [
        ClaimText("a1", "Tokayev", "foreign-backed terrorists attacked the country"),
        ClaimText("a2", "Tokayev", "terrorists trained abroad attacked the country and its cities"),
        ClaimText("r1", "Ryabkov", "external actors attacked the country to destabilize it"),
        ClaimText("m1", "Murtazashvili", "it is unbelievable that 20,000 terrorists attacked the country"),
        ClaimText("m2", "Murtazashvili", "the protests began at the local level"),
        ClaimText("q1", "Reporter", "Did terrorists attack the country?"),
    ]
    vocabulary = Vocabulary.fit([c.text for c in claims])
    stances = proposition_stances(claims, vocabulary, {c.id: claim_polarity(c) for c in claims})
    assert {k: s.stance for k, s in stances.items()} == {
        "a1": "supports", "a2": "supports", "r1": "supports", "m1": "opposes", "m2": "opposes", "q1": "neutral",
    }
    assert stances["m1"].evidence == stances["m2"].evidence == "unbelievable"  # m2 takes its speaker's side
    assert stances["a1"].evidence == "" and stances["q1"].evidence == "a question"


def test_vocabulary_round_trips_through_json():
    texts = ["foreign-backed terrorists attacked", "20,000 extremists could not", "the talks in Geneva"]
    vocabulary = Vocabulary.fit(texts)
    again = Vocabulary.from_json(json.loads(json.dumps(vocabulary.to_json())))
    assert again.terms == vocabulary.terms
    assert abs(again.transform(texts) - vocabulary.transform(texts)).max() < 1e-5
    assert "fam:security-threats" in vocabulary.terms  # terrorists and extremists share a lexicon family


def test_group_claims_by_content_and_context():
    story = "Tax returns. The candidate's tax returns have not been released, and critics want them out. "
    other = "Coal mines. The plan for the coal mines in Virginia would reclaim land and cut emissions. "
    claims = [
        ClaimText("a", "Clinton", "he should release his tax returns", story * 3),
        ClaimText("b", "Romney", "refusing to release tax returns is disqualifying", story * 3),
        ClaimText("c", "Trump", "people would learn nothing from my returns", story * 3),
        ClaimText("d", "Clarke", "the mines can be reclaimed for greener coal", other * 3),
        ClaimText("e", "Sierra Club", "greener coal is a myth; the mines pollute", other * 3),
    ]
    grouped = {g.id: g for g in group_claims(claims)}
    assert grouped["a"].proposition == grouped["b"].proposition == grouped["c"].proposition
    assert grouped["d"].proposition == grouped["e"].proposition != grouped["a"].proposition
    assert grouped["a"].label and grouped["d"].label
    assert set(grouped["a"].to_dict()) >= {"id", "proposition", "label", "stance"}


def ingest_seeds(store, prefixes=("000", "001", "002", "003", "004")):
    ingestor = Ingestor(store)
    quotes = seed_quotes()
    for prefix in prefixes:
        ingestor.add(seed_document(prefix), quotes[prefix])


def test_stored_propositions_grow_with_new_quotes(db_url):  # noqa: F811
    upgrade(resolve_url(db_url))
    store = open_store(db_url, writable=True)
    try:
        ingest_seeds(store, ("000", "001", "002"))
        with store.write() as session:
            first = update_propositions(session)
        assert first.rebuilt and first.grouped == 6
        with store.read() as session:
            model = session.scalars(select(PropositionModel)).one()
            assert model.vocabulary["terms"] and model.params["threshold"]
            rows = session.scalars(select(QuoteProposition)).all()
            assert len(rows) == 6 and all(r.stance in ("supports", "opposes", "neutral") for r in rows)
            propositions_before = {p.id: p.size for p in session.scalars(select(Proposition))}
        # A new article: its quotes are grouped against the stored propositions, nothing is refitted.
        ingest_seeds(store, ("003", "004"))
        with store.write() as session:
            second = update_propositions(session)
            again = update_propositions(session)
        assert not second.rebuilt and second.grouped == 4 and again.grouped == 0
        with store.read() as session:
            assert session.scalars(select(PropositionModel)).one().id == model.id
            assert len(session.scalars(select(QuoteProposition)).all()) == 10
            for pid, size in propositions_before.items():
                stored = session.get(Proposition, pid)
                assert stored is not None and stored.size >= size
        with store.read() as session:  # stances are those of each whole proposition, after it grew
            stored = session.execute(select(QuoteProposition.quote_id, QuoteProposition.proposition_id, QuoteProposition.stance)).all()
            claims = {str(row[0]): _claim(row) for row in session.execute(_claim_query(session))}
            vocabulary = Vocabulary.from_json(model.vocabulary)
        members: dict[int, list[ClaimText]] = {}
        for quote_id, proposition_id, _ in stored:
            if proposition_id is not None:
                members.setdefault(proposition_id, []).append(claims[str(quote_id)])
        expected = {}
        for group in members.values():
            found = proposition_stances(group, vocabulary, {c.id: claim_polarity(c) for c in group})
            expected.update({claim_id: stance.stance for claim_id, stance in found.items()})
        assert expected and all(expected[str(q)] == stance for q, p, stance in stored if p is not None)
        with store.write() as session:
            rebuilt = rebuild_propositions(session)
        assert rebuilt.rebuilt and rebuilt.grouped == 10
        # A re-ingested (changed) document takes its quotes' rows with it.
        changed = seed_text("003") + "\nA closing line."
        replacement = quote_on("003", changed, "The CSTO’s forces were employed", "Sergey Ryabkov", "Ryabkov")
        Ingestor(store).add(seed_document("003", changed), [replacement])
        with store.read() as session:
            assert len(session.scalars(select(QuoteProposition)).all()) == 9
    finally:
        store.close()


def test_cli_propositions_over_the_store_and_a_claims_file(tmp_path):
    db = tmp_path / "q.db"
    extracted = runner.invoke(app, ["extract", str(FIXTURES), "--db", str(db), "-q", "-f", "jsonl"])
    assert extracted.exit_code == 0, extracted.output
    stored = runner.invoke(app, ["propositions", "--db", str(db), "--speaker", "Murtazashvili", "-f", "json"])
    assert stored.exit_code == 0, stored.output
    rows = json.loads(stored.stdout)
    assert rows and all(set(r) >= {"id", "proposition", "label", "stance"} for r in rows)
    extremists = next(r for r in rows if "20,000 extremists" in r["content"])
    assert extremists["stance"] == "opposes" and extremists["label"]
    rebuilt = runner.invoke(app, ["propositions", "--db", str(db), "--rebuild", "--search", "terrorists", "-f", "jsonl"])
    assert rebuilt.exit_code == 0 and "Rebuilt:" in rebuilt.stderr
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        "\n".join(json.dumps(r) for r in [
            {"id": "1", "speaker": "A", "text": "foreign-backed terrorists attacked the country"},
            {"id": "2", "speaker": "B", "text": "it is unbelievable that terrorists attacked the country"},
            {"id": "3", "speaker": "C", "text": "wheat prices rose in the spring"},
        ]) + "\n",
        encoding="utf-8",
    )
    grouped = runner.invoke(app, ["propositions", "--input", str(claims), "-f", "csv"])
    assert grouped.exit_code == 0, grouped.output
    lines = grouped.stdout.splitlines()
    assert lines[0].startswith("id,speaker,proposition,label,topic,stance")
    by_id = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert by_id["1"][2] == by_id["2"][2] != "" and by_id["3"][2] == ""
    assert by_id["2"][5] == "opposes" and by_id["1"][5] == "supports"
    piped = runner.invoke(app, ["propositions", "--input", "-", "-f", "jsonl"], input=claims.read_text(encoding="utf-8"))
    assert piped.exit_code == 0 and len(piped.stdout.splitlines()) == 3
    bad = runner.invoke(app, ["propositions", "--input", "-"], input='{"speaker": "A"}\n')
    assert bad.exit_code == 1 and "stdin:1" in bad.output and "Traceback" not in bad.output
