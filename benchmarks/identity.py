"""Storing into a large store costs what storing into an empty one does: speaker lookup reads only
the speakers that share a precise key with a name, never a share of the whole store.

    .venv/bin/python benchmarks/identity.py --out benchmarks/results/identity.json
    .venv/bin/python benchmarks/identity.py --quick      # 10k speakers, 100k quotes

The same articles (the throughput corpus, extracted once) are stored into an empty SQLite store and
into one already holding 100,000 speakers and 1,000,000 quotes (benchmarks/synth.py: real quotes
under recombined real names, so surnames are shared as in news); the figure is the ratio of the two
storing times, each the median of five runs into a fresh copy, the two stores alternating (wall
clock, and CPU time beside it: a shared machine's slow spells move the first more). Target: within 10%.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import corpus as corpora  # noqa: E402
import synth  # noqa: E402


def store_all(url: str, extracted) -> tuple[float, float]:
    """Wall-clock and CPU seconds to store every document, closing the store included (its last WAL
    checkpoint is part of storing)."""
    from quotetrack.store import Ingestor, open_store

    store = open_store(url, writable=True)
    try:
        ingestor = Ingestor(store)
        started, cpu = time.perf_counter(), time.process_time()
        for document, quotes in extracted:
            ingestor.add(document, quotes)
    finally:
        store.close()
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k speakers and 100k quotes")
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5, help="timed runs into each store (the median is taken)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    speakers, quotes_target = (10_000, 100_000) if args.quick else (100_000, 1_000_000)

    from quotetrack.extraction.nlp import load_nlp
    from quotetrack.extraction.pipeline import extract_documents
    from quotetrack.records import Document
    from quotetrack.store import open_store, upgrade
    from quotetrack.store.db import resolve_url

    articles = corpora.load_articles(corpora.polnear_dir(), args.articles)
    nlp = load_nlp()
    extracted = list(extract_documents([Document(id=a.id, text=a.text) for a in articles], nlp=nlp))
    quotes = [q for _, found in extracted for q in found]
    # The new articles come under other ids, so none is "unchanged" in the large store.
    fresh = [(Document(id=f"new-{d.id}", text=d.text + "\n"), found) for d, found in extracted]

    with tempfile.TemporaryDirectory() as tmp:
        empty, large = Path(tmp) / "empty.db", Path(tmp) / "large.db"
        for path in (empty, large):
            upgrade(resolve_url(str(path)))
        store = open_store(str(large), writable=True)
        stats = synth.fill(store, {a.id: a.text for a in articles}, quotes, quotes_target, speakers=speakers)
        store.close()
        print(f"large store: {stats.speakers} speakers, {stats.quotes} quotes ({stats.seconds:.0f} s to build)", file=sys.stderr)

        def timed(template: Path, number: int) -> tuple[float, float]:
            copy = Path(tmp) / f"run-{template.stem}-{number}.db"
            shutil.copy(template, copy)
            os.sync()  # the copy's writes must not land on disk during the timed run
            try:
                return store_all(str(copy), fresh)
            finally:
                for path in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
                    path.unlink(missing_ok=True)

        # empty and large alternate, so that a slower spell of a shared machine falls on both
        empty_runs, large_runs = [], []
        for number in range(args.runs):
            empty_runs.append(timed(empty, number))
            large_runs.append(timed(large, number))
    ratio = statistics.median(t for t, _ in large_runs) / statistics.median(t for t, _ in empty_runs)
    cpu_ratio = statistics.median(c for _, c in large_runs) / statistics.median(c for _, c in empty_runs)
    report = {
        "articles": len(fresh),
        "quotes_stored": sum(len(found) for _, found in fresh),
        "large_store": {"speakers": stats.speakers, "quotes": stats.quotes},
        "empty_store_s": [round(t, 3) for t, _ in empty_runs],
        "large_store_s": [round(t, 3) for t, _ in large_runs],
        "empty_store_cpu_s": [round(c, 3) for _, c in empty_runs],
        "large_store_cpu_s": [round(c, 3) for _, c in large_runs],
        "large_vs_empty": round(ratio, 3),
        "large_vs_empty_cpu": round(cpu_ratio, 3),
        "target": "<= 1.10",
        "met": ratio <= 1.10,
    }
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
