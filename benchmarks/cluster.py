"""Extraction on a Dask cluster against extraction on this machine alone, in one run:

    .venv/bin/python benchmarks/cluster.py --out cluster.json

On the throughput corpus of benchmarks/run.py (120 PolNeAR articles, read from ../shared/polnear
or $QUOTETRACK_POLNEAR, written as one JSONL file) it measures words/s of `quotetrack extract
--no-store` with one process, with `--n-process 2`, and with `--cluster ADDRESS` on a LocalCluster
of 2 worker processes (one thread each) started beforehand, as a running cluster would be. The
three are interleaved and the best of `--repeats` kept, so a slower moment of the machine hits
them alike; the figures are their ratios. The cluster's start-up and its first run (each worker
loading the model) are reported apart. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(SRC))

import corpus as corpora  # noqa: E402
from run import environment, log, measure, parallel_capacity, run_cli  # noqa: E402

TARGETS = {"cluster_vs_one_process": 1.7, "cluster_vs_n_process_2": 0.9}


def workers_cpu(client) -> float:
    """CPU seconds the cluster's worker processes have used so far."""

    def used() -> float:
        times = os.times()
        return times.user + times.system

    return sum(client.run(used).values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("cluster.json"), help="Where to write the JSON results.")
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    root = corpora.polnear_dir()
    if not (root / "metadata.tsv").exists():
        raise SystemExit(f"PolNeAR not found at {root}; set QUOTETRACK_POLNEAR")
    # The worker processes import this checkout's quotetrack.
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)
    from distributed import Client, LocalCluster

    from quotetrack.extraction.nlp import load_nlp

    report: dict = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "environment": environment()}
    nlp = load_nlp()
    with tempfile.TemporaryDirectory(prefix="quotetrack-cluster-bench-") as tmp:
        work = Path(tmp)
        articles = corpora.load_articles(root, args.articles)
        path = corpora.write_jsonl(articles, work / "corpus.jsonl")
        words = sum(a.words for a in articles)
        list(nlp.pipe([a.text for a in articles[:4]]))  # warm up
        common = ["--no-store", "-f", "jsonl", "-q", "--batch-size", str(args.batch_size)]
        outputs = {name: work / f"{name}.jsonl" for name in ("one_process", "n_process_2", "cluster")}

        started = time.perf_counter()
        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        )
        client = Client(cluster)
        report["cluster_start_s"] = round(time.perf_counter() - started, 2)
        address = cluster.scheduler_address
        log(f"LocalCluster of {args.workers} worker processes at {address} started in {report['cluster_start_s']} s")

        worker_cpu: dict[str, list[float]] = {"cluster": []}

        def extract(name: str, *extra: str):
            def work_() -> None:
                before = workers_cpu(client) if name == "cluster" else 0.0
                code = run_cli(["extract", str(path), *common, "-o", str(outputs[name]), *extra])
                assert code == 0, f"extract {' '.join(extra)} exited {code}"
                if name == "cluster":
                    worker_cpu["cluster"].append(round(workers_cpu(client) - before, 3))

            return work_

        variants = {
            "one_process": extract("one_process", "--n-process", "1"),
            "n_process_2": extract("n_process_2", "--n-process", "2"),
            "cluster": extract("cluster", "--cluster", address),
        }
        try:
            log(f"{len(articles)} articles, {words} words, best of {args.repeats}")
            report["cluster_first_run"] = measure("cluster, first run", words, variants["cluster"])  # workers load the model
            runs: dict[str, list[dict]] = {name: [] for name in variants}
            capacity = []
            for _ in range(args.repeats):
                capacity.append(parallel_capacity())
                log(f"  two-process capacity of the machine now: {capacity[-1]:.2f}x")
                for name, work_ in variants.items():
                    runs[name].append(measure(name, words, work_))
                    if name == "cluster":  # the workers' CPU time: they are not this process's children
                        runs[name][-1]["cpu_seconds"] += worker_cpu["cluster"][-1]
                        log(f"  {'':<22} (cpu of the workers {worker_cpu['cluster'][-1]:.1f} s)")
        finally:
            client.close()
            cluster.close()
        same = outputs["cluster"].read_bytes() == outputs["one_process"].read_bytes()
        assert same, "the cluster's records differ from the one-process run's"

    best = {name: max(results, key=lambda r: r["words_per_second"]) for name, results in runs.items()}
    ratios = {
        "cluster_vs_one_process": round(best["cluster"]["words_per_second"] / best["one_process"]["words_per_second"], 3),
        "cluster_vs_n_process_2": round(best["cluster"]["words_per_second"] / best["n_process_2"]["words_per_second"], 3),
        "n_process_2_vs_one_process": round(best["n_process_2"]["words_per_second"] / best["one_process"]["words_per_second"], 3),
        # Words per CPU second against one process: what the machine's other load cannot move.
        "cpu_efficiency_cluster": round(best["one_process"]["cpu_seconds"] / best["cluster"]["cpu_seconds"], 3),
        "cpu_efficiency_n_process_2": round(best["one_process"]["cpu_seconds"] / best["n_process_2"]["cpu_seconds"], 3),
    }
    # The same ratios within each repeat: variants measured minutes apart may meet other load.
    per_repeat = [
        {
            "cluster_vs_one_process": round(c["words_per_second"] / o["words_per_second"], 3),
            "cluster_vs_n_process_2": round(c["words_per_second"] / n["words_per_second"], 3),
        }
        for o, n, c in zip(runs["one_process"], runs["n_process_2"], runs["cluster"])
    ]
    report.update(
        ratios_per_repeat=per_repeat,
        articles=len(articles), words=words, workers=args.workers, batch_size=args.batch_size, best=best, runs=runs,
        two_process_capacity=capacity, ratios=ratios, same_records=same,
        targets={k: {"value": ratios[k], "target": f">= {v}", "met": ratios[k] >= v} for k, v in TARGETS.items()},
    )
    report["environment"]["load_average_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'variant':<14} {'words/s':>9}")
    for name, result in best.items():
        print(f"{name:<14} {result['words_per_second']:>9.0f}")
    print(f"\n{'figure':<28} {'value':>7}  target   met")
    for key, verdict in report["targets"].items():
        print(f"{key:<28} {verdict['value']:>7}  {verdict['target']:<7}  {'yes' if verdict['met'] else 'NO'}")
    for key in ("n_process_2_vs_one_process", "cpu_efficiency_cluster", "cpu_efficiency_n_process_2"):
        print(f"{key:<28} {ratios[key]:>7}")
    print(f"two-process capacity of the machine during the run: {capacity}")
    print(f"ratios per repeat: {per_repeat}")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
