"""The Python API: a quote store to open, fill and query, doing what the `quotetrack` commands do.

    import quotetrack

    with quotetrack.Store.open("quotes.db", create=True) as store:
        result = store.ingest(["fixtures/"])                  # read -> extract -> store
        tokayev = store.quotes(speaker="Tokayev", since="2022-01-01")
        comparison = store.compare(["Tokayev", "Murtazashvili"], topic="security")

`Store` wraps the store layer (`quotetrack.store`: the database, ingest, queries, corrections)
and the analysis over it (`quotetrack.analysis`); each command of the CLI parses its options,
calls one method here and renders what it returns. Every method reads in its own session, or
writes in its own transaction (retried when the database is busy), so a `Store` may stay open
for as long as it is needed. Errors a user can fix are `quotetrack.errors.QuotetrackError`s.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quotetrack.analysis.provenance import Claim
from quotetrack.errors import InputError, QuotetrackError
from quotetrack.extraction.pipeline import extract_stream
from quotetrack.io.readers import check_published, iter_documents
from quotetrack.io.usermeta import MetaTable, NamePattern
from quotetrack.records import Document, Quote
from quotetrack.store import corrections, queries
from quotetrack.store import db as store_db
from quotetrack.store.ingest import Ingestor, IngestStats, StoreFailure
from quotetrack.store.models import Speaker
from quotetrack.store.queries import QuoteInContext

if TYPE_CHECKING:
    from quotetrack.analysis.compare import Comparison
    from quotetrack.analysis.proposition_store import Summary as PropositionSummary
    from quotetrack.analysis.report import CorpusReport

T = TypeVar("T")
# What `ingest` reads: a path (file, directory, or "-" for standard input) or a Document.
Source = str | os.PathLike | Document
Day = date | str | None  # a date, or an ISO date string (YYYY-MM-DD)


class CompareError(QuotetrackError):
    """The speakers given to `Store.compare` are fewer than two different speakers."""


@dataclass(frozen=True)
class Failure:
    """An input that could not be read, or a document that could not be extracted or stored.

    The run went on without it; a failed document left nothing in the database.
    """

    where: str  # the file as given (or file:line of a JSONL record), or the document id
    why: str
    name: str  # how to list it: the file name or the document id


@dataclass
class IngestResult:
    """What a run did. `documents` and `quotes` count what was extracted (and handed to the store);
    `stored` counts what the database took (None when nothing was stored)."""

    documents: int = 0
    quotes: int = 0
    failed: list[Failure] = field(default_factory=list)
    # Inputs read with a repair (e.g. invalid characters replaced), one line each; they were processed.
    warnings: list[Failure] = field(default_factory=list)
    stored: IngestStats | None = None

    @property
    def ok(self) -> bool:
        """True when no input or document failed."""
        return not self.failed


@dataclass(frozen=True)
class SpeakerRef:
    """A stored speaker: its id (stable, usable wherever a name is) and canonical name."""

    id: int
    name: str
    kind: str | None = None  # "person", "org", "group" or None

    @classmethod
    def of(cls, speaker: Speaker) -> SpeakerRef:
        return cls(speaker.id, speaker.name, speaker.kind)


@dataclass(frozen=True)
class Correction:
    """What a correction did: `speaker` is the speaker as it is now (the one kept, renamed, or split
    off), `origin` the one it came from as it was (merged away, before renaming, split from)."""

    speaker: SpeakerRef
    origin: SpeakerRef


@dataclass
class QuoteDetail(QuoteInContext):
    """A stored quote in its paragraph, and the claim it belongs to across stored documents."""

    claim: Claim

    def to_dict(self) -> dict[str, Any]:
        """The quote record with its paragraph, its document and every appearance of its claim."""
        record = self.record
        document = {
            "id": record["doc"],
            "title": self.title,
            "url": self.url,
            "outlet": record["outlet"],
            "published": record["published"],
            "dateline_place": self.dateline_place,
            "republished_by": self.republished_by,
        }
        return dict(
            record,
            paragraph=self.paragraph,
            paragraph_start=self.paragraph_start,
            title=self.title,
            url=self.url,
            document=document,
            appearances=[appearance.to_dict() for appearance in self.claim.appearances],
        )

    def to_flat(self) -> dict[str, Any]:
        """`to_dict` as one CSV row: the document's fields as columns, the appearances as the ids of
        the documents the claim appears in, first first (spans and lists are flattened by the writer)."""
        row = self.to_dict()
        document = row.pop("document")
        row.update(dateline_place=document["dateline_place"], republished_by=document["republished_by"])
        row["appearances"] = [appearance["doc"] for appearance in row["appearances"]]
        return row


ErrorCallback = Callable[[Failure], None]
ProgressCallback = Callable[[IngestResult], None]


class Store:
    """A quote database: open it, ingest articles into it, query quotes and speakers, compare
    speakers' positions, report on the corpus, and correct speaker identity.

    Open one with `Store.open(url)`; close it with `close()` or use it as a context manager.
    """

    def __init__(self, database: store_db.Store):
        """Wrap a database opened with `quotetrack.store.open_store` (`Store.open` does both)."""
        self.database = database

    @classmethod
    def open(cls, url: str | os.PathLike | None = None, *, create: bool = False, writable: bool = False) -> Store:
        """Open a database: a SQLite file path, or a URL (sqlite:///…, postgresql://user@host/db).

        Without `url`, $QUOTETRACK_DB, else the default database (`quotetrack db path`). With
        `create`, a SQLite database that does not exist yet is created; without it, that is an
        error. A PostgreSQL database is prepared once with `quotetrack db upgrade`. Any database
        must have the schema this version needs. `writable` checks at once that it can be written.
        """
        if url is None:
            url = os.environ.get("QUOTETRACK_DB") or None
        return cls(store_db.open_store(os.fspath(url) if url is not None else None, writable=writable, create=create))

    @property
    def url(self) -> URL:
        """The SQLAlchemy URL (str(store.url) hides the password)."""
        return self.database.url

    @property
    def created(self) -> bool:
        """True when opening created this (SQLite) database."""
        return self.database.created

    def close(self) -> None:
        """Release the database connections."""
        self.database.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {store_db.shown(self.url)}>"

    # --- ingest ---------------------------------------------------------------------------------

    def ingest(
        self,
        sources: Source | Iterable[Source],
        *,
        outlet: str | None = None,
        published: str | None = None,
        model: str | None = None,
        nlp: Any = None,
        n_process: int = 1,
        batch_size: int = 32,
        on_error: ErrorCallback | None = None,
        progress: ProgressCallback | None = None,
        on_warning: ErrorCallback | None = None,
        input_format: str = "auto",
        name_pattern: str | NamePattern | None = None,
        meta: str | os.PathLike | MetaTable | None = None,
    ) -> IngestResult:
        """Read, extract and store articles; return what was done.

        `sources` are paths (a file, a directory read recursively, "-" for standard input; the
        formats `quotetrack extract` reads) or `Document`s, or one of them. `outlet` and
        `published` (YYYY-MM-DD) override what the inputs say. `model` names the spaCy model
        (or pass a loaded pipeline as `nlp`); `n_process` and `batch_size` are as in
        `extract_documents`. Each document is stored in its own transaction; one that cannot be
        read, extracted or stored is recorded in `IngestResult.failed` (and passed to `on_error`)
        and the others go on. `progress(result)` is called after each document. An input read
        with a repair (lone surrogates replaced by U+FFFD) is processed and listed in
        `IngestResult.warnings` (and passed to `on_warning`). `name_pattern`
        ("{outlet}_{published}_{slug}") reads outlet, date or id from file names, `meta` (a CSV or
        JSONL file, or a loaded `MetaTable`) gives documents their outlet, date, url and title by id
        or path (quotetrack.io.usermeta); `outlet` and `published` still win.
        """
        return self.ingesting(
            sources, outlet=outlet, published=published, model=model, nlp=nlp, n_process=n_process,
            batch_size=batch_size, on_error=on_error, progress=progress, on_warning=on_warning,
            input_format=input_format, name_pattern=name_pattern, meta=meta,
        ).run()

    def ingesting(
        self,
        sources: Source | Iterable[Source],
        *,
        outlet: str | None = None,
        published: str | None = None,
        model: str | None = None,
        nlp: Any = None,
        n_process: int = 1,
        batch_size: int = 32,
        on_error: ErrorCallback | None = None,
        progress: ProgressCallback | None = None,
        on_warning: ErrorCallback | None = None,
        input_format: str = "auto",
        name_pattern: str | NamePattern | None = None,
        meta: str | os.PathLike | MetaTable | None = None,
    ) -> Ingestion:
        """`ingest` as a stream: iterate the returned `Ingestion` for each (document, quotes) once
        stored; its `result` counts what was done so far."""
        return Ingestion(
            sources, store=self, outlet=outlet, published=published, model=model, nlp=nlp,
            n_process=n_process, batch_size=batch_size, on_error=on_error, progress=progress,
            on_warning=on_warning, input_format=input_format, name_pattern=name_pattern, meta=meta,
        )

    # --- quotes and speakers ---------------------------------------------------------------------

    def quotes(
        self,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        search: str | None = None,
        type: str | None = None,
        since: Day = None,
        until: Day = None,
        limit: int | None = None,
        all_matching: bool = False,
        unresolved: bool = False,
    ) -> list[dict[str, Any]]:
        """Stored quotes, oldest first, as quote records (the dicts `quotetrack quotes -f json` prints;
        `speaker` is the canonical name), each with its `stance` and whether its cue is `negated`.
        Filters: a speaker (id, name or alias: one speaker, or every matching one with
        `all_matching`, else a name that fits several is an error), or with `unresolved` only the
        quotes without a resolved speaker; an outlet, full-text `search` in the content, `type`
        (direct, indirect, mixed), published within [since, until]; at most `limit` quotes."""
        if unresolved and speaker:
            raise QuotetrackError("unresolved: quotes without a resolved speaker have no --speaker to filter by")
        with self.database.read() as session:
            records = queries.find_quotes(
                session, speaker=speaker, outlet=outlet, search=search, type=type,
                since=_day(since, "since"), until=_day(until, "until"), limit=limit, all_matching=all_matching,
                unresolved=unresolved,
            )
            return with_stance(session, records)

    def dedupe(
        self,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        search: str | None = None,
        type: str | None = None,
        since: Day = None,
        until: Day = None,
        limit: int | None = None,
    ) -> list[Claim]:
        """The quotes `quotes()` selects (same filters) grouped into claims: one per claim, by first
        appearance, each with the documents that reused it; at most `limit` claims."""
        # A claim's appearances may lie anywhere in the selection: group all of it, then cut.
        from quotetrack.analysis.appearances import dedupe_records

        records = self.quotes(speaker=speaker, outlet=outlet, search=search, type=type, since=since, until=until)
        return dedupe_records(records, limit)

    def speakers(self, search: str | None = None) -> list[dict[str, Any]]:
        """Speakers with aliases, roles, quote count, outlets and first and last date, most quoted
        first; with `search`, those whose name or an alias fits it."""
        with self.database.read() as session:
            return queries.list_speakers(session, search)

    def find_speaker(self, name: str | int) -> SpeakerRef:
        """The one speaker an id, name or alias means ("Tokayev"); raises QuotetrackError when no
        speaker or several fit."""
        with self.database.read() as session:
            return SpeakerRef.of(queries.find_speaker(session, str(name)))

    def show(self, quote_id: str) -> QuoteDetail:
        """A quote (by id, or a unique prefix of it) in its paragraph, with its claim's provenance."""
        from quotetrack.analysis.appearances import claim_of

        with self.database.read() as session:
            found = queries.show_quote(session, quote_id)
            claim = claim_of(session, Quote.from_dict(found.record))
            with_stance(session, [found.record])
        return QuoteDetail(**vars(found), claim=claim)

    def provenance(self, quote_id: str) -> Claim:
        """The claim a quote belongs to: where it first appeared, and every stored reuse."""
        return self.show(quote_id).claim

    # --- analysis ---------------------------------------------------------------------------------

    def compare(
        self,
        speakers: Sequence[str],
        *,
        topic: str | None = None,
        outlet: str | Sequence[str] | None = None,
        since: Day = None,
        until: Day = None,
        parse: bool = False,
        nlp: Any = None,
        all_matching: bool = False,
        limit: int | None = None,
        proposition: int | None = None,
    ) -> Comparison:
        """Compare two or more speakers' claims (names, aliases or ids) proposition by proposition:
        the propositions they share, ranked, with stances, links and a representative claim each;
        what each says alone. Propositions are the stored ones (quotes not grouped yet are grouped
        first, see `update_propositions`). `topic` keeps the claims about it (words, or a topic name
        such as security); `outlet` (one or several) and [since, until] select the quotes; `limit`
        keeps the first propositions of each list, `proposition` (an id) only that one. With
        `parse`, the --topic match reads key terms from the spaCy model (`nlp`, or the default one)."""
        from quotetrack.analysis.compare import build_comparison
        from quotetrack.analysis.storage import find_speakers, load_quotes

        names = [speakers] if isinstance(speakers, str) else list(speakers)
        if len(names) < 2:
            raise CompareError("give at least two speakers to compare")
        outlets = _names(outlet)
        first, last = _day(since, "since"), _day(until, "until")
        with self.database.read() as session:
            chosen = find_speakers(session, names, all_matching=all_matching)
            if len(chosen) < 2:
                raise CompareError(f"{', '.join(names)} all name one speaker ({chosen[0].name})")
        try:
            self.update_propositions()
        except OperationalError:  # a read-only or busy database: compare with the propositions it has
            pass
        with self.database.read() as session:
            ids = [s.id for s in chosen]
            loaded = load_quotes(
                session, speaker_ids=ids, outlets=outlets, since=first, until=last, context=bool(topic),
                propositions=True, proposition=proposition,
            )
            chosen_names = [s.name for s in chosen]
        if parse and topic and nlp is None:
            from quotetrack.extraction.nlp import load_nlp

            nlp = load_nlp()
        filters = {"outlet": ", ".join(outlets) or None, "since": _shown(since), "until": _shown(until)}
        return build_comparison(
            loaded.quotes,
            chosen_names,
            groupings=loaded.groupings,
            windows=loaded.windows,
            urls=loaded.urls,
            topic=topic,
            proposition=proposition,
            limit=limit,
            nlp=nlp if parse else None,
            filters={k: v for k, v in filters.items() if v},
        )

    def update_propositions(self, *, rebuild: bool = False, progress: Callable[[int, int], None] | None = None) -> PropositionSummary:
        """Group the stored quotes not grouped yet into the stored propositions (new quotes join the
        nearest proposition when similar enough; similar leftovers form new ones); the first time,
        or with `rebuild`, fit the vocabulary and group every quote anew. `progress(done, total)`."""
        from quotetrack.analysis.proposition_store import Summary, rebuild_propositions, ungrouped_count, update_propositions

        if not rebuild:
            with self.database.read() as session:
                if not ungrouped_count(session):
                    return Summary()
        work = rebuild_propositions if rebuild else update_propositions
        return self._write(lambda session: work(session, progress=progress))

    def propositions(
        self,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        search: str | None = None,
        since: Day = None,
        until: Day = None,
        limit: int | None = None,
        all_matching: bool = False,
    ) -> list[dict[str, Any]]:
        """The stored quotes `quotes()` selects (same filters), each with its proposition: `{id, doc,
        speaker, proposition, label, topic, stance, evidence, content}` (proposition None while the
        quote waits for similar claims). Quotes not grouped yet are grouped first."""
        from quotetrack.analysis.proposition_store import groupings_of

        records = self.quotes(
            speaker=speaker, outlet=outlet, search=search, since=since, until=until, limit=limit, all_matching=all_matching
        )
        self.update_propositions()
        with self.database.read() as session:
            found = groupings_of(session, [(r["doc"], r["id"]) for r in records])
        rows = []
        for record in records:
            grouping = found.get((record["doc"], record["id"]))
            rows.append(
                {
                    "id": record["id"],
                    "doc": record["doc"],
                    "speaker": record["speaker"],
                    "proposition": grouping.proposition if grouping else None,
                    "label": grouping.label if grouping else None,
                    "topic": grouping.topic if grouping else None,
                    "stance": grouping.stance if grouping else None,
                    "evidence": grouping.evidence if grouping else None,
                    "content": record["content"],
                }
            )
        return rows

    def report(
        self,
        *,
        speaker: str | Sequence[str] | None = None,
        outlet: str | Sequence[str] | None = None,
        doc: str | Sequence[str] | None = None,
        by: str = "speaker",
        since: Day = None,
        until: Day = None,
        top: int = 20,
        samples: int = 3,
        all_matching: bool = False,
    ) -> CorpusReport:
        """Who is quoted most and by which outlets, direct vs reported speech, stances and a timeline,
        with a row per speaker, outlet or document (`by`); `top` rows, `samples` latest claims each.
        `speaker`, `outlet` and `doc` (one or several each) and [since, until] select the quotes."""
        from quotetrack.analysis.report import build_report
        from quotetrack.analysis.storage import find_speakers, load_quotes

        speakers, outlets, docs = _names(speaker), _names(outlet), _names(doc)
        first, last = _day(since, "since"), _day(until, "until")
        with self.database.read() as session:
            ids = [s.id for s in find_speakers(session, speakers, all_matching=all_matching)] if speakers else []
            loaded = load_quotes(session, speaker_ids=ids, outlets=outlets, docs=docs, since=first, until=last)
        filters = {
            "speaker": ", ".join(speakers) or None,
            "outlet": ", ".join(outlets) or None,
            "doc": ", ".join(docs) or None,
            "since": _shown(since),
            "until": _shown(until),
        }
        return build_report(
            loaded.quotes,
            by=by,
            windows=loaded.windows,
            top=top,
            samples=samples,
            filters={k: v for k, v in filters.items() if v},
            urls=loaded.urls,
        )

    # --- corrections ------------------------------------------------------------------------------

    def merge(self, keep: str | int, other: str | int) -> Correction:
        """Merge speaker `other` into `keep` (names, aliases or ids): its quotes, aliases and roles
        move to `keep`. The correction lasts through re-ingest."""

        def work(session: Session) -> Correction:
            first = queries.find_speaker(session, str(keep))
            second = queries.find_speaker(session, str(other))
            origin = SpeakerRef.of(second)
            return Correction(SpeakerRef.of(corrections.merge(session, first, second)), origin)

        return self._write(work)

    def rename(self, speaker: str | int, name: str) -> Correction:
        """Give a speaker a new canonical name; the old one stays an alias."""

        def work(session: Session) -> Correction:
            found = queries.find_speaker(session, str(speaker))
            origin = SpeakerRef.of(found)
            return Correction(SpeakerRef.of(corrections.rename(session, found, name)), origin)

        return self._write(work)

    def split(
        self,
        speaker: str | int,
        *,
        aliases: Sequence[str] = (),
        documents: Sequence[str] = (),
        name: str | None = None,
    ) -> Correction:
        """Split some of a speaker's quotes off into a new speaker: those under `aliases`, or those
        in `documents` (ids); `name` names the new speaker (default: the first alias)."""

        def work(session: Session) -> Correction:
            found = queries.find_speaker(session, str(speaker))
            new = corrections.split(session, found, aliases=list(aliases), documents=list(documents), name=name)
            return Correction(SpeakerRef.of(new), SpeakerRef.of(found))

        return self._write(work)

    def _write(self, work: Callable[[Session], T]) -> T:
        return self.database.retrying(work)


class Ingestion:
    """One run of read -> extract -> store (or read -> extract alone, without a store).

    Iterate it for each (document with its metadata, quotes) as it is done, in input order;
    `result` counts what was done so far, and `run()` goes to the end and returns it. `close()`
    stops the run at once (worker processes included).
    """

    def __init__(
        self,
        sources: Source | Iterable[Source],
        *,
        store: Store | None = None,
        outlet: str | None = None,
        published: str | None = None,
        model: str | None = None,
        nlp: Any = None,
        n_process: int = 1,
        batch_size: int = 32,
        on_error: ErrorCallback | None = None,
        progress: ProgressCallback | None = None,
        on_warning: ErrorCallback | None = None,
        input_format: str = "auto",
        name_pattern: str | NamePattern | None = None,
        meta: str | os.PathLike | MetaTable | None = None,
    ):
        # Parsed first: a bad pattern or metadata file stops the run before any work.
        self.name_pattern = NamePattern.parse(name_pattern) if isinstance(name_pattern, str) else name_pattern
        self.meta = MetaTable.load(meta) if meta is not None and not isinstance(meta, MetaTable) else meta
        self.result = IngestResult(stored=IngestStats() if store else None)
        self._ingestor = Ingestor(store.database, self.result.stored) if store and self.result.stored else None
        self._sources = sources
        self._outlet, self._published, self._input_format = outlet, published, input_format
        self._extract_options: dict[str, Any] = {"nlp": nlp, "model": model, "batch_size": batch_size, "n_process": n_process}
        self._on_error, self._progress, self._on_warning = on_error, progress, on_warning
        self._stream: Generator[tuple[Document, list[Quote]], None, None] | None = None

    def __iter__(self) -> Iterator[tuple[Document, list[Quote]]]:
        if self._stream is None:
            self._stream = self._run(whole=True)
        return self._stream

    def quotes(self) -> Iterator[Quote]:
        """The quotes as soon as they are extracted, in input order: a very long document's piece by
        piece (see `extract_stream`), before the document is stored at its end. Iterate this or the
        Ingestion itself, not both."""
        if self._stream is None:
            self._stream = self._run(whole=False)
        for _, quotes in self._stream:
            yield from quotes

    def run(self) -> IngestResult:
        """Process every source; return the counts."""
        try:
            for _ in self:
                pass
        finally:
            self.close()
        return self.result

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()

    def _failed(self, where: str, why: str, name: str | None = None) -> None:
        failure = Failure(where=where, why=why, name=name or where)
        self.result.failed.append(failure)
        if self._on_error:
            self._on_error(failure)
        self._report()

    def _report(self) -> None:
        if self._progress:
            self._progress(self.result)

    def _warned(self, warning: Failure) -> None:
        self.result.warnings.append(warning)
        if self._on_warning:
            self._on_warning(warning)

    def _documents(self) -> Iterator[Document]:
        def skipped(notice: InputError) -> None:
            self._warned(Failure(where=notice.where, why=notice.why, name=Path(notice.where).name or notice.where))

        renamed: dict[str, str] = {}  # ids a file-name pattern gave -> the file
        items = read_sources(
            self._sources, outlet=self._outlet, published=self._published, input_format=self._input_format, on_skip=skipped
        )
        for item in items:
            if self.meta is not None and self.meta.is_source_of(item):
                continue  # the metadata file itself, inside a folder being read: not an article
            if isinstance(item, InputError):
                self._failed(item.where, item.why, Path(item.where).name or item.where)
                continue
            for why in item.warnings:
                self._warned(Failure(where=item.source or item.id, why=why, name=item.id))
            if self.name_pattern is not None or self.meta is not None:
                document = self._annotated(item)
                if document.id != item.id:
                    if document.id in renamed:
                        where = item.source or item.id
                        used = renamed[document.id]
                        self._failed(where, f"duplicate document id {document.id!r} from --name-pattern (already used by {used})", item.id)
                        continue
                    renamed[document.id] = item.source or item.id
                item = document
            if self._ingestor:
                try:  # the id it is stored under, so the quote records carry it
                    item = self._ingestor.prepare(item)
                except StoreFailure as exc:
                    self._failed(item.id, str(exc).removeprefix(f"{item.id}: "))
                    continue
            yield item

    def _annotated(self, document: Document) -> Document:
        """The document with what its file name and the metadata file say; --outlet and
        --published still win."""
        if self.name_pattern is not None:
            document = self.name_pattern.apply(document)
        if self.meta is not None:
            document = self.meta.apply(document)
        return _with_overrides(document, self._outlet, self._published)

    def _run(self, whole: bool) -> Generator[tuple[Document, list[Quote]], None, None]:
        """(document, quotes) per document; unless `whole`, also (document, quotes of a piece) as
        each piece of a very long document is extracted (the document is stored at its end)."""
        extracted = extract_stream(
            self._documents(), on_error=lambda document, error: self._failed(document.id, error.why), **self._extract_options
        )
        gathered: list[Quote] = []  # a long document's quotes so far, when they are stored or returned whole
        pieces = 0  # how many quotes its pieces gave so far
        try:
            for document, quotes, done in extracted:
                if not done:
                    pieces += len(quotes)
                    if whole or self._ingestor:
                        gathered += quotes
                    if not whole:
                        yield document, quotes
                    continue
                every = gathered + quotes if gathered else quotes
                gathered = []
                with interrupt_after():
                    if self._ingestor:
                        try:
                            self._ingestor.add(document, every)
                        except StoreFailure as exc:  # this document only; it left nothing behind
                            self._failed(document.id, str(exc).removeprefix(f"{document.id}: "))
                    self.result.documents += 1
                    self.result.quotes += pieces + len(quotes)
                    pieces = 0
                self._report()
                yield document, (every if whole else quotes)
        finally:
            extracted.close()  # stops worker processes at once when the run ends early


def quote_record(quote: Quote, text: str | None = None) -> dict[str, Any]:
    """The record `extract` prints for a quote: `Quote.to_dict()` with the quote's `stance`
    (asserts, denies, doubts, hedges) and whether its cue is `negated`, computed now (`text`, the
    document's text, lets the words before the cue count, as in reports)."""
    from quotetrack.analysis.claims import output_stance

    return {**quote.to_dict(), **output_stance(quote, text)}


def with_stance(session: Session, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored quote records with their `stance` and `negated` added (in place), read from the quote
    and the document text just before its cue."""
    from quotetrack.analysis.claims import output_stance
    from quotetrack.analysis.storage import cue_windows

    windows = cue_windows(session, [(r["doc"], r["id"]) for r in records if r.get("cue_span")])
    for record in records:
        offset, window = windows.get((record["doc"], record["id"]), (0, None))
        record.update(output_stance(Quote.from_dict(record), window, offset))
    return records


def read_sources(
    sources: Source | Iterable[Source],
    *,
    outlet: str | None = None,
    published: str | None = None,
    input_format: str = "auto",
    on_skip: Callable[[InputError], None] | None = None,
) -> Iterator[Document | InputError]:
    """Documents from paths and `Document`s in the order given, or an InputError per input that
    cannot be read; paths are read by `quotetrack.io.readers.iter_documents` (`input_format` and
    `on_skip` as there)."""
    options: dict[str, Any] = {"outlet": outlet, "published": published, "input_format": input_format, "on_skip": on_skip}
    if isinstance(sources, (str, os.PathLike, Document)):
        sources = [sources]
    paths: list[str] = []
    for source in sources:
        if not isinstance(source, Document):
            paths.append(os.fspath(source))
            continue
        if paths:
            yield from iter_documents(paths, **options)
            paths = []
        yield _with_overrides(source, outlet, published)
    if paths:
        yield from iter_documents(paths, **options)


def _with_overrides(document: Document, outlet: str | None, published: str | None) -> Document:
    if outlet is not None:
        if not outlet.strip():
            raise QuotetrackError("outlet: must not be empty")
        document = replace(document, outlet=outlet.strip())
    if published is not None:
        document = replace(document, published=check_published(published))
    return document


@contextmanager
def interrupt_after() -> Iterator[None]:
    """Ctrl-C while a document is being stored and counted takes effect once that is done, so the
    counts say exactly what the database holds."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def _day(value: Day, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return queries.parse_day(value, name)


def _shown(value: Day) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _names(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


__all__ = [
    "CompareError",
    "Correction",
    "Failure",
    "IngestResult",
    "Ingestion",
    "QuoteDetail",
    "SpeakerRef",
    "Store",
    "quote_record",
    "read_sources",
    "with_stance",
]
