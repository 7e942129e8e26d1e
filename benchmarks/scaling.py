"""Does extraction stay linear on any input? Time per KB and peak memory, from 50 KB to 2 MB.

    .venv/bin/python benchmarks/scaling.py --out scaling.json            # about 10 minutes on 2 cores
    .venv/bin/python benchmarks/scaling.py --quick                       # 50, 100, 200 KB only

Two kinds of text, each a single line (no paragraph breaks, so nothing cuts it up for free):

- `news`: generated news-like words ("john smith said minister the government would …"), with a
  full stop now and then: long sentences full of cue verbs, names and clauses;
- `marks`: the same words with an unbalanced quotation mark (" “ ” « ») on about every third word:
  thousands of quotations that never close (200 KB holds about 10,000 marks);
- `chain`: `Officials said "the plan0 Officials said "the plan1 …`: an unbalanced mark every four
  words, which the parser chains into one clause inside the next, with a new name in each.

For each kind and size, one fresh process parses the text with the bare spaCy pipeline (`nlp.pipe`
over the same 100,000-character pieces extraction parses, the baseline) and another runs what
`quotetrack extract FILE --no-store` runs (reading, parsing, extraction, the records written to
/dev/null); the model is loaded before the clock starts. Reported: CPU seconds per KB for both
(CPU time, which other processes on a shared machine do not inflate; wall time is in the JSON),
their ratio (extraction ÷ bare parse), and the peak RSS of the extraction process. The target: time per
KB flat within 1.5x across sizes (max ÷ min of extraction s/KB per kind), memory bounded.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SIZES_KB = (50, 100, 200, 500, 1000, 2000)
QUICK_KB = (50, 100, 200)
KINDS = ("news", "marks", "chain")
WORDS = (
    "john smith said minister the government would raise taxes next year according to officials who "
    "spoke on condition of anonymity, mary jones told reporters that the plan was sound. president "
    "obama added that security talks would continue"
).split()
MARKS = ('"', "“", "”", "«", "»")


def generate(kind: str, size: int, seed: int = 7) -> str:
    """One line of `size` characters of news-like words (with unbalanced quotation marks for `marks`)."""
    if kind == "chain":
        line, number = [], 0
        while sum(len(part) + 1 for part in line) < size:
            line.append(f'Officials said "the plan{number}')
            number += 1
        return " ".join(line)[:size].rstrip() + "\n"
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        if kind == "marks" and rng.random() < 0.3:
            mark = rng.choice(MARKS)
            word = mark + word if rng.random() < 0.5 else word + mark
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:size].rstrip() + "\n"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(mode: str, path: str) -> dict:
    sys.path.insert(0, str(SRC))
    from quotetrack.extraction.nlp import load_nlp
    from quotetrack.extraction.pipeline import split_text

    nlp = load_nlp()
    nlp("Warm up the model.")
    text = Path(path).read_text(encoding="utf-8")
    start, cpu = time.perf_counter(), cpu_seconds()
    quotes = 0
    if mode == "parse":
        pieces = [text[s:e] for s, e in split_text(text)]
        disable = [name for name in ("quotetrack",) if name in nlp.pipe_names]
        for _ in nlp.pipe(pieces, batch_size=1, disable=disable):
            pass
    else:
        from quotetrack.api import Ingestion
        from quotetrack.render.formats import write_records

        run = Ingestion([path], nlp=nlp)
        with open(os.devnull, "w", encoding="utf-8") as sink:
            quotes = write_records((q.to_dict() for q in run.quotes()), "jsonl", sink)
        run.close()
        if run.result.failed:
            raise SystemExit(f"extraction failed: {run.result.failed[0].why}")
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds() - cpu,
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "quotes": quotes,
    }


def measure(mode: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the figures to this JSON file")
    parser.add_argument("--quick", action="store_true", help="50, 100 and 200 KB only")
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--sizes", nargs="*", type=int, help="sizes in KB")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    sizes = args.sizes or (QUICK_KB if args.quick else SIZES_KB)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds:
            for kb in sizes:
                path = Path(folder) / f"{kind}-{kb}kb.txt"
                path.write_text(generate(kind, kb * 1000), encoding="utf-8")
                parse = measure("parse", path)
                extract = measure("extract", path)
                row = {
                    "kind": kind,
                    "kb": kb,
                    "marks": sum(path.read_text(encoding="utf-8").count(m) for m in MARKS),
                    "parse_s_per_kb": parse["cpu_seconds"] / kb,
                    "extract_s_per_kb": extract["cpu_seconds"] / kb,
                    "ratio": extract["cpu_seconds"] / parse["cpu_seconds"],
                    "parse_wall_s": parse["seconds"],
                    "extract_wall_s": extract["seconds"],
                    "parse_peak_rss_mib": parse["peak_rss_mib"],
                    "extract_peak_rss_mib": extract["peak_rss_mib"],
                    "quotes": extract["quotes"],
                }
                rows.append(row)
                print(
                    f"{kind:6} {kb:5} KB  parse {1000 * row['parse_s_per_kb']:6.1f} ms/KB  "
                    f"extract {1000 * row['extract_s_per_kb']:6.1f} ms/KB  ratio {row['ratio']:5.2f}  "
                    f"peak RSS {row['extract_peak_rss_mib']:6.0f} MiB  ({row['quotes']} quotes)",
                    file=sys.stderr,
                    flush=True,
                )
    summary = {}
    for kind in args.kinds:
        per_kb = [r["extract_s_per_kb"] for r in rows if r["kind"] == kind]
        rss = [r["extract_peak_rss_mib"] for r in rows if r["kind"] == kind]
        summary[kind] = {
            "extract_s_per_kb_max_over_min": max(per_kb) / min(per_kb),
            "peak_rss_mib_max": max(rss),
            "peak_rss_max_over_min": max(rss) / min(rss),
        }
        print(
            f"{kind}: extraction s/KB max ÷ min {summary[kind]['extract_s_per_kb_max_over_min']:.2f} "
            f"(target ≤ 1.5), peak RSS {min(rss):.0f}–{max(rss):.0f} MiB",
            file=sys.stderr,
        )
    result = {"rows": rows, "summary": summary, "target": {"extract_s_per_kb_max_over_min": 1.5}}
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
