"""Writers at the same time, and a writer killed mid-batch: nothing lost, nothing half-written.

Each test runs `quotetrack extract` in subprocesses over small articles written here (each
process loads the spaCy model, 1-2 s)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from quotetrack.store import open_store, upgrade
from quotetrack.store.db import resolve_url
from quotetrack.store.models import Speaker, StoredDocument, StoredQuote
from store_support import db_url, write_articles  # noqa: F401 (db_url is a fixture)


def extract_process(paths, db, *extra):
    env = dict(os.environ, QUOTETRACK_DB=str(db), NO_COLOR="1")
    return subprocess.Popen(
        [sys.executable, "-m", "quotetrack", "extract", *map(str, paths), "--format", "jsonl", "-o", os.devnull, *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def check_consistent(db) -> dict:
    """Every stored document holds exactly its quotes; no quote without document; no duplicates."""
    store = open_store(str(db))
    try:
        with store.read() as session:
            documents = session.execute(select(StoredDocument.id, StoredDocument.key, StoredDocument.quote_count)).all()
            held = dict(
                session.execute(select(StoredQuote.document_id, func.count()).group_by(StoredQuote.document_id)).all()
            )
            for document in documents:
                assert held.get(document.id, 0) == document.quote_count, document.key
            assert set(held) <= {d.id for d in documents}
            keys = [d.key for d in documents]
            assert len(keys) == len(set(keys))
            speaker_names = session.scalars(select(Speaker.name)).all()
            return {
                "documents": len(documents),
                "quotes": sum(held.values()),
                "speakers": sorted(speaker_names),
                "keys": set(keys),
            }
    finally:
        store.close()


def test_two_writers_at_once(db_url, tmp_path):
    if "://" in db_url:
        upgrade(resolve_url(db_url))
    # (A new SQLite file is created by whichever writer comes first; the other waits for it.)
    first = write_articles(tmp_path / "a", 12, start=0)
    second = write_articles(tmp_path / "b", 12, start=12)
    # Both also write the same 4 articles, so they race on the same documents and speakers.
    shared = write_articles(tmp_path / "shared", 4, start=100)
    writers = [extract_process(first + shared, db_url), extract_process(shared + second, db_url)]
    results = [w.communicate(timeout=180) for w in writers]
    for writer, (_, err) in zip(writers, results):
        assert writer.returncode == 0, err
        assert "Traceback" not in err
    state = check_consistent(db_url)
    assert state["documents"] == 28
    assert state["keys"] == {p.stem for p in first + second + shared}
    assert state["quotes"] >= 2 * 28  # the two attributed statements of each article
    # The four recurring people are one speaker each, however the two writers interleaved.
    assert state["speakers"] == ["Anna Berg", "Omar Haddad", "Rita Sol", "Tomas Lind"]


@pytest.mark.slow
def test_killed_ingest_leaves_a_consistent_database_and_the_rerun_completes(tmp_path):
    db = tmp_path / "kill.db"
    upgrade(resolve_url(str(db)))
    articles = write_articles(tmp_path / "many", 400)
    writer = extract_process([tmp_path / "many"], db, "--batch-size", "4")
    store = open_store(str(db))
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and writer.poll() is None:
            with store.read() as session:
                stored = session.scalar(select(func.count()).select_from(StoredDocument))
            if stored >= 20:
                break
            time.sleep(0.05)
    finally:
        store.close()
    assert writer.poll() is None, "the writer finished before it could be killed; give it more articles"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    partial = check_consistent(db)
    assert 0 < partial["documents"] < len(articles)

    rerun = extract_process([tmp_path / "many"], db)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"{partial['documents']} unchanged" in err
    complete = check_consistent(db)
    assert complete["documents"] == len(articles)
    assert complete["keys"] == {p.stem for p in articles}
