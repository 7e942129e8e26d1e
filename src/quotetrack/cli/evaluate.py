"""`quotetrack evaluate`: score the extractor (or a predictions file) against gold attributions."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from quotetrack.cli import app
from quotetrack.cli.common import capped_processes, err_console, handle_errors, warn
from quotetrack.errors import InputError
from quotetrack.evaluation.scoring import SUBSETS, GoldDocument, Report, error_rows, load_gold, read_predictions, score
from quotetrack.evaluation.speakers import SpeakerReport, load_referents, score_speakers
from quotetrack.records import Document, Quote
from quotetrack.render.formats import make_console

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
    names: Annotated[
        Path | None,
        typer.Option(
            "--names",
            help="Referent TSV (doc, id, kind, referent) to score resolved speaker names and cross-document identity.",
        ),
    ] = None,
) -> None:
    """Score quotes against gold attributions: content, source and end-to-end precision/recall/F1."""
    if errors is not None:  # an --errors file that is an input is refused before any work
        from quotetrack.io.outputs import check_output

        check_output(errors, inputs=[str(p) for p in (gold_dir, pred, names) if p is not None], option="--errors")
    n_process = capped_processes(n_process)
    predictions = read_predictions(pred) if pred is not None else None  # a bad file fails before any work
    referents = load_referents(names) if names is not None else None
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
    speakers = None
    if referents is not None:
        speakers = score_speakers(report, referents, identity_clusters(documents, predictions))

    if errors is not None:
        write_errors(errors, report, documents, speakers)

    if fmt is EvalFormat.json:
        data = report.to_dict()
        data.update({"gold_dir": str(gold_dir), "layout": corpus.layout, "predictions": str(pred) if pred else None})
        if speakers is not None:
            data["speakers"] = speakers.to_dict()
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        print_tables(report)
        if speakers is not None:
            print_speaker_table(speakers)


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


def identity_clusters(documents: list[GoldDocument], quotes: list[Quote]) -> dict[str, int | None]:
    """Store the documents' quotes in a throwaway SQLite database, as `extract` would, and return
    each quote's stored speaker id: the cross-document identity the store gives."""
    import tempfile

    from sqlalchemy import select

    from quotetrack.store import Ingestor, open_store
    from quotetrack.store.models import StoredQuote

    by_doc: dict[str, list[Quote]] = {}
    for quote in quotes:
        by_doc.setdefault(quote.doc, []).append(quote)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "identity.db"), writable=True)
        try:
            ingestor = Ingestor(store)
            for document in documents:
                ingestor.add(Document(id=document.id, text=document.text), by_doc.get(document.id, []))
            with store.read() as session:
                return dict(session.execute(select(StoredQuote.key, StoredQuote.speaker_id)).tuples().all())
        finally:
            store.close()


def write_errors(path: Path, report: Report, documents: list[GoldDocument], speakers: SpeakerReport | None = None) -> None:
    try:
        from quotetrack.io.outputs import atomic_output

        with atomic_output(path) as handle:
            for row in error_rows(report, documents):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            for row in speakers.errors or [] if speakers else []:
                handle.write(json.dumps({"error": "wrong_speaker_name", **row}, ensure_ascii=False) + "\n")
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


def print_speaker_table(speakers: SpeakerReport) -> None:
    table = Table(title="Speakers (%)")
    for name in ("measure", "subset", "P", "R", "F1", "accuracy", "n"):
        table.add_column(name, justify="left" if name in ("measure", "subset") else "right")
    for subset in SUBSETS:
        acc = speakers.names[subset]
        table.add_row("speaker name", subset, "", "", "", percent(acc.accuracy), str(acc.n))
    for subset in SUBSETS:
        acc = speakers.named[subset]
        table.add_row("named referents", subset, "", "", "", percent(acc.accuracy), str(acc.n))
    wrong = speakers.unnamed_given_a_name
    table.add_row("unnamed given a name", "all", "", "", "", percent(wrong.accuracy), str(wrong.n))
    table.add_section()
    for subset in SUBSETS:
        s = speakers.end_to_end[subset]
        table.add_row("end-to-end (names)", subset, percent(s.precision), percent(s.recall), percent(s.f1), "", "")
    if speakers.identity is not None:
        table.add_section()
        precision, recall = speakers.identity
        table.add_row("identity B-cubed", "all", percent(precision), percent(recall), "", "", "")
    make_console().print(table)
