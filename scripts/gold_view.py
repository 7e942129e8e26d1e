"""Print a PolNeAR article with its gold attributions, for annotating speaker referents by hand.

    python scripts/gold_view.py ../shared/polnear/dev breitbart_2016-09-12_stealth-over-health-hillary-clin [--full]

The article's paragraphs are numbered; each attribution is listed with the paragraph and words of
its source, cue and the start of its content (`--full`: all of it). Nothing of quotetrack's extraction is shown.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quotetrack.evaluation.scoring import load_gold


def paragraph_of(starts: list[int], offset: int) -> int:
    number = 0
    for i, start in enumerate(starts):
        if start <= offset:
            number = i
    return number + 1


def main(gold_dir: str, stem: str, full: bool = False) -> None:
    corpus = load_gold(Path(gold_dir))
    document = next(d for d in corpus.documents if d.id == stem)
    text = document.text
    starts, offset = [], 0
    for line in text.split("\n"):
        starts.append(offset)
        offset += len(line) + 1
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            print(f"[P{number}] {line}")
    print("\n# attributions: id | paragraph | source [start-end] | cue | content (start)")
    for gold in sorted(document.attributions, key=lambda g: g.content_spans[0]):
        where = gold.source_spans[0][0] if gold.source_spans else gold.content_spans[0][0]
        source = f"{gold.source!r} {list(gold.source_spans[0])}" if gold.source_spans else "(no source)"
        print(f"{gold.id} | P{paragraph_of(starts, where)} | {source} | {gold.cue!r} | {gold.content if full else gold.content[:90]!r}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], full="--full" in sys.argv[3:])
