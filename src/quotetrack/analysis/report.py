"""Reports over stored quotes: who is quoted most and where, speech types, stances, timelines."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from quotetrack import lexicon
from quotetrack.analysis.claims import STANCES, ClaimFeatures, analyse_quotes
from quotetrack.records import Quote

TYPES = ("direct", "indirect", "mixed")
UNKNOWN_SPEAKER = "(unknown)"
UNKNOWN_OUTLET = "(no outlet)"
UNRESOLVED = "(unresolved: {})"
DETERMINERS = set(lexicon.sequence("determiners"))
# Mentions that name nobody: relative and demonstrative pronouns the parse took for a subject.
NOBODY = {"that", "which", "who", "whom", "whose", "this", "these", "those", "it", "what"}
FURNITURE = tuple(p.lower() for p in lexicon.sequence("furniture_prefixes"))
UNRESOLVED_HINT = "quotetrack quotes --unresolved lists them"


def unresolved_label(mention: str | None) -> str | None:
    """The row a quote without a resolved speaker is counted under: "(unresolved: government)" for
    "the government" (lower-cased, determiner dropped); None for junk (no mention, page furniture,
    a pronoun that names nobody), which no report row shows."""
    words = " ".join((mention or "").split()).lower().strip(" \"“”'‘’,.:;-—–").split()
    while words and words[0] in DETERMINERS:
        words = words[1:]
    name = " ".join(words)
    if not name or not any(ch.isalpha() for ch in name) or name in NOBODY:
        return None
    if any(name.startswith(prefix) for prefix in FURNITURE):
        return None
    return UNRESOLVED.format(name)


def speaker_row(quote: Quote) -> str:
    """The report row of a quote's speaker: its resolved name, "(unresolved: …)", or UNKNOWN_SPEAKER."""
    if quote.speaker and any(ch.isalpha() for ch in quote.speaker):
        return quote.speaker
    return unresolved_label(quote.speaker_mention) or UNKNOWN_SPEAKER


def is_unresolved(name: str) -> bool:
    return name == UNKNOWN_SPEAKER or name.startswith(UNRESOLVED.format("")[:-1])


@dataclass
class GroupStats:
    """Counts for one speaker, outlet or document."""

    name: str
    quotes: int = 0
    types: Counter = field(default_factory=Counter)
    stances: Counter = field(default_factory=Counter)
    outlets: Counter = field(default_factory=Counter)
    speakers: Counter = field(default_factory=Counter)
    first: str | None = None
    last: str | None = None
    timeline: dict[str, int] = field(default_factory=dict)  # bucket -> quotes

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "quotes": self.quotes,
            "types": {t: self.types.get(t, 0) for t in TYPES},
            "stances": {s: self.stances.get(s, 0) for s in STANCES},
            "outlets": dict(self.outlets.most_common()),
            "speakers": dict(self.speakers.most_common()),
            "first": self.first,
            "last": self.last,
            "timeline": dict(self.timeline),
        }


@dataclass
class CorpusReport:
    """Who is quoted how often, where and how, over a selection of stored quotes (`quotetrack report`)."""

    title: str
    by: str  # speaker, outlet or doc: what the rows are
    filters: dict
    total: GroupStats
    groups: list[GroupStats]
    granularity: str  # day, month or year
    buckets: list[str]  # every timeline bucket from first to last, in order
    samples: dict[str, list[dict]] = field(default_factory=dict)  # group -> latest claims
    unresolved: int = 0  # quotes without a resolved speaker (in "(unresolved: …)" rows or none)
    unlisted: int = 0  # of those, quotes no row shows: no mention, page furniture, "that" ("(unknown)")

    @property
    def speaker_count(self) -> int:
        """Speakers the selection quotes: resolved ones, as `quotetrack speakers` lists them."""
        return sum(1 for name in self.total.speakers if not is_unresolved(name))

    def unresolved_note(self) -> str | None:
        """The line that says how many quotes have no resolved speaker and how to list them."""
        if not self.unresolved:
            return None
        note = f"{self.unresolved} quote{'s' if self.unresolved != 1 else ''} without a resolved speaker"
        if self.unlisted:
            note += f" ({self.unlisted} naming no one, in no row)"
        return f"{note}: {UNRESOLVED_HINT}"

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "by": self.by,
            "filters": dict(self.filters),
            "speakers": self.speaker_count,
            "unresolved": self.unresolved,
            "unlisted": self.unlisted,
            "total": self.total.to_dict(),
            "groups": [g.to_dict() for g in self.groups],
            "granularity": self.granularity,
            "buckets": list(self.buckets),
            "samples": {k: list(v) for k, v in self.samples.items()},
        }


def choose_granularity(dates: Sequence[str]) -> str:
    """Days for a span of up to two months, months up to five years, years beyond."""
    if not dates:
        return "day"
    first, last = min(dates), max(dates)
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7] or 1) - int(first[5:7] or 1)
    if months <= 2:
        return "day"
    if months <= 60:
        return "month"
    return "year"


def bucket_of(date: str, granularity: str) -> str:
    return {"day": date[:10], "month": date[:7], "year": date[:4]}[granularity]


def all_buckets(first: str, last: str, granularity: str) -> list[str]:
    """Every bucket between two bucket keys, so gaps show as zero."""
    from datetime import date, timedelta

    if granularity == "day":
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        if (end - start).days > 3660:
            return sorted({first, last})
        return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    if granularity == "month":
        year, month = int(first[:4]), int(first[5:7])
        out = []
        while f"{year:04d}-{month:02d}" <= last:
            out.append(f"{year:04d}-{month:02d}")
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return out
    return [str(y) for y in range(int(first), int(last) + 1)]


def _valid_date(value: str | None) -> str | None:
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None


def build_report(
    quotes: Sequence[Quote],
    *,
    by: str = "speaker",
    features: Mapping[str, ClaimFeatures] | None = None,
    texts: Mapping[str, str] | None = None,
    windows: Mapping[str, tuple[int, str]] | None = None,
    top: int = 20,
    filters: Mapping | None = None,
    samples: int = 3,
    urls: Mapping[str, str] | None = None,
) -> CorpusReport:
    """Count quotes by speaker, outlet or document (`by`), with types, stances and a timeline per row."""
    if by not in ("speaker", "outlet", "doc"):
        raise ValueError(f"by must be speaker, outlet or doc, not {by!r}")
    if features is None:
        features = analyse_quotes(quotes, texts, windows=windows)
    dates = [d for d in (_valid_date(q.published) for q in quotes) if d]
    granularity = choose_granularity(dates)
    total = GroupStats("all")
    groups: dict[str, GroupStats] = {}
    latest: dict[str, list[Quote]] = defaultdict(list)

    unresolved = unlisted = 0
    for quote in quotes:
        speaker = speaker_row(quote)
        if is_unresolved(speaker):
            unresolved += 1
            unlisted += speaker == UNKNOWN_SPEAKER
        outlet = quote.outlet or UNKNOWN_OUTLET
        key = {"speaker": speaker, "outlet": outlet, "doc": quote.doc}[by]
        group = groups.get(key)
        if group is None:
            group = groups[key] = GroupStats(key)
        stance = features[quote.id].stance if quote.id in features else None
        date = _valid_date(quote.published)
        for stats in (total, group):
            stats.quotes += 1
            stats.types[quote.type] += 1
            if stance:
                stats.stances[stance] += 1
            stats.outlets[outlet] += 1
            if speaker != UNKNOWN_SPEAKER:  # junk is counted, never listed
                stats.speakers[speaker] += 1
            if date:
                stats.first = min(stats.first or date, date)
                stats.last = max(stats.last or date, date)
                bucket = bucket_of(date, granularity)
                stats.timeline[bucket] = stats.timeline.get(bucket, 0) + 1
        latest[key].append(quote)

    # Rows are what other commands find: speakers (quotes --speaker), "(unresolved: …)" mentions
    # (quotes --unresolved); junk ("(unknown)": no mention, page furniture) is never a row.
    listed = [g for g in groups.values() if not (by == "speaker" and g.name == UNKNOWN_SPEAKER)]
    ordered = sorted(listed, key=lambda g: (-g.quotes, g.name))[:top] if top else sorted(listed, key=lambda g: (-g.quotes, g.name))
    buckets = (
        all_buckets(bucket_of(total.first, granularity), bucket_of(total.last, granularity), granularity)
        if total.first and total.last
        else []
    )
    for stats in [total, *ordered]:
        stats.timeline = {b: stats.timeline.get(b, 0) for b in buckets}
    sample_rows = {}
    for group in ordered:
        recent = sorted(latest[group.name], key=lambda q: (q.published or "", q.doc, q.start), reverse=True)[:samples]
        sample_rows[group.name] = [
            {
                "id": q.id,
                "speaker": q.speaker,
                "content": q.content,
                "type": q.type,
                "stance": features[q.id].stance if q.id in features else None,
                "outlet": q.outlet,
                "published": q.published,
                "doc": q.doc,
                "url": (urls or {}).get(q.doc),
            }
            for q in recent
        ]
    title = f"Quotes by {by}"
    return CorpusReport(
        title, by, dict(filters or {}), total, ordered, granularity, buckets, sample_rows, unresolved=unresolved, unlisted=unlisted
    )
