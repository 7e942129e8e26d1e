"""The `quotetrack` spaCy component: quotes on `doc._.quotes` and in `doc.spans`.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("quotetrack")
    doc = nlp(text)
    doc._.quotes          # list[Quote], character offsets into doc.text
    doc.spans["quotes"]   # the content spans, labelled direct / indirect / mixed
    doc.spans["speakers"] # the speaker mentions, labelled with the resolved speaker
    doc.spans["cues"]     # the cues

Adding the component also adds `quotetrack_paragraphs` before the parser (a headline or a
paragraph never runs into the next sentence), so a stock pipeline gives the same quotes as the
command line. A document id for the quote ids can be set before the pipeline runs:
`doc = nlp.make_doc(text); doc._.doc_id = "article-7"; nlp(doc)`.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from quotetrack.extraction import extractor
from quotetrack.extraction.nlp import ensure_paragraph_boundaries
from quotetrack.io.meta import apply_meta
from quotetrack.records import Document, Quote

DEFAULT_DOC_ID = "text"
# The quotes travel as plain dicts in user_data, so a Doc with them survives to_bytes / DocBin and
# spaCy's own multiprocessing (nlp.pipe(..., n_process=2)); doc._.quotes builds the records.
_USER_DATA_KEY = "quotetrack.quotes"


def _quotes_of(doc: Doc) -> list[Quote] | None:
    stored = doc.user_data.get(_USER_DATA_KEY)
    return None if stored is None else [Quote.from_dict(item) for item in stored]


if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", getter=_quotes_of)
if not Doc.has_extension("doc_id"):
    Doc.set_extension("doc_id", default=None)


def set_quotes(doc: Doc, quotes: list[Quote]) -> None:
    """Put quotes on a Doc: `doc._.quotes` and the span groups `quotes`, `speakers`, `cues`."""
    doc.user_data[_USER_DATA_KEY] = [quote.to_dict() for quote in quotes]
    contents, speakers, cues = [], [], []
    for quote in quotes:
        for start, end in quote.content_spans:
            contents.append(_span(doc, start, end, quote.type))
        if quote.speaker_span:
            speakers.append(_span(doc, *quote.speaker_span, quote.speaker or quote.speaker_mention or ""))
        if quote.cue_span:
            cues.append(_span(doc, *quote.cue_span, "CUE"))
    doc.spans["quotes"] = SpanGroup(doc, name="quotes", spans=[s for s in contents if s is not None])
    doc.spans["speakers"] = SpanGroup(doc, name="speakers", spans=[s for s in speakers if s is not None])
    doc.spans["cues"] = SpanGroup(doc, name="cues", spans=[s for s in cues if s is not None])


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    # Character offsets may fall inside a token ("Tokayev's"): the span grows to whole tokens.
    return doc.char_span(start, end, label=label, alignment_mode="expand")


class QuoteExtractor:
    """Finds the quotes of a parsed Doc; see the module docstring."""

    def __init__(self, name: str = "quotetrack", *, min_confidence: float = 0.0, detect_meta: bool = True):
        self.name = name
        self.min_confidence = min_confidence
        self.detect_meta = detect_meta

    def __call__(self, doc: Doc) -> Doc:
        document = Document(id=doc._.doc_id or DEFAULT_DOC_ID, text=doc.text)
        quotes = self.extract(document, [(0, doc)])
        set_quotes(doc, quotes)
        return doc

    def extract(self, document: Document, pieces: list[tuple[int, Doc]]) -> list[Quote]:
        """The quotes of a document parsed as pieces [(character offset, Doc), …]."""
        quotes = extractor.extract_from_pieces(document, pieces)
        if self.detect_meta:
            apply_meta(document, quotes)
        return [quote for quote in quotes if quote.confidence >= self.min_confidence]

    # spaCy saves and loads pipelines component by component; this one has no weights or data.
    def to_disk(self, path: Any, *, exclude: Any = ()) -> None:
        return None

    def from_disk(self, path: Any, *, exclude: Any = ()) -> QuoteExtractor:
        return self


@Language.factory(
    "quotetrack",
    default_config={"min_confidence": 0.0, "detect_meta": True},
    requires=["doc.sents", "doc.ents", "token.dep", "token.head", "token.pos", "token.tag", "token.lemma"],
    assigns=["doc._.quotes", "doc.spans"],
)
def make_quote_extractor(nlp: Language, name: str, min_confidence: float, detect_meta: bool) -> QuoteExtractor:
    ensure_paragraph_boundaries(nlp)
    return QuoteExtractor(name, min_confidence=min_confidence, detect_meta=detect_meta)
