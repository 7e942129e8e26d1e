"""How a claim is labelled in both renderers: its short id, its details line and its links."""

from __future__ import annotations

from collections.abc import Mapping

from quotetrack.analysis.compare import ClaimView, Comparison, Link


def short(claim_id: str) -> str:
    return "#" + claim_id[:6]


def claim_details(claim: ClaimView) -> str:
    """Everything after the stance: speech type, cue, outlet, date, appearances."""
    parts = [claim.type]
    if claim.cue:
        parts.append(f"cue: {claim.cue}")
    parts.append(claim.outlet or "no outlet")
    parts.append(claim.published or "undated")
    if len(claim.appearances) > 1:
        parts.append(f"{len(claim.appearances)} appearances")
    return " · ".join(parts)


def claim_links(claim: ClaimView, comparison: Comparison, topic_id: str | None = None) -> list[Link]:
    """The links from a claim, once each; in a topic row only the explicit ones and that topic's."""
    seen, out = set(), []
    for link in comparison.links:
        if link.source != claim.id or (topic_id and link.basis != "explicit" and link.topic != topic_id):
            continue
        key = (link.target, link.target_speaker, link.kind)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


def filters_text(filters: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in filters.items() if v)
