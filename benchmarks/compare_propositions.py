"""`compare` by propositions: how long it takes, and whether its first screen fits.

    # a store made by `quotetrack extract ../shared/polnear/dev/text --db /tmp/dev.db`:
    .venv/bin/python benchmarks/compare_propositions.py --db /tmp/dev.db
    # a synthetic store of a million quotes (benchmarks/synth.py) from extracted quotes:
    .venv/bin/python benchmarks/compare_propositions.py --synth 1000000 --quotes quotes.jsonl --db /tmp/million.db

Without --speaker, the two most quoted speakers are compared (with --synth, the two whose quote
counts are closest to --claims). Figures: the precompute of propositions (`quotetrack
propositions --rebuild`, timed on its own), `Store.compare` as a library call (first call and
median of five), the `quotetrack compare` command as one process (Python start-up included,
`cli_startup_s` alone), and the lines of the table before the per-speaker sections at COLUMNS=100.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def cli(args: list[str], columns: int = 100) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"), COLUMNS=str(columns), NO_COLOR="1")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "quotetrack", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"quotetrack {' '.join(args)} exited {done.returncode}: {done.stderr[-500:]}")
    return round(elapsed, 3), done.stdout


def first_screen(table: str) -> list[str]:
    """The lines up to the first per-speaker section (the ranked shared propositions)."""
    lines = table.splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            return lines[:index]
    return lines


def synthesise(db: str, quotes_file: Path, target: int) -> dict:
    import corpus as corpora
    import synth

    from quotetrack.records import Quote
    from quotetrack.store import open_store
    from quotetrack.store.db import resolve_url, upgrade

    quotes = [Quote.from_dict(json.loads(line)) for line in quotes_file.read_text(encoding="utf-8").splitlines()]
    docs = {q.doc for q in quotes}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in corpora.polnear_dir().glob("*/text/*.txt") if p.stem in docs}
    upgrade(resolve_url(db))
    store = open_store(db)
    try:
        stats = synth.fill(store, texts, quotes, target)
    finally:
        store.close()
    seconds = round(stats.seconds, 1)
    return {"quotes": stats.quotes, "documents": stats.documents, "seconds": seconds, "per_speaker": stats.quotes_per_speaker}


def pool_speakers(db: str, quotes: int) -> list[str]:
    """The two most quoted speakers, each given the quotes of the next most quoted ones until it has
    `quotes` (the synthetic store's most quoted speaker has about 5,000 of a million)."""
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        counts = connection.execute(
            "SELECT speaker_id, count(*) FROM quotes WHERE speaker_id IS NOT NULL GROUP BY speaker_id ORDER BY count(*) DESC"
        ).fetchall()
        targets, donors = [list(counts[0]), list(counts[1])], iter(counts[2:])
        for target in targets:
            while target[1] < quotes:
                donor, n = next(donors)
                connection.execute("UPDATE quotes SET speaker_id = ? WHERE speaker_id = ?", (target[0], donor))
                target[1] += n
        connection.commit()
        return [str(t[0]) for t in targets]
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--speaker", action="append", default=[], help="Speakers to compare (default: see above).")
    parser.add_argument("--synth", type=int, help="First fill --db (a new SQLite file) with this many synthetic quotes.")
    parser.add_argument("--quotes", type=Path, help="With --synth: extracted quotes (JSONL) of PolNeAR articles.")
    parser.add_argument("--claims", type=int, default=10_000, help="With --synth: quotes per compared speaker.")
    parser.add_argument("--pool", type=int, help="Give the two most quoted speakers the quotes of the next ones until each has this many.")
    parser.add_argument("--rebuild", action="store_true", help="Recompute the propositions (always with --synth) and time it.")
    parser.add_argument("--out", type=Path, help="Write the figures here as JSON.")
    args = parser.parse_args(argv)

    from quotetrack.api import Store

    def progress(done: int, total: int) -> None:
        if done % 100_000 < 5000 or done == total:
            print(f"  grouped {done} of {total} quotes ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    report: dict = {"db": args.db}
    if args.synth:
        if not args.quotes:
            raise SystemExit("--synth needs --quotes")
        made = synthesise(args.db, args.quotes, args.synth)
        per_speaker: Counter = made.pop("per_speaker")
        report["synthetic"] = made
        print(f"synthesised {made['quotes']} quotes in {made['documents']} documents ({made['seconds']} s)", file=sys.stderr)
        if not args.speaker and not args.pool:
            ranked = sorted(per_speaker.items(), key=lambda kv: (abs(kv[1] - args.claims), kv[0]))
            args.speaker = [str(ranked[0][0]), str(ranked[1][0])]
    if args.pool:
        args.speaker = pool_speakers(args.db, args.pool)
    with Store.open(args.db) as store:
        started = time.perf_counter()
        summary = store.update_propositions(rebuild=bool(args.rebuild or args.synth), progress=progress)
        report["precompute_s"] = round(time.perf_counter() - started, 1)
        report["propositions"] = summary.to_dict()
        print(f"propositions: {summary.to_dict()} in {report['precompute_s']} s", file=sys.stderr)
        speakers = args.speaker or [str(s["id"]) for s in store.speakers()[:2]]
        samples = []
        for _ in range(6):
            started = time.perf_counter()
            comparison = store.compare(speakers)
            samples.append(time.perf_counter() - started)
        report["speakers"] = {name: comparison.counts[name]["claims"] for name in comparison.speakers}
        report["compare_first_s"] = round(samples[0], 3)
        report["compare_median_s"] = round(statistics.median(samples[1:]), 3)
    compare_args = ["compare", *(a for s in speakers for a in ("-s", s)), "--db", args.db]
    report["cli_startup_s"] = min(cli(["--help"])[0] for _ in range(3))
    report["cli_compare_s"], table = cli(compare_args)
    screen = first_screen(table)
    report["first_screen_lines"] = len(screen)
    report["widest_line"] = max(len(line) for line in table.splitlines())
    report["cli_compare_json_s"], _ = cli([*compare_args, "-f", "json"])
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
