"""`quotetrack evaluate`: score the extractor (or a predictions file) against gold attributions."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from quotetrack.errors import InputError
from quotetrack.evaluation.scoring import SUBSETS, GoldDocument, Report, error_rows, load_gold, read_predictions, score
from quotetrack.render.formats import make_console
from quotetrack.records import Document, Quote
from quotetrack.cli import app
from quotetrack.cli.common import err_console, handle_errors, warn

MEASURES = (("content", "content"), ("source", "source"), ("end_to_end", "end-to-end"))
SHOWN_PROBLEMS = 5


class EvalFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
@handle_errors
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Gold directory: PolNeAR (text/ + attributions/) or Citron JSON.")],
    pred: Annotated[
        Path | None,
        typer.Option("--pred", "-p", help="Score these quote records (JSONL or JSON array) instead of extracting."),
    ] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    model: Annotated[str | None, typer.Option(envvar="QUOTETRACK_MODEL", help="spaCy model name or path.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N gold documents (by id).")] = None,
    errors: Annotated[
        Path | None,
        typer.Option("--errors", help="Write false positives, false negatives and wrong sources to this JSONL file."),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per spaCy batch.")] = 32,
    n_process: Annotated[int, typer.Option(min=1, help="Parser processes.")] = 1,
) -> None:
    """Score quotes against gold attributions: content, source and end-to-end precision/recall/F1."""
    predictions = read_predictions(pred) if pred is not None else None  # a bad file fails before any work
    corpus = load_gold(gold_dir)
    if len(corpus.problems) > 0:
        for problem in corpus.problems[:SHOWN_PROBLEMS]:
            warn(problem)
        if len(corpus.problems) > SHOWN_PROBLEMS:
            warn(f"… and {len(corpus.problems) - SHOWN_PROBLEMS} more gold annotation problems")
    documents = corpus.documents[:limit] if limit else corpus.documents

    if predictions is not None:
        known = {d.id for d in corpus.documents}
        unknown = sorted({q.doc for q in predictions} - known)
        if not predictions:
            warn(f"{pred}: no quote records")
        elif not any(q.doc in known for q in predictions):
            raise InputError(str(pred), "no record's `doc` names a gold document (the text file's stem)")
        elif unknown:
            shown = ", ".join(unknown[:SHOWN_PROBLEMS]) + (" …" if len(unknown) > SHOWN_PROBLEMS else "")
            warn(f"{pred}: {len(unknown)} document ids not in the gold, not scored: {shown}")
        if limit:  # predictions for gold documents beyond the limit are left out, not "unknown"
            scored = {d.id for d in documents}
            predictions = [q for q in predictions if q.doc in scored or q.doc not in known]
    else:
        predictions = run_extractor(documents, model=model, batch_size=batch_size, n_process=n_process)

    report = score(documents, predictions)

    if errors is not None:
        write_errors(errors, report, documents)

    if fmt is EvalFormat.json:
        data = report.to_dict()
        data.update({"gold_dir": str(gold_dir), "layout": corpus.layout, "predictions": str(pred) if pred else None})
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        print_tables(report)


def run_extractor(documents: list[GoldDocument], *, model: str | None, batch_size: int, n_process: int) -> list[Quote]:
    """Extract quotes from the gold texts (document id = text stem), with a progress bar on a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from quotetrack.extraction.pipeline import extract_documents

    inputs = [Document(id=d.id, text=d.text) for d in documents]
    quotes: list[Quote] = []
    with Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("extract", total=len(inputs))
        for _, found in extract_documents(inputs, model=model, batch_size=batch_size, n_process=n_process):
            quotes.extend(found)
            progress.advance(task)
    return quotes


def write_errors(path: Path, report: Report, documents: list[GoldDocument]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for row in error_rows(report, documents):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def print_tables(report: Report) -> None:
    console = make_console()
    scores = Table(title="Scores (%)")
    for name in ("measure", "subset", "P", "R", "F1", "accuracy", "n"):
        scores.add_column(name, justify="left" if name in ("measure", "subset") else "right")
    for key, label in MEASURES:
        for subset in SUBSETS:
            if key == "source":
                acc = report.source[subset]
                scores.add_row(label, subset, "", "", "", percent(acc.accuracy), str(acc.n))
            else:
                s = getattr(report, key)[subset]
                scores.add_row(label, subset, percent(s.precision), percent(s.recall), percent(s.f1), "", "")
        if key != "end_to_end":
            scores.add_section()
    console.print(scores)

    counts = Table(title=f"Counts ({len(report.documents)} documents scored)")
    for name in ("subset", "gold", "predicted", "matched", "source correct"):
        counts.add_column(name, justify="left" if name == "subset" else "right")
    for subset in SUBSETS:
        content = report.content[subset]
        counts.add_row(
            subset, str(content.gold), str(content.predicted), str(content.tp), str(report.source[subset].correct)
        )
    console.print(counts)
