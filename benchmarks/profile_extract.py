"""Where extraction time goes, beyond the parse: a pyinstrument profile of the extractor and of
storing, on the benchmark corpus (the parse itself runs before the profiler starts).

    .venv/bin/python benchmarks/profile_extract.py --articles 40 --out profile.txt
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import corpus as corpora  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("profile.txt"))
    args = parser.parse_args()
    from pyinstrument import Profiler

    from quotetrack.extraction.extractor import extract_from_pieces
    from quotetrack.extraction.nlp import load_nlp
    from quotetrack.io.meta import apply_meta
    from quotetrack.records import Document
    from quotetrack.store import open_store
    from quotetrack.store.ingest import Ingestor

    articles = corpora.load_articles(corpora.polnear_dir(), args.articles)
    documents = [Document(id=a.id, text=a.text, outlet=a.outlet, published=a.published) for a in articles]
    nlp = load_nlp()
    started = time.perf_counter()
    parsed = list(nlp.pipe([d.text for d in documents]))
    parse_seconds = time.perf_counter() - started

    profiler = Profiler()
    profiler.start()
    started = time.perf_counter()
    results = [extract_from_pieces(d, [(0, doc)]) for d, doc in zip(documents, parsed)]
    extract_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "profile.db"), writable=True)
        ingestor = Ingestor(store)
        started = time.perf_counter()
        for document, quotes in zip(documents, results):
            document, meta = apply_meta(document, quotes)
            ingestor.add(document, quotes, meta)
        store_seconds = time.perf_counter() - started
        store.close()
    profiler.stop()

    head = (
        f"{len(documents)} articles: parse {parse_seconds:.2f} s; extraction {extract_seconds:.2f} s "
        f"({extract_seconds / parse_seconds:.0%} of the parse); storing {store_seconds:.2f} s "
        f"({store_seconds / parse_seconds:.0%} of the parse)\n\n"
    )
    args.out.write_text(head + profiler.output_text(unicode=True, color=False), encoding="utf-8")
    print(head.strip())
    print(f"profile written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
