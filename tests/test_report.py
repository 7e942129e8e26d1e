"""Reports (library and `quotetrack report`), and article text printed as typed in every report."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from analysis_quotes import ALIASES, MURTAZASHVILI, RYABKOV, TOKAYEV, make_quote, texts, tokayev_terrorists
from quotetrack.analysis.compare import build_comparison
from quotetrack.analysis.provenance import group_appearances
from quotetrack.analysis.report import build_report, choose_granularity
from quotetrack.cli import app
from quotetrack.records import Document, Quote
from quotetrack.render.formats import make_console
from quotetrack.render.terminal import render_comparison, render_provenance, render_report, sparkline

runner = CliRunner()

MARKUP = "Prices [bold]will[/bold] rise, see [link=http://example.com]here[/link] [red]now[/red]"


def fixture_quotes():
    return [
        tokayev_terrorists(),
        make_quote("002", "Kazakhstan had seen sporadic protests since the 2019 reshuffle", MURTAZASHVILI, "says"),
        make_quote("002", "the protests began at the local level", MURTAZASHVILI, "argues"),
        make_quote("001", "We cooperate in the CSTO format", RYABKOV, "said", type="direct"),
        make_quote("003", "The Russian side does not plan to touch on the situation in Kazakhstan", RYABKOV, "said"),
        make_quote("000", "the situation in Kazakhstan would not influence Moscow’s policy in the security sphere",
                   "Valery Garbuzov", "certain"),
    ]


def test_report_counts_types_stances_outlets_and_timeline():
    quotes = fixture_quotes()
    report = build_report(quotes, texts=texts())
    assert report.total.quotes == 6
    names = [g.name for g in report.groups]
    assert names[:2] == sorted([MURTAZASHVILI, RYABKOV])  # two quotes each, then by name
    ryabkov = next(g for g in report.groups if g.name == RYABKOV)
    assert dict(ryabkov.types) == {"direct": 1, "indirect": 1}
    assert ryabkov.stances["denies"] == 1 and ryabkov.stances["asserts"] == 1
    assert dict(ryabkov.outlets) == {"TASS": 2}
    assert report.granularity == "day"
    assert report.buckets[0] == "2022-01-05" and report.buckets[-1] == "2022-01-29" and len(report.buckets) == 25
    assert ryabkov.timeline["2022-01-09"] == 2 and sum(ryabkov.timeline.values()) == 2
    by_outlet = build_report(quotes, by="outlet", texts=texts())
    assert [(g.name, g.quotes) for g in by_outlet.groups] == [("TASS", 3), ("VOA", 3)]
    assert by_outlet.groups[0].speakers[RYABKOV] == 2
    data = json.loads(json.dumps(report.to_dict()))
    assert data["total"]["types"] == {"direct": 1, "indirect": 4, "mixed": 1}


def test_granularity_and_sparkline():
    assert choose_granularity(["2022-01-01", "2022-02-20"]) == "day"
    assert choose_granularity(["2020-01-01", "2022-02-20"]) == "month"
    assert choose_granularity(["2001-01-01", "2022-02-20"]) == "year"
    assert sparkline([0, 1, 4]) == " ▃█"  # any non-zero value shows above the floor
    assert sparkline([]) == ""


def markup_quotes() -> list[Quote]:
    text_a = f"Jane Roe said: {MARKUP}."
    start = text_a.find(MARKUP)
    a = Quote(doc="markup-a", type="direct", content_spans=[(start, start + len(MARKUP))], content=MARKUP,
              speaker="Jane Roe", cue="said", cue_span=(9, 13), outlet="[bold]Wire[/bold]", published="2023-05-01")
    b = Quote(doc="markup-b", type="direct", content_spans=[(start, start + len(MARKUP))], content=MARKUP,
              speaker="Jane Roe", cue="said", cue_span=(9, 13), outlet="Daily", published="2023-05-03")
    c = Quote(doc="markup-b", type="indirect", content_spans=[(0, 30)], content="fuel [italic]prices[/italic] will fall",
              speaker="[b]Max[/b] Mustermann", cue="said", outlet="Daily", published="2023-05-03")
    return [a, b, c]


def printed(render, *args) -> str:
    stream = io.StringIO()
    render(*args, make_console(stream))
    return stream.getvalue()


def test_markup_in_quotes_prints_as_typed_in_every_report(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    quotes = markup_quotes()
    comparison = build_comparison(quotes, ["Jane Roe", "[b]Max[/b] Mustermann"])
    outputs = {
        "compare": printed(render_comparison, comparison),
        "report": printed(render_report, build_report(quotes)),
        "report by outlet": printed(render_report, build_report(quotes, by="outlet")),
        "provenance": printed(render_provenance, group_appearances(quotes)[0]),
    }
    for name, output in outputs.items():
        flat = " ".join(output.split())
        assert "[bold]" in output or "[b]" in output, name
        if name != "provenance":
            assert MARKUP in flat or "[italic]prices[/italic]" in flat, name
    assert MARKUP in " ".join(outputs["report"].split())
    assert "[link=http://example.com]here[/link]" in " ".join(outputs["compare"].split())
    assert "[b]Max[/b] Mustermann" in outputs["compare"]
    assert "[bold]Wire[/bold]" in outputs["provenance"]


@pytest.fixture
def markup_db(tmp_path):
    from quotetrack.store import Ingestor, open_store

    db = tmp_path / "markup.db"
    store = open_store(str(db), writable=True)
    try:
        ingestor = Ingestor(store)
        by_doc: dict[str, list[Quote]] = {}
        for quote in markup_quotes():
            by_doc.setdefault(quote.doc, []).append(quote)
        for doc, quotes in by_doc.items():
            text = f"Jane Roe said: {MARKUP}. " + ("Max Mustermann said fuel prices will fall." if doc == "markup-b" else "")
            ingestor.add(Document(id=doc, text=text, outlet=quotes[0].outlet, published=quotes[0].published), quotes)
    finally:
        store.close()
    return db


def test_cli_report_prints_markup_as_typed(markup_db):
    env = {"COLUMNS": "400", "NO_COLOR": "1"}
    result = runner.invoke(app, ["report", "--db", str(markup_db)], env=env)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert MARKUP in flat
    assert "Jane Roe" in flat and "Timeline" in flat
    as_json = runner.invoke(app, ["report", "--db", str(markup_db), "-f", "json", "--by", "outlet"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["by"] == "outlet" and data["total"]["quotes"] == 3
    one_doc = runner.invoke(app, ["report", "--db", str(markup_db), "-f", "json", "--doc", "markup-a"])
    assert json.loads(one_doc.stdout)["total"]["quotes"] == 1
    html = runner.invoke(app, ["report", "--db", str(markup_db), "-f", "html"])
    assert html.exit_code == 0
    assert "Prices [bold]will[/bold] rise" in html.stdout and "<svg" in html.stdout


def test_cli_compare_prints_markup_as_typed(markup_db):
    speakers = runner.invoke(app, ["report", "--db", str(markup_db), "-f", "json"])
    names = [g["name"] for g in json.loads(speakers.stdout)["groups"]]
    assert len(names) == 2, names
    result = runner.invoke(app, ["compare", "-s", names[0], "-s", names[1], "--db", str(markup_db)],
                           env={"COLUMNS": "400", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "[link=http://example.com]here[/link]" in " ".join(result.stdout.split())


def test_fixture_report_on_tokayev_and_alias_resolution():
    comparison = build_comparison(fixture_quotes(), [TOKAYEV, RYABKOV], texts=texts(), aliases=ALIASES)
    assert comparison.counts[TOKAYEV]["claims"] == 1 and comparison.counts[RYABKOV]["claims"] == 2


@pytest.mark.parametrize(
    "mention, label",
    [
        ("the government", "(unresolved: government)"),
        ("Kazakh authorities", "(unresolved: kazakh authorities)"),
        ("The Russian side", "(unresolved: russian side)"),
        ("a spokesperson", "(unresolved: spokesperson)"),
        ("that", None),
        (None, None),
        ("READ MORE", None),
        ("—", None),
    ],
)
def test_unresolved_rows_are_named_by_their_mention(mention, label):
    from quotetrack.analysis.report import unresolved_label

    assert unresolved_label(mention) == label


def test_quotes_without_a_speaker_are_not_speakers():
    quotes = fixture_quotes() + [
        Quote(doc="009", type="indirect", content_spans=[(0, 10)], content="order was restored", speaker_mention="the government",
              outlet="VOA", published="2022-01-20"),
        Quote(doc="009", type="indirect", content_spans=[(20, 30)], content="d MMMM yyyy", outlet="VOA", published="2022-01-20"),
    ]
    report = build_report(quotes, texts=texts())
    names = [g.name for g in report.groups]
    assert "(unresolved: government)" in names and "(unknown)" not in names
    assert (report.unresolved, report.unlisted, report.speaker_count) == (2, 1, 4)
    assert report.unresolved_note() == "2 quotes without a resolved speaker (1 naming no one, in no row): quotetrack quotes --unresolved lists them"
    by_outlet = build_report(quotes, by="outlet", texts=texts())
    assert "(unknown)" not in by_outlet.groups[0].speakers
