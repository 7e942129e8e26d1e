"""Typed records that flow between the stages: documents in, quotes out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from quotetrack.spans import CharSpan  # re-exported: the character offsets of a quote's parts

QUOTE_TYPES = ("direct", "indirect", "mixed")


@dataclass(frozen=True)
class DocumentMeta:
    """What the text says about where and when it was published."""

    outlet: str | None = None
    republished_by: str | None = None
    published: str | None = None  # ISO date
    dateline_place: str | None = None
    byline: str | None = None


@dataclass(frozen=True)
class Document:
    """One article: its text exactly as read, plus what is known about it."""

    id: str
    text: str
    outlet: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    url: str | None = None
    title: str | None = None
    source: str | None = None  # the path or "<stdin>" it was read from
    # What makes it the same article in another run (the store keeps one document per source):
    # "file:" + the resolved absolute path, "jsonl:" + the record's id, … (see store/ingest.py);
    # None: the id is the identity (standard input: the content).
    source_key: str | None = None
    meta: DocumentMeta | None = None  # what extraction read from the text (outlet, date, dateline)
    warnings: tuple[str, ...] = ()  # what reading had to repair (one line each), for the user to see

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Quote:
    """One attribution: who (mention and resolved speaker) said what (content) via which cue."""

    doc: str
    type: str
    content_spans: list[CharSpan]
    content: str
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_span: CharSpan | None = None
    cue: str | None = None
    cue_span: CharSpan | None = None
    outlet: str | None = None
    published: str | None = None
    reported_by: str | None = None
    speaker_kind: str | None = None  # "person", "org" or None when unknown
    confidence: float = 1.0
    id: str = field(default="")

    def __post_init__(self) -> None:
        check_spans(self.content_spans, self.speaker_span, self.cue_span)
        if not self.id:
            self.id = quote_id(self.doc, self.content_spans)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content_spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content_spans)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "id": self.id,
            "type": self.type,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "cue": self.cue,
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "content": self.content,
            "content_spans": [list(s) for s in self.content_spans],
            "outlet": self.outlet,
            "published": self.published,
            "reported_by": self.reported_by,
            "speaker_kind": self.speaker_kind,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        def span(value: Any) -> CharSpan | None:
            return (int(value[0]), int(value[1])) if value else None

        return cls(
            doc=str(data["doc"]),
            id=str(data.get("id") or ""),
            type=str(data.get("type") or "indirect"),
            content_spans=[(int(s), int(e)) for s, e in data.get("content_spans") or []],
            content=str(data.get("content") or ""),
            speaker=data.get("speaker"),
            speaker_mention=data.get("speaker_mention"),
            speaker_span=span(data.get("speaker_span")),
            cue=data.get("cue"),
            cue_span=span(data.get("cue_span")),
            outlet=data.get("outlet"),
            published=data.get("published"),
            reported_by=data.get("reported_by"),
            speaker_kind=data.get("speaker_kind"),
            confidence=float(data.get("confidence", 1.0)),
        )


def check_spans(content: list[CharSpan], speaker: CharSpan | None = None, cue: CharSpan | None = None) -> None:
    """Raise ValueError unless every span is [start, end) with 0 <= start < end, and the content
    spans are sorted and do not overlap (a record whose text would be empty or read backwards)."""
    if not content:
        raise ValueError("a quote needs at least one content span")
    named = [("content span", span) for span in content] + [("speaker_span", speaker), ("cue_span", cue)]
    for name, span in named:
        if span is None:
            continue
        if len(span) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in span):
            raise ValueError(f"{name} {span!r}: not a pair of integer offsets")
        if not 0 <= span[0] < span[1]:
            raise ValueError(f"{name} {list(span)}: start must be >= 0 and before end")
    for before, after in zip(content, content[1:]):
        if after[0] < before[1]:
            raise ValueError(f"content spans {list(before)} and {list(after)}: not sorted, or overlapping")


def quote_id(doc: str, spans: list[CharSpan]) -> str:
    """A stable id: the same document id and content offsets always give the same id."""
    key = doc + "|" + ";".join(f"{s}-{e}" for s, e in sorted(spans))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
