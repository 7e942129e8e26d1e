"""Metadata from what users have: file names (--name-pattern), a metadata file (--meta), headlines
as titles, URLs shown by `show`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.errors import QuotetrackError
from quotetrack.io.meta import headline
from quotetrack.io.usermeta import MetaTable, NamePattern
from quotetrack.records import Document

runner = CliRunner()
PATTERN = "{outlet}_{published}_{slug}"

ARTICLES = {
    "tass_2022-01-05_geneva-talks.txt": (
        "Ministers meet in Geneva\n\n"
        "The talks were useful, Foreign Minister Anna Berg said on Monday.\n\n"
        "“We will meet again,” she added.\n"
    ),
    "voa_20220110_city-budget.txt": (
        "City budget passes after long night\n\n"
        "The city budget passed, Mayor Ann Lee said, calling it “a fair deal for everyone”.\n"
    ),
    "reuters_2022-02-01_bridge.txt": (
        "Bridge plan goes ahead\n\n"
        "Peter Olsen does not think that the bridge will be finished this year.\n\n"
        "The bridge will open in 2023, Olsen said.\n"
    ),
}


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_name_pattern_gives_every_quote_outlet_and_date(corpus, nlp):
    result = run("extract", corpus, "--no-store", "-f", "jsonl", "-q", "--name-pattern", PATTERN)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 5
    assert {(r["doc"], r["outlet"], r["published"]) for r in records} == {
        ("tass_2022-01-05_geneva-talks", "TASS", "2022-01-05"),
        ("voa_20220110_city-budget", "VOA", "2022-01-10"),
        ("reuters_2022-02-01_bridge", "Reuters", "2022-02-01"),
    }
    assert result.stderr == ""
    # without the pattern, the text says nothing of outlet or date
    plain = [json.loads(line) for line in run("extract", corpus, "--no-store", "-f", "jsonl", "-q").stdout.splitlines()]
    assert {(r["outlet"], r["published"]) for r in plain} == {(None, None)}


def test_names_that_do_not_fit_keep_detection_with_one_warning(corpus, nlp):
    (corpus / "notes.txt").write_text("Notes\n\nThe plan will work, Peter Olsen said.\n", encoding="utf-8")
    (corpus / "tass_2022-13-45_bad-date.txt").write_text("MOSCOW, January 5, 2022. /TASS/. Order was restored, officials said.\n")
    result = run("extract", corpus, "--no-store", "-f", "jsonl", "--name-pattern", PATTERN)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert warnings == [
        "Warning: --name-pattern {outlet}_{published}_{slug}: 2 file names do not fit (notes.txt, "
        "tass_2022-13-45_bad-date.txt); outlet and date come from the text"
    ]
    records = {json.loads(line)["doc"]: json.loads(line) for line in result.stdout.splitlines()}
    # the name that does not fit keeps what its text says
    assert (records["tass_2022-13-45_bad-date"]["outlet"], records["tass_2022-13-45_bad-date"]["published"]) == ("TASS", "2022-01-05")


def test_outlet_and_published_options_win_over_the_name(corpus, nlp):
    result = run(
        "extract", corpus, "--no-store", "-f", "jsonl", "-q", "--name-pattern", PATTERN, "--outlet", "Wire", "--published", "2023-03-03"
    )
    assert {(json.loads(line)["outlet"], json.loads(line)["published"]) for line in result.stdout.splitlines()} == {("Wire", "2023-03-03")}


def test_name_pattern_placeholders():
    pattern = NamePattern.parse("{*}-{id}-{published}")
    assert pattern.fields("x-story12-20220105.txt") == {"id": "story12", "published": "2022-01-05"}
    assert NamePattern.parse(PATTERN).fields("voice-of-america_2022-01-05_a_b.html") == {"outlet": "VOA", "published": "2022-01-05"}
    assert NamePattern.parse(PATTERN).fields("wash-post_2016-04-27_why.txt") == {"outlet": "wash-post", "published": "2016-04-27"}
    assert NamePattern.parse(PATTERN).fields("notes.txt") is None


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{outlet}_{date}",
         "Error: --name-pattern '{outlet}_{date}': unknown placeholder {date}; use {outlet}, {published}, {slug}, {id} or {*}"),
        ("{slug}.txt",
         "Error: --name-pattern '{slug}.txt': give at least one of {outlet}, {published} or {id}, e.g. \"{outlet}_{published}_{slug}\""),
        ("{outlet}_{outlet}", "Error: --name-pattern '{outlet}_{outlet}': {outlet} appears twice"),
    ],
)
def test_bad_name_patterns_are_one_line(tmp_path, pattern, message):
    result = run("extract", tmp_path, "--no-store", "--name-pattern", pattern)
    assert result.exit_code == 2 and result.stderr.splitlines() == [message]


def test_meta_file_by_path_and_by_id(corpus, tmp_path, nlp):
    meta = corpus / "meta.csv"
    meta.write_text(
        "path,outlet,published,url,title\n"
        "tass_2022-01-05_geneva-talks.txt,TASS,2022-01-06,https://tass.com/politics/1,Ministers meet\n",
        encoding="utf-8",
    )
    extra = tmp_path / "extra.jsonl"
    row = {"id": "voa_20220110_city-budget", "outlet": "Voice of America", "url": "https://www.voanews.com/a/1"}
    extra.write_text(json.dumps(row) + "\n")
    db = tmp_path / "meta.db"
    result = run("extract", corpus, "--db", db, "-f", "jsonl", "-q", "--meta", meta)
    assert result.exit_code == 0, result.output
    records = {json.loads(line)["doc"]: json.loads(line) for line in result.stdout.splitlines()}
    tass = records["tass_2022-01-05_geneva-talks"]
    assert (tass["outlet"], tass["published"]) == ("TASS", "2022-01-06")
    result = run("extract", corpus, "--db", db, "-f", "jsonl", "-q", "--meta", extra, "--name-pattern", PATTERN)
    records = {json.loads(line)["doc"]: json.loads(line) for line in result.stdout.splitlines()}
    # the metadata file wins over the file name
    assert (records["voa_20220110_city-budget"]["outlet"], records["voa_20220110_city-budget"]["published"]) == ("VOA", "2022-01-10")

    # the URL and title are kept, and `show` prints them
    quote = records["voa_20220110_city-budget"]
    shown = run("show", quote["id"], "--db", db, env={"COLUMNS": "120"})
    assert "https://www.voanews.com/a/1" in shown.stdout
    assert "City budget passes after long night" in shown.stdout  # the headline, as the title
    detail = json.loads(run("show", quote["id"], "--db", db, "-f", "json").stdout)[0]
    assert detail["url"] == detail["document"]["url"] == "https://www.voanews.com/a/1"
    assert detail["title"] == "City budget passes after long night"


def test_meta_rows_that_match_nothing_are_reported_once(corpus, nlp):
    meta = corpus / "meta.jsonl"
    meta.write_text(json.dumps({"id": "nowhere", "outlet": "TASS"}) + "\n" + json.dumps({"path": "gone.txt", "outlet": "VOA"}) + "\n")
    result = run("extract", corpus, "--no-store", "-f", "jsonl", "--meta", meta)
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert warnings == [f"Warning: --meta {meta}: 2 rows matched no document (line 1: id 'nowhere', line 2: path 'gone.txt')"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("m.csv", "file,outlet\na.txt,TASS\n", "the header needs an id or a path column (found: file, outlet)"),
        ("m.csv", "id,outlet,publshed\na,TASS,2022-01-01\n",
         "m.csv:2: unknown field 'publshed' (use id or path, and outlet, published, url, title)"),
        ("m.csv", "id,published\na,2022-13-01\n", "m.csv:2: published '2022-13-01' is not a date (YYYY-MM-DD)"),
        ("m.csv", "id,url\na,tass.com\n", "m.csv:2: url 'tass.com' is not an http:// or https:// address"),
        ("m.csv", "id,outlet\na,TASS\na,VOA\n", "m.csv:3: id 'a' is already on line 2"),
        ("m.csv", "id,outlet\n,TASS\n", "m.csv:2: no id or path"),
        ("m.jsonl", '{"id": "a"}\n[1]\n', "m.jsonl:2: not a JSON object"),
        ("m.jsonl", '{"id": "a", "outlet": 5}\n', "m.jsonl:1: outlet must be text, not 5"),
        ("m.txt", "id\n", "use a .csv or .jsonl file (columns id or path, and outlet, published, url, title)"),
    ],
)
def test_bad_meta_files_are_one_line(tmp_path, name, content, message):
    meta = tmp_path / name
    meta.write_text(content, encoding="utf-8")
    result = run("extract", tmp_path, "--no-store", "--meta", meta)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    prefix = f"Error: --meta {meta}"
    assert line == (f"{prefix}:{message.split(':', 1)[1].lstrip(':')}" if message.startswith(name + ":") else f"{prefix}: {message}")
    with pytest.raises(QuotetrackError):
        MetaTable.load(meta)


def test_missing_meta_file(tmp_path):
    result = run("extract", tmp_path, "--no-store", "--meta", tmp_path / "none.csv")
    assert result.exit_code == 2 and result.stderr.splitlines() == [f"Error: --meta {tmp_path / 'none.csv'}: no such file"]


def test_meta_does_not_touch_jsonl_records_by_path(tmp_path):
    table_file = tmp_path / "m.csv"
    table_file.write_text("path,outlet\nfeed.jsonl,TASS\n")
    table = MetaTable.load(table_file)
    record = Document(id="1", text="x", source=str(tmp_path / "feed.jsonl") + ":1")
    assert table.apply(record).outlet is None


@pytest.mark.parametrize(
    "text, title",
    [
        ("All news\n\nRussia, US to discuss Kazakh situation — expert\n\nMOSCOW, January 5. /TASS/. Text.",
         "Russia, US to discuss Kazakh situation — expert"),
        ("Saturday, January 29, 2022\n\nKazakh unrest is escalating Russia at US expense\n\nBody.",
         "Kazakh unrest is escalating Russia at US expense"),
        ("Mary J. Blige sings to Hillary Clinton in preview clip.\n\nLOS ANGELES, Sept. 28 (UPI) -- text.",
         "Mary J. Blige sings to Hillary Clinton in preview clip."),
        ("GENEVA, January 9. /TASS/. The Russian side does not plan to touch on it, Ryabkov said. More text here.", None),
        ("Caption of a photo. Sankt-Peterburq, 17 iyun 2022-ci il\n\n" + "A long first paragraph of the story " * 8, None),
    ],
)
def test_headline_is_the_title(text, title):
    assert headline(text) == title


def test_stored_documents_get_their_headline_as_title(tmp_path, nlp):
    from store_support import FIXTURES

    db = tmp_path / "t.db"
    records = [json.loads(line) for line in run("extract", FIXTURES, "--db", db, "-f", "jsonl", "-q").stdout.splitlines()]
    first = next(r for r in records if r["doc"].startswith("002"))
    detail = json.loads(run("show", first["id"], "--db", db, "-f", "json").stdout)[0]
    assert detail["title"] == "Kazakh unrest is escalating Russia at US expense"
