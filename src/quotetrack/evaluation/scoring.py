"""Scoring extracted quotes against gold attribution annotations.

Gold comes in one of two layouts, detected from the directory:

- PolNeAR (brat standoff): ``GOLD_DIR/text/<stem>.txt`` and ``GOLD_DIR/attributions/<stem>_<annotator>.ann``
  (a flat directory holding both ``.txt`` and ``.ann`` files works too). Each ``E`` line ties an
  Attribution trigger to ``Source``, ``Cue`` and ``Content`` (also ``Content2``…) text-bound annotations.
- Citron (BBC): a directory of ``.json`` files, one document each, ``{"text": ..., "quotes": [{"cue": span,
  "sources": [span...], "contents": [span...]}]}`` where a span is ``{"start", "end", "text"}``.

Scoring follows the design notes: predicted quotes are matched one-to-one to gold attributions, greedily in
descending order of the character Jaccard of their content spans, a pair needing at least ``threshold``
(0.5). Content precision/recall count matches; source accuracy is measured on matched pairs; an end-to-end
true positive needs a match and a correct source. Every figure is also split into direct and indirect
attributions (see :func:`is_direct`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotetrack.errors import InputError
from quotetrack.records import Quote
from quotetrack.spans import CharSpan, intersection_length, length, overlaps, union

CATEGORIES = ("direct", "indirect")
SUBSETS = ("all",) + CATEGORIES
DEFAULT_THRESHOLD = 0.5


# ---------------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: content spans plus the source and cue spans (either may be absent)."""

    doc: str
    id: str  # the brat event id ("E3") or "q<n>" for the n-th Citron quote
    content_spans: tuple[CharSpan, ...]
    source_spans: tuple[CharSpan, ...] = ()
    cue_spans: tuple[CharSpan, ...] = ()
    content: str = ""  # fragments joined by " … "
    source: str | None = None
    cue: str | None = None

    @property
    def category(self) -> str:
        return "direct" if is_direct(self.content) else "indirect"


@dataclass
class GoldDocument:
    id: str
    text: str
    attributions: list[GoldAttribution]
    path: str  # the annotation file it was read from


@dataclass
class GoldCorpus:
    """What `load_gold` read: the documents (sorted by id), the layout, and what it had to skip."""

    layout: str  # "polnear" or "citron"
    documents: list[GoldDocument]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    gold: GoldAttribution
    prediction: Quote
    jaccard: float
    source_correct: bool

    @property
    def category(self) -> str:
        return self.gold.category


@dataclass
class DocumentResult:
    doc: str
    matches: list[Match]
    false_positives: list[Quote]
    false_negatives: list[GoldAttribution]
    fp_categories: list[str]  # category of each false positive, parallel to `false_positives`

    @property
    def gold_count(self) -> int:
        return len(self.matches) + len(self.false_negatives)

    @property
    def predicted_count(self) -> int:
        return len(self.matches) + len(self.false_positives)


@dataclass(frozen=True)
class Scores:
    """Precision/recall/F1 from counts. Undefined ratios (nothing predicted, nothing gold) are None."""

    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        # 2PR/(P+R) written with counts: defined (0.0) even when precision or recall is undefined.
        total = self.predicted + self.gold
        return 2 * self.tp / total if total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class Accuracy:
    correct: int
    n: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy, "correct": self.correct, "n": self.n}


@dataclass
class Report:
    """Scores over all documents plus the per-document matches and errors behind them."""

    documents: list[DocumentResult]
    content: dict[str, Scores]  # keyed by "all", "direct", "indirect"
    source: dict[str, Accuracy]
    end_to_end: dict[str, Scores]
    threshold: float = DEFAULT_THRESHOLD
    unknown_documents: list[str] = field(default_factory=list)  # prediction doc ids not in the gold

    @property
    def matches(self) -> list[Match]:
        return [m for d in self.documents for m in d.matches]

    @property
    def false_positives(self) -> list[Quote]:
        return [q for d in self.documents for q in d.false_positives]

    @property
    def false_negatives(self) -> list[GoldAttribution]:
        return [g for d in self.documents for g in d.false_negatives]

    @property
    def wrong_sources(self) -> list[Match]:
        return [m for m in self.matches if not m.source_correct]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "threshold": self.threshold,
            "counts": {
                subset: {
                    "gold": self.content[subset].gold,
                    "predicted": self.content[subset].predicted,
                    "matched": self.content[subset].tp,
                    "source_correct": self.source[subset].correct,
                }
                for subset in SUBSETS
            },
            "content": {k: v.to_dict() for k, v in self.content.items()},
            "source": {k: v.to_dict() for k, v in self.source.items()},
            "end_to_end": {k: v.to_dict() for k, v in self.end_to_end.items()},
            "per_document": [
                {
                    "doc": d.doc,
                    "gold": d.gold_count,
                    "predicted": d.predicted_count,
                    "matched": len(d.matches),
                    "source_correct": sum(m.source_correct for m in d.matches),
                }
                for d in self.documents
            ],
            "unknown_documents": self.unknown_documents,
        }


# ---------------------------------------------------------------------------------------------------------
# Direct or indirect

DOUBLE_QUOTE_MARKS = frozenset('"“”„‟«»‹›＂')
# A single quotation mark opens at a word boundary (start, space or opening punctuation before it, a
# non-space after it) and closes at one (a non-space before it, end, space or punctuation after it).
# Apostrophes inside or at the end of words ("Trump's", "Clintons' plan") do not open, so alone they
# never make a pair.
SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[{—–-]))['‘](?=\S)")
SINGLE_CLOSE = re.compile(r"(?<=\S)['’](?=$|[\s.,;:!?)\]}—–-])")


def is_direct(content: str) -> bool:
    """True when the content holds a quotation mark.

    A quotation mark is any double or angle quotation mark (" “ ” „ ‟ « » ‹ ›), or a pair of single
    quotation marks (' or ‘ … ' or ’) at word boundaries: an opening one at the start or after a space or
    opening bracket, followed later by a closing one before the end, a space or punctuation. Apostrophes
    ("Trump’s", "don't") are thereby not quotation marks.
    """
    if any(ch in DOUBLE_QUOTE_MARKS for ch in content):
        return True
    opener = SINGLE_OPEN.search(content)
    return bool(opener and SINGLE_CLOSE.search(content, opener.end()))


# ---------------------------------------------------------------------------------------------------------
# Sources (span arithmetic is in quotetrack.spans)


def source_correct(prediction: Quote, gold: GoldAttribution) -> bool:
    """A predicted speaker is right when its span overlaps a gold Source span.

    For a gold attribution without a Source (PolNeAR's "Attribution-no-source"), the right answer is no
    speaker: a prediction with `speaker_span` null is correct there, any speaker is wrong.
    """
    if not gold.source_spans:
        return prediction.speaker_span is None
    return prediction.speaker_span is not None and overlaps(prediction.speaker_span, gold.source_spans)


# ---------------------------------------------------------------------------------------------------------
# Scoring


def match_document(
    gold: Sequence[GoldAttribution], predictions: Sequence[Quote], threshold: float = DEFAULT_THRESHOLD
) -> tuple[list[Match], list[int], list[int]]:
    """Greedy one-to-one matching; returns the matches and the indices of unmatched predictions and gold.

    All pairs with Jaccard >= threshold are taken in descending Jaccard order (ties: earlier gold, then
    earlier prediction), each gold and each prediction at most once.
    """
    gold_merged = [union(g.content_spans) for g in gold]
    pred_merged = [union(p.content_spans) for p in predictions]
    candidates: list[tuple[float, int, int]] = []
    for gi, gm in enumerate(gold_merged):
        g_len = length(gm)
        for pi, pm in enumerate(pred_merged):
            inter = intersection_length(gm, pm)
            if not inter:
                continue
            score = inter / (g_len + length(pm) - inter)
            if score >= threshold:
                candidates.append((score, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches: list[Match] = []
    for score, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        matches.append(Match(gold[gi], predictions[pi], score, source_correct(predictions[pi], gold[gi])))
    matches.sort(key=lambda m: (min((s for s, _ in m.gold.content_spans), default=0), m.gold.id))
    unmatched_pred = [i for i in range(len(predictions)) if i not in used_pred]
    unmatched_gold = [i for i in range(len(gold)) if i not in used_gold]
    return matches, unmatched_pred, unmatched_gold


def prediction_category(prediction: Quote, text: str | None) -> str:
    """Direct or indirect for a prediction that matched no gold attribution.

    The same quotation-mark test as for gold (:func:`is_direct`) is applied to the prediction's content
    taken from the document text, so that a prediction is put where it would sit had it matched (a
    `mixed` quote holds quotation marks and so counts as direct, like the gold it would match). Without
    the text, the record's `content` is tested.
    """
    if text is not None and prediction.content_spans:
        content = " … ".join(text[s:e] for s, e in sorted(prediction.content_spans))
    else:
        content = prediction.content
    return "direct" if is_direct(content) else "indirect"


def score(
    gold_docs: Sequence[GoldDocument],
    predictions: Iterable[Quote],
    threshold: float = DEFAULT_THRESHOLD,
) -> Report:
    """Score predictions against the gold documents.

    A prediction belongs to the gold document whose id equals its `doc`; predictions for other ids are
    not scored and their ids are listed in `Report.unknown_documents`. For precision by category, a
    matched prediction takes its gold attribution's category and an unmatched one the category of its
    own content (:func:`prediction_category`).
    """
    by_doc: dict[str, list[Quote]] = {}
    for quote in predictions:
        by_doc.setdefault(quote.doc, []).append(quote)
    known = {d.id for d in gold_docs}
    unknown = sorted(d for d in by_doc if d not in known)

    results: list[DocumentResult] = []
    for doc in gold_docs:
        preds = by_doc.get(doc.id, [])
        matches, fp_idx, fn_idx = match_document(doc.attributions, preds, threshold)
        fps = [preds[i] for i in fp_idx]
        results.append(
            DocumentResult(
                doc=doc.id,
                matches=matches,
                false_positives=fps,
                false_negatives=[doc.attributions[i] for i in fn_idx],
                fp_categories=[prediction_category(q, doc.text) for q in fps],
            )
        )
    return summarise(results, threshold, unknown)


def summarise(results: list[DocumentResult], threshold: float, unknown: list[str]) -> Report:
    counts = {
        subset: {"gold": 0, "predicted": 0, "matched": 0, "correct": 0} for subset in SUBSETS
    }

    def add(category: str, key: str, amount: int = 1) -> None:
        counts["all"][key] += amount
        counts[category][key] += amount

    for result in results:
        for match in result.matches:
            add(match.category, "gold")
            add(match.category, "predicted")
            add(match.category, "matched")
            add(match.category, "correct", int(match.source_correct))
        for attribution in result.false_negatives:
            add(attribution.category, "gold")
        for category in result.fp_categories:
            add(category, "predicted")

    content = {s: Scores(c["matched"], c["predicted"], c["gold"]) for s, c in counts.items()}
    source = {s: Accuracy(c["correct"], c["matched"]) for s, c in counts.items()}
    end_to_end = {s: Scores(c["correct"], c["predicted"], c["gold"]) for s, c in counts.items()}
    return Report(results, content, source, end_to_end, threshold, unknown)


def error_rows(report: Report, gold_docs: Sequence[GoldDocument]) -> Iterable[dict[str, Any]]:
    """One record per false positive, false negative and wrong-source match, with text snippets."""
    texts = {d.id: d.text for d in gold_docs}

    def snippet(text: str, spans: Iterable[CharSpan]) -> str:
        return " … ".join(text[s:e] for s, e in sorted(spans))

    for result in report.documents:
        text = texts.get(result.doc, "")
        for quote, category in zip(result.false_positives, result.fp_categories):
            yield {
                "kind": "false_positive",
                "doc": result.doc,
                "category": category,
                "quote_id": quote.id,
                "type": quote.type,
                "content": snippet(text, quote.content_spans),
                "content_spans": [list(s) for s in quote.content_spans],
                "speaker": quote.speaker,
                "speaker_mention": quote.speaker_mention,
                "speaker_span": list(quote.speaker_span) if quote.speaker_span else None,
                "cue": quote.cue,
            }
        for gold in result.false_negatives:
            yield {
                "kind": "false_negative",
                "doc": result.doc,
                "category": gold.category,
                "gold_id": gold.id,
                "content": gold.content,
                "content_spans": [list(s) for s in gold.content_spans],
                "source": gold.source,
                "source_spans": [list(s) for s in gold.source_spans],
                "cue": gold.cue,
            }
        for match in result.matches:
            if match.source_correct:
                continue
            quote = match.prediction
            yield {
                "kind": "wrong_source",
                "doc": result.doc,
                "category": match.category,
                "gold_id": match.gold.id,
                "quote_id": quote.id,
                "jaccard": round(match.jaccard, 4),
                "content": match.gold.content,
                "gold_source": match.gold.source,
                "gold_source_spans": [list(s) for s in match.gold.source_spans],
                "speaker": quote.speaker,
                "speaker_mention": quote.speaker_mention,
                "speaker_span": list(quote.speaker_span) if quote.speaker_span else None,
                "cue": quote.cue,
            }


def gold_as_predictions(gold_docs: Iterable[GoldDocument]) -> list[Quote]:
    """The gold attributions as quote records (speaker span = first Source span): an oracle that scores 100."""
    quotes = []
    for doc in gold_docs:
        for g in doc.attributions:
            source = g.source_spans[0] if g.source_spans else None
            quotes.append(
                Quote(
                    doc=doc.id,
                    type="direct" if g.category == "direct" else "indirect",
                    content_spans=list(g.content_spans),
                    content=g.content,
                    speaker_mention=doc.text[source[0] : source[1]] if source else None,
                    speaker_span=source,
                    cue=g.cue,
                    cue_span=g.cue_spans[0] if g.cue_spans else None,
                )
            )
    return quotes


# ---------------------------------------------------------------------------------------------------------
# Reading gold


def read_text(path: Path) -> str:
    """The file decoded as UTF-8 with nothing normalised (no newline translation), as offsets assume."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None


def detect_layout(gold_dir: Path) -> str:
    """'polnear' (text/ + attributions/ or flat .txt + .ann) or 'citron' (.json files)."""
    if not gold_dir.exists():
        raise InputError(str(gold_dir), "no such directory")
    if not gold_dir.is_dir():
        raise InputError(str(gold_dir), "not a directory")
    if (gold_dir / "attributions").is_dir() and (gold_dir / "text").is_dir():
        return "polnear"
    if any(gold_dir.glob("*.ann")):
        return "polnear"
    if any(p.is_file() for p in gold_dir.rglob("*.json")):
        return "citron"
    raise InputError(
        str(gold_dir),
        "no gold annotations found (expected text/ and attributions/ with brat .ann files, or Citron .json files)",
    )


def load_gold(gold_dir: str | Path) -> GoldCorpus:
    """Read a gold directory in either layout; documents come sorted by id.

    Annotations that do not fit the text (offsets out of range, span text differing from the text at
    those offsets) and attributions without content are skipped and described in `problems`.
    """
    gold_dir = Path(gold_dir)
    layout = detect_layout(gold_dir)
    corpus = load_polnear(gold_dir) if layout == "polnear" else load_citron(gold_dir)
    if not corpus.documents:
        raise InputError(str(gold_dir), "no gold documents could be read" + (
            f" ({corpus.problems[0]})" if corpus.problems else ""
        ))
    return corpus


def load_polnear(gold_dir: Path) -> GoldCorpus:
    if (gold_dir / "attributions").is_dir() and (gold_dir / "text").is_dir():
        text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    else:
        text_dir = ann_dir = gold_dir
    problems: list[str] = []
    # <stem>_<annotator>.ann; several annotators of one text: the alphabetically first file wins.
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0] if "_" in ann.stem else ann.stem
        if not (text_dir / f"{stem}.txt").is_file() and (text_dir / f"{ann.stem}.txt").is_file():
            stem = ann.stem  # a plain brat pair, text.txt + text.ann
        chosen.setdefault(stem, ann)
    for text_path in sorted(text_dir.glob("*.txt")):
        if text_path.stem not in chosen:
            problems.append(f"{text_path}: no annotation file; skipped")
    documents = []
    for stem in sorted(chosen):
        ann = chosen[stem]
        text_path = text_dir / f"{stem}.txt"
        if not text_path.is_file():
            problems.append(f"{ann}: no text file {text_path.name}; skipped")
            continue
        try:
            text = read_text(text_path)
            attributions = parse_brat(stem, text, read_text(ann), str(ann), problems)
        except InputError as exc:
            problems.append(f"{exc}; skipped")
            continue
        documents.append(GoldDocument(stem, text, attributions, str(ann)))
    return GoldCorpus("polnear", documents, problems)


def parse_spans(field_: str) -> list[CharSpan]:
    """'10 20;25 40' -> [(10, 20), (25, 40)]."""
    spans = []
    for part in field_.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def parse_brat(doc_id: str, text: str, ann_text: str, where: str, problems: list[str]) -> list[GoldAttribution]:
    """Attributions from brat standoff; bad lines are described in `problems` and left out."""
    bounds: dict[str, tuple[str, list[CharSpan], str]] = {}  # T id -> (label, spans, text)
    events: list[tuple[int, str, list[tuple[str, str]]]] = []
    for number, line in enumerate(ann_text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T"):
            try:
                label, spans_field = fields[1].split(" ", 1)
                spans = parse_spans(spans_field)
                covered = fields[2] if len(fields) > 2 else ""
            except (IndexError, ValueError):
                problems.append(f"{where}: line {number}: malformed text-bound annotation; skipped")
                continue
            if any(not 0 <= s <= e <= len(text) for s, e in spans):
                problems.append(f"{where}: line {number}: {ident} offsets outside the text; skipped")
                continue
            # brat writes the text of a discontinuous span with its fragments joined by one space.
            actual = " ".join(text[s:e] for s, e in spans)
            if actual != covered:
                problems.append(
                    f"{where}: line {number}: {ident} text {covered[:40]!r} differs from the text at "
                    f"{spans_field} ({actual[:40]!r}); skipped"
                )
                continue
            bounds[ident] = (label, spans, covered)
        elif ident.startswith("E"):
            args = fields[1].split() if len(fields) > 1 else []
            roles = []
            for arg in args:
                role, _, target = arg.partition(":")
                roles.append((role, target))
            events.append((number, ident, roles))
        # A (attributes), R (relations), # (notes) and the like are not part of attribution scoring.

    attributions = []
    for number, ident, roles in events:
        if not roles or not roles[0][0].startswith("Attribution"):
            continue
        parts: dict[str, list[CharSpan]] = {"Source": [], "Cue": [], "Content": []}
        missing = []
        for role, target in roles[1:]:
            kind = role.rstrip("0123456789")  # Content2 is a second content piece
            if kind not in parts:
                continue
            if target not in bounds:
                missing.append(target)
                continue
            parts[kind].extend(bounds[target][1])
        if missing:
            problems.append(f"{where}: line {number}: {ident} refers to unusable {', '.join(missing)}; skipped")
            continue
        if not parts["Content"]:
            problems.append(f"{where}: line {number}: {ident} has no Content; skipped")
            continue
        attributions.append(make_attribution(doc_id, ident, text, parts["Content"], parts["Source"], parts["Cue"]))
    return attributions


def make_attribution(
    doc_id: str, ident: str, text: str, content: list[CharSpan], source: list[CharSpan], cue: list[CharSpan]
) -> GoldAttribution:
    def joined(spans: list[CharSpan]) -> str | None:
        return " … ".join(text[s:e] for s, e in sorted(spans)) if spans else None

    return GoldAttribution(
        doc=doc_id,
        id=ident,
        content_spans=tuple(sorted(content)),
        source_spans=tuple(sorted(source)),
        cue_spans=tuple(sorted(cue)),
        content=joined(content) or "",
        source=joined(source),
        cue=joined(cue),
    )


def load_citron(gold_dir: Path) -> GoldCorpus:
    problems: list[str] = []
    documents = []
    seen: dict[str, Path] = {}
    for path in sorted(p for p in gold_dir.rglob("*.json") if p.is_file()):
        if path.stem in seen:
            problems.append(f"{path}: document id {path.stem} already read from {seen[path.stem]}; skipped")
            continue
        try:
            data = json.loads(read_text(path))
        except InputError as exc:
            problems.append(f"{exc}; skipped")
            continue
        except json.JSONDecodeError as exc:
            problems.append(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}); skipped")
            continue
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not isinstance(
            data.get("quotes", []), list
        ):
            problems.append(f"{path}: not a Citron document (needs a 'text' string and a 'quotes' list); skipped")
            continue
        seen[path.stem] = path
        text = data["text"]
        attributions = []
        for number, quote in enumerate(data.get("quotes") or [], 1):
            try:
                attribution = citron_attribution(path.stem, f"q{number}", text, quote)
            except ValueError as exc:
                problems.append(f"{path}: quote {number}: {exc}; skipped")
                continue
            attributions.append(attribution)
        documents.append(GoldDocument(path.stem, text, attributions, str(path)))
    documents.sort(key=lambda d: d.id)
    return GoldCorpus("citron", documents, problems)


def citron_spans(text: str, value: Any, what: str) -> list[CharSpan]:
    """Spans of a Citron span object or list of them, checked against the text."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    spans = []
    for item in items:
        try:
            start, end = int(item["start"]), int(item["end"])
        except (TypeError, KeyError, ValueError):
            raise ValueError(f"{what} span without integer start and end") from None
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"{what} span [{start}, {end}] outside the text")
        if "text" in item and item["text"] != text[start:end]:
            raise ValueError(
                f"{what} text {str(item['text'])[:40]!r} differs from the text at [{start}, {end}]"
            )
        spans.append((start, end))
    return spans


def citron_attribution(doc_id: str, ident: str, text: str, quote: Any) -> GoldAttribution:
    if not isinstance(quote, dict):
        raise ValueError("not a quote object")
    content = citron_spans(text, quote.get("contents"), "content")
    if not content:
        raise ValueError("no content spans")
    sources = citron_spans(text, quote.get("sources"), "source")
    cue = citron_spans(text, quote.get("cue"), "cue")
    return make_attribution(doc_id, ident, text, content, sources, cue)


# ---------------------------------------------------------------------------------------------------------
# Reading predictions


def read_predictions(path: str | Path) -> list[Quote]:
    """Quote records from a JSONL file or a JSON array (the DESIGN record; `doc` and `content_spans` needed)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file" if not path.exists() else "not a file")
    raw = read_text(path)
    stripped = raw.lstrip()
    records: list[tuple[str, Any]] = []
    if stripped.startswith("["):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
        records = [(f"record {i}", item) for i, item in enumerate(data, 1)]
    else:
        for number, line in enumerate(raw.split("\n"), 1):
            if not line.strip():
                continue
            try:
                records.append((f"line {number}", json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"line {number}: not valid JSON ({exc.msg})") from None
    return [quote_from_record(path, where, item) for where, item in records]


def quote_from_record(path: Path, where: str, item: Any) -> Quote:
    if not isinstance(item, dict):
        raise InputError(str(path), f"{where}: not a quote object")
    for key in ("doc", "content_spans"):
        if key not in item:
            raise InputError(str(path), f"{where}: no {key!r}")
    if isinstance(item["content_spans"], list) and not item["content_spans"]:
        raise InputError(str(path), f"{where}: empty 'content_spans'")
    try:
        quote = Quote.from_dict(item)
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        raise InputError(str(path), f"{where}: malformed quote record ({exc})") from None
    return quote
