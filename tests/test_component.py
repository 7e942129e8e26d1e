"""The `quotetrack` spaCy component: a stock pipeline with `nlp.add_pipe("quotetrack")` gives the
command line's quotes; doc._.quotes, doc.spans, nlp.pipe with processes, save and load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

import quotetrack
from quotetrack.api import quote_record
from quotetrack.cli import app
from quotetrack.extraction.nlp import DEFAULT_MODELS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def stock_model() -> str:
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    pytest.skip("no English model installed")


@pytest.fixture(scope="module")
def stock_nlp():
    """The model as a spaCy user loads it: no quotetrack component, nothing excluded."""
    nlp = spacy.load(stock_model())
    nlp.add_pipe("quotetrack")
    return nlp


@pytest.fixture(scope="module")
def cli_records(tmp_path_factory) -> dict[str, list[dict]]:
    result = runner.invoke(app, ["extract", str(FIXTURES), "--no-store", "-f", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    by_doc: dict[str, list[dict]] = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        by_doc.setdefault(record["doc"], []).append(record)
    return by_doc


def component_records(nlp, paths) -> dict[str, list[dict]]:
    docs = []
    for path in paths:
        doc = nlp.make_doc(path.read_text(encoding="utf-8"))
        doc._.doc_id = path.stem
        docs.append(doc)
    # the CLI's records are the quotes' with the stance computed at output time (api.quote_record)
    return {doc._.doc_id: [quote_record(q, doc.text) for q in doc._.quotes] for doc in nlp.pipe(docs)}


def test_add_pipe_on_a_stock_model_gives_the_cli_quotes(stock_nlp, cli_records):
    assert stock_nlp.pipe_names.index("quotetrack_paragraphs") < stock_nlp.pipe_names.index("parser")
    got = component_records(stock_nlp, sorted(FIXTURES.glob("*.txt")))
    assert got == cli_records
    assert sum(map(len, got.values())) > 50


def test_quotes_and_span_groups_on_the_doc(stock_nlp):
    text = 'Finance Minister Tomas Lind said that the budget would be balanced. "We will not raise taxes," he added.'
    doc = stock_nlp(text)
    quotes = doc._.quotes
    assert [(q.type, q.speaker, q.cue) for q in quotes] == [
        ("indirect", "Tomas Lind", "said"),
        ("direct", "Tomas Lind", "added"),
    ]
    assert [span.text for span in doc.spans["quotes"]] == [
        "that the budget would be balanced",
        '"We will not raise taxes,"',
    ]
    assert [span.label_ for span in doc.spans["quotes"]] == ["indirect", "direct"]
    assert [(span.text, span.label_) for span in doc.spans["speakers"]] == [
        ("Finance Minister Tomas Lind", "Tomas Lind"),
        ("he", "Tomas Lind"),
    ]
    assert [span.text for span in doc.spans["cues"]] == ["said", "added"]
    for quote in quotes:
        for start, end in quote.content_spans:
            assert text[start:end] in quote.content


def test_min_confidence_drops_less_certain_quotes():
    nlp = spacy.load(stock_model())
    nlp.add_pipe("quotetrack", config={"min_confidence": 0.99})
    text = (FIXTURES / "000_cf6416f716d272ec.txt").read_text(encoding="utf-8")
    kept = nlp(text)._.quotes
    assert all(q.confidence >= 0.99 for q in kept)
    assert len(kept) < len(quotetrack.extract(text))


def test_nlp_pipe_with_processes_keeps_the_quotes(stock_nlp, cli_records):
    paths = sorted(FIXTURES.glob("*.txt"))[:2]
    texts = [path.read_text(encoding="utf-8") for path in paths]
    serial = [[q.to_dict() for q in doc._.quotes] for doc in stock_nlp.pipe(texts)]
    parallel = [[q.to_dict() for q in doc._.quotes] for doc in stock_nlp.pipe(texts, n_process=2)]
    assert parallel == serial and all(serial)


def test_extract_with_the_users_pipeline_equals_the_default(stock_nlp):
    """Passing one's own pipeline, with or without the component, changes nothing."""
    plain = spacy.load(stock_model())
    text = (FIXTURES / "002_263d34c5b9433d99.txt").read_text(encoding="utf-8")
    default = [q.to_dict() for q in quotetrack.extract(text)]
    assert [q.to_dict() for q in quotetrack.extract(text, nlp=plain)] == default
    assert [q.to_dict() for q in quotetrack.extract(text, nlp=stock_nlp)] == default
    # the library reads outlet and date from the text as the command line does
    assert {(q["outlet"], q["published"]) for q in default} == {("VOA", "2022-01-29")}


def test_a_saved_pipeline_loads_through_the_entry_point(stock_nlp, tmp_path):
    """spacy.load finds the factory through the `spacy_factories` entry point, without the user
    importing quotetrack."""
    if not any(ep.name == "quotetrack" for ep in _factories()):
        pytest.skip("quotetrack is not installed with its entry points (pip install -e .)")
    stock_nlp.to_disk(tmp_path / "pipeline")
    script = (
        "import json, spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "doc = nlp('\"We will win,\" Maria Ivanova said.'); "
        "print(json.dumps(['quotetrack' in sys.modules, [q.speaker for q in doc._.quotes]]))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pipeline")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [True, ["Maria Ivanova"]]


def _factories():
    from importlib.metadata import entry_points

    return entry_points(group="spacy_factories")
