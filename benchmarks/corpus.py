"""Benchmark corpora built from the PolNeAR texts (read from ../shared/polnear, never copied into
the project): a JSONL file per corpus, articles taken round-robin across the outlets, and larger
corpora made by repeating the same articles under new ids."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "polnear"


@dataclass
class Article:
    id: str
    text: str
    outlet: str | None
    published: str | None

    @property
    def words(self) -> int:
        return len(self.text.split())


def polnear_dir() -> Path:
    return Path(os.environ.get("QUOTETRACK_POLNEAR", DEFAULT_POLNEAR))


def load_articles(root: Path, count: int) -> list[Article]:
    """`count` articles, alternating between the outlets so every outlet's style is in the mix."""
    meta: dict[str, dict] = {}
    with open(root / "metadata.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            meta[row["filename"]] = row
    by_outlet: dict[str, list[Path]] = {}
    for path in sorted(root.glob("*/text/*.txt")):
        outlet = meta.get(path.stem, {}).get("publisher") or "unknown"
        by_outlet.setdefault(outlet, []).append(path)
    ordered: list[Path] = []
    lists = [by_outlet[k] for k in sorted(by_outlet)]
    for index in range(max(len(v) for v in lists)):
        ordered += [paths[index] for paths in lists if index < len(paths)]
    articles = []
    for path in ordered[:count]:
        row = meta.get(path.stem, {})
        articles.append(
            Article(
                id=path.stem,
                text=path.read_text(encoding="utf-8"),
                outlet=row.get("publisher") or None,
                published=row.get("publication_date") or None,
            )
        )
    if len(articles) < count:
        raise SystemExit(f"{root}: only {len(articles)} PolNeAR texts found, {count} wanted")
    return articles


def repeated(articles: list[Article], times: int, distinct: bool = False) -> list[Article]:
    """The articles `times` over, each copy under its own id. With `distinct`, each copy gets a
    closing line of its own, so the store does not skip it as the same text under another id."""
    return [
        Article(
            id=f"{a.id}~{copy}" if copy else a.id,
            text=a.text + (f"\n\nCopy {copy}.\n" if distinct and copy else ""),
            outlet=a.outlet,
            published=a.published,
        )
        for copy in range(times)
        for a in articles
    ]


def write_jsonl(articles: list[Article], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for a in articles:
            handle.write(json.dumps({"id": a.id, "text": a.text, "outlet": a.outlet, "published": a.published}) + "\n")
    return path
