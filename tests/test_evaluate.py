"""Scoring quotes against gold attributions: reading brat and Citron gold, matching, metrics, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrack.errors import InputError
from quotetrack.evaluation.scoring import (
    GoldAttribution,
    GoldDocument,
    Scores,
    error_rows,
    gold_as_predictions,
    is_direct,
    load_gold,
    match_document,
    read_predictions,
    score,
    source_correct,
)
from quotetrack.records import Quote
from quotetrack.spans import jaccard

POLNEAR_DEV = Path("/work/shared/polnear/dev")

COUNCIL = (
    "Mayor Ann Lee said the bridge would reopen in May. "
    '"We are not going to wait," she told reporters, "and we will not apologise." '
    "It is widely believed that the vote will be close. "
    'Critics say the cost is "absurd".\n'
)
BUDGET = (
    "Finance chief Raj Patel warned that Trump's tariffs would raise prices.\n"
    "The ‘temporary’ levy, Patel said, will stay.\n"
)


def at(text: str, part: str, nth: int = 1) -> tuple[int, int]:
    """Offsets of the nth occurrence of `part` in `text`."""
    start = -1
    for _ in range(nth):
        start = text.index(part, start + 1)
    return start, start + len(part)


def t_line(tid: str, label: str, text: str, *spans: tuple[int, int]) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in spans)}"


def council_ann() -> str:
    t = COUNCIL
    return "\n".join(
        [
            t_line("T1", "Source", t, at(t, "Mayor Ann Lee")),
            t_line("T2", "Cue", t, at(t, "said")),
            t_line("T3", "Content", t, at(t, "the bridge would reopen in May")),
            t_line("T4", "Attribution", t, at(t, "said")),
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            # A discontinuous content: the two halves of a quote broken by "she told reporters".
            t_line(
                "T5", "Content", t, at(t, '"We are not going to wait,"'), at(t, '"and we will not apologise."')
            ),
            t_line("T6", "Source", t, at(t, "she")),
            t_line("T7", "Cue", t, at(t, "told")),
            t_line("T8", "Attribution", t, at(t, "told")),
            "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
            # No source.
            t_line("T9", "Cue", t, at(t, "is widely believed")),
            t_line("T10", "Content", t, at(t, "that the vote will be close")),
            t_line("T11", "Attribution-no-source", t, at(t, "is widely believed")),
            "E3\tAttribution-no-source:T11 Cue:T9 Content:T10",
        ]
    ) + "\n"


def budget_ann() -> str:
    t = BUDGET
    return "\n".join(
        [
            t_line("T1", "Source", t, at(t, "Finance chief Raj Patel")),
            t_line("T2", "Cue", t, at(t, "warned")),
            t_line("T3", "Content", t, at(t, "that Trump's tariffs would raise prices")),
            t_line("T4", "Attribution", t, at(t, "warned")),
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            t_line("T5", "Source", t, at(t, "Patel", 2)),
            t_line("T6", "Cue", t, at(t, "said")),
            t_line("T7", "Content", t, at(t, "The ‘temporary’ levy"), at(t, "will stay")),
            t_line("T8", "Attribution", t, at(t, "said")),
            "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7",
        ]
    ) + "\n"


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    """Two texts in the PolNeAR layout; the council text has two annotators' files."""
    root = tmp_path / "gold"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "council.txt").write_text(COUNCIL, encoding="utf-8")
    (root / "text" / "budget.txt").write_text(BUDGET, encoding="utf-8")
    (root / "attributions" / "council_ab12.ann").write_text(council_ann(), encoding="utf-8")
    # The second annotator saw only the first attribution; the alphabetically first file must win.
    first_only = "\n".join(council_ann().split("\n")[:5]) + "\n"
    (root / "attributions" / "council_zz99.ann").write_text(first_only, encoding="utf-8")
    (root / "attributions" / "budget_ab12.ann").write_text(budget_ann(), encoding="utf-8")
    return root


def quote(doc: str, text: str, content: list[tuple[int, int]], speaker: tuple[int, int] | None, type_="indirect"):
    return {
        "doc": doc,
        "type": type_,
        "content": " … ".join(text[s:e] for s, e in content),
        "content_spans": [list(s) for s in content],
        "speaker_mention": text[speaker[0] : speaker[1]] if speaker else None,
        "speaker_span": list(speaker) if speaker else None,
    }


def prediction_records() -> list[dict]:
    c, b = COUNCIL, BUDGET
    whole_quote = (at(c, '"We are')[0], at(c, 'apologise."')[1])
    return [
        # Exact content, speaker inside the gold source "Mayor Ann Lee": correct.
        quote("council", c, [at(c, "the bridge would reopen in May")], at(c, "Ann Lee")),
        # Both quote halves plus the interruption between them: Jaccard 55/76, but the speaker is wrong.
        quote("council", c, [whole_quote], at(c, "reporters"), "direct"),
        # Gold has no source and the prediction names none: correct.
        quote("council", c, [at(c, "the vote will be close")], None),
        # Not in the gold at all: a false positive, direct by its quotation marks.
        quote("council", c, [at(c, 'the cost is "absurd"')], at(c, "Critics"), "mixed"),
        quote("budget", b, [at(b, "Trump's tariffs would raise prices")], at(b, "Raj Patel")),
        # budget E2 (direct) is not predicted: a false negative.
    ]


@pytest.fixture
def pred_file(tmp_path: Path) -> Path:
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in prediction_records()), encoding="utf-8")
    return path


def predictions() -> list[Quote]:
    return [Quote.from_dict(r) for r in prediction_records()]


def gold(doc: str, *content: tuple[int, int], source: tuple[tuple[int, int], ...] = ()) -> GoldAttribution:
    return GoldAttribution(doc=doc, id="E1", content_spans=tuple(content), source_spans=source)


def doc_with(doc: str, attributions: list[GoldAttribution]) -> GoldDocument:
    return GoldDocument(id=doc, text="x" * 100, attributions=attributions, path="")


def pred(doc: str, *content: tuple[int, int], speaker: tuple[int, int] | None = None) -> Quote:
    return Quote(doc=doc, type="indirect", content_spans=list(content), content="", speaker_span=speaker)


# ---------------------------------------------------------------------------------------------------------
# Reading gold


def test_brat_gold_is_read_with_discontinuous_spans_missing_sources_and_first_annotator(gold_dir):
    corpus = load_gold(gold_dir)
    assert corpus.layout == "polnear"
    assert corpus.problems == []
    assert [d.id for d in corpus.documents] == ["budget", "council"]
    council = corpus.documents[1]
    assert council.path.endswith("council_ab12.ann")
    assert [a.id for a in council.attributions] == ["E1", "E2", "E3"]
    e1, e2, e3 = council.attributions
    assert e1.source == "Mayor Ann Lee" and e1.cue == "said"
    assert COUNCIL[slice(*e1.content_spans[0])] == "the bridge would reopen in May"
    assert len(e2.content_spans) == 2
    assert e2.content == '"We are not going to wait," … "and we will not apologise."'
    assert e2.source == "she"
    assert e3.source is None and e3.source_spans == ()
    assert e3.cue == "is widely believed"
    assert [a.category for a in council.attributions] == ["indirect", "direct", "indirect"]
    budget = corpus.documents[0]
    assert [a.category for a in budget.attributions] == ["indirect", "direct"]
    assert budget.attributions[1].source_spans == (at(BUDGET, "Patel", 2),)


def test_offsets_index_the_raw_text_with_crlf_line_ends(tmp_path):
    text = "First line.\r\nThe minister said the talks had failed.\r\n"
    ann = "\n".join(
        [
            t_line("T1", "Source", text, at(text, "The minister")),
            t_line("T2", "Cue", text, at(text, "said")),
            t_line("T3", "Content", text, at(text, "the talks had failed")),
            "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
        ]
    )
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "talks.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "attributions" / "talks_x.ann").write_bytes((ann + "\r\n").encode("utf-8"))
    corpus = load_gold(tmp_path)
    assert corpus.problems == []
    (attribution,) = corpus.documents[0].attributions
    assert attribution.content_spans == (at(text, "the talks had failed"),)
    assert corpus.documents[0].text == text


def test_annotations_that_do_not_fit_the_text_are_skipped_and_reported(tmp_path):
    text = "The senator said taxes would fall. Aides said nothing."
    ann = "\n".join(
        [
            t_line("T1", "Source", text, at(text, "The senator")),
            t_line("T2", "Cue", text, at(text, "said")),
            f"T3\tContent {at(text, 'taxes would fall')[0]} {at(text, 'taxes would fall')[1]}\ttaxes would rise",
            "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
            "T4\tContent 40 900\tnothing",
            "E2\tAttribution:T2 Content:T4",
            "E3\tAttribution-no-source:T2 ",  # no content at all
            t_line("T5", "Content", text, at(text, "nothing")),
            t_line("T6", "Source", text, at(text, "Aides")),
            "E4\tAttribution:T2 Source:T6 Content:T5",
        ]
    )
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "senate.txt").write_text(text, encoding="utf-8")
    (tmp_path / "attributions" / "senate_a.ann").write_text(ann, encoding="utf-8")
    corpus = load_gold(tmp_path)
    assert [a.id for a in corpus.documents[0].attributions] == ["E4"]
    assert len(corpus.problems) == 5
    problems = "\n".join(corpus.problems)
    assert "T3 text 'taxes would rise' differs" in problems
    assert "T4 offsets outside the text" in problems
    assert "E1 refers to unusable T3" in problems
    assert "E3 has no Content" in problems


def test_citron_json_gold_is_read(tmp_path):
    text = 'The coach said the team was ready. "We will win," Smith added.'
    good = {
        "text": text,
        "quotes": [
            {
                "cue": {"start": at(text, "said")[0], "end": at(text, "said")[1], "text": "said"},
                "sources": [{"start": 0, "end": 9, "text": "The coach"}],
                "contents": [{"start": at(text, "the team was ready")[0], "end": at(text, "the team was ready")[1],
                              "text": "the team was ready"}],
            },
            {
                "cue": {"start": at(text, "added")[0], "end": at(text, "added")[1], "text": "added"},
                "sources": [{"start": at(text, "Smith")[0], "end": at(text, "Smith")[1], "text": "Smith"}],
                "contents": [{"start": at(text, '"We will win,"')[0], "end": at(text, '"We will win,"')[1],
                              "text": '"We will win,"'}],
            },
            # Offsets that do not cover the text given: skipped and reported.
            {"cue": None, "sources": [], "contents": [{"start": 0, "end": 9, "text": "The coac"}]},
        ],
    }
    (tmp_path / "match.json").write_text(json.dumps(good), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    corpus = load_gold(tmp_path)
    assert corpus.layout == "citron"
    assert [d.id for d in corpus.documents] == ["match"]
    first, second = corpus.documents[0].attributions
    assert (first.source, first.cue, first.content) == ("The coach", "said", "the team was ready")
    assert (first.category, second.category) == ("indirect", "direct")
    assert second.source_spans == (at(text, "Smith"),)
    assert len(corpus.problems) == 2
    assert any("broken.json: not valid JSON" in p for p in corpus.problems)
    assert any("quote 3: content text 'The coac' differs" in p for p in corpus.problems)
    oracle = score(corpus.documents, gold_as_predictions(corpus.documents))
    assert oracle.end_to_end["all"].f1 == 1.0


def test_missing_or_empty_gold_dir_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such directory"):
        load_gold(tmp_path / "absent")
    with pytest.raises(InputError, match="no gold annotations found"):
        load_gold(tmp_path)


# ---------------------------------------------------------------------------------------------------------
# Direct or indirect


@pytest.mark.parametrize(
    "content, direct",
    [
        ('"We will win," he said', True),
        ("“curly quotes”", True),
        ("«Nous gagnerons»", True),
        ("It’s ‘in Their Heads.’", True),
        ("the 'rigged' system", True),
        ("that Trump's tariffs would raise prices", False),
        ("Clinton’s aides and the voters’ anger", False),
        ("that he doesn't know", False),
    ],
)
def test_direct_means_the_content_holds_a_quotation_mark(content, direct):
    assert is_direct(content) is direct


# ---------------------------------------------------------------------------------------------------------
# Matching and metrics


def test_jaccard_counts_characters_of_discontinuous_spans():
    assert jaccard([(0, 10)], [(0, 10)]) == 1.0
    assert jaccard([(0, 10)], [(5, 15)]) == 5 / 15
    # Overlapping pieces of one span list count each character once.
    assert jaccard([(0, 6), (4, 10)], [(0, 10)]) == 1.0
    assert jaccard([(0, 10), (20, 30)], [(0, 30)]) == 20 / 30
    assert jaccard([(0, 10)], [(10, 20)]) == 0.0


def test_two_predictions_on_one_gold_give_one_true_positive_and_one_false_positive():
    golds = [gold("d", (0, 10))]
    preds = [pred("d", (0, 8)), pred("d", (0, 10))]
    matches, unmatched_pred, unmatched_gold = match_document(golds, preds)
    assert [m.prediction for m in matches] == [preds[1]]  # the better one, though listed second
    assert unmatched_pred == [0] and unmatched_gold == []
    report = score([doc_with("d", golds)], preds)
    assert (report.content["all"].tp, report.content["all"].predicted, report.content["all"].gold) == (1, 2, 1)
    assert report.content["all"].precision == 0.5 and report.content["all"].recall == 1.0
    assert report.false_positives == [preds[0]]


def test_matching_takes_pairs_in_descending_jaccard_order():
    golds = [gold("d", (0, 10)), gold("d", (10, 20))]
    # x overlaps the first gold with 10/14; y with 8/10. Taking predictions in their own order would
    # give the first gold to x; the greedy order gives it to y, and x (4/20 with the second) stays unmatched.
    x, y = pred("d", (0, 14)), pred("d", (2, 10))
    matches, unmatched_pred, unmatched_gold = match_document(golds, [x, y])
    assert [(m.gold.content_spans, m.prediction) for m in matches] == [(((0, 10),), y)]
    assert matches[0].jaccard == 0.8
    assert unmatched_pred == [0] and unmatched_gold == [1]


@pytest.mark.parametrize(
    "gold_span, pred_span, matched",
    [
        ((0, 10), (0, 5), True),  # exactly 0.5
        ((0, 12), (6, 12), True),  # exactly 0.5
        ((0, 99), (0, 50), True),  # 50/99
        ((0, 99), (0, 49), False),  # 49/99
        ((0, 10), (0, 4), False),
        ((0, 10), (5, 15), False),  # 1/3
    ],
)
def test_jaccard_threshold_is_inclusive(gold_span, pred_span, matched):
    matches, _, _ = match_document([gold("d", gold_span)], [pred("d", pred_span)])
    assert bool(matches) is matched


def test_source_is_correct_when_the_speaker_span_overlaps_a_gold_source():
    with_source = gold("d", (30, 60), source=((0, 10), (15, 20)))
    assert source_correct(pred("d", (30, 60), speaker=(5, 12)), with_source)
    assert source_correct(pred("d", (30, 60), speaker=(19, 25)), with_source)  # second source span
    assert not source_correct(pred("d", (30, 60), speaker=(10, 15)), with_source)  # touches, shares nothing
    assert not source_correct(pred("d", (30, 60), speaker=None), with_source)
    without_source = gold("d", (30, 60))
    assert source_correct(pred("d", (30, 60), speaker=None), without_source)
    assert not source_correct(pred("d", (30, 60), speaker=(0, 5)), without_source)


def test_scores_on_hand_built_gold(gold_dir):
    corpus = load_gold(gold_dir)
    report = score(corpus.documents, predictions())
    # Gold: 5 attributions (2 direct, 3 indirect). Predicted: 5, of which 4 match (1 direct, 3 indirect);
    # the false positive holds quotation marks, so it counts as direct. Sources: 3 of the 4 matches right
    # (the direct match names "reporters").
    assert report.content["all"] == Scores(tp=4, predicted=5, gold=5)
    assert report.content["direct"] == Scores(tp=1, predicted=2, gold=2)
    assert report.content["indirect"] == Scores(tp=3, predicted=3, gold=3)
    assert (report.content["all"].precision, report.content["all"].recall, report.content["all"].f1) == (
        0.8, 0.8, 0.8
    )
    assert report.content["direct"].f1 == 0.5
    assert (report.source["all"].correct, report.source["all"].n) == (3, 4)
    assert report.source["all"].accuracy == 0.75
    assert report.source["direct"].accuracy == 0.0
    assert report.source["indirect"].accuracy == 1.0
    assert report.end_to_end["all"] == Scores(tp=3, predicted=5, gold=5)
    assert report.end_to_end["all"].f1 == 0.6
    assert report.end_to_end["direct"].f1 == 0.0
    assert report.end_to_end["indirect"].f1 == 1.0

    assert [g.content for g in report.false_negatives] == ["The ‘temporary’ levy … will stay"]
    assert [q.content for q in report.false_positives] == ['the cost is "absurd"']
    (wrong,) = report.wrong_sources
    assert wrong.gold.id == "E2" and wrong.prediction.speaker_mention == "reporters"
    assert round(wrong.jaccard, 4) == round(55 / 76, 4)

    rows = list(error_rows(report, corpus.documents))
    assert sorted(r["kind"] for r in rows) == ["false_negative", "false_positive", "wrong_source"]
    fp = next(r for r in rows if r["kind"] == "false_positive")
    assert (fp["doc"], fp["category"], fp["content"]) == ("council", "direct", 'the cost is "absurd"')


def test_undefined_ratios_are_none_and_f1_is_zero():
    nothing_predicted = Scores(tp=0, predicted=0, gold=4)
    assert nothing_predicted.precision is None
    assert nothing_predicted.recall == 0.0
    assert nothing_predicted.f1 == 0.0
    assert Scores(0, 0, 0).f1 is None


def test_predictions_for_unknown_documents_are_listed_not_scored(gold_dir):
    corpus = load_gold(gold_dir)
    stray = pred("elsewhere", (0, 10))
    report = score(corpus.documents, [stray])
    assert report.unknown_documents == ["elsewhere"]
    assert report.content["all"].predicted == 0


def test_gold_converted_to_predictions_scores_100(gold_dir):
    corpus = load_gold(gold_dir)
    report = score(corpus.documents, gold_as_predictions(corpus.documents))
    for table in (report.content, report.end_to_end):
        for subset in ("all", "direct", "indirect"):
            assert (table[subset].precision, table[subset].recall) == (1.0, 1.0)
    assert report.source["all"].accuracy == 1.0


# ---------------------------------------------------------------------------------------------------------
# Reading predictions


def test_predictions_are_read_from_jsonl_or_a_json_array(tmp_path, pred_file):
    from_jsonl = read_predictions(pred_file)
    array = tmp_path / "pred.json"
    array.write_text(json.dumps(prediction_records()), encoding="utf-8")
    from_array = read_predictions(array)
    assert [q.content_spans for q in from_jsonl] == [q.content_spans for q in from_array]
    assert len(from_jsonl) == 5


@pytest.mark.parametrize(
    "body, message",
    [
        ('{"doc": "council"\n', "line 1: not valid JSON"),
        ('{"content_spans": [[0, 4]]}\n', "line 1: no 'doc'"),
        ('[{"doc": "council", "content_spans": [[0, 4, 5]]}]', "record 1: malformed quote record"),
        ('[{"doc": "council", "content_spans": []}]', "record 1: empty 'content_spans'"),
        ("[1, 2]", "record 1: not a quote object"),
    ],
)
def test_bad_prediction_files_raise_input_errors_naming_the_place(tmp_path, body, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_predictions(path)
    assert info.value.where == str(path)


# ---------------------------------------------------------------------------------------------------------
# The command line


def run(*args: str):
    from quotetrack.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_table(gold_dir, pred_file):
    result = run("evaluate", str(gold_dir), "--pred", str(pred_file))
    assert result.exit_code == 0, result.output
    rows = {
        tuple(cell.strip() for cell in line.strip("│ ").split("│")[:2]): [c.strip() for c in line.strip("│").split("│")]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    }
    assert rows[("content", "all")][2:5] == ["80.0", "80.0", "80.0"]
    assert rows[("content", "direct")][2:5] == ["50.0", "50.0", "50.0"]
    assert rows[("source", "all")][5:7] == ["75.0", "4"]
    assert rows[("end-to-end", "all")][2:5] == ["60.0", "60.0", "60.0"]
    assert rows[("end-to-end", "indirect")][2:5] == ["100.0", "100.0", "100.0"]
    assert "2 documents scored" in result.stdout


def test_cli_json_and_errors_file(gold_dir, pred_file, tmp_path):
    errors = tmp_path / "errors.jsonl"
    result = run("evaluate", str(gold_dir), "--pred", str(pred_file), "--format", "json", "--errors", str(errors))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"] == 2 and data["layout"] == "polnear"
    assert data["content"]["all"]["precision"] == 0.8
    assert data["end_to_end"]["direct"] == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "predicted": 2, "gold": 2
    }
    assert data["source"]["indirect"] == {"accuracy": 1.0, "correct": 3, "n": 3}
    assert data["counts"]["all"] == {"gold": 5, "predicted": 5, "matched": 4, "source_correct": 3}
    assert {d["doc"]: d["matched"] for d in data["per_document"]} == {"budget": 1, "council": 3}
    kinds = [json.loads(line)["kind"] for line in errors.read_text(encoding="utf-8").splitlines()]
    assert sorted(kinds) == ["false_negative", "false_positive", "wrong_source"]


def test_cli_limit_scores_the_first_documents_only(gold_dir, pred_file):
    result = run("evaluate", str(gold_dir), "--pred", str(pred_file), "--format", "json", "--limit", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["doc"] for d in data["per_document"]] == ["budget"]
    assert data["counts"]["all"] == {"gold": 2, "predicted": 1, "matched": 1, "source_correct": 1}
    assert data["unknown_documents"] == []
    assert "not in the gold" not in result.stderr


def squash(text: str) -> str:
    """Text without white space: stderr is wrapped at the console width, even inside long paths."""
    return "".join(text.split())


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("Error:") == 1
    return squash(result.stderr)


def test_cli_errors(gold_dir, pred_file, tmp_path):
    assert squash("absent: no such directory") in one_line_error(run("evaluate", str(tmp_path / "absent")))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert squash("empty: no gold annotations found") in one_line_error(run("evaluate", str(empty)))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "council", "content_spans": [[0, 4]]}\nnot json\n', encoding="utf-8")
    message = one_line_error(run("evaluate", str(gold_dir), "--pred", str(bad)))
    assert squash("bad.jsonl: line 2: not valid JSON") in message
    missing = one_line_error(run("evaluate", str(gold_dir), "--pred", str(tmp_path / "nope.jsonl")))
    assert squash("nope.jsonl: no such file") in missing
    stray = tmp_path / "stray.jsonl"
    stray.write_text('{"doc": "council.txt", "content_spans": [[0, 4]]}\n', encoding="utf-8")
    unmatched = one_line_error(run("evaluate", str(gold_dir), "--pred", str(stray)))
    assert squash("stray.jsonl: no record's `doc` names a gold document") in unmatched
    usage = run("evaluate", str(gold_dir), "--pred", str(pred_file), "--format", "csv")
    assert usage.exit_code == 2


def test_cli_warns_about_unknown_documents_and_gold_problems(gold_dir, pred_file, tmp_path):
    records = prediction_records() + [{"doc": "other", "content_spans": [[0, 3]]}]
    path = tmp_path / "more.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (gold_dir / "text" / "orphan.txt").write_text("No annotations here.", encoding="utf-8")
    result = run("evaluate", str(gold_dir), "--pred", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    stderr = squash(result.stderr)
    assert squash("more.jsonl: 1 document ids not in the gold, not scored: other") in stderr
    assert squash("orphan.txt: no annotation file; skipped") in stderr
    assert json.loads(result.stdout)["content"]["all"]["predicted"] == 5


@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason=f"PolNeAR dev corpus not found at {POLNEAR_DEV}")
def test_cli_on_polnear_dev_gold_as_predictions_scores_100(tmp_path):
    corpus = load_gold(POLNEAR_DEV)
    path = tmp_path / "oracle.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for q in gold_as_predictions(corpus.documents):
            handle.write(json.dumps(q.to_dict(), ensure_ascii=False) + "\n")
    result = run("evaluate", str(POLNEAR_DEV), "--pred", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"] == len(list((POLNEAR_DEV / "text").glob("*.txt")))
    assert data["counts"]["direct"]["gold"] > 0 and data["counts"]["indirect"]["gold"] > 0
    for measure in ("content", "end_to_end"):
        for subset in ("all", "direct", "indirect"):
            assert data[measure][subset]["f1"] == 1.0, (measure, subset)
    assert data["source"]["all"]["accuracy"] == 1.0


def test_cli_runs_the_extractor_over_the_gold_texts(gold_dir):
    """Without --pred the gold texts go through the pipeline, document id = text stem.

    The CLI's figures must equal scoring the library's own extraction of the same texts; and a plain
    quote with its speaker in the sentence must be found (this part depends on the extractor).
    """
    from quotetrack.extraction.nlp import load_nlp
    from quotetrack.extraction.pipeline import extract_documents
    from quotetrack.records import Document

    corpus = load_gold(gold_dir)
    nlp = load_nlp()
    expected = [
        q for _, qs in extract_documents([Document(id=d.id, text=d.text) for d in corpus.documents], nlp=nlp)
        for q in qs
    ]
    result = run("evaluate", str(gold_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == score(corpus.documents, expected).to_dict()["counts"]
    assert data["counts"]["all"]["predicted"] == len(expected)
    assert data["content"]["direct"]["recall"] > 0, "the extractor missed '\"We are not going to wait,\" she told'"
