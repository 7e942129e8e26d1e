"""Scoring resolved speakers against referents: the name rule, B-cubed, and `evaluate --names`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.errors import InputError
from quotetrack.evaluation.speakers import bcubed, load_referents, org_names_agree, person_names_agree

runner = CliRunner()


@pytest.mark.parametrize(
    ("predicted", "gold", "agree"),
    [
        ("Obama", "Barack Obama", True),
        ("President Obama", "Barack Obama", True),
        ("Michelle Obama", "Barack Obama", False),
        ("Melania Trump", "Donald Trump", False),
        ("Donald J. Trump", "Donald Trump", True),
        ("Donald Trump", "Donald Trump Jr.", False),
        ("Donald Trump Jr.", "Donald Trump", False),
        ("Mr. Trump", "Donald Trump Jr.", True),
        ("V. Putin", "Vladimir Putin", True),
        ("W. Putin", "Vladimir Putin", False),
        ("Diaz Martinez", "Julie Diaz Martinez", True),
        ("Adm. Harry B. Harris Jr.", "Harry Harris Jr.", True),
        ("Hillary Rodham Clinton", "Hillary Clinton", True),  # a middle name the referent leaves out
        ("Bill Clinton", "Hillary Clinton", False),
        ("Ben Rhodes", "Benjamin Rhodes", True),  # a nickname of the same given name
        ("William Clinton", "Bill Clinton", True),
        ("Liz Warren", "Beth Warren", False),  # two nicknames of Elizabeth are not taken for each other
    ],
)
def test_person_names_agree(predicted, gold, agree):
    assert person_names_agree(predicted, gold) is agree


@pytest.mark.parametrize(
    ("predicted", "gold", "agree"),
    [
        ("F.B.I.", "Federal Bureau of Investigation", True),
        ("FBI", "Federal Bureau of Investigation", True),
        ("the Post", "The Washington Post", True),
        ("Times", "The New York Times", True),
        ("the Clinton campaign", "Hillary Clinton campaign", True),
        ("Clinton", "Hillary Clinton campaign", False),
        ("CIA", "Federal Bureau of Investigation", False),
        ("Supreme Court", "Supreme Court of the United States", True),  # the head comes before "of"
        ("United States", "Supreme Court of the United States", False),
        ("DOJ", "Department of Justice", True),  # initials may keep "of"
        ("Real Clear Politics", "RealClearPolitics", True),  # one brand, spaced or not
        ("Real Clear", "RealClearPolitics", False),
    ],
)
def test_org_names_agree(predicted, gold, agree):
    assert org_names_agree(predicted, gold) is agree


def test_bcubed_counts_merges_and_splits():
    # two people merged into one speaker id: precision falls; one person split: recall falls
    assert bcubed([("A", 1), ("A", 1), ("B", 1)]) == pytest.approx((5 / 9, 1.0))
    assert bcubed([("A", 1), ("A", 2)]) == pytest.approx((1.0, 0.5))
    assert bcubed([("A", None), ("A", None)]) == pytest.approx((1.0, 0.5))  # no identity: singletons


TEXT = (
    "President Barack Obama said the plan would work. "
    "A spokesperson said the talks had failed. "
    "Michelle Obama said that she was proud."
)


@pytest.fixture
def gold_dir(tmp_path):
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    first, second, third = (TEXT.index(c) for c in ("the plan would work", "the talks had failed", "that she was proud"))
    ann = [
        f"T1\tSource {0} {22}\t{TEXT[0:22]}",
        f"T2\tCue {23} {27}\tsaid",
        f"T3\tContent {first} {first + 19}\t{TEXT[first:first + 19]}",
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
        f"T4\tSource {TEXT.index('A spokesperson')} {TEXT.index('A spokesperson') + 14}\tA spokesperson",
        f"T5\tContent {second} {second + 20}\t{TEXT[second:second + 20]}",
        "E2\tAttribution:T5 Source:T4 Content:T5",
        f"T6\tSource {TEXT.index('Michelle')} {TEXT.index('Michelle') + 14}\tMichelle Obama",
        f"T7\tContent {third} {third + 18}\t{TEXT[third:third + 18]}",
        "E3\tAttribution:T7 Source:T6 Content:T7",
    ]
    (tmp_path / "story.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    names = tmp_path / "names.tsv"
    names.write_text(
        "doc\tid\tkind\treferent\n"
        "story\tE1\tperson\tBarack Obama\n"
        "story\tE2\tunnamed\ta spokesperson\n"
        "story\tE3\tperson\tMichelle Obama\n",
        encoding="utf-8",
    )
    return tmp_path, names


def test_evaluate_with_names_scores_speakers_of_written_sentences(gold_dir):
    directory, names = gold_dir
    result = runner.invoke(app, ["evaluate", str(directory), "--names", str(names), "-f", "json"])
    assert result.exit_code == 0, result.output
    speakers = json.loads(result.stdout)["speakers"]
    # Barack and Michelle Obama are told apart; the spokesperson stays unnamed
    assert speakers["name_accuracy"]["all"] == {"accuracy": 1.0, "correct": 3, "n": 3}
    assert speakers["unnamed_given_a_name"]["correct"] == 0
    assert speakers["identity_bcubed"] == {"precision": 1.0, "recall": 1.0}


def test_a_referent_file_with_a_bad_kind_is_one_error(tmp_path):
    names = tmp_path / "names.tsv"
    names.write_text("doc\tid\tkind\treferent\nstory\tE1\tpeople\tX\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: kind 'people' is not one of"):
        load_referents(names)
