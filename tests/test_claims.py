"""Claim features: stance from cue and content, relations to other speakers, key terms, entities."""

from __future__ import annotations

import pytest

from analysis_quotes import (
    ALIASES,
    HERBST,
    RYABKOV,
    TOKAYEV,
    fixture_text,
    make_quote,
    murtazashvili_differs,
    murtazashvili_extremists,
    murtazashvili_not_accept,
    murtazashvili_reforms,
    ryabkov_external_actors,
    tokayev_terrorists,
)
from quotetrack.analysis.claims import analyse_quotes, claim_features, classify_cue, content_stance
from quotetrack.analysis.terms import content_keys, stem, tokenize
from quotetrack.records import Quote


def features(quote: Quote):
    return claim_features(quote, fixture_text(quote.doc), speakers=ALIASES)


def plain(content: str, cue: str | None = None, speaker: str | None = "Jane Roe") -> Quote:
    """A quote of my own sentence: the cue stands before the content in a short text."""
    text = f"{speaker} {cue} that {content}" if cue else content
    start = text.find(content)
    quote = Quote(doc="own", type="indirect", content_spans=[(start, start + len(content))], content=content,
                  speaker=speaker, cue=cue, cue_span=(text.find(cue), text.find(cue) + len(cue)) if cue else None)
    return quote, text


def test_fixture_stances():
    assert features(tokayev_terrorists()).stance == "asserts"
    extremists = features(murtazashvili_extremists())
    assert extremists.stance == "doubts"
    assert any("unbelievable" in reason for reason in extremists.stance_basis)
    assert features(murtazashvili_not_accept()).stance == "denies"
    assert features(murtazashvili_differs()).stance == "denies"
    # A negation in a later clause ("but never fulfilled them") does not deny the claim.
    assert features(murtazashvili_reforms()).stance == "asserts"
    garbuzov = make_quote("000", "I do not think that the situation in Kazakhstan will manage to overshadow all the other issues",
                          "Valery Garbuzov", "pointed out", type="direct")
    assert features(garbuzov).stance == "denies"
    ryabkov = make_quote("001", "I think we have all reasons to feel optimistic about the future", RYABKOV, "said", type="direct")
    assert features(ryabkov).stance == "hedges"


@pytest.mark.parametrize(
    "cue, stance, force",
    [
        ("denied", "denies", "neutral"),
        ("rejected", "denies", "neutral"),
        ("doubted", "doubts", "neutral"),
        ("suggested", "hedges", "neutral"),
        ("insisted", "asserts", "emphatic"),
        ("claimed", "asserts", "distanced"),
        ("admitted", "asserts", "concessive"),
        ("said", "asserts", "neutral"),
        ("does not believe", "denies", "neutral"),
    ],
)
def test_cue_decides_stance(cue, stance, force):
    quote, text = plain("the army fired on the crowd", cue)
    result = claim_features(quote, text)
    assert (result.stance, result.cue_force) == (stance, force)


def test_negated_cue_read_from_the_document_text():
    # The cue span holds only "accept"; the negation stands before it in the text.
    text = "Critics do not accept that the elections were fair."
    content = "the elections were fair"
    start = text.find(content)
    quote = Quote(doc="own", type="indirect", content_spans=[(start, start + len(content))], content=content,
                  speaker="Critics", cue="accept", cue_span=(text.find("accept"), text.find("accept") + 6))
    assert claim_features(quote, text).stance == "denies"
    assert claim_features(quote, None).stance == "asserts"  # without the text only the content is read


def test_content_stances_on_own_sentences():
    def stance(sentence):
        return content_stance(tokenize(sentence), sentence)[0]

    assert stance("The reforms will not be delayed.") == "denies"
    assert stance("It is unlikely that the talks will resume.") == "doubts"
    assert stance("Will the government ever keep its promise?") == "doubts"
    assert stance("Prices may rise again next month.") == "hedges"
    assert stance("Prices rose by ten percent.") == "asserts"
    assert classify_cue(["said"]) == (None, "neutral", [])


def test_relation_disputes_named_speaker():
    not_accept = features(murtazashvili_not_accept())
    assert [(r.kind, r.target) for r in not_accept.relations] == [("disputes", TOKAYEV)]
    assert "Tokayev" in not_accept.relations[0].evidence
    differs = features(murtazashvili_differs())
    assert [(r.kind, r.target) for r in differs.relations] == [("disputes", HERBST)]


def test_relation_supports_and_mere_mentions():
    text = "Anna Berg agreed with Smith's assessment that the economy is recovering."
    content = "the economy is recovering"
    start = text.find(content)
    quote = Quote(doc="own", type="indirect", content_spans=[(start, start + len(content))], content=content,
                  speaker="Anna Berg", cue="agreed", cue_span=(text.find("agreed"), text.find("agreed") + 6))
    result = claim_features(quote, text, speakers={"John Smith": ["Smith"]})
    assert [(r.kind, r.target) for r in result.relations] == [("supports", "John Smith")]
    # Naming a person without their claim is no relation: "Tokayev promised reforms".
    assert features(murtazashvili_reforms()).relations == []
    # A speaker never relates to themselves.
    assert claim_features(quote, text, speakers={"Anna Berg": ["Berg"]}).relations == []


def test_key_terms_and_entities_rule_based():
    result = features(tokayev_terrorists())
    assert "foreign-backed terrorists" in result.key_terms
    assert "physical damage" in result.key_terms
    ryabkov = features(ryabkov_external_actors())
    assert "external actors" in ryabkov.key_terms
    assert [e.text for e in ryabkov.entities] == ["Kazakhstan"]


def test_key_terms_and_entities_from_the_model(nlp):
    quotes = [ryabkov_external_actors(), murtazashvili_differs()]
    result = analyse_quotes(quotes, {q.doc: fixture_text(q.doc) for q in quotes}, speakers=ALIASES, nlp=nlp)
    ryabkov = result[quotes[0].id]
    assert "external actor" in ryabkov.key_terms  # lemmatised noun chunk
    assert any(e.text == "Kazakhstan" and e.label == "GPE" for e in ryabkov.entities)
    # Stance and relations do not depend on whether the model ran.
    assert result[quotes[1].id].stance == features(quotes[1]).stance
    assert result[quotes[1].id].relations == features(quotes[1]).relations


def test_stems_join_word_forms():
    assert stem("terrorists") == stem("terrorism") == stem("terrorist")
    assert stem("destabilizing") == stem("destabilize") == stem("destabilisation")
    assert stem("sanctions") == stem("sanctioned")
    assert stem("police") != stem("policy")
    assert content_keys(tokenize("foreign-backed terrorists")) == [stem("foreign"), stem("backed"), stem("terrorists")]
    assert [t.text for t in tokenize("I don’t think so")] == ["I", "do", "n't", "think", "so"]


def test_key_terms_from_the_model_are_ranked_by_textrank(nlp):
    quote = murtazashvili_extremists()
    parsed = analyse_quotes([quote], {quote.doc: fixture_text(quote.doc)}, speakers=ALIASES, nlp=nlp)[quote.id]
    plain = features(quote)
    # TextRank over lemmas: "extremists" becomes the lemma, and the ranked terms lead the list
    assert "extremist" in parsed.key_terms
    assert parsed.key_terms != plain.key_terms
    assert any(e.text == "Kazakhstan" for e in parsed.entities)
    assert parsed.stance == plain.stance  # stance never depends on the parse
