"""Building the comparison of speakers' positions: propositions as rows, speakers as columns, links.

A `Comparison` is plain data (dataclasses with `to_dict`); `render` draws it for the terminal or
as HTML, `--format json` prints `to_dict()` and `--format csv` one flat row per claim (`csv_rows`).

It opens with the propositions the speakers share (two or more of them have claims in it), ranked
by claims, then speakers, then outlets; each with the stance counts per speaker, one
representative claim per speaker and the span of dates. Then, per speaker, the propositions only
that speaker speaks to, and the claims in no proposition yet.

Propositions come from the store (computed once, grown as quotes arrive: analysis/
proposition_store.py) or, for quotes given directly, from `propositions.group_claims` over them.
Links join claims of one proposition only: `disputes` between opposite stances (supports against
opposes), `supports` between the same stance, each with the words that decided the source's stance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from quotetrack.analysis.claims import analyse_quotes
from quotetrack.analysis.propositions import STANCES, ClaimText, group_claims
from quotetrack.analysis.provenance import group_appearances
from quotetrack.analysis.storage import WINDOW, Grouping
from quotetrack.analysis.terms import tokenize
from quotetrack.analysis.topics import default_lexicon, matches_topic, topic_query
from quotetrack.records import Quote

DIRECT_FIRST = {"direct": 0, "mixed": 1, "indirect": 2}


@dataclass
class ClaimView:
    id: str
    speaker: str
    content: str
    type: str
    cue: str | None
    stance: str  # toward its proposition: supports, opposes, neutral
    evidence: str | None  # the words that decided the stance
    outlet: str | None
    published: str | None
    doc: str
    url: str | None
    start: int
    end: int
    reported_by: str | None  # the outer speaker of a nested attribution
    proposition: int | None
    appearances: list[dict] = field(default_factory=list)  # every document the claim appeared in

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Link:
    source: str  # claim id
    source_speaker: str
    target: str  # claim id
    target_speaker: str
    kind: str  # disputes, supports
    proposition: int
    evidence: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PropositionRow:
    id: int
    label: str
    topic: str | None
    claims: dict[str, list[ClaimView]]  # speaker -> claims, for every compared speaker
    representative: dict[str, ClaimView]  # speaker -> one claim, for the speakers with claims
    outlets: list[str]
    first: str | None
    last: str | None
    toward: dict[str, dict[str, str]]  # speaker -> other speaker -> disputes / supports

    @property
    def speakers(self) -> list[str]:
        return [s for s, claims in self.claims.items() if claims]

    @property
    def shared(self) -> bool:
        return len(self.speakers) >= 2

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.claims.values())

    @property
    def disagreement(self) -> bool:
        return any(kind == "disputes" for others in self.toward.values() for kind in others.values())

    def stances(self) -> dict[str, dict[str, int]]:
        return {s: {k: sum(1 for c in claims if c.stance == k) for k in STANCES} for s, claims in self.claims.items()}

    def rank_key(self) -> tuple:
        return (-self.size, -len(self.speakers), -len(self.outlets), self.label, self.id)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "topic": self.topic,
            "shared": self.shared,
            "claims_count": self.size,
            "speakers": self.speakers,
            "outlets": list(self.outlets),
            "first": self.first,
            "last": self.last,
            "stances": self.stances(),
            "representative": {s: c.id for s, c in self.representative.items()},
            "toward": {s: dict(o) for s, o in self.toward.items()},
            "disagreement": self.disagreement,
            "claims": {s: [c.to_dict() for c in claims] for s, claims in self.claims.items()},
        }


@dataclass
class Comparison:
    speakers: list[str]
    filters: dict
    shared: list[PropositionRow]  # ranked; at most `limit`
    alone: dict[str, list[PropositionRow]]  # speaker -> propositions only they speak to, ranked
    ungrouped: dict[str, list[ClaimView]]  # claims in no proposition yet
    links: list[Link]
    counts: dict[str, dict]
    shared_total: int  # shared propositions before the limit
    alone_total: dict[str, int]
    granularity: str  # day, week, month or year: the timeline's buckets
    timeline: dict[str, dict[str, int]]  # speaker -> bucket -> claims

    def rows(self) -> list[PropositionRow]:
        return [*self.shared, *(row for rows in self.alone.values() for row in rows)]

    def claim(self, claim_id: str) -> ClaimView | None:
        for row in self.rows():
            for claims in row.claims.values():
                for claim in claims:
                    if claim.id == claim_id:
                        return claim
        for claims in self.ungrouped.values():
            for claim in claims:
                if claim.id == claim_id:
                    return claim
        return None

    def to_dict(self) -> dict:
        return {
            "speakers": list(self.speakers),
            "filters": dict(self.filters),
            "counts": self.counts,
            "shared_total": self.shared_total,
            "propositions": [row.to_dict() for row in self.shared],
            "alone": {s: [row.to_dict() for row in rows] for s, rows in self.alone.items()},
            "alone_total": dict(self.alone_total),
            "ungrouped": {s: [c.to_dict() for c in claims] for s, claims in self.ungrouped.items()},
            "links": [link.to_dict() for link in self.links],
            "granularity": self.granularity,
            "timeline": {s: dict(t) for s, t in self.timeline.items()},
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


def claim_texts(
    quotes: Sequence[Quote], texts: Mapping[str, str] | None = None, windows: Mapping[str, tuple[int, str]] | None = None
) -> list[ClaimText]:
    """Quotes as grouping reads them: the content, and the article text around the cue (or content)."""
    texts, windows = texts or {}, windows or {}
    claims = []
    for quote in quotes:
        anchor = quote.cue_span[0] if quote.cue_span else quote.start
        context, offset = None, 0
        if quote.doc in texts:
            offset = max(0, anchor - WINDOW)
            context = texts[quote.doc][offset : offset + 2 * WINDOW + 200]
        elif quote.id in windows:
            offset, context = windows[quote.id]
        before: list[str] = []
        if context and quote.cue_span:
            at = quote.cue_span[0] - offset
            before = [t.lower for t in tokenize(context[max(0, at - 40) : max(0, at)]) if t.is_word][-3:]
        claims.append(ClaimText(quote.id, quote.speaker, quote.content, context, quote.cue, tuple(before)))
    return claims


def group_quotes(
    quotes: Sequence[Quote], texts: Mapping[str, str] | None = None, windows: Mapping[str, tuple[int, str]] | None = None
) -> dict[str, Grouping]:
    """Propositions of quotes given directly (not from the store): grouped among themselves."""
    grouped = group_claims(claim_texts(quotes, texts, windows))
    return {g.id: Grouping(g.proposition, g.label, g.topic, g.stance, g.evidence) for g in grouped}


def _view(quote: Quote, grouping: Grouping | None, urls: Mapping[str, str]) -> ClaimView:
    return ClaimView(
        id=quote.id,
        speaker=quote.speaker or "",
        content=quote.content,
        type=quote.type,
        cue=quote.cue,
        stance=grouping.stance if grouping else "neutral",
        evidence=grouping.evidence if grouping else None,
        outlet=quote.outlet,
        published=quote.published,
        doc=quote.doc,
        url=urls.get(quote.doc),
        start=quote.start,
        end=quote.end,
        reported_by=quote.reported_by,
        proposition=grouping.proposition if grouping else None,
    )


def build_comparison(
    quotes: Sequence[Quote],
    speakers: Sequence[str],
    *,
    groupings: Mapping[str, Grouping] | None = None,
    texts: Mapping[str, str] | None = None,
    windows: Mapping[str, tuple[int, str]] | None = None,
    urls: Mapping[str, str] | None = None,
    aliases: Mapping[str, Iterable[str]] | None = None,
    topic: str | None = None,
    proposition: int | None = None,
    limit: int | None = None,
    nlp=None,
    filters: Mapping | None = None,
) -> Comparison:
    """Compare the claims of `speakers` (canonical names) among `quotes`.

    `groupings` maps quote ids to their stored proposition and stance; without it the quotes are
    grouped among themselves (with `texts`, doc id -> text, or `windows`, quote id -> (offset, text
    around the cue), as context). `topic` keeps the claims about it (words or a lexicon family),
    `proposition` only that proposition, `limit` the first propositions of each list. `aliases`
    is accepted for callers of the earlier API and not needed.
    """
    del aliases  # stances toward propositions replace name-based relations
    speakers = list(dict.fromkeys(speakers))
    selected = [q for q in quotes if q.speaker in speakers]
    if groupings is None:
        groupings = group_quotes(selected, texts, windows)
    # The same claim reprinted elsewhere is shown once, with its appearances.
    by_id = {q.id: q for q in selected}
    unique: list[Quote] = []
    appearances: dict[str, list[dict]] = {}
    for claim in group_appearances(selected):
        unique.append(by_id[claim.id])
        appearances[claim.id] = [
            {"quote": a.quote_id, "doc": a.doc, "outlet": a.outlet, "published": a.published} for a in claim.appearances
        ]
    if topic:
        features = analyse_quotes(unique, texts, windows=windows, nlp=nlp)
        lexicon = default_lexicon()
        query = topic_query(topic, lexicon)
        unique = [
            q for q in unique
            if matches_topic(features[q.id], query, lexicon) or (groupings.get(q.id) and groupings[q.id].topic in query[0])
        ]
    if proposition is not None:
        unique = [q for q in unique if groupings.get(q.id) and groupings[q.id].proposition == proposition]
    views = {q.id: _view(q, groupings.get(q.id), urls or {}) for q in unique}
    for claim_id, view in views.items():
        view.appearances = appearances.get(claim_id, [])

    members: dict[int, list[ClaimView]] = defaultdict(list)
    ungrouped: dict[str, list[ClaimView]] = {s: [] for s in speakers}
    for view in views.values():
        if view.proposition is None:
            ungrouped[view.speaker].append(view)
        else:
            members[view.proposition].append(view)
    rows = []
    for proposition_id, claims in members.items():
        grouping = groupings[claims[0].id]
        rows.append(_row(proposition_id, grouping.label or "", grouping.topic, claims, speakers))
    rows.sort(key=PropositionRow.rank_key)
    shared = [row for row in rows if row.shared]
    alone = {s: [row for row in rows if row.speakers == [s]] for s in speakers}
    links = [link for row in shared for link in _links(row, speakers)]
    dated = [(v.speaker, v.published[:10]) for v in views.values() if v.published]
    granularity = choose_granularity([day for _, day in dated])
    timeline: dict[str, dict[str, int]] = {s: {} for s in speakers}
    if dated:
        buckets = all_buckets(min(day for _, day in dated), max(day for _, day in dated), granularity)
        for speaker in speakers:
            timeline[speaker] = dict.fromkeys(buckets, 0)
        for speaker, day in dated:
            key = bucket_of(day, granularity)
            timeline[speaker][key] = timeline[speaker].get(key, 0) + 1
    counts = {}
    for speaker in speakers:
        mine = [v for v in views.values() if v.speaker == speaker]
        stances = Counter(v.stance for v in mine)
        counts[speaker] = {
            "claims": len(mine),
            "quotes": sum(1 for q in selected if q.speaker == speaker),
            "propositions": len({v.proposition for v in mine if v.proposition is not None}),
            "stances": {k: stances.get(k, 0) for k in STANCES},
        }
    shown_filters = dict(filters or {})
    if topic:
        shown_filters["topic"] = topic
    if proposition is not None:
        shown_filters["proposition"] = proposition
    return Comparison(
        speakers=speakers,
        filters=shown_filters,
        shared=shared[:limit] if limit else shared,
        alone={s: (rows_[:limit] if limit else rows_) for s, rows_ in alone.items()},
        ungrouped={s: sorted(claims, key=_date_key) for s, claims in ungrouped.items()},
        links=links,
        counts=counts,
        shared_total=len(shared),
        alone_total={s: len(rows_) for s, rows_ in alone.items()},
        granularity=granularity,
        timeline=timeline,
    )


def _date_key(view: ClaimView) -> tuple:
    return (view.published is None, view.published or "", view.doc, view.start, view.id)


def _majority(claims: Sequence[ClaimView]) -> str:
    counts = Counter(c.stance for c in claims)
    return max(STANCES, key=lambda s: (counts.get(s, 0), s == "supports"))


def _row(proposition_id: int, label: str, topic: str | None, claims: list[ClaimView], speakers: Sequence[str]) -> PropositionRow:
    by_speaker = {s: sorted((c for c in claims if c.speaker == s), key=_date_key) for s in speakers}
    majority = {s: _majority(mine) for s, mine in by_speaker.items() if mine}
    toward: dict[str, dict[str, str]] = {s: {} for s in speakers}
    disputing: dict[str, str] = {}  # speaker -> the side on which they dispute another
    for a in majority:
        for b in majority:
            if a == b or "neutral" in (majority[a], majority[b]):
                continue
            against = [c for c in by_speaker[a] if _relation(c.stance, majority[b]) == "disputes"]
            toward[a][b] = "disputes" if against else "supports"
            if against:
                disputing.setdefault(a, against[0].stance)
    representative = {}
    for speaker, mine in by_speaker.items():
        if mine:
            side = disputing.get(speaker, majority[speaker])
            # A claim on the side that matters (the disputing one, else the usual one); direct words first, then the earliest.
            representative[speaker] = min(mine, key=lambda c: (c.stance != side, DIRECT_FIRST.get(c.type, 3), _date_key(c)))
    dates = [c.published[:10] for c in claims if c.published]
    outlets = sorted({c.outlet for c in claims if c.outlet})
    return PropositionRow(
        proposition_id, label, topic, by_speaker, representative, outlets,
        min(dates) if dates else None, max(dates) if dates else None, toward,
    )


def _relation(mine: str, theirs: str) -> str | None:
    if "neutral" in (mine, theirs):
        return None
    return "supports" if mine == theirs else "disputes"


def _links(row: PropositionRow, speakers: Sequence[str]) -> list[Link]:
    """Each claim with a side to each other speaker's representative claim of the proposition."""
    links = []
    for speaker in speakers:
        for claim in row.claims[speaker]:
            for other, target in row.representative.items():
                if other == speaker:
                    continue
                kind = _relation(claim.stance, target.stance)
                if kind:
                    links.append(Link(claim.id, speaker, target.id, other, kind, row.id, claim.evidence or ""))
    return links


# --- timeline ------------------------------------------------------------------------------------


def choose_granularity(dates: Sequence[str]) -> str:
    """Days for a span of up to a month, weeks up to half a year, months up to five years, else years."""
    if not dates:
        return "day"
    days = (date.fromisoformat(max(dates)) - date.fromisoformat(min(dates))).days
    if days <= 31:
        return "day"
    if days <= 183:
        return "week"
    if days <= 5 * 366:
        return "month"
    return "year"


def bucket_of(day: str, granularity: str) -> str:
    if granularity == "week":
        year, week, _ = date.fromisoformat(day[:10]).isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": day[:10], "month": day[:7], "year": day[:4]}[granularity]


def all_buckets(first: str, last: str, granularity: str) -> list[str]:
    """Every bucket from the first date's to the last date's, so gaps show as zero."""
    start, end = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    step = {"day": 1, "week": 7, "month": 28, "year": 365}[granularity]
    buckets: list[str] = []
    current = start
    while current <= end + timedelta(days=step):
        key = bucket_of(current.isoformat(), granularity)
        if not buckets or buckets[-1] != key:
            buckets.append(key)
        if key == bucket_of(end.isoformat(), granularity):
            break
        current += timedelta(days=step)
    return buckets


# --- flat rows -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "section", "rank", "proposition", "label", "topic", "speaker", "stance", "evidence", "representative",
    "link", "link_target", "claim", "content", "type", "cue", "outlet", "published", "doc", "url", "start", "end",
    "reported_by", "appearances",
)


def csv_rows(comparison: Comparison) -> Iterable[dict]:
    """One flat row per claim: shared propositions first (ranked), then each speaker's alone, then
    claims in no proposition. Every cell is a plain value (no lists, no JSON)."""
    links: dict[str, Link] = {}
    for link in comparison.links:
        links.setdefault(link.source, link)
    sections = [("shared", row) for row in comparison.shared]
    sections += [("alone", row) for rows in comparison.alone.values() for row in rows]
    rank = 0
    for section, row in sections:
        rank += 1
        for speaker in comparison.speakers:
            for claim in row.claims.get(speaker, []):
                yield _csv_row(section, rank, row, claim, links.get(claim.id))
    for claims in comparison.ungrouped.values():
        for claim in claims:
            yield _csv_row("ungrouped", None, None, claim, None)


def _csv_row(section: str, rank: int | None, row: PropositionRow | None, claim: ClaimView, link: Link | None) -> dict:
    return {
        "section": section,
        "rank": rank,
        "proposition": row.id if row else None,
        "label": row.label if row else None,
        "topic": row.topic if row else None,
        "speaker": claim.speaker,
        "stance": claim.stance,
        "evidence": claim.evidence,
        "representative": "yes" if row and row.representative.get(claim.speaker) is claim else "",
        "link": link.kind if link else None,
        "link_target": link.target if link else None,
        "claim": claim.id,
        "content": claim.content,
        "type": claim.type,
        "cue": claim.cue,
        "outlet": claim.outlet,
        "published": claim.published,
        "doc": claim.doc,
        "url": claim.url,
        "start": claim.start,
        "end": claim.end,
        "reported_by": claim.reported_by,
        "appearances": len(claim.appearances),
    }
