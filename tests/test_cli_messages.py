"""Usage errors and help in words a person reads: exact message texts, exit status 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from quotetrack import __version__
from quotetrack.cli import app

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def last_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, result.output
    return lines[-1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["quotes", "--format", "xml"], "Error: --format: 'xml' is not one of table, json, jsonl, csv"),
        (["speakers", "-f", "xml"], "Error: --format: 'xml' is not one of table, json, jsonl, csv"),
        (["report", "--format", "csv"], "Error: --format: 'csv' is not one of table, json, html"),
        (["report", "--by", "topic"], "Error: --by: 'topic' is not one of speaker, outlet, doc"),
        (["quotes", "--type", "quoted"], "Error: --type: 'quoted' is not one of direct, indirect, mixed"),
        (["quotes", "--limit", "ten"], "Error: --limit: 'ten' is not a whole number"),
        (["quotes", "--limit", "0"], "Error: --limit: must be at least 1, not 0"),
    ],
)
def test_bad_values_are_named_without_the_validation_library(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert last_error(result) == message
    assert "Value error" not in result.stderr and "Input should" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "--speaker", "A", "B"],
         "Error: Got unexpected extra argument (B): repeat --speaker for each speaker, e.g. --speaker A --speaker B"),
        (["compare", "-s", "Tokayev", "Ryabkov", "Blinken"],
         "Error: Got unexpected extra arguments (Ryabkov Blinken): repeat --speaker for each speaker, "
         "e.g. --speaker Tokayev --speaker Ryabkov --speaker Blinken"),
        (["compare", "--speaker=A", "B"],
         "Error: Got unexpected extra argument (B): repeat --speaker for each speaker, e.g. --speaker A --speaker B"),
        (["report", "--outlet", "TASS", "VOA"],
         "Error: Got unexpected extra argument (VOA): repeat --outlet for each outlet, e.g. --outlet TASS --outlet VOA"),
        (["compare", "--speaker", "Kassym-Jomart Tokayev", "Sergey Ryabkov"],
         "Error: Got unexpected extra argument (Sergey Ryabkov): repeat --speaker for each speaker, "
         "e.g. --speaker 'Kassym-Jomart Tokayev' --speaker 'Sergey Ryabkov'"),
    ],
)
def test_extra_arguments_after_a_repeatable_option_say_how_to_repeat_it(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert last_error(result) == message


def test_other_extra_arguments_keep_the_plain_message():
    result = run("quotes", "--speaker", "A", "B")
    assert result.exit_code == 2 and last_error(result) == "Error: Got unexpected extra argument(s) (B)"


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"quotetrack {__version__}\n"


@pytest.mark.parametrize(
    "command, shown",
    [
        (["extract"], ["Usage: quotetrack extract [OPTIONS] PATH...", "PATH...  Files, directories", "--db URL",
                       "--outlet NAME", "--published DATE", "-o, --output FILE", "--model NAME", "--n-process N"]),
        (["quotes"], ["--speaker NAME", "--since DATE", "--until DATE", "--search WORDS", "--limit N", "--db URL"]),
        (["show"], ["Usage: quotetrack show [OPTIONS] ID"]),
        (["compare"], ["-s, --speaker NAME", "--topic TOPIC", "-o, --output FILE"]),
        (["evaluate"], ["Usage: quotetrack evaluate [OPTIONS] GOLD_DIR"]),
        (["speakers", "split"], ["Usage: quotetrack speakers split [OPTIONS] SPEAKER", "--alias NAME", "--doc ID"]),
    ],
)
def test_help_metavars_a_person_reads(command, shown):
    result = runner.invoke(app, [*command, "--help"], prog_name="quotetrack", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    for text in shown:
        assert text in result.stdout, (text, result.stdout)
    for parser_word in ("<str>", "<list[str]>", "<path>", "<int range>", "{paths}", "{quote_id}"):
        assert parser_word not in result.stdout
