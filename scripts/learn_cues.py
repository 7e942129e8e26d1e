"""Learn which verb lemmas act as attribution cues, and with which kind of complement, from PolNeAR train.

For every verb with a subject in the training texts and every complement it takes (a clause, a
to-infinitive, a direct object, a prepositional object), the complement's subtree is a candidate
content. It counts as a cue use when an annotated attribution has its cue on that verb and its
content overlaps the candidate by a character Jaccard of at least 0.5. The output lists, per
(lemma, complement), how often it was a cue and how often it was seen:

    python scripts/learn_cues.py ../shared/polnear/train src/quotetrack/data/cues.tsv

Only the counts are kept, never the texts.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from quotetrack.evaluation.scoring import load_gold
from quotetrack.extraction.nlp import load_nlp
from quotetrack.extraction.quotemarks import find_quotations

COMPLEMENTS = {"ccomp": "clause", "xcomp": "infinitive", "dobj": "object"}


def complement_kind(child) -> str | None:
    if child.dep_ in COMPLEMENTS:
        return COMPLEMENTS[child.dep_]
    if child.dep_ == "prep" and any(c.dep_ in ("pobj", "pcomp") for c in child.children):
        return f"prep:{child.lower_}"
    return None


def chars(spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def main(gold_dir: str, out_path: str) -> None:
    corpus = load_gold(gold_dir)
    nlp = load_nlp()
    seen: Counter = Counter()
    positive: Counter = Counter()
    texts = ((doc.text, doc) for doc in corpus.documents)
    for parsed, gold in nlp.pipe(texts, as_tuples=True, batch_size=16):
        cues = []
        for attribution in gold.attributions:
            cue = chars(attribution.cue_spans)
            if cue:
                cues.append((cue, chars(attribution.content_spans)))
        # A verb inside a quotation is the quoted speaker's own words; extraction skips those too.
        quoted = [(p.start, p.end) for q in find_quotations(gold.text) for p in q.pieces]
        for verb in parsed:
            if verb.pos_ != "VERB" or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
                continue
            if any(s < verb.idx < e for s, e in quoted):
                continue
            verb_chars = set(range(verb.idx, verb.idx + len(verb.text)))
            for child in verb.children:
                kind = complement_kind(child)
                if kind is None:
                    continue
                key = (verb.lemma_.lower(), kind)
                seen[key] += 1
                candidate = set(range(child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)))
                for cue, content in cues:
                    if cue & verb_chars and content:
                        jaccard = len(candidate & content) / len(candidate | content)
                        if jaccard >= 0.5:
                            positive[key] += 1
                            break
    with open(out_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["lemma", "complement", "precision", "cue_uses", "seen"])
        for key, count in sorted(seen.items()):
            if positive[key] >= 2:
                writer.writerow([key[0], key[1], f"{positive[key] / count:.3f}", positive[key], count])
    print(f"{len([k for k in seen if positive[k] >= 2])} (lemma, complement) pairs written to {Path(out_path)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
