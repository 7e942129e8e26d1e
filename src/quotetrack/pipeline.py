"""The extraction pipeline: documents through spaCy's `nlp.pipe`, then the quote extractor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .model import load_nlp
from .records import Document, Quote

# spaCy's own limit is 1,000,000 characters; longer articles are parsed in paragraph-aligned pieces.
MAX_PIECE = 100_000


def extract(
    text: str,
    *,
    doc_id: str = "text",
    outlet: str | None = None,
    published: str | None = None,
    nlp=None,
    model: str | None = None,
) -> list[Quote]:
    """Return the quotes of one text. Offsets index `text` exactly as given."""
    document = Document(id=doc_id, text=text, outlet=outlet, published=published)
    for _, quotes in extract_documents([document], nlp=nlp, model=model):
        return quotes
    return []


def extract_documents(
    documents: Iterable[Document],
    *,
    nlp=None,
    model: str | None = None,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Document, list[Quote]]]:
    """Stream (document, quotes) pairs, parsing in batches; documents come back in input order."""
    from .extractor import extract_from_pieces

    nlp = nlp or load_nlp(model)
    pending: dict[int, tuple[Document, int]] = {}
    parsed: dict[int, list] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, document in enumerate(documents):
            spans = split_text(document.text)
            pending[number] = (document, len(spans))
            parsed[number] = []
            for start, end in spans:
                yield document.text[start:end], (number, start)

    stream = nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process)
    next_out = 0
    for doc, (number, offset) in stream:
        parsed[number].append((offset, doc))
        # Emit every document whose pieces have all arrived, keeping input order.
        while next_out in pending and len(parsed[next_out]) == pending[next_out][1]:
            document, _ = pending.pop(next_out)
            yield document, extract_from_pieces(document, parsed.pop(next_out))
            next_out += 1
    while next_out in pending:  # documents with no text at all
        document, _ = pending.pop(next_out)
        yield document, extract_from_pieces(document, parsed.pop(next_out))
        next_out += 1


def split_text(text: str, limit: int = MAX_PIECE) -> list[tuple[int, int]]:
    """Cut text into pieces of at most `limit` characters, at paragraph breaks where possible."""
    if not text.strip():
        return []
    if len(text) <= limit:
        return [(0, len(text))]
    spans = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + limit // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + limit // 2, end)
            if cut != -1:
                end = cut + 1
        spans.append((start, end))
        start = end
    return spans
