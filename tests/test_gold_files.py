"""The referent gold under gold/speakers/ covers every attribution of its articles, once, with a valid
kind, and its sets do not overlap: a held-out set that shared an article with a tuning set would
not be held out."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrack.evaluation.scoring import parse_brat, read_text
from quotetrack.evaluation.speakers import load_referents

GOLD = Path(__file__).resolve().parent.parent / "gold" / "speakers"
POLNEAR = Path("/work/shared/polnear")

# referent file, PolNeAR split, list of its articles (None: every article of the split)
SETS = [
    ("dev.tsv", "dev", None),
    ("train-tune.tsv", "train", "train_tune.txt"),
    ("train-tune2.tsv", "train", "train_tune2.txt"),
    ("train-tune3.tsv", "train", "train_tune3.txt"),
    ("train-heldout.tsv", "train", "train_heldout.txt"),
    ("train-heldout2.tsv", "train", "train_heldout2.txt"),
    ("train-heldout2.second.tsv", "train", "train_heldout2_double.txt"),
    ("dev.second.tsv", "dev", "dev_double.txt"),
]


def listed(name: str) -> list[str]:
    return [line.strip() for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def attribution_ids(split: str, stem: str) -> set[str]:
    """The attribution ids `quotetrack evaluate` reads for an article (the first annotator's file)."""
    text_path = POLNEAR / split / "text" / f"{stem}.txt"
    ann = sorted((POLNEAR / split / "attributions").glob(f"{stem}_*.ann"))[0]
    problems: list[str] = []
    return {a.id for a in parse_brat(stem, read_text(text_path), read_text(ann), str(ann), problems)}


@pytest.mark.skipif(not POLNEAR.is_dir(), reason=f"PolNeAR is not at {POLNEAR}")
@pytest.mark.parametrize("tsv, split, articles", SETS)
def test_a_referent_file_labels_every_attribution_of_its_articles_once(tsv, split, articles):
    referents = load_referents(GOLD / tsv)
    rows = (GOLD / tsv).read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == len(referents), "a (doc, id) labelled twice"
    docs = {doc for doc, _ in referents}
    if articles is not None:
        assert docs == set(listed(articles))
    else:
        assert docs == {p.stem for p in (POLNEAR / split / "text").glob("*.txt")}
    for doc in sorted(docs):
        assert {i for d, i in referents if d == doc} == attribution_ids(split, doc), doc


def test_no_article_is_in_two_train_sets():
    names = ["train_tune.txt", "train_tune2.txt", "train_tune3.txt", "train_heldout.txt", "train_heldout2.txt"]
    seen: dict[str, str] = {}
    for name in names:
        for stem in listed(name):
            assert stem not in seen, f"{stem} is in {seen.get(stem)} and {name}"
            seen[stem] = name
