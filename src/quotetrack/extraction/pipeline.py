"""The extraction pipeline: documents through spaCy's `nlp.pipe`, then the quote extractor.

Documents are processed in chunks of at most `batch_size` documents, so memory stays flat however
many documents stream through. With `n_process` > 1 each worker process loads the model once and
does the whole per-document work (parse and extraction) for the chunks it is given; only the
small Quote records come back, in input order. A document whose parse or extraction fails is
reported through `on_error` (or raised when there is none) and the others go on.

A document longer than LONG_TEXT characters is extracted piece by piece: each paragraph-aligned
piece of at most MAX_PIECE characters is parsed and extracted on its own (in the worker processes
too), its quotes shifted to offsets into the whole text, and dropped before the next: memory stays
bounded however long the text, time grows linearly, and `extract_stream` gives each piece's quotes
as soon as it is done. (An attribution across a piece boundary is lost; pieces end at paragraph
breaks where there are any.)
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace

from quotetrack.errors import QuotetrackError
from quotetrack.extraction.nlp import ensure_paragraph_boundaries, load_nlp
from quotetrack.records import Document, Quote

# spaCy's own limit is 1,000,000 characters; longer articles are parsed in paragraph-aligned pieces.
MAX_PIECE = 100_000
# Longer texts are also extracted piece by piece (see the module's docstring): no news article is
# this long (35,000 words), and in-document passes that compare all names with all names (speaker
# resolution) stay within a piece.
LONG_TEXT = 200_000
# Characters parsed in one spaCy batch. The parser's peak memory follows the characters of a
# batch (a batch of 32 news articles, about 150,000 characters, peaks near 600 MB); parsing
# speed is the same from four articles a batch up.
BATCH_CHARS = 40_000
# Documents per task handed to a worker process: small enough to keep both workers busy to the
# end of a run, large enough that spaCy still batches well.
WORKER_CHUNK = 8
# Characters of one chunk (parsed, then extracted, then dropped): bounds the parsed Docs held at
# once, e.g. the pieces of a very long document (a chunk holds at least one document or piece).
CHUNK_CHARS = 200_000
# Tasks queued per worker beyond the one it is working on; bounds the documents held in memory.
TASKS_AHEAD = 2


class ExtractionError(QuotetrackError):
    """One document could not be parsed or its quotes extracted."""

    def __init__(self, document_id: str, why: str):
        self.document_id = document_id
        self.why = why
        super().__init__(f"{document_id}: {why}")

    def __reduce__(self):  # it travels back from worker processes
        return (ExtractionError, (self.document_id, self.why))


ErrorHandler = Callable[[Document, ExtractionError], None]


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
    on_error: ErrorHandler | None = None,
) -> Iterator[tuple[Document, list[Quote]]]:
    """Stream (document, quotes) pairs in input order.

    A document that fails is passed to `on_error(document, ExtractionError)` and left out of the
    stream; without `on_error` the ExtractionError is raised.
    """
    gathered: list[Quote] = []
    for document, quotes, done in extract_stream(
        documents, nlp=nlp, model=model, batch_size=batch_size, n_process=n_process, on_error=on_error
    ):
        if not done:
            gathered += quotes
            continue
        yield document, gathered + quotes
        gathered = []


def extract_stream(
    documents: Iterable[Document],
    *,
    nlp=None,
    model: str | None = None,
    batch_size: int = 32,
    n_process: int = 1,
    on_error: ErrorHandler | None = None,
) -> Generator[tuple[Document, list[Quote], bool], None, None]:
    """Stream (document, quotes, done) in input order: one item per document, done=True; for a
    document longer than LONG_TEXT, one item per piece as soon as it is extracted, the last with
    done=True. Quotes index the whole text. Errors as in `extract_documents`; a long document whose
    piece fails is reported once and gives no further items (its earlier pieces were given)."""
    nlp = ensure_paragraph_boundaries(nlp or load_nlp(model))
    batch_size = max(1, batch_size)
    origins: deque = deque()  # for each work item in flight: None, or (whole document, offset, last piece)

    def work() -> Iterator[Document]:
        for document in documents:
            for item, origin in _work_items(document):
                origins.append(origin)
                yield item

    if n_process > 1:
        results = _parallel(work(), nlp, batch_size, n_process)
    else:
        results = _serial(work(), nlp, batch_size)
    failed: set[int] = set()  # long documents whose piece failed: their other pieces are dropped
    for document, outcome in results:
        origin = origins.popleft()
        if origin is not None:
            whole, offset, last = origin
            if id(whole) in failed:
                if last:
                    failed.discard(id(whole))
                continue
            if isinstance(outcome, ExtractionError):
                failed.add(id(whole))
                if last:
                    failed.discard(id(whole))
                outcome = ExtractionError(whole.id, f"characters {offset}-{offset + len(document.text)}: {outcome.why}")
                document = whole
            else:
                yield whole, [shifted(q, offset) for q in outcome[1]], last
                continue
        if isinstance(outcome, ExtractionError):
            if on_error is None:
                raise outcome
            on_error(document, outcome)
            continue
        yield outcome[0], outcome[1], True


def _work_items(document: Document) -> Iterator[tuple[Document, tuple[Document, int, bool] | None]]:
    """The document itself, or for a long one its pieces, each a Document holding the outlet and
    date read from the whole text (so a dateline inside a piece is not taken for the article's)."""
    if len(document.text) <= LONG_TEXT:
        yield document, None
        return
    from quotetrack.io.meta import apply_meta

    whole, meta = apply_meta(document, [])
    spans = split_text(document.text, MAX_PIECE)
    for number, (start, end) in enumerate(spans):
        yield replace(whole, text=document.text[start:end]), (whole, start, number == len(spans) - 1)


def shifted(quote: Quote, offset: int) -> Quote:
    """A quote of a piece, with its spans (and so its id) moved to index the whole text."""
    if not offset:
        return quote

    def move(span):
        return (span[0] + offset, span[1] + offset) if span else None

    return replace(
        quote,
        content_spans=[(s + offset, e + offset) for s, e in quote.content_spans],
        speaker_span=move(quote.speaker_span),
        cue_span=move(quote.cue_span),
        id="",
    )


# A document with the metadata read from its text, and its quotes; or why it failed.
Outcome = tuple[Document, list[Quote]] | ExtractionError


def _serial(documents: Iterable[Document], nlp, batch_size: int) -> Iterator[tuple[Document, Outcome]]:
    for chunk in _chunks(documents, batch_size):
        yield from zip(chunk, process_chunk(nlp, chunk, batch_size))


def process_chunk(nlp, chunk: list[Document], batch_size: int) -> list[Outcome]:
    """Parse and extract a chunk of documents; one document's failure does not spoil the others."""
    from quotetrack.extraction.component import QuoteExtractor
    from quotetrack.io.meta import apply_meta

    # A pipeline with the quotetrack component extracts with its settings; the parse leaves it out,
    # since a long document is parsed in pieces and extracted as a whole.
    extractor = nlp.get_pipe("quotetrack") if "quotetrack" in nlp.pipe_names else QuoteExtractor()
    parsed: list[list | ExtractionError]
    try:
        parsed = list(_parse(nlp, chunk, batch_size))
    except Exception:
        # Something in the batch broke the parser: parse one by one to find which.
        parsed = []
        for document in chunk:
            try:
                parsed.append(_parse(nlp, [document], batch_size)[0])
            except Exception as exc:
                parsed.append(_failure(document, "parsing", exc))
    outcomes: list[Outcome] = []
    for document, pieces in zip(chunk, parsed):
        if isinstance(pieces, ExtractionError):
            outcomes.append(pieces)
            continue
        try:
            quotes = extractor.extract(document, pieces)
            if document.meta is not None:  # a piece of a long document: its meta is the whole text's
                for quote in quotes:
                    quote.outlet = quote.outlet or document.meta.outlet
                    quote.published = quote.published or document.meta.published
                outcomes.append((document, quotes))
            else:
                outcomes.append((apply_meta(document, quotes)[0], quotes))
        except Exception as exc:
            outcomes.append(_failure(document, "extraction", exc))
    return outcomes


def _parse(nlp, chunk: list[Document], batch_size: int) -> list[list]:
    """Each document's parsed pieces [(char offset, spaCy Doc), …], in chunk order."""
    pieces = [(document.text[start:end], (number, start))
              for number, document in enumerate(chunk)
              for start, end in split_text(document.text)]
    parsed: list[list] = [[] for _ in chunk]
    for batch in _batches(pieces, batch_size):
        disable = ["quotetrack"] if "quotetrack" in nlp.pipe_names else []
        for doc, (number, offset) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch), disable=disable):
            parsed[number].append((offset, doc))
    return parsed


def _batches(pieces: list[tuple[str, tuple[int, int]]], batch_size: int) -> Iterator[list]:
    """Pieces grouped for spaCy: at most `batch_size` of them and BATCH_CHARS characters (or one
    longer piece), since the parser's working memory grows with the characters of a batch."""
    batch: list = []
    chars = 0
    for piece in pieces:
        if batch and (len(batch) >= batch_size or chars + len(piece[0]) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += len(piece[0])
    if batch:
        yield batch


def _failure(document: Document, stage: str, exc: Exception) -> ExtractionError:
    message = " ".join(str(exc).split())[:300]
    cause = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return ExtractionError(document.id, f"{stage} failed ({cause})")


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """At most `size` documents and CHUNK_CHARS characters (or one longer document) a chunk."""
    chunk: list[Document] = []
    chars = 0
    for document in documents:
        if chunk and (len(chunk) >= size or chars + len(document.text) > CHUNK_CHARS):
            yield chunk
            chunk, chars = [], 0
        chunk.append(document)
        chars += len(document.text)
    if chunk:
        yield chunk


# --- worker processes ----------------------------------------------------------------------------

# The pipeline a worker uses: inherited from the parent when processes are forked, else loaded once.
_worker_nlp = None


@dataclass(frozen=True)
class _WorkerSetup:
    model: str | None
    parent: int


def _parallel(documents: Iterable[Document], nlp, batch_size: int, n_process: int) -> Iterator[tuple[Document, Outcome]]:
    global _worker_nlp
    methods = multiprocessing.get_all_start_methods()
    forked = "fork" in methods
    context = multiprocessing.get_context("fork" if forked else "spawn")
    # A forked worker shares the loaded pipeline with the parent (copy-on-write): no second load.
    _worker_nlp = nlp if forked else None
    model = None if forked else _model_path(nlp)
    chunk_size = max(1, min(batch_size, WORKER_CHUNK))
    pool = context.Pool(n_process, initializer=_init_worker, initargs=(_WorkerSetup(model, os.getpid()),))
    finished = False
    try:
        pending: deque = deque()
        for chunk in _chunks(documents, chunk_size):
            pending.append((chunk, pool.apply_async(_work, (chunk, batch_size))))
            while len(pending) > n_process * (1 + TASKS_AHEAD):
                chunk, result = pending.popleft()
                yield from zip(chunk, result.get())
        while pending:
            chunk, result = pending.popleft()
            yield from zip(chunk, result.get())
        finished = True
    finally:
        _worker_nlp = None
        if finished:
            pool.close()
        else:  # interrupted, or the consumer stopped early: do not wait for queued work
            pool.terminate()
        pool.join()


def _model_path(nlp) -> str | None:
    """How a spawned worker loads the same pipeline: the package name or path it came from."""
    path = getattr(nlp, "_path", None)
    if path:
        return str(path)
    meta = getattr(nlp, "meta", {}) or {}
    return f"{meta['lang']}_{meta['name']}" if meta.get("lang") and meta.get("name") else None


def _init_worker(setup: _WorkerSetup) -> None:
    global _worker_nlp
    # Ctrl-C goes to the whole process group; the parent alone decides what to do about it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(setup.parent,), daemon=True).start()
    if _worker_nlp is None:
        _worker_nlp = load_nlp(setup.model)


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (kill -9) would wait for work forever; end it instead."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def _work(chunk: list[Document], batch_size: int) -> list[Outcome]:
    return process_chunk(_worker_nlp, chunk, batch_size)


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
