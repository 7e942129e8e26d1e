"""Score proposition grouping and stance against gold/propositions, per split.

    python scripts/propositions_eval.py [--polnear ../shared/polnear/dev] [--jsonl claims.jsonl] [--sweep]
        [--threshold 0.95] [--mix content+context|content|context] [--split tune] [--json]

The claims JSONL (`{id, speaker, text, context, cue}` a line, what `quotetrack propositions --input`
reads) is built from gold/propositions/claims.tsv with the text read where it lies: PolNeAR dev
attributions by brat id (content, cue, and the article text around the cue, as the store keeps a
window around every quote), seed claims by offsets into fixtures/. It is written only where
--jsonl says (never into the project: PolNeAR text stays in PolNeAR). Grouping runs over each
split on its own, as `quotetrack propositions --input` would.

Pairwise scores: every pair of claims of a split is a positive when gold puts both in one
proposition (distractors are singletons), predicted positive when both got the same proposition.
Cross-article recall is the recall over the gold pairs whose claims come from different articles;
"multi-article" is the share of the propositions found whose claims come from two articles or
more (gold's own share beside it). Stance accuracy is over the claims that gold puts in a
proposition, beside the all-"supports" baseline. `--mix content` groups by the claim alone,
`--mix context` by the article text around it alone (both for comparison; stance is scored for
the default mix only). `--sweep` prints the scores of other distance thresholds on the tune split
only (how DISTANCE_THRESHOLD was chosen); `--split` scores one split (tuning never looks at
heldout).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from quotetrack.analysis.propositions import DISTANCE_THRESHOLD, ClaimText, Grouped, group_claims  # noqa: E402
from quotetrack.analysis.storage import WINDOW  # noqa: E402
from quotetrack.evaluation.scoring import load_gold  # noqa: E402

GOLD = ROOT / "gold" / "propositions"
SPLITS = ("tune", "heldout")
MIXES = ("content+context", "content", "context")


def window(text: str, at: int) -> str:
    """The text the store keeps around a quote whose cue (or content) starts at `at`."""
    start = max(0, at - WINDOW)
    return text[start : start + 2 * WINDOW + 200]


def gold_rows() -> list[dict[str, str]]:
    with open(GOLD / "claims.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def claim_records(polnear: Path, rows: Sequence[dict[str, str]]) -> list[dict]:
    """The claims JSONL records, with text read from the corpus."""
    corpus = load_gold(polnear)
    documents = {d.id: d for d in corpus.documents}
    records = []
    for row in rows:
        if row["corpus"] == "seed":
            (path,) = (ROOT / "fixtures").glob(f"{row['doc']}.txt")
            text = path.read_text(encoding="utf-8")
            start, end = map(int, row["ref"].split("-"))
            content, cue, at = text[start:end], None, start
        else:
            document = documents[row["doc"]]
            (gold,) = [a for a in document.attributions if a.id == row["ref"]]
            text, content, cue = document.text, gold.content, gold.cue
            at = gold.cue_spans[0][0] if gold.cue_spans else min(s for s, _ in gold.content_spans)
        records.append({"id": row["claim"], "speaker": row["speaker"], "text": content, "context": window(text, at), "cue": cue})
    return records


def pairwise(predicted: Sequence[object], gold: Sequence[str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of same-proposition pairs ("none" and None are singletons)."""
    tp = fp = fn = 0
    for i in range(len(gold)):
        for j in range(i + 1, len(gold)):
            same_gold = gold[i] != "none" and gold[i] == gold[j]
            same_predicted = predicted[i] is not None and predicted[i] == predicted[j]
            tp += same_gold and same_predicted
            fp += same_predicted and not same_gold
            fn += same_gold and not same_predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "gold_pairs": tp + fn}


def claim_of(record: dict, mix: str) -> ClaimText:
    if mix == "context":  # the article window stands in for the claim
        return ClaimText(record["id"], record["speaker"], record["context"], None, None)
    context = record["context"] if mix == "content+context" else None
    return ClaimText(record["id"], record["speaker"], record["text"], context, record["cue"])


def multi_article(labels: Sequence[object], docs: Sequence[str]) -> tuple[int, int]:
    """(groups whose claims come from two articles or more, groups), None and "none" left out."""
    articles: dict[object, set[str]] = {}
    for label, doc in zip(labels, docs):
        if label is not None and label != "none":
            articles.setdefault(label, set()).add(doc)
    return sum(len(found) > 1 for found in articles.values()), len(articles)


def cross_article_recall(predicted: Sequence[object], gold: Sequence[str], docs: Sequence[str]) -> float:
    pairs = found = 0
    for i in range(len(gold)):
        for j in range(i + 1, len(gold)):
            if gold[i] != "none" and gold[i] == gold[j] and docs[i] != docs[j]:
                pairs += 1
                found += predicted[i] is not None and predicted[i] == predicted[j]
    return round(found / pairs, 3) if pairs else 0.0


def evaluate(records: Sequence[dict], rows: Sequence[dict[str, str]], split: str, *, threshold: float, mix: str) -> dict:
    chosen = [(record, row) for record, row in zip(records, rows) if row["split"] == split]
    claims = [claim_of(r, mix) for r, _ in chosen]
    grouped: list[Grouped] = group_claims(claims, threshold=threshold)
    gold = [row["proposition"] for _, row in chosen]
    docs = [row["doc"] for _, row in chosen]
    predicted = [g.proposition for g in grouped]
    scores = pairwise(predicted, gold)
    stance_rows = [(g.stance, row["stance"]) for g, (_, row) in zip(grouped, chosen) if row["proposition"] != "none"]
    correct = sum(p == s for p, s in stance_rows)
    majority = sum(s == "supports" for _, s in stance_rows)
    multi, found = multi_article(predicted, docs)
    gold_multi, gold_found = multi_article(gold, docs)
    return {
        "claims": len(claims),
        "propositions_found": found,
        "pairwise": scores,
        "cross_article_recall": cross_article_recall(predicted, gold, docs),
        "multi_article": f"{multi}/{found}",
        "gold_multi_article": f"{gold_multi}/{gold_found}",
        "stance_accuracy": round(correct / len(stance_rows), 3) if stance_rows and mix == MIXES[0] else None,
        "stance_all_supports_baseline": round(majority / len(stance_rows), 3) if stance_rows else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "dev")
    parser.add_argument("--jsonl", type=Path, help="Also write the claims JSONL here (outside the project).")
    parser.add_argument("--threshold", type=float, default=DISTANCE_THRESHOLD)
    parser.add_argument("--mix", choices=MIXES, default=MIXES[0], help="What a claim is grouped by.")
    parser.add_argument("--sweep", action="store_true", help="Scores of other thresholds on the tune split.")
    parser.add_argument("--split", choices=SPLITS, action="append", help="Score only this split (repeatable).")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args(argv)
    rows = gold_rows()
    records = claim_records(args.polnear, rows)
    if args.jsonl:
        with open(args.jsonl, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.sweep:
        for step in range(60, 100):
            threshold = step / 100
            result = evaluate(records, rows, "tune", threshold=threshold, mix=args.mix)
            print(
                f"tune threshold {threshold:.2f}: pairwise {result['pairwise']}  cross-article recall "
                f"{result['cross_article_recall']}  multi-article {result['multi_article']}  stance {result['stance_accuracy']}"
            )
        return 0
    results = {split: evaluate(records, rows, split, threshold=args.threshold, mix=args.mix) for split in args.split or SPLITS}
    if args.json:
        print(json.dumps({"threshold": args.threshold, "mix": args.mix, "splits": results}, indent=2))
        return 0
    print(f"distance threshold {args.threshold}, grouped by {args.mix}")
    print(
        f"{'split':<8} {'claims':>6} {'found':>5} {'P':>6} {'R':>6} {'F1':>6} {'x-art R':>7} {'multi':>6} {'(gold)':>6} "
        f"{'stance':>7} {'all-supports':>13}"
    )
    for split, result in results.items():
        p = result["pairwise"]
        stance = result["stance_accuracy"] if result["stance_accuracy"] is not None else "-"
        print(
            f"{split:<8} {result['claims']:>6} {result['propositions_found']:>5} {p['precision']:>6} {p['recall']:>6} "
            f"{p['f1']:>6} {result['cross_article_recall']:>7} {result['multi_article']:>6} {result['gold_multi_article']:>6} "
            f"{stance:>7} {result['stance_all_supports_baseline']:>13}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
