"""Topic grouping across speakers: lexicon families beyond identical words, shared-word fallback, --topic."""

from __future__ import annotations

import itertools

from analysis_quotes import (
    ALIASES,
    fixture_text,
    make_quote,
    murtazashvili_extremists,
    murtazashvili_not_accept,
    ryabkov_external_actors,
    tokayev_terrorists,
)
from quotetrack.analysis.claims import claim_features
from quotetrack.analysis.terms import tokenize
from quotetrack.analysis.topics import FAMILIES, default_lexicon, group_topics, informative_keys, matches_topic, topic_query
from quotetrack.records import Quote

# Claims I wrote for measuring the grouping, each with the subject it is about; several per
# subject, worded differently on purpose (the method must group them without shared words).
LABELLED = [
    ("security", "Foreign-backed terrorists are behind the attacks on government buildings."),
    ("security", "It is unbelievable that 20,000 extremists could have carried out such an operation."),
    ("security", "External actors are trying to destabilize the situation in sovereign states."),
    ("security", "Militants trained abroad infiltrated the city before the violence began."),
    ("security", "The insurgents receive money and weapons from a neighbouring government."),
    ("security", "There is no evidence of foreign interference in the unrest."),
    ("protests", "Thousands of protesters gathered in the central square on Sunday."),
    ("protests", "The rallies were peaceful until the police moved in."),
    ("protests", "Demonstrators blocked the main road to demand the minister's resignation."),
    ("protests", "The riots spread to five more cities overnight."),
    ("economy", "Fuel prices doubled at the start of the year."),
    ("economy", "Inflation is eating into wages and pensions."),
    ("economy", "The cost of living has become unbearable for ordinary families."),
    ("economy", "Investors are pulling money out of the local currency market."),
    ("elections", "The vote was rigged in favour of the incumbent."),
    ("elections", "Turnout in the referendum was the lowest in a decade."),
    ("elections", "Opposition candidates were barred from the ballot."),
    ("elections", "International observers found irregularities at many polling stations."),
    ("sanctions", "The new sanctions will hit exports of coal and steel."),
    ("sanctions", "An embargo on oil shipments would hurt both sides."),
    ("sanctions", "Companies fear secondary sanctions if they keep trading with Moscow."),
    ("diplomacy", "The talks in Geneva will focus on security guarantees."),
    ("diplomacy", "Both delegations agreed to continue negotiations next week."),
    ("diplomacy", "The summit ended without a joint statement."),
    ("military", "The peacekeepers will start leaving the country next week."),
    ("military", "Troops were deployed to guard airports and power plants."),
    ("military", "The withdrawal of the contingent will be complete by the end of the month."),
    ("rights", "Journalists covering the events were detained and their footage confiscated."),
    ("rights", "The internet shutdown made it impossible to report on the crackdown."),
    ("rights", "Human rights groups demand the release of political prisoners."),
    ("governance", "The president promised reforms of local government but never delivered them."),
    ("governance", "Corruption in the ruling elite fuels public anger."),
    ("governance", "The country remains an authoritarian state with a powerful security apparatus."),
]


def own(content: str, speaker: str = "A", doc: str = "own") -> Quote:
    return Quote(doc=doc, type="direct", content_spans=[(0, len(content))], content=content, speaker=speaker)


def topic_of(topics, quote_id):
    return {t.id for t in topics if quote_id in t.claim_ids}


def test_fixture_claims_about_terrorists_share_one_topic():
    quotes = [tokayev_terrorists(), murtazashvili_extremists(), murtazashvili_not_accept(), ryabkov_external_actors()]
    prices = make_quote("002", "The painful rise in gas prices caused much outrage", "Jennifer Murtazashvili", "“These events",
                        type="direct")
    feats = {q.id: claim_features(q, fixture_text(q.doc), speakers=ALIASES) for q in [*quotes, prices]}
    topics = group_topics(feats)
    common = set.intersection(*(topic_of(topics, q.id) for q in quotes))
    assert common == {"security-threats"}
    security = next(t for t in topics if t.id == "security-threats")
    # No two of these share a word: "terrorists", "extremists", "external actors", "destabilizing".
    assert security.matched[quotes[1].id] == ["extremists"]
    assert "external actors" in security.matched[quotes[3].id]
    assert prices.id not in security.claim_ids
    assert "economy" in topic_of(topics, prices.id)


def pair_scores(predict):
    tp = fp = fn = 0
    for (a, (gold_a, _)), (b, (gold_b, _)) in itertools.combinations(enumerate(LABELLED), 2):
        same, said = gold_a == gold_b, predict(a, b)
        tp += same and said
        fp += said and not same
        fn += same and not said
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def test_lexicon_groups_paraphrases_better_than_shared_words():
    feats = [claim_features(own(text)) for _, text in LABELLED]
    lexicon = default_lexicon()
    families = [set(lexicon.match(f.topic_keys)) for f in feats]
    keys = [informative_keys(f) for f in feats]
    _, _, word_f1 = pair_scores(lambda a, b: bool(keys[a] & keys[b]))
    precision, recall, f1 = pair_scores(lambda a, b: bool(families[a] & families[b]))
    assert word_f1 < 0.2  # paraphrases rarely share a word
    assert f1 >= 0.7 and precision >= 0.6 and recall >= 0.85, (precision, recall, f1)


def test_shared_words_group_claims_outside_the_lexicon():
    quotes = [
        own("The harvest of winter wheat failed across the northern provinces.", "A"),
        own("Farmers in the northern provinces lost their winter wheat.", "B"),
        own("The orchestra will tour Japan in spring.", "C"),
    ]
    feats = {q.id: claim_features(q) for q in quotes}
    topics = group_topics(feats)
    assert len(topics) == 1 and topics[0].kind == "terms"
    assert set(topics[0].claim_ids) == {quotes[0].id, quotes[1].id}
    assert "wheat" in topics[0].label


def test_topic_query_selects_claims():
    terror = claim_features(own("Armed militants attacked the police station."))
    prices = claim_features(own("Fuel prices doubled overnight."))
    for query in ("terrorism", "security", "extremists"):
        parsed = topic_query(query)
        assert matches_topic(terror, parsed) and not matches_topic(prices, parsed), query
    assert matches_topic(prices, topic_query("economy"))
    assert matches_topic(prices, topic_query("fuel"))
    assert not matches_topic(prices, topic_query("orchestra tour"))


def test_lexicon_is_general():
    # Entries are a subject's vocabulary: short, lowercase, no proper names of one story.
    for family in FAMILIES:
        for term in family.terms:
            assert term == term.lower() and len(term.split()) <= 4, term
            assert tokenize(term), term
