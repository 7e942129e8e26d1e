"""Building the comparison of speakers' positions: topics as rows, speakers as columns, links.

A `Comparison` is plain data (dataclasses with `to_dict`); `render` draws it for the terminal or
as HTML, and `--format json` prints `to_dict()` for other tools.

Links between claims of different speakers:

- explicit: a claim names another speaker's claim ("do not accept Tokayev's statements") —
  `disputes` or `supports`, linked to that speaker's claims on a shared topic;
- by stance, within a shared topic: a claim that denies or doubts disputes the other speaker's
  asserting claim; two asserting claims echo each other (the later one is the echo).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quotetrack.records import Quote
from quotetrack.analysis.claims import ClaimFeatures, analyse_quotes
from quotetrack.analysis.provenance import group_appearances
from quotetrack.analysis.topics import Topic, default_lexicon, group_topics, matches_topic, topic_query

POSITIVE = ("asserts", "hedges")
NEGATIVE = ("denies", "doubts")


@dataclass
class ClaimView:
    id: str
    speaker: str
    content: str
    type: str
    cue: str | None
    stance: str
    cue_force: str
    stance_basis: list[str]
    outlet: str | None
    published: str | None
    doc: str
    key_terms: list[str]
    entities: list[dict]
    relations: list[dict]
    topics: list[str] = field(default_factory=list)
    appearances: list[dict] = field(default_factory=list)  # every document the claim appeared in

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Link:
    source: str  # claim id
    source_speaker: str
    target: str | None  # claim id, or None when the named speaker has no claim on the topic
    target_speaker: str
    kind: str  # disputes, supports, echoes
    basis: str  # "explicit" (the claim names the other) or "stance" (same topic, stances compared)
    topic: str | None = None
    evidence: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class TopicRow:
    id: str
    label: str
    kind: str
    terms: list[str]
    claims: dict[str, list[ClaimView]]  # speaker -> claims, for every compared speaker
    toward: dict[str, dict[str, str]]  # speaker -> other speaker -> disputes / supports / echoes
    disagreement: bool
    reasons: list[str]

    @property
    def shared(self) -> bool:
        return sum(1 for claims in self.claims.values() if claims) >= 2

    def stances(self) -> dict[str, list[str]]:
        return {speaker: sorted({c.stance for c in claims}) for speaker, claims in self.claims.items()}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "terms": list(self.terms),
            "shared": self.shared,
            "claims": {speaker: [c.to_dict() for c in claims] for speaker, claims in self.claims.items()},
            "stances": self.stances(),
            "toward": {speaker: dict(others) for speaker, others in self.toward.items()},
            "disagreement": self.disagreement,
            "reasons": list(self.reasons),
        }


@dataclass
class Comparison:
    speakers: list[str]
    filters: dict
    topics: list[TopicRow]
    other: dict[str, list[ClaimView]]  # claims on no shared topic
    links: list[Link]
    counts: dict[str, dict]

    @property
    def shared_topics(self) -> list[TopicRow]:
        return [row for row in self.topics if row.shared]

    def claim(self, claim_id: str) -> ClaimView | None:
        for row in self.topics:
            for claims in row.claims.values():
                for claim in claims:
                    if claim.id == claim_id:
                        return claim
        for claims in self.other.values():
            for claim in claims:
                if claim.id == claim_id:
                    return claim
        return None

    def to_dict(self) -> dict:
        return {
            "speakers": list(self.speakers),
            "filters": dict(self.filters),
            "counts": self.counts,
            "topics": [row.to_dict() for row in self.topics],
            "other": {speaker: [c.to_dict() for c in claims] for speaker, claims in self.other.items()},
            "links": [link.to_dict() for link in self.links],
        }


def filter_quotes(
    quotes: Iterable[Quote],
    *,
    outlets: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
) -> list[Quote]:
    """Quotes from the outlets named (case-insensitive) published within [since, until] (ISO dates)."""
    wanted = {o.lower() for o in outlets}
    kept = []
    for quote in quotes:
        if wanted and (quote.outlet or "").lower() not in wanted:
            continue
        if since and (not quote.published or quote.published[:10] < since):
            continue
        if until and (not quote.published or quote.published[:10] > until):
            continue
        kept.append(quote)
    return kept


def _view(quote: Quote, feats: ClaimFeatures) -> ClaimView:
    return ClaimView(
        id=quote.id,
        speaker=quote.speaker or "",
        content=quote.content,
        type=quote.type,
        cue=quote.cue,
        stance=feats.stance,
        cue_force=feats.cue_force,
        stance_basis=list(feats.stance_basis),
        outlet=quote.outlet,
        published=quote.published,
        doc=quote.doc,
        key_terms=list(feats.key_terms),
        entities=[{"text": e.text, "label": e.label} for e in feats.entities],
        relations=[{"kind": r.kind, "target": r.target, "evidence": r.evidence} for r in feats.relations],
    )


def build_comparison(
    quotes: Sequence[Quote],
    speakers: Sequence[str],
    *,
    texts: Mapping[str, str] | None = None,
    aliases: Mapping[str, Iterable[str]] | None = None,
    topic: str | None = None,
    nlp=None,
    filters: Mapping | None = None,
    windows: Mapping[str, tuple[int, str]] | None = None,
) -> Comparison:
    """Compare the claims of `speakers` (canonical names) among `quotes`.

    `texts` maps document ids to their text (for cue negation and relation windows), or
    `windows` quote ids to (offset, text around the cue) as the store gives them; `aliases`
    maps canonical names to other names, for finding who a claim names (all names known to the
    store can go here, not only the compared speakers'); `topic` keeps only claims about it.
    """
    speakers = list(dict.fromkeys(speakers))
    selected = [q for q in quotes if q.speaker in speakers]
    # The same claim reprinted elsewhere is shown once, with its appearances.
    first_of: dict[str, list[dict]] = {}
    unique: list[Quote] = []
    by_id = {q.id: q for q in selected}
    for claim in group_appearances(selected):
        unique.append(by_id[claim.id])
        first_of[claim.id] = [
            {"quote": a.quote_id, "doc": a.doc, "outlet": a.outlet, "published": a.published} for a in claim.appearances
        ]
    known = {name: list(aliases.get(name, ())) if aliases else [] for name in speakers}
    if aliases:
        for name, names in aliases.items():
            known.setdefault(name, list(names))
    features = analyse_quotes(unique, texts, speakers=known, nlp=nlp, windows=windows)
    lexicon = default_lexicon()
    if topic:
        query = topic_query(topic, lexicon)
        unique = [q for q in unique if matches_topic(features[q.id], query, lexicon)]
        features = {q.id: features[q.id] for q in unique}
    views = {q.id: _view(q, features[q.id]) for q in unique}
    for qid, view in views.items():
        view.appearances = first_of.get(qid, [])
    name_words = [w for name in known for alias in [name, *known[name]] for w in alias.split()]
    topics = group_topics(features, lexicon, ignore_keys=name_words)
    for topic_ in topics:
        for qid in topic_.claim_ids:
            views[qid].topics.append(topic_.id)

    links = _explicit_links(views, topics, speakers)
    rows = []
    in_shared: set[str] = set()
    for topic_ in topics:
        row = _row(topic_, views, speakers, links)
        rows.append(row)
        if row.shared:
            in_shared.update(topic_.claim_ids)
    rows.sort(key=lambda r: (not r.shared, not r.disagreement, -sum(len(c) for c in r.claims.values()), r.id))
    other = {s: sorted((v for v in views.values() if v.speaker == s and v.id not in in_shared), key=_date_key) for s in speakers}
    counts = {}
    for speaker in speakers:
        mine = [v for v in views.values() if v.speaker == speaker]
        stances: dict[str, int] = defaultdict(int)
        for view in mine:
            stances[view.stance] += 1
        counts[speaker] = {"claims": len(mine), "quotes": sum(1 for q in selected if q.speaker == speaker), "stances": dict(stances)}
    return Comparison(
        speakers=speakers,
        filters=dict(filters or {}, **({"topic": topic} if topic else {})),
        topics=rows,
        other=other,
        links=links,
        counts=counts,
    )


def _date_key(view: ClaimView) -> tuple:
    return (view.published is None, view.published or "", view.doc, view.id)


def _explicit_links(views: Mapping[str, ClaimView], topics: Sequence[Topic], speakers: Sequence[str]) -> list[Link]:
    """Links from claims that name another compared speaker's claim to that speaker's claims on a shared topic."""
    topics_of: dict[str, set[str]] = defaultdict(set)
    for topic in topics:
        for qid in topic.claim_ids:
            topics_of[qid].add(topic.id)
    links = []
    for view in views.values():
        for relation in view.relations:
            target_speaker = relation["target"]
            if target_speaker not in speakers or target_speaker == view.speaker:
                continue
            targets = [
                other for other in views.values()
                if other.speaker == target_speaker and topics_of[other.id] & topics_of[view.id]
            ]
            if not targets:
                links.append(Link(view.id, view.speaker, None, target_speaker, relation["kind"], "explicit", None, relation["evidence"]))
            for target in sorted(targets, key=_date_key):
                shared = sorted(topics_of[target.id] & topics_of[view.id])
                links.append(Link(view.id, view.speaker, target.id, target_speaker, relation["kind"], "explicit", shared[0], relation["evidence"]))
    return links


def _row(topic: Topic, views: Mapping[str, ClaimView], speakers: Sequence[str], links: list[Link]) -> TopicRow:
    claims = {s: sorted((views[q] for q in topic.claim_ids if views[q].speaker == s), key=_date_key) for s in speakers}
    toward: dict[str, dict[str, str]] = {s: {} for s in speakers}
    reasons: list[str] = []
    ids = set(topic.claim_ids)
    explicit_pairs = {(link.source, link.target) for link in links if link.basis == "explicit"}
    for link in links:
        if link.basis == "explicit" and link.source in ids and (link.target is None or link.target in ids):
            if toward[link.source_speaker].get(link.target_speaker) != "disputes":
                toward[link.source_speaker][link.target_speaker] = link.kind
            reason = f"{link.source_speaker} {link.kind} {link.target_speaker}: {link.evidence}"
            if reason not in reasons:
                reasons.append(reason)
    for a_index, a in enumerate(speakers):
        for b in speakers[a_index + 1 :]:
            for link in _stance_links(claims[a], claims[b], topic):
                if (link.source, link.target) in explicit_pairs:
                    continue
                links.append(link)
                current = toward[link.source_speaker].get(link.target_speaker)
                if current is None or (current == "echoes" and link.kind == "disputes"):
                    toward[link.source_speaker][link.target_speaker] = link.kind
    for speaker, others in toward.items():
        for other, kind in others.items():
            if kind == "disputes" and not any(r.startswith(f"{speaker} disputes {other}") for r in reasons):
                mine = "/".join(sorted({c.stance for c in claims[speaker]}))
                theirs = "/".join(sorted({c.stance for c in claims[other]}))
                reasons.append(f"{speaker} {mine} where {other} {theirs}")
    disagreement = any(kind == "disputes" for others in toward.values() for kind in others.values())
    return TopicRow(topic.id, topic.label, topic.kind, topic.terms, claims, toward, disagreement, reasons)


def _stance_links(mine: Sequence[ClaimView], theirs: Sequence[ClaimView], topic: Topic) -> list[Link]:
    """For each claim, at most one stance link to the other speaker's closest claim (by shared key terms).

    A claim touching the topic with one word only is weakly on it: an echo needs both claims to
    hit the topic with two or more words, a dispute needs one of them to.
    """
    def strong(claim: ClaimView) -> bool:
        return topic.kind != "lexicon" or len(topic.matched.get(claim.id, ())) >= 2

    links = []
    for source_claims, target_claims in ((mine, theirs), (theirs, mine)):
        for claim in source_claims:
            best = None
            for other in target_claims:
                kind = None
                if claim.stance in NEGATIVE and other.stance in POSITIVE and (strong(claim) or strong(other)):
                    kind = "disputes"
                elif (
                    claim.stance in POSITIVE and other.stance in POSITIVE and strong(claim) and strong(other)
                    and _date_key(claim) > _date_key(other)
                ):
                    kind = "echoes"
                if kind is None:
                    continue
                overlap = len(set(claim.key_terms) & set(other.key_terms))
                if best is None or (kind == "disputes", overlap) > (best[0] == "disputes", best[2]):
                    best = (kind, other, overlap)
            if best:
                links.append(Link(claim.id, claim.speaker, best[1].id, best[1].speaker, best[0], "stance", topic.id))
    return links
