"""Extraction on a Dask cluster (quotetrack.cluster, `extract --cluster`): the same database, records
and failures as a local run; a killed worker loses and duplicates nothing; clear one-line errors."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from store_support import FIXTURES, new_database, write_articles

SRC = str(Path(__file__).resolve().parent.parent / "src")
ARTICLES = 240
JSONL_LINES = 40


@pytest.fixture(scope="module", autouse=True)
def _workers_import_this_checkout():
    """Worker processes are started with this environment: they must import the quotetrack under
    test, not another installed copy."""
    import quotetrack

    src = str(Path(quotetrack.__file__).resolve().parent.parent)
    patch = pytest.MonkeyPatch()
    patch.setenv("PYTHONPATH", os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
    yield
    patch.undo()


@pytest.fixture(scope="module")
def client(_workers_import_this_checkout):
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    with Client(cluster) as connected:
        yield connected
    cluster.close()


def jsonl_corpus(path: Path, lines: int, *, bad: dict[int, str] | None = None) -> Path:
    """A JSONL corpus of `lines` articles (a blank line among them); `bad` replaces some lines."""
    people = ["Lena Holm", "Pavel Novak", "Irene Costa"]
    rows = []
    for number in range(lines):
        who = people[number % len(people)]
        text = (
            f"HARBORTON, May {1 + number % 28}. The port authority counted {number * 7} ships this year.\n\n"
            f'"Traffic grew by {number % 13} percent," Director {who} said on Friday.\n'
        )
        rows.append(json.dumps({"id": f"port-{number}", "text": text, "outlet": "Harbor Post"}))
        if number == 5:
            rows.append("")
    for index, line in (bad or {}).items():
        rows[index] = line
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """The five seed articles, a few hundred generated articles and a JSONL corpus."""
    root = tmp_path_factory.mktemp("corpus")
    write_articles(root / "generated", ARTICLES)
    jsonl_corpus(root / "port.jsonl", JSONL_LINES)
    return [str(FIXTURES), str(root / "generated"), str(root / "port.jsonl")]


def invoke(args: list[str]):
    return CliRunner().invoke(app, args)


def dump(url: str) -> dict:
    """What a database holds, independent of the order documents were stored in: row ids follow
    that order, and so does a speaker's canonical name among equally full spellings ("Kassym-Jomart
    Tokayev", "Kassym Zhomart Tokayev": the first stored wins). A speaker is told by its aliases."""
    from sqlalchemy import select

    from quotetrack.store import open_store
    from quotetrack.store.models import Speaker, SpeakerAlias, StoredDocument, StoredQuote

    store = open_store(url)
    try:
        with store.read() as session:
            documents = session.execute(
                select(StoredDocument.key, StoredDocument.content_hash, StoredDocument.quote_count, StoredDocument.source)
            ).all()
            aliases: dict[int, set[str]] = {}
            for speaker_id, alias in session.execute(select(SpeakerAlias.speaker_id, SpeakerAlias.alias)):
                aliases.setdefault(speaker_id, set()).add(alias)
            speakers = {
                row.id: (tuple(sorted(aliases.get(row.id, ()))), row.kind) for row in session.execute(select(Speaker.id, Speaker.kind))
            }
            quotes = session.execute(
                select(
                    StoredDocument.key, StoredQuote.key, StoredQuote.type, StoredQuote.start, StoredQuote.end,
                    StoredQuote.speaker_name, StoredQuote.speaker_id, StoredQuote.reported_by_id, StoredQuote.content,
                ).join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
            ).all()
    finally:
        store.close()
    return {
        "documents": sorted(map(tuple, documents), key=repr),
        "quotes": sorted(((*q[:6], speakers.get(q[6]), speakers.get(q[7]), q[8]) for q in quotes), key=repr),
        "speakers": sorted(speakers.values(), key=repr),
    }


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> dict:
    """The database after a serial `quotetrack extract` of the corpus."""
    db = str(tmp_path_factory.mktemp("serial") / "serial.db")
    result = invoke(["extract", *corpus, "--db", db, "-q", "-o", os.devnull])
    assert result.exit_code == 0, result.output
    return dump(db)


def assert_same_database(url: str, serial: dict) -> None:
    got = dump(url)
    assert len(got["documents"]) == 5 + ARTICLES + JSONL_LINES
    for table in ("documents", "quotes", "speakers"):
        assert got[table] == serial[table], table


# --- no Dask unless asked for --------------------------------------------------------------------


def test_the_cli_and_the_package_do_not_import_dask():
    code = (
        "import sys, quotetrack, quotetrack.cli; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')); "
        "assert not loaded, loaded; "
        "quotetrack.extract_on_cluster; "
        "assert 'distributed' in sys.modules"
    )
    env = dict(os.environ, PYTHONPATH=SRC)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- planning and reading partitions (no cluster) ------------------------------------------------


def test_partitions_read_the_same_documents_as_the_local_reader(tmp_path):
    from quotetrack.cluster import Job, _PieceReader, plan_partitions
    from quotetrack.errors import InputError
    from quotetrack.io.readers import iter_documents

    corpus = jsonl_corpus(tmp_path / "c.jsonl", 25, bad={3: "{not json", 9: json.dumps({"id": "port-1", "text": "again"})})
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01" * 50)
    (tmp_path / "a.txt").write_text('"Yes," Ann Lee said.\n', encoding="utf-8")
    paths = [str(corpus), str(tmp_path / "binary.txt"), str(tmp_path / "missing.txt"), str(tmp_path / "a.txt")]

    def described(items):
        return [
            ("error", item.where, item.why) if isinstance(item, InputError) else (item.id, item.text, item.source, item.outlet)
            for item in items
        ]

    partitions = list(plan_partitions(paths, 4))
    assert [p.index for p in partitions] == list(range(len(partitions)))
    assert all(sum(1 for piece in p.pieces if piece.error is None) <= 4 for p in partitions)
    job = Job(db=None, model=None, batch_size=8, outlet=None, published=None, records=False, stop="-")
    read = [item for p in partitions for piece in p.pieces for item in _PieceReader(job, piece).read_piece()]
    expected = described(iter_documents(paths))
    assert described(read) == expected
    assert ("error", f"{corpus}:10", f"duplicate document id 'port-1' (already used by {corpus}:2)") in expected
    assert ("error", f"{corpus}:4", "not valid JSON (Expecting property name enclosed in double quotes at column 2)") in expected


def test_sqlite_needs_a_local_cluster(tmp_path, monkeypatch):
    db = tmp_path / "quotes.db"
    result = invoke(["extract", str(FIXTURES), "--cluster", "tcp://127.0.0.1:1", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: --db: a SQLite file cannot be shared by cluster workers; use PostgreSQL (postgresql://…) or --cluster local"
    )
    assert not db.exists()
    monkeypatch.delenv("QUOTETRACK_DB")  # the default database is a SQLite file too
    result = invoke(["extract", str(FIXTURES), "--cluster", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "Error: --db: a SQLite file cannot be shared by cluster workers" in result.output


def test_an_unreachable_scheduler_is_one_line_quickly(monkeypatch):
    monkeypatch.setenv("QUOTETRACK_CLUSTER_TIMEOUT", "2")
    started = time.perf_counter()
    result = invoke(["extract", str(FIXTURES), "--no-store", "--cluster", "tcp://127.0.0.1:1"])
    assert time.perf_counter() - started < 15
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --cluster tcp://127.0.0.1:1: cannot connect to the scheduler")


def test_a_bad_local_worker_count_is_an_error():
    result = invoke(["extract", str(FIXTURES), "--no-store", "--cluster", "local:zero"])
    assert result.exit_code == 1
    assert "expected local or local:N" in result.output


# --- on the cluster ------------------------------------------------------------------------------


def test_no_store_jsonl_gives_the_serial_records_in_order(client, corpus, tmp_path):
    serial = invoke(["extract", *corpus, "--no-store", "-f", "jsonl", "-q"])
    assert serial.exit_code == 0, serial.output
    # The JSONL corpus as a file:// URL: fsspec opens it on the workers.
    paths = [*corpus[:2], Path(corpus[2]).as_uri()]
    clustered = invoke(["extract", *paths, "--no-store", "-f", "jsonl", "-q", "--cluster", client.scheduler.address])
    assert clustered.exit_code == 0, clustered.output
    assert clustered.stdout == serial.stdout
    assert len(serial.stdout.splitlines()) > ARTICLES


@pytest.mark.slow
def test_sqlite_on_a_local_cluster_equals_the_serial_run(corpus, serial, tmp_path):
    db = str(tmp_path / "cluster.db")
    result = invoke(["extract", *corpus, "--db", db, "-o", os.devnull, "--cluster", "local:2"])
    assert result.exit_code == 0, result.output
    summary = result.stderr.strip().splitlines()[-1]
    total = 5 + ARTICLES + JSONL_LINES
    assert summary.startswith(f"{total} documents, ")
    assert f"stored {total} new, 0 changed, 0 unchanged documents" in summary
    assert_same_database(db, serial)


@pytest.mark.postgres
def test_postgresql_from_the_cluster_equals_the_serial_run(client, corpus, serial, tmp_path):
    from quotetrack.store import upgrade
    from quotetrack.store.db import resolve_url

    url, cleanup = new_database("postgresql", tmp_path)
    try:
        upgrade(resolve_url(url))
        args = ["extract", *corpus, "--db", url, "-o", os.devnull, "--cluster", client.scheduler.address]
        first = invoke(args)
        assert first.exit_code == 0, first.output
        assert_same_database(url, serial)
        again = invoke(args)  # idempotent: the same input again changes nothing
        assert again.exit_code == 0, again.output
        total = 5 + ARTICLES + JSONL_LINES
        assert f"stored 0 new, 0 changed, {total} unchanged documents" in again.stderr
        assert_same_database(url, serial)
    finally:
        from sqlalchemy.orm import close_all_sessions

        close_all_sessions()
        cleanup()


def test_a_bad_document_in_a_partition_is_reported_and_the_rest_stored(client, tmp_path):
    from quotetrack.cluster import extract_on_cluster

    write_articles(tmp_path / "in", 12)
    (tmp_path / "in" / "article_0003.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    jsonl_corpus(tmp_path / "in" / "port.jsonl", 10, bad={4: '{"id": "broken", "text": '})
    failures = []
    db = str(tmp_path / "quotes.db")
    result = extract_on_cluster([str(tmp_path / "in")], client=client, db=db, on_error=failures.append, partition_size=4)
    assert [(Path(f.where).name, f.why) for f in failures] == [
        ("article_0003.txt", "binary file (an executable), not text"),
        ("port.jsonl:5", "not valid JSON (Expecting value at column 26)"),
    ]
    assert result.failures == failures
    assert result.documents == 11 + 9
    assert result.stats.added == 20
    assert len(dump(db)["documents"]) == 20


@pytest.mark.slow
def test_a_killed_worker_loses_and_duplicates_nothing(client, corpus, serial, tmp_path):
    from quotetrack.cluster import extract_on_cluster

    pids = client.run(os.getpid)
    assert len(pids) == 2
    victim = sorted(pids.values())[0]
    killed = []

    def kill_one(result) -> None:
        if not killed and result.documents >= 8:
            os.kill(victim, signal.SIGKILL)
            killed.append(result.documents)

    db = str(tmp_path / "quotes.db")
    result = extract_on_cluster(corpus, client=client, db=db, on_progress=kill_one, partition_size=4)
    total = 5 + ARTICLES + JSONL_LINES
    assert killed and killed[0] < total // 2, "the worker was killed mid-run"
    assert result.failures == []
    assert result.documents == total
    # A partition run again after the kill finds what it stored before as "unchanged".
    assert result.stats.added + result.stats.unchanged == total and result.stats.replaced == 0
    assert_same_database(db, serial)
    client.wait_for_workers(2, timeout=60)


@pytest.mark.slow
def test_ctrl_c_cancels_and_reports_what_was_stored(tmp_path):
    import re
    import sqlite3

    write_articles(tmp_path / "in", 2000)
    db = tmp_path / "quotes.db"
    command = [sys.executable, "-m", "quotetrack", "extract", str(tmp_path / "in"), "--db", str(db), "-o", os.devnull,
               "--cluster", "local:2"]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # a shell's background job ignores SIGINT; Ctrl-C in a terminal reaches the whole process group
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if db.exists() and sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0]:
                if sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0] >= 50:
                    break
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr
    found = re.search(r"Interrupted after (\d+) documents, .*; stored (\d+) new, 0 changed, 0 unchanged", stderr)
    assert found, stderr
    stored = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    assert int(found.group(1)) == int(found.group(2)) == stored < 2000
