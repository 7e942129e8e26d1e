"""Agreement of two annotators' speaker referents (gold/speakers/GUIDELINES.md, "Double annotation").

    python scripts/gold_agreement.py gold/speakers/dev.tsv gold/speakers/dev.second.tsv

Compares the attributions both files hold: the share with the same kind and referent (case,
punctuation and spacing folded), Cohen's kappa on kind, and the referent agreement where both
gave a name.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter


def read(path: str) -> dict[tuple[str, str], tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {(r["doc"], r["id"]): (r["kind"], r["referent"]) for r in csv.DictReader(handle, delimiter="\t")}


def folded(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s;]", " ", name.lower()).split())


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return (observed - expected) / (1 - expected)


def main(first_path: str, second_path: str) -> None:
    first, second = read(first_path), read(second_path)
    keys = sorted(first.keys() & second.keys())
    same = sum(first[k][0] == second[k][0] and folded(first[k][1]) == folded(second[k][1]) for k in keys)
    named = [k for k in keys if first[k][0] in ("person", "org", "multiple") and second[k][0] in ("person", "org", "multiple")]
    same_name = sum(folded(first[k][1]) == folded(second[k][1]) for k in named)
    print(f"attributions in both: {len(keys)} ({len({d for d, _ in keys})} articles)")
    print(f"same kind and referent: {same} = {same / len(keys):.1%}")
    print(f"Cohen's kappa on kind: {kappa([(first[k][0], second[k][0]) for k in keys]):.3f}")
    print(f"same name where both named: {same_name}/{len(named)} = {same_name / len(named):.1%}")
    confusions = Counter((first[k][0], second[k][0]) for k in keys if first[k][0] != second[k][0])
    print("kind disagreements:", ", ".join(f"{a}->{b} {n}" for (a, b), n in confusions.most_common()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
