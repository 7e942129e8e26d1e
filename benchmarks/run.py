"""quotetrack's performance benchmark: extraction cost against the bare spaCy parse, memory on a
small and a ten-times-larger corpus, and query latency on a database of a million quotes.

    .venv/bin/python benchmarks/run.py --out bench.json           # the full run (about 10 minutes)
    .venv/bin/python benchmarks/run.py --quick --out quick.json   # a smaller run (about 2 minutes)

Every figure is a ratio against a baseline measured in the same run with the same model and the
same texts: the bare `nlp.pipe` parse for extraction, the small corpus for memory. It is not part
of the test suite. PolNeAR texts are read from ../shared/polnear (or $QUOTETRACK_POLNEAR).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import corpus as corpora  # noqa: E402
import synth  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGETS = {
    "extract_no_store_vs_parse": (">=", 0.90),
    "extract_sqlite_vs_parse": (">=", 0.85),
    "n_process_2_vs_1": (">=", 1.6),
    "peak_rss_large_vs_small": ("<=", 1.2),
    "quotes_speaker_s": ("<", 0.3),
    "quotes_search_s": ("<", 0.3),
    "compare_s": ("<", 1.0),
    "compare_10k_s": ("<", 5.0),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- extraction throughput ----------------------------------------------------------------------


def run_cli(args: list[str]) -> int:
    """Run a quotetrack command in this process (the model, already loaded, is reused)."""
    from quotetrack.cli import app

    try:
        result = app(args, prog_name="quotetrack", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return int(result or 0)


def measure(label: str, words: int, work) -> dict:
    before = os.times()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    after = os.times()
    cpu = (after.user - before.user) + (after.system - before.system)
    children = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    result = {
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds, 1),
        "cpu_seconds": round(cpu + children, 3),
    }
    log(f"  {label:<22} {seconds:7.2f} s  {words / seconds:8.0f} words/s  (cpu {cpu + children:.1f} s)")
    return result


def _spin(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def parallel_capacity(n: int = 10_000_000) -> float:
    """How many cores this run really gets: the speed-up of two CPU-bound processes over one
    (2.0 on an idle 2-core machine; near 1.0 when other work holds a core)."""
    import multiprocessing

    one = _spin(n)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - started
    return round(2 * one / two, 2)


def throughput(nlp, articles, path: Path, work: Path, repeats: int, batch_size: int) -> tuple[dict, Path]:
    texts = [a.text for a in articles]
    words = sum(a.words for a in articles)
    quotes_out = work / "quotes.jsonl"
    common = ["-f", "jsonl", "-q", "--batch-size", str(batch_size)]

    def bare():
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass

    def bare_two():
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=2):
            pass

    def no_store():
        code = run_cli(["extract", str(path), "--no-store", "-o", str(quotes_out), *common])
        assert code == 0, f"extract --no-store exited {code}"

    stores = iter(range(1000))

    def sqlite():
        db = work / f"throughput-{next(stores)}.db"
        code = run_cli(["extract", str(path), "--db", str(db), "-o", os.devnull, *common])
        assert code == 0, f"extract --db exited {code}"

    def two_processes():
        code = run_cli(["extract", str(path), "--no-store", "-o", os.devnull, "--n-process", "2", *common])
        assert code == 0, f"extract --n-process 2 exited {code}"

    runs: dict[str, list[dict]] = {k: [] for k in ("parse", "extract_no_store", "extract_sqlite", "extract_n_process_2", "parse_n_process_2")}
    capacity: list[float] = []
    log(f"throughput: {len(articles)} articles, {words} words, best of {repeats}")
    for repeat in range(repeats):
        # Interleaved, so a slower moment of the machine hits every variant alike.
        runs["parse"].append(measure("nlp.pipe", words, bare))
        runs["extract_no_store"].append(measure("extract --no-store", words, no_store))
        runs["extract_sqlite"].append(measure("extract --db sqlite", words, sqlite))
        capacity.append(parallel_capacity())
        log(f"  two-process capacity of the machine now: {capacity[-1]:.2f}x")
        runs["extract_n_process_2"].append(measure("extract --n-process 2", words, two_processes))
        if repeat == 0:
            runs["parse_n_process_2"].append(measure("nlp.pipe n_process=2", words, bare_two))
    best = {k: max(v, key=lambda r: r["words_per_second"]) for k, v in runs.items() if v}
    result = {
        "articles": len(articles),
        "words": words,
        "batch_size": batch_size,
        "best": best,
        "runs": runs,
        "two_process_capacity": capacity,
        "ratios": {
            "extract_no_store_vs_parse": round(best["extract_no_store"]["words_per_second"] / best["parse"]["words_per_second"], 3),
            "extract_sqlite_vs_parse": round(best["extract_sqlite"]["words_per_second"] / best["parse"]["words_per_second"], 3),
            "n_process_2_vs_1": round(best["extract_n_process_2"]["words_per_second"] / best["extract_no_store"]["words_per_second"], 3),
            # The same by CPU time: what the ratios are when other work competes for the cores.
            "cpu_extract_no_store_vs_parse": round(best["parse"]["cpu_seconds"] / best["extract_no_store"]["cpu_seconds"], 3),
            "cpu_extract_sqlite_vs_parse": round(best["parse"]["cpu_seconds"] / best["extract_sqlite"]["cpu_seconds"], 3),
        },
    }
    return result, quotes_out


# --- memory -------------------------------------------------------------------------------------


# Starts the command and reports its peak RSS. A small launcher process does the fork: the peak
# RSS the kernel reports survives exec, so a child forked straight from this (large) process
# would report this process's size.
LAUNCHER = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def peak_rss(args: list[str]) -> tuple[int, float]:
    """(peak RSS in KiB, seconds) of `quotetrack ARGS` in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "quotetrack", *args],
        env=env, capture_output=True, text=True, check=True,
    )
    rss, code = map(int, done.stdout.split())
    if code != 0:
        raise SystemExit(f"quotetrack {' '.join(args)} exited {code}: {done.stderr[-500:]}")
    return rss, time.perf_counter() - started


def memory(articles, small: int, work: Path) -> dict:
    result = {}
    for label, count in (("small", small), ("large", small * 10)):
        chosen = corpora.repeated(articles, -(-count // len(articles)), distinct=True)[:count]
        path = corpora.write_jsonl(chosen, work / f"memory-{label}.jsonl")
        db = work / f"memory-{label}.db"
        rss, seconds = peak_rss(["extract", str(path), "--db", str(db), "-f", "jsonl", "-q"])
        words = sum(a.words for a in chosen)
        result[label] = {"documents": count, "words": words, "peak_rss_kib": rss, "seconds": round(seconds, 1)}
        log(f"  memory {label:<6} {count:5d} documents  peak RSS {rss / 1024:7.1f} MiB  ({seconds:.0f} s)")
    result["ratio"] = round(result["large"]["peak_rss_kib"] / result["small"]["peak_rss_kib"], 3)
    return result


# --- query latency ------------------------------------------------------------------------------


def median_time(work, times: int = 5) -> tuple[float, float, int]:
    """(first call, median of the next calls, rows of the last) in seconds."""
    first = None
    samples = []
    rows = 0
    for attempt in range(times + 1):
        started = time.perf_counter()
        rows = work()
        elapsed = time.perf_counter() - started
        if attempt == 0:
            first = elapsed
        else:
            samples.append(elapsed)
    return round(first, 4), round(statistics.median(samples), 4), rows


def cli_time(args: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "quotetrack", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"quotetrack {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return round(elapsed, 3)


def cli_startup() -> float:
    """Seconds for `quotetrack --help`: the interpreter and import cost every CLI figure includes."""
    return min(cli_time(["--help"]) for _ in range(3))


def pick(counter, target: int, avoid=()) -> tuple:
    """The key whose count is closest to `target`."""
    return min(((k, v) for k, v in counter.items() if k not in avoid), key=lambda kv: (abs(kv[1] - target), str(kv[0])))


def queries(url: str, articles, quotes, target: int, scale: float) -> dict:
    from quotetrack.api import Store
    from quotetrack.store import open_store
    from quotetrack.store.db import resolve_url, upgrade
    from quotetrack.store.queries import find_quotes

    upgrade(resolve_url(url))
    store = open_store(url)
    try:
        stats = synth.fill(store, {a.id: a.text for a in articles}, quotes, target)
        log(f"  {store.backend}: {stats.quotes} quotes in {stats.documents} documents, {stats.speakers} speakers, loaded in {stats.seconds:.0f} s")
        typical = max(20, int(200 * scale))
        (first_id, first_n) = pick(stats.quotes_per_speaker, typical)
        (second_id, second_n) = pick(stats.quotes_per_speaker, typical, avoid={first_id})
        top_id, top_n = stats.quotes_per_speaker.most_common(1)[0]
        name = {i: stats.names[i - 1] for i in (first_id, second_id, top_id)}
        (big_a, big_a_n) = pick(stats.quotes_per_speaker, int(10_000 * scale))
        (big_b, big_b_n) = pick(stats.quotes_per_speaker, int(10_000 * scale), avoid={big_a})
        name.update({big_a: stats.names[big_a - 1], big_b: stats.names[big_b - 1]})
        word, word_n = pick(stats.word_quotes, max(50, int(500 * scale)))
        common_word, common_n = stats.word_quotes.most_common(1)[0]

        def speaker_query(who, limit=None):
            with store.read() as session:
                return len(find_quotes(session, speaker=who, limit=limit))

        def search_query(words, limit=None):
            with store.read() as session:
                return len(find_quotes(session, search=words, limit=limit))

        # Propositions are computed once per store (and grown as quotes arrive), not per compare.
        started = time.perf_counter()
        precompute = Store(store).update_propositions(rebuild=True)
        precompute_s = round(time.perf_counter() - started, 1)
        log(f"    propositions precomputed in {precompute_s} s: {precompute.propositions} propositions, {precompute.waiting} waiting")

        def compare(a, b):
            comparison = Store(store).compare([a, b])
            json.dumps(comparison.to_dict())
            return sum(c["quotes"] for c in comparison.counts.values())

        a_ref, b_ref = str(first_id), str(second_id)  # ids: a recombined name may also fit another speaker
        cases = {
            "quotes_speaker": (lambda: speaker_query(name[first_id]), ["quotes", "--speaker", name[first_id]], f"{name[first_id]} ({first_n} quotes)"),
            "quotes_speaker_top_limit_100": (lambda: speaker_query(name[top_id], 100), ["quotes", "--speaker", name[top_id], "--limit", "100"], f"{name[top_id]} ({top_n} quotes), --limit 100"),
            "quotes_search": (lambda: search_query(word), ["quotes", "--search", word], f"{word!r} (in {word_n} quotes)"),
            "quotes_search_common_limit_100": (lambda: search_query(common_word, 100), ["quotes", "--search", common_word, "--limit", "100"], f"{common_word!r} (in {common_n} quotes), --limit 100"),
            "compare": (lambda: compare(a_ref, b_ref), ["compare", "--speaker", a_ref, "--speaker", b_ref, "-f", "json"], f"{name[first_id]} ({first_n}) vs {name[second_id]} ({second_n})"),
            "compare_10k": (
                lambda: compare(str(big_a), str(big_b)), ["compare", "--speaker", str(big_a), "--speaker", str(big_b)],
                f"{name[big_a]} ({big_a_n}) vs {name[big_b]} ({big_b_n}), table",
            ),
        }
        result = {
            "quotes": stats.quotes, "documents": stats.documents, "speakers": stats.speakers, "load_seconds": round(stats.seconds, 1),
            "propositions_precompute_s": precompute_s, "propositions": precompute.propositions,
        }
        for key, (work, args, what) in cases.items():
            first, median, rows = median_time(work)
            cli = cli_time([*args, "--db", url, *(["-f", "jsonl"] if args[0] == "quotes" else [])])
            result[key] = {"query": what, "rows": rows, "first_s": first, "median_s": median, "cli_s": cli}
            log(f"    {key:<32} {median * 1000:8.1f} ms (first {first * 1000:.0f} ms, CLI {cli:.2f} s)  {rows} rows  {what}")
        return result
    finally:
        store.close()


def postgres_schema(base: str):
    """A fresh schema on the PostgreSQL server, dropped afterwards: (url, drop)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    params = dict(host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, autocommit=True)
    if url.password:
        params["password"] = url.password
    schema = f"qt_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**params) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')

    def drop():
        with psycopg.connect(**params) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}", drop


# --- report -------------------------------------------------------------------------------------


def verdicts(report: dict) -> dict:
    figures = dict(report["throughput"]["ratios"])
    figures["peak_rss_large_vs_small"] = report["memory"]["ratio"]
    out = {}
    for backend, result in report.get("queries", {}).items():
        if "error" in result:
            continue
        figures[f"quotes_speaker_s[{backend}]"] = result["quotes_speaker"]["median_s"]
        figures[f"quotes_search_s[{backend}]"] = result["quotes_search"]["median_s"]
        figures[f"compare_s[{backend}]"] = result["compare"]["median_s"]
        figures[f"compare_10k_s[{backend}]"] = result["compare_10k"]["median_s"]
    for key, value in figures.items():
        base = key.split("[")[0]
        if base not in TARGETS:
            continue
        op, limit = TARGETS[base]
        met = value >= limit if op == ">=" else value <= limit if op == "<=" else value < limit
        out[key] = {"value": value, "target": f"{op} {limit}", "met": met}
    return out


def environment() -> dict:
    import spacy

    from quotetrack.extraction.nlp import load_nlp

    nlp = load_nlp()
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "spacy": spacy.__version__,
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "pipeline": nlp.pipe_names,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench.json"), help="Where to write the JSON results.")
    parser.add_argument("--quick", action="store_true", help="Smaller corpora and a 100,000-quote database.")
    parser.add_argument("--articles", type=int, help="Articles in the throughput corpus.")
    parser.add_argument("--quotes", type=int, help="Quotes in the synthetic database.")
    parser.add_argument("--repeats", type=int, help="Interleaved repeats of each throughput run (best kept).")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--pg", default=os.environ.get("QUOTETRACK_BENCH_PG", PG_URL), help="PostgreSQL URL ('' to skip).")
    parser.add_argument("--skip", action="append", default=[], choices=["sqlite", "postgresql"], help="Leave out a backend's query latency.")
    args = parser.parse_args(argv)
    articles_n = args.articles or (30 if args.quick else 120)
    target_quotes = args.quotes or (100_000 if args.quick else 1_000_000)
    repeats = args.repeats or (1 if args.quick else 2)
    small = 10 if args.quick else 30

    root = corpora.polnear_dir()
    if not (root / "metadata.tsv").exists():
        raise SystemExit(f"PolNeAR not found at {root}; set QUOTETRACK_POLNEAR")
    from quotetrack.extraction.nlp import load_nlp

    report: dict = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "environment": environment()}
    nlp = load_nlp()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quotetrack-bench-") as tmp:
        work = Path(tmp)
        articles = corpora.load_articles(root, articles_n)
        path = corpora.write_jsonl(articles, work / "corpus.jsonl")
        list(nlp.pipe([a.text for a in articles[:4]]))  # warm up
        report["throughput"], quotes_file = throughput(nlp, articles, path, work, repeats, args.batch_size)
        log("memory (fresh processes, storing into SQLite):")
        report["memory"] = memory(articles, small, work)
        from quotetrack.records import Quote

        quotes = [Quote.from_dict(json.loads(line)) for line in quotes_file.read_text(encoding="utf-8").splitlines()]
        report["extracted_quotes"] = len(quotes)
        scale = target_quotes / 1_000_000
        report["cli_startup_s"] = cli_startup()
        report["queries"] = {}
        log(f"queries on {target_quotes} synthetic quotes (from {len(quotes)} extracted):")
        if "sqlite" not in args.skip:
            report["queries"]["sqlite"] = queries(str(work / "million.db"), articles, quotes, target_quotes, scale)
        if "postgresql" not in args.skip and args.pg:
            try:
                url, drop = postgres_schema(args.pg)
            except Exception as exc:  # no server: say so in the report and go on
                report["queries"]["postgresql"] = {"error": f"unreachable: {exc}"}
                log(f"  PostgreSQL skipped: {exc}")
            else:
                try:
                    report["queries"]["postgresql"] = queries(url, articles, quotes, target_quotes, scale)
                finally:
                    drop()
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["environment"]["load_average_at_end"] = os.getloadavg()
    report["targets"] = verdicts(report)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'figure':<40} {'value':>10}  target    met")
    for key, verdict in report["targets"].items():
        print(f"{key:<40} {verdict['value']:>10}  {verdict['target']:<8}  {'yes' if verdict['met'] else 'NO'}")
    print(f"\nwritten to {args.out} in {report['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
