"""Extraction on a Dask cluster: the workers read, parse, extract and store; the client plans and reports.

The client lists the input and cuts it into partitions that say what to read — whole files, or
line ranges (byte offsets) of a JSONL corpus — so no article text passes through the scheduler.
Paths must be visible to every worker (a shared filesystem) or be fsspec URLs the workers can
open. Each worker process loads the spaCy model once and opens the database once; for every
partition it reads the documents, extracts their quotes and stores them itself, one transaction a
document. A partition task is a pure function of its partition and storing is idempotent (the
same id and text again is "unchanged"), so a task run again after a lost worker duplicates nothing.

    with open_client("tcp://scheduler:8786") as client:
        result = extract_on_cluster(["/shared/corpus"], client=client, db="postgresql://db/quotes")

Only this module and the `--cluster` branch of the CLI import Dask.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from distributed import Client, Event, Future, LocalCluster, as_completed, wait
from distributed.diagnostics.plugin import WorkerPlugin

from quotetrack.analysis.claims import output_stance
from quotetrack.errors import InputError, QuotetrackError
from quotetrack.extraction.nlp import load_nlp, model_name
from quotetrack.extraction.pipeline import ExtractionError, extract_documents
from quotetrack.io.readers import (
    BOMS,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_BYTES,
    MAX_LINE_ERRORS,
    READ_SUFFIXES,
    SAMPLE_BYTES,
    TEXT_SUFFIXES,
    Entry,
    Reader,
    assign_ids,
    binary_kind,
    check_published,
    decode,
    encodable,
    looks_like_html,
    read_file,
    reason,
    shown,
    too_large,
)
from quotetrack.records import Document
from quotetrack.store.db import Store, open_store, resolve_url, sqlite_path
from quotetrack.store.ingest import Ingestor, IngestStats, StoreFailure

# Documents per partition: enough for spaCy to batch well, few enough that every worker stays
# busy to the end of a run.
DEFAULT_PARTITION_SIZE = 4
DEFAULT_BATCH_SIZE = 32
# Seconds to reach a scheduler before giving up (QUOTETRACK_CLUSTER_TIMEOUT overrides).
CONNECT_TIMEOUT = 10.0
# A task that raised (a database hiccup) is run again this often; tasks lost with a worker are
# rescheduled by Dask itself.
RETRIES = 2
# Seconds a stopped run waits for the partitions in hand to report what they stored.
STOP_GRACE = 30.0
SQLITE_REFUSED = (
    "--db: a SQLite file cannot be shared by cluster workers; use PostgreSQL (postgresql://…) or --cluster local"
)

__all__ = [
    "ClusterError",
    "ClusterResult",
    "ClusterRun",
    "Failure",
    "database_url",
    "extract_on_cluster",
    "local_workers",
    "open_client",
]


class ClusterError(QuotetrackError):
    """The cluster cannot be reached or used as asked."""


# --- what travels between client and workers ------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Part of the input a worker reads itself: a whole file, or lines of a JSONL file."""

    path: str  # what the worker opens: an absolute path or an fsspec URL
    shown: str  # the path as given: messages and Document.source use it, as in a local run
    doc_id: str  # the file's document id (for JSONL, the stem of "<id>:<line>")
    start: int = 0  # JSONL lines first_line… are the bytes [start, end) of the file
    end: int | None = None  # None: the whole file
    first_line: int = 1
    # Documents (by source) whose id an earlier document of the run used, with that one's source.
    duplicates: tuple[tuple[str, str], ...] = ()
    error: tuple[str, str] | None = None  # (where, why) of an input the client found unreadable


@dataclass(frozen=True)
class Partition:
    index: int
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Job:
    """What every partition of one run shares."""

    db: str | None  # the database URL the workers store into; None: no storing
    model: str | None
    batch_size: int
    outlet: str | None
    published: str | None
    records: bool  # send the quote records back
    stop: str  # name of the Event that stops the run


@dataclass(frozen=True)
class Failure:
    """One input, document or line that failed: where, why, and the name the summary lists."""

    where: str
    why: str
    name: str
    line_of: str | None = None  # the JSONL file, when this is one of its malformed lines


@dataclass
class PartitionResult:
    index: int
    documents: int = 0
    quotes: int = 0
    failures: list[Failure] = field(default_factory=list)
    stats: IngestStats = field(default_factory=IngestStats)
    records: list[dict] = field(default_factory=list)
    stopped: bool = False  # the run was stopped before this partition was done


@dataclass
class ClusterResult:
    """What a cluster run did: documents and quotes extracted, what failed, what was stored."""

    documents: int = 0
    quotes: int = 0
    failures: list[Failure] = field(default_factory=list)
    stats: IngestStats | None = None  # None when not storing
    interrupted: bool = False


# --- connecting ----------------------------------------------------------------------------------


def local_workers(address: str) -> int | None:
    """The worker count of `local` / `local:N` (the CPU count for `local`); None for a scheduler address."""
    address = address.strip()
    if address == "local":
        return os.cpu_count() or 1
    if address.startswith("local:"):
        count = address[len("local:"):]
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {address}: expected local or local:N with N ≥ 1 worker processes")
        return int(count)
    return None


@contextmanager
def open_client(address: str, *, timeout: float | None = None) -> Iterator[Client]:
    """A Dask client for `address`, closed afterwards.

    `local` or `local:N` starts a LocalCluster of N worker processes with one thread each (N = the
    CPU count by default) and stops it afterwards; anything else (`tcp://host:8786`) is the
    address of a running scheduler, which must answer within `timeout` seconds.
    """
    count = local_workers(address)
    if count is not None:
        cluster = _local_cluster(count)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    if timeout is None:
        timeout = float(os.environ.get("QUOTETRACK_CLUSTER_TIMEOUT", CONNECT_TIMEOUT))
    import dask

    try:
        with dask.config.set({"distributed.comm.timeouts.connect": f"{timeout}s"}):
            client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
        why = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise ClusterError(f"--cluster {address}: cannot connect to the scheduler ({why})") from None
    try:
        yield client
    finally:
        client.close()


def _local_cluster(count: int) -> LocalCluster:
    # The workers ignore Ctrl-C (an ignored SIGINT is inherited by the processes started now):
    # the client alone decides what to do about it, and counts what the workers stored.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        return LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never a warning that 8787 is taken
            silence_logs=logging.ERROR,
        )
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def database_url(db: str | None, *, local: bool) -> str:
    """The database URL workers store into (with its password, SQLite paths made absolute).

    SQLite is accepted only on a local cluster, whose workers share this machine's filesystem.
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    if url.get_backend_name() == "sqlite":
        if not local:
            raise ClusterError(SQLITE_REFUSED)
        if path is not None and not path.is_absolute():
            url = url.set(database=str(path.resolve()))
    return url.render_as_string(hide_password=False)


# --- the run, on the client ----------------------------------------------------------------------


class ClusterRun:
    """One extraction run on a cluster, driven from the client.

    Iterate it for the quote records (in input order; none unless `records`), or call `wait()`;
    then read `result`. Call `stop()` to end it early (Ctrl-C) and `close()` when done with it.
    Raises QuotetrackError at once for a bad argument, a database that cannot be used, or a model
    the workers cannot load.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        client: Client,
        db: str | None = None,
        store: bool = True,
        records: bool = False,
        model: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        partition_size: int = DEFAULT_PARTITION_SIZE,
        outlet: str | None = None,
        published: str | None = None,
        on_error: Callable[[Failure], None] | None = None,
        on_progress: Callable[[ClusterResult], None] | None = None,
    ):
        if published is not None:
            published = check_published(published)
        if outlet is not None:
            outlet = outlet.strip()
            if not outlet:
                raise QuotetrackError("outlet: must not be empty")
        self.client = client
        self.paths = [os.fspath(p) for p in paths]
        if "-" in self.paths:
            raise ClusterError("-: cluster workers cannot read standard input; save it to a file on a path every worker sees")
        self.partition_size = max(1, partition_size)
        self.on_error = on_error
        self.on_progress = on_progress
        url = None
        if store:
            url = database_url(db, local=isinstance(client.cluster, LocalCluster))
            open_store(url, writable=True, create=True).close()  # a bad URL or an old schema stops the run before any work
        self.result = ClusterResult(stats=IngestStats() if store else None)
        self.job = Job(
            db=url,
            model=model_name(model),
            batch_size=max(1, batch_size),
            outlet=outlet,
            published=published,
            records=records,
            stop=f"quotetrack-stop-{uuid.uuid4().hex}",
        )
        self._futures: dict[int, Future] = {}
        self._merged: set[int] = set()
        self._line_errors: Counter[str] = Counter()
        # Failures of completed partitions waiting for their predecessors: reported in input order.
        self._failures: dict[int, list[Failure]] = {}
        self._finished = False
        # Every worker loads the model now, once (and each new worker when it joins).
        client.register_plugin(ModelPlugin(self.job.model), name="quotetrack-model")

    def __iter__(self) -> Iterator[dict]:
        completed = as_completed()
        held: dict[int, list[dict]] = {}  # records of completed partitions whose predecessors are not done
        following = 0  # the next partition whose records and failures are due
        plan = plan_partitions(self.paths, self.partition_size)
        exhausted = False
        ahead = _Ahead(self.client)
        try:
            while True:
                while not exhausted and len(self._futures) < ahead.limit():
                    item = next(plan, None)
                    if item is None:
                        exhausted = True
                    else:
                        self._futures[item.index] = self.client.submit(
                            run_partition,
                            item,
                            self.job,
                            key=f"quotetrack-{self.job.stop[-32:]}-{item.index}",
                            retries=RETRIES,
                            pure=False,
                        )
                        completed.add(self._futures[item.index])
                if completed.is_empty():
                    break
                part: PartitionResult = next(completed).result()  # a worker's StoreError or ModelError ends the run here
                self._merge(part)
                held[part.index] = part.records
                while following in held:
                    self._release(following)
                    yield from held.pop(following)
                    following += 1
            self._finish()
        except KeyboardInterrupt:
            raise  # the caller stops the run (stop()), counting what the workers stored
        except BaseException:
            self.close()
            raise

    def wait(self) -> ClusterResult:
        """Run to the end; return the result."""
        for _ in self:
            pass
        return self.result

    def stop(self, grace: float = STOP_GRACE) -> ClusterResult:
        """End the run early: partitions not started are dropped and those in hand end after the
        document being stored; what they stored is counted (waiting at most `grace` seconds, or
        until a second Ctrl-C). Then the remaining futures are cancelled."""
        self.result.interrupted = True
        try:
            Event(self.job.stop, client=self.client).set()
            left = list(self._futures.values())
            try:
                wait(left, timeout=grace)
            except TimeoutError:
                pass
            for future in left:
                if future.status == "finished":
                    self._merge(future.result())
        except KeyboardInterrupt:
            pass
        finally:
            self.close()
            self._finish()
        return self.result

    def close(self) -> None:
        """Cancel whatever is still queued or running."""
        left = [f for f in self._futures.values() if not f.done()]
        if left:
            self.client.cancel(left)
        self._futures.clear()
        if self.result.interrupted:
            try:
                Event(self.job.stop, client=self.client).clear()
            except Exception:  # the scheduler is gone: nothing left to clean
                pass

    def _merge(self, part: PartitionResult) -> None:
        """Count a completed partition (progress follows completion; its failures wait for their turn)."""
        if part.index in self._merged:
            return
        self._merged.add(part.index)
        self._futures.pop(part.index, None)  # releases the result on the worker
        if part.failures:
            self._failures[part.index] = part.failures
        result = self.result
        result.documents += part.documents
        result.quotes += part.quotes
        if result.stats is not None:
            for outcome in ("added", "replaced", "unchanged", "quotes"):
                setattr(result.stats, outcome, getattr(result.stats, outcome) + getattr(part.stats, outcome))
        if self.on_progress:
            self.on_progress(result)

    def _release(self, index: int) -> None:
        for failure in self._failures.pop(index, []):
            self._report(failure)

    def _report(self, failure: Failure) -> None:
        if failure.line_of is not None:
            # As in a local run, a file's first MAX_LINE_ERRORS bad lines are named, the rest counted.
            self._line_errors[failure.line_of] += 1
            if self._line_errors[failure.line_of] > MAX_LINE_ERRORS:
                return
        self.result.failures.append(failure)
        if self.on_error:
            self.on_error(failure)

    def _finish(self) -> None:
        """Report what is left to report, in input order."""
        if self._finished:
            return
        self._finished = True
        for index in sorted(self._failures):
            self._release(index)
        for path, bad in self._line_errors.items():
            if bad > MAX_LINE_ERRORS:
                where = shown(path)
                self._report(Failure(where, f"{bad - MAX_LINE_ERRORS} more malformed lines not listed ({bad} in all)",
                                     Path(where).name or where))


class _Ahead:
    """How many partitions to keep queued: a few per worker thread, so no worker waits for work
    and few partitions' records are held at once."""

    def __init__(self, client: Client):
        self.client = client
        self.checked = 0.0
        self.threads = 1

    def limit(self) -> int:
        now = time.monotonic()
        if now - self.checked > 2.0:  # workers may join or leave during a run
            self.checked = now
            self.threads = max(1, sum(self.client.nthreads().values()))
        return max(8, 3 * self.threads)


def extract_on_cluster(
    paths: Sequence[str],
    *,
    client: Client,
    db: str | None = None,
    store: bool = True,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    outlet: str | None = None,
    published: str | None = None,
    on_error: Callable[[Failure], None] | None = None,
    on_progress: Callable[[ClusterResult], None] | None = None,
) -> ClusterResult:
    """Extract the quotes of the articles in `paths` on the cluster behind `client`, each worker
    storing into `db` (a PostgreSQL URL; a SQLite path only on a LocalCluster).

    `paths` are files, directories or fsspec URLs every worker can read. Each failed input,
    document or line is passed to `on_error(Failure)` as partitions complete, and the run goes on;
    `on_progress(ClusterResult)` follows every completed partition. On KeyboardInterrupt the run is
    stopped (what was stored is counted in the result passed to on_progress) and it re-raises.
    For the quote records themselves use `ClusterRun(..., records=True)` and iterate it.
    """
    run = ClusterRun(
        paths, client=client, db=db, store=store, model=model, batch_size=batch_size, partition_size=partition_size,
        outlet=outlet, published=published, on_error=on_error, on_progress=on_progress,
    )
    try:
        return run.wait()
    except KeyboardInterrupt:
        run.stop()
        raise
    finally:
        run.close()


# --- planning: what each partition reads ---------------------------------------------------------


def plan_partitions(paths: Sequence[str], partition_size: int) -> Iterator[Partition]:
    """Partitions of at most `partition_size` documents, in input order. A JSONL file is cut into
    line ranges; finding the lines reads it here, but only offsets go to the workers. An input that
    cannot be read at all (a missing file, an empty directory) is a piece that carries its error, so
    the failures come back in input order too."""
    seen: dict[str, str] = {}  # document id -> source that used it first, as the local reader keeps it
    pieces: list[Piece] = []
    count = 0
    index = 0
    for entry in expand(paths):
        if entry.kind == "error":
            assert entry.error is not None
            pieces.append(Piece("", entry.error.where, "", error=(entry.error.where, entry.error.why)))
            continue
        target = _target(entry.path)
        lines = _jsonl_lines(target, entry) if suffix(entry.path) in JSONL_SUFFIXES else None
        if lines is None:
            source = encodable(entry.path)
            duplicates = ((source, seen[entry.doc_id]),) if entry.doc_id in seen else ()
            seen.setdefault(entry.doc_id, source)
            pieces.append(Piece(target, entry.path, entry.doc_id, duplicates=duplicates))
            count += 1
        else:
            run: _Range | None = None
            for number, start, end, doc_id in lines:
                if run is None:
                    run = _Range(start=start, first_line=number)
                run.end = end
                source = encodable(f"{entry.path}:{number}")
                if doc_id is not None:
                    if doc_id in seen:
                        run.duplicates.append((source, seen[doc_id]))
                    else:
                        seen[doc_id] = source
                count += 1
                if count >= partition_size:
                    pieces.append(run.piece(target, entry))
                    yield Partition(index, tuple(pieces))
                    index, pieces, count, run = index + 1, [], 0, None
            if run is not None:
                pieces.append(run.piece(target, entry))
        if count >= partition_size:
            yield Partition(index, tuple(pieces))
            index, pieces, count = index + 1, [], 0
    if pieces:
        yield Partition(index, tuple(pieces))


@dataclass
class _Range:
    start: int
    first_line: int
    end: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    def piece(self, target: str, entry: Entry) -> Piece:
        return Piece(target, entry.path, entry.doc_id, self.start, self.end, self.first_line, tuple(self.duplicates))


def expand(paths: Sequence[str]) -> list[Entry]:
    """The files to read, in order, with their document ids, as the local reader finds them; fsspec
    URLs are listed with fsspec (`file://` ones as local paths)."""
    reader = Reader(outlet=None, published=None, stdin=None)
    entries: list[Entry] = []
    taken: set[str] = set()
    for arg in paths:
        local = _local_path(arg)
        found = reader.expand_one(local) if local is not None else _expand_url(arg)
        for entry in found:
            if entry.kind == "file":
                real = os.path.realpath(entry.path) if local is not None else entry.path
                if real in taken:
                    continue
                taken.add(real)
            entries.append(entry)
    assign_ids([e for e in entries if e.kind == "file"])
    return entries


def _local_path(arg: str) -> str | None:
    """`arg` as a local path (a `file://` URL's path), or None for another fsspec URL."""
    if "://" not in arg:
        return arg
    if arg.startswith("file://"):
        from fsspec.core import url_to_fs

        return str(url_to_fs(arg)[1])
    return None


def _expand_url(url: str) -> list[Entry]:
    from fsspec.core import url_to_fs

    try:
        fs, root = url_to_fs(url)
    except Exception as exc:  # an unknown protocol, or its package is not installed
        return [_error(url, f"cannot open it ({_one_line(exc)})")]
    try:
        if not fs.exists(root):
            return [_error(url, "no such file or directory")]
        if not fs.isdir(root):
            return [Entry("file", path=url)]
        found = []
        base = root.rstrip("/")
        for name in fs.find(root):
            relative = PurePosixPath(name[len(base):].lstrip("/")) if name.startswith(base) else PurePosixPath(name)
            if any(part.startswith(".") for part in relative.parts) or not relative.name.lower().endswith(READ_SUFFIXES):
                continue
            found.append((relative.parts, url.rstrip("/") + "/" + str(relative)))
    except Exception as exc:
        return [_error(url, f"cannot access it ({_one_line(exc)})")]
    if not found:
        return [_error(url, "no readable files: the directory holds no " + ", ".join(READ_SUFFIXES) + " files")]
    return [Entry("file", path=path) for _, path in sorted(found)]


def _error(where: str, why: str) -> Entry:
    return Entry("error", error=InputError(shown(where), why))


def _target(path: str) -> str:
    """What a worker opens for `path`: an absolute path (workers have their own working directory) or the URL."""
    return path if "://" in path else os.path.abspath(path)


def suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _jsonl_lines(target: str, entry: Entry) -> Iterator[tuple[int, int, int, str | None]] | None:
    """(line number, start byte, end byte, document id or None) of the non-blank lines of a JSONL
    file; None when it cannot be cut into lines here (unreadable, binary, UTF-16/32), so a worker
    reads it whole and reports what a local run would."""
    try:
        with _open_binary(target) as handle:
            head = handle.read(SAMPLE_BYTES)
    except Exception:
        return None
    if not head.strip() or binary_kind(head) or any(head.startswith(mark) for mark, name in BOMS if name != "utf-8"):
        return None
    return _scan_lines(target, entry)


def _scan_lines(target: str, entry: Entry) -> Iterator[tuple[int, int, int, str | None]]:
    with _open_binary(target) as handle:
        offset = 0
        for number, line in enumerate(handle, start=1):
            end = offset + len(line)
            if line.strip():
                yield number, offset, end, _line_id(line, entry.doc_id, number)
            offset = end


def _line_id(line: bytes, stem: str, number: int) -> str | None:
    """The document id the reader gives a JSONL line, or None when the line is not a document."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        return None
    doc_id = record.get("id")
    if doc_id is None or doc_id == "":
        return f"{stem}:{number}"
    if isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
        return str(doc_id)
    return None


def _open_binary(path: str):
    if "://" in path:
        import fsspec

        return fsspec.open(path, "rb")
    return open(path, "rb")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


# --- the work, on the workers --------------------------------------------------------------------

_lock = threading.Lock()
_stores: dict[str, Store] = {}


class ModelPlugin(WorkerPlugin):
    """Loads the spaCy model when a worker starts (or joins), once per worker process."""

    def __init__(self, model: str | None):
        self.model = model

    def setup(self, worker) -> None:
        undo_malloc_trim()
        worker_nlp(self.model)

    def teardown(self, worker) -> None:
        with _lock:
            while _stores:
                _stores.popitem()[1].close()


def undo_malloc_trim() -> None:
    """Give glibc's allocator back the thresholds a process normally grows into.

    Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also freezes glibc's
    mmap threshold at 128 KiB: every larger array the parser allocates is then mapped and unmapped
    anew, which cost about 13% more CPU (in system time) than the same parse in a plain process.
    """
    if os.environ.get("MALLOC_TRIM_THRESHOLD_") is None:
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 32 * 2**20)  # glibc's ceiling for its dynamic mmap threshold (64-bit)
    libc.mallopt(m_trim_threshold, 64 * 2**20)  # twice the mmap threshold, as glibc's own rule keeps it


def worker_nlp(model: str | None):
    """The process's spaCy pipeline, loaded once (load_nlp caches it); the lock keeps two worker
    threads from loading it twice."""
    with _lock:
        return load_nlp(model)


def worker_store(url: str) -> Store:
    """The process's open store for `url`, opened on first use and kept for the next partitions."""
    with _lock:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = open_store(url, writable=True)
        return store


class _Stop:
    """Whether the client stopped the run: asked of the scheduler at most every half second."""

    def __init__(self, name: str):
        self.name = name
        self.asked = 0.0
        self.answer = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self.answer and now - self.asked > 0.5:
            self.asked = now
            try:
                self.answer = Event(self.name).is_set()
            except Exception:  # not in a worker (a test calling run_partition), or the scheduler is away
                self.answer = False
        return self.answer


def run_partition(partition: Partition, job: Job) -> PartitionResult:
    """Read, extract and (when job.db is set) store the documents of one partition, on a worker.

    The same partition gives the same result every time it runs, and storing it again changes
    nothing, so the scheduler may run it again after a lost worker. One bad file, line or document
    is reported in the result and the others go on; only a database that cannot be used at all
    (StoreError) or a missing model (ModelError) raises.
    """
    result = PartitionResult(partition.index)
    stopped = _Stop(job.stop)
    if stopped():
        result.stopped = True
        return result
    nlp = worker_nlp(job.model)
    ingestor = Ingestor(worker_store(job.db), stats=result.stats) if job.db else None

    def documents() -> Iterator[Document]:
        for piece in partition.pieces:
            reader = _PieceReader(job, piece)
            for item in reader.read_piece():
                if isinstance(item, InputError):
                    line = item.where != shown(piece.shown) and item.where.startswith(shown(piece.shown) + ":")
                    result.failures.append(
                        Failure(item.where, item.why, Path(item.where).name or item.where, piece.shown if line else None)
                    )
                else:
                    yield item

    def not_extracted(document: Document, error: ExtractionError) -> None:
        result.failures.append(Failure(document.id, error.why, document.id))

    for document, quotes in extract_documents(documents(), nlp=nlp, batch_size=job.batch_size, on_error=not_extracted):
        if stopped():
            result.stopped = True
            break
        if ingestor:
            try:
                ingestor.add(document, quotes)
            except StoreFailure as exc:  # this document only; it left nothing behind
                result.failures.append(Failure(document.id, str(exc).removeprefix(f"{document.id}: "), document.id))
        result.documents += 1
        result.quotes += len(quotes)
        if job.records:
            # the records `extract` prints locally (api.quote_record): with stance and negated
            result.records.extend({**quote.to_dict(), **output_stance(quote, document.text)} for quote in quotes)
    return result


class _PieceReader(Reader):
    """The local reader's rules applied to one piece, with the ids the client found taken."""

    def __init__(self, job: Job, piece: Piece):
        super().__init__(outlet=job.outlet, published=job.published, stdin=None)
        self.piece = piece
        self.taken = dict(piece.duplicates)

    def unique(self, document: Document, where: str) -> Document:
        first = self.taken.get(document.source or "")
        if first is not None:
            raise InputError(where, f"duplicate document id {document.id!r} (already used by {first})")
        return super().unique(document, where)

    def read_piece(self) -> Iterator[Document | InputError]:
        if self.piece.error is not None:
            yield InputError(*self.piece.error)
            return
        where = shown(self.piece.shown)
        try:
            yield from self._read()
        except InputError as exc:
            yield exc
        except Exception as exc:  # one odd input must not stop the partition
            yield InputError(where, f"could not be read ({type(exc).__name__}: {_one_line(exc)})")

    def _read(self) -> Iterator[Document | InputError]:
        piece = self.piece
        where = shown(piece.shown)
        entry = Entry("file", path=piece.shown, doc_id=piece.doc_id)
        kind = suffix(piece.shown)
        if piece.end is None:
            data = read_whole(piece)
            if kind in JSONL_SUFFIXES:
                yield from self.jsonl_documents(entry, data)
                return
            text = decode(data, where, html=kind in HTML_SUFFIXES)
            html = kind in HTML_SUFFIXES or (kind not in TEXT_SUFFIXES and looks_like_html(text))
            yield self.document(text, "html" if html else "text", encodable(piece.shown), piece.doc_id)
            return
        text = decode(read_range(piece), where)
        for offset, line in enumerate(text.split("\n")):
            if line.strip():
                try:
                    yield self.jsonl_document(entry, piece.first_line + offset, line)
                except InputError as exc:
                    yield exc


def read_whole(piece: Piece) -> bytes:
    """The bytes of a whole file, with the local reader's limits and messages."""
    where = shown(piece.shown)
    if "://" not in piece.path:
        try:
            return read_file(piece.path)
        except InputError as exc:
            why = exc.why
            if why == "no such file or directory":
                why += f" on worker {socket.gethostname()} (is the path on a filesystem every worker sees?)"
            raise InputError(where, why) from None
    try:
        with _open_binary(piece.path) as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(where, "no such file or directory") from None
    except OSError as exc:
        raise InputError(where, f"cannot read it ({reason(exc)})") from None
    if len(data) > MAX_BYTES:
        raise InputError(where, too_large(len(data)))
    return data


def read_range(piece: Piece) -> bytes:
    """The bytes [start, end) of a JSONL file: whole lines."""
    assert piece.end is not None
    try:
        with _open_binary(piece.path) as handle:
            handle.seek(piece.start)
            data: bytes = handle.read(piece.end - piece.start)
    except FileNotFoundError:
        raise InputError(shown(piece.shown), f"no such file or directory on worker {socket.gethostname()}") from None
    except OSError as exc:
        raise InputError(shown(piece.shown), f"cannot read it ({reason(exc)})") from None
    return data

