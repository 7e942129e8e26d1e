"""How a claim is labelled in both renderers: its short id, its details line, its source and links."""

from __future__ import annotations

from collections.abc import Mapping

from quotetrack.analysis.compare import ClaimView, Comparison, Link


def short(claim_id: str) -> str:
    return "#" + claim_id[:6]


def claim_details(claim: ClaimView) -> str:
    """Everything after the stance: speech type, cue, outlet, date, nesting, appearances."""
    parts = [claim.type]
    if claim.cue:
        parts.append(f"cue: {claim.cue}")
    parts.append(claim.outlet or "no outlet")
    parts.append(claim.published or "undated")
    if claim.reported_by:
        parts.append(f"reported by {claim.reported_by}")
    if len(claim.appearances) > 1:
        parts.append(f"{len(claim.appearances)} appearances")
    return " · ".join(parts)


def claim_source(claim: ClaimView) -> str:
    """Where the claim is: its article's URL when known, else the document id and offsets."""
    return claim.url or f"{claim.doc} @ {claim.start}–{claim.end}"


def claim_links(claim: ClaimView, comparison: Comparison, proposition: int | None = None) -> list[Link]:
    """The links from a claim, once each (within one proposition when given)."""
    seen, out = set(), []
    for link in comparison.links:
        if link.source != claim.id or (proposition is not None and link.proposition != proposition):
            continue
        key = (link.target, link.kind)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


def stance_counts(counts: Mapping[str, int]) -> str:
    """"supports 3 · opposes 1" (neutral only when there is one)."""
    parts = [f"supports {counts.get('supports', 0)}", f"opposes {counts.get('opposes', 0)}"]
    if counts.get("neutral"):
        parts.append(f"neutral {counts['neutral']}")
    return " · ".join(parts)


def date_span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last else f"{first} – {last}"


def filters_text(filters: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in filters.items() if v is not None and v != "")
