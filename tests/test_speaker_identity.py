"""Who said it, inside an article and across articles: sentences written for each rule of speaker
resolution and identity (family members, namesakes, pronouns after a passing mention, unnamed
sources, page furniture, organisations' short forms), run through extraction and the store."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quotetrack import extract
from quotetrack.records import Document
from quotetrack.store import Ingestor
from quotetrack.store.models import Speaker, SpeakerAlias, SpeakerKey, StoredQuote
from store_support import db_url, store  # noqa: F401 (fixtures)


def speakers_of(text: str, nlp) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.speaker_mention) for q in extract(text, nlp=nlp)]


def speaker_of(text: str, content: str, nlp) -> str | None:
    for quote in extract(text, nlp=nlp):
        if content in quote.content:
            return quote.speaker
    raise AssertionError(f"no quote holds {content!r}: {speakers_of(text, nlp)}")


# --- inside one article -----------------------------------------------------------------------


def test_family_members_in_one_article_keep_their_own_quotes(nlp):
    text = (
        "First lady Michelle Obama spoke at the school on Monday.\n\n"
        "President Obama said the economy was growing faster than expected.\n\n"
        "“We are proud of these students,” Mrs. Obama said."
    )
    assert speaker_of(text, "the economy was growing", nlp) == "Obama"
    assert speaker_of(text, "We are proud", nlp) == "Michelle Obama"


def test_a_relative_introduced_as_one_does_not_take_the_family_name(nlp):
    text = (
        "Donald Trump arrived with his wife, Melania Trump, on Tuesday.\n\n"
        "Trump said that the polls were wrong.\n\n"
        "“I love this country,” Melania Trump said."
    )
    assert speaker_of(text, "the polls were wrong", nlp) == "Donald Trump"
    assert speaker_of(text, "I love this country", nlp) == "Melania Trump"


def test_he_after_a_passing_mention_is_the_speaker_followed(nlp):
    text = (
        "“We will win this state,” Senator Tim Kaine said at the rally.\n\n"
        "Hillary Clinton was campaigning in Ohio at the same time.\n\n"
        "“Our volunteers have knocked on a million doors,” he said."
    )
    assert speaker_of(text, "Our volunteers", nlp) == "Tim Kaine"


def test_a_name_later_in_the_pronouns_clause_is_someone_else(nlp):
    text = (
        "Maria Lopez studies elections at the university.\n\n"
        "She does not accept Governor Brown’s claim that the vote was rigged, she said."
    )
    assert speaker_of(text, "does not accept", nlp) != "Brown"


def test_a_definite_description_takes_the_person_whose_title_it_shares(nlp):
    text = (
        "Republican nominee Carl Weston and Democratic nominee Julia Marsh met in Dayton on Monday.\n\n"
        "The GOP nominee said that taxes were too high.\n\n"
        "The Democratic nominee said that the race was close."
    )
    assert speaker_of(text, "taxes were too high", nlp) == "Carl Weston"  # GOP = Republican, not the other nominee
    assert speaker_of(text, "the race was close", nlp) == "Julia Marsh"


def test_a_description_no_title_matches_is_the_person_followed_if_gender_allows(nlp):
    text = (
        "Voters in Iowa will choose among eleven candidates next month, and the polls have moved "
        "sharply in recent weeks as the candidates crossed the state in buses and small planes, "
        "holding rallies in school gyms, churches and the back rooms of diners from Sioux City to "
        "Davenport. Turnout in the caucuses is notoriously hard to predict, and the campaigns have "
        "spent heavily on volunteers who knock on doors and call voters at home. Television "
        "advertising has reached record levels, and the state party expects the largest crowds "
        "since 2008 at the precinct meetings, which start at seven in the evening.\n\n"
        "Tom Becker says that he is under attack because of his rise in the polls.\n\n"
        "The Republican presidential candidate told reporters on Sunday that the stories were false.\n\n"
        "Anna Ruiz disagreed with him at a forum in Miami.\n\n"
        "The businessman said that the forum was rigged."
    )
    assert speaker_of(text, "the stories were false", nlp) == "Tom Becker"
    # "the businessman" is not Anna Ruiz, the person nearest: unnamed rather than wrong
    assert speaker_of(text, "the forum was rigged", nlp) in (None, "Tom Becker")


def test_a_headline_verb_is_not_part_of_a_name(nlp):
    text = (
        "Obama Says African-American Voters Will Decide the Race\n\n"  # the tagger reads "Obama Says" as a name

        "WASHINGTON — President Obama said on Saturday that the museum would tell an American story.\n\n"
        "“This is the place to understand it,” Mr. Obama said.\n\n"
        "Michelle Obama attended the ceremony."
    )
    speakers = {speaker for speaker, _ in speakers_of(text, nlp)}
    assert "Obama" in speakers
    assert not any(s and ("Says" in s or s == "Michelle Obama") for s in speakers), speakers


def test_an_entity_in_lower_case_is_not_a_speaker(nlp):
    text = (
        "Julia Marsh met voters in Ohio.\n\n"
        "The former secretary of state said that she would raise wages."
    )
    assert speaker_of(text, "raise wages", nlp) != "state"


def test_a_poll_or_report_speaks_for_the_organisation_named_with_it(nlp):
    text = (
        "Voters are divided on the trade deal.\n\n"
        "A Bloomberg poll released Tuesday found that 48 percent of voters back the deal. "
        "The poll also found that most voters distrust both candidates.\n\n"
        "A Government Accountability Office report said that the program wasted money.\n\n"
        "A new poll found that turnout would be low. Recent polls showed that the race was tied."
    )
    assert speaker_of(text, "48 percent", nlp) == "Bloomberg"
    assert speaker_of(text, "distrust both", nlp) == "Bloomberg"  # "the poll" named before
    assert speaker_of(text, "wasted money", nlp) == "Government Accountability Office"
    assert speaker_of(text, "turnout would be low", nlp) is None  # no maker named
    assert speaker_of(text, "the race was tied", nlp) != "Recent"


def test_bare_police_is_the_police_department_named_before(nlp):
    text = (
        "Officers of the Charlotte-Mecklenburg Police Department arrived at noon.\n\n"
        "Police said that the suspect was armed."
    )
    assert speaker_of(text, "the suspect was armed", nlp) == "Charlotte-Mecklenburg Police Department"


def test_running_for_office_does_not_contradict_holding_one(nlp):
    text = (
        "Republican Sen. Walter Graham says the party must unite behind one challenger.\n\n"
        "“We may be in a position where that is the only way,” Graham, a former candidate, told reporters."
    )
    assert speaker_of(text, "the only way", nlp) == "Walter Graham"


def test_he_is_not_the_subject_of_what_the_last_speaker_said(nlp):
    text = (
        "Ted Marlow, who won two states on Tuesday, is calling for his rivals to drop out.\n\n"
        "He declared that as long as the field remained divided, Donald Trump would have a path to the nomination.\n\n"
        "He noted repeatedly that he is the only other candidate to win a state."
    )
    assert speaker_of(text, "the only other candidate", nlp) == "Ted Marlow"


def test_gender_agreement_outweighs_a_name_in_the_reported_words(nlp):
    text = (
        "Bill Clinton has campaigned for his wife, Hillary Clinton, in three states.\n\n"
        "Allies say that he does not see any need to engage, believing that Mrs. Clinton can handle her rivals. "
        "And he wants to avoid giving any grist to her opponents, recalling how reporters seized on Mr. Clinton’s "
        "remarks in 2008."
    )
    assert speaker_of(text, "avoid giving", nlp) == "Bill Clinton"


def test_a_spokesperson_stays_unnamed(nlp):
    text = (
        "Finance Minister Tomas Lind said that the budget would be balanced.\n\n"
        "A spokesperson said that the minister was wrong about the deficit."
    )
    assert speaker_of(text, "budget would be balanced", nlp) == "Tomas Lind"
    assert speaker_of(text, "the minister was wrong", nlp) is None


def test_plural_and_group_sources_stay_unnamed(nlp):
    text = "Officials said that the bridge would reopen in May. Democrats argued that the plan was too costly."
    assert {speaker for speaker, _ in speakers_of(text, nlp)} == {None}


def test_relative_pronouns_and_generic_you_are_never_speakers(nlp):
    text = (
        "Veteran MPs who say the rules are outdated want a vote.\n\n"
        "What do you think of the plan? You said that it would fail."
    )
    assert not {speaker for speaker, _ in speakers_of(text, nlp)} & {"who", "that", "you", "You"}


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: Budget will be balanced by 2027, Finance Department says",
        "WATCH: Mayor says the bridge will open in May",
        "Related: Senator says the deal is dead",
        "This handout photo shows soldiers guarding a facility, officials said.",
    ],
)
def test_page_furniture_is_never_a_quote_or_speaker(nlp, line):
    text = f"City council meets on Monday\n\n{line}\n\nThe council will vote on the budget next week."
    found = extract(text, nlp=nlp)
    assert not any(line.split(":")[0] in (q.speaker_mention or "") for q in found)
    assert not any(q.start >= text.index(line) and q.end <= text.index(line) + len(line) for q in found)


def test_a_dateline_is_not_a_speaker(nlp):
    text = "WASHINGTON — Senator Jane Miller said on Tuesday that the bill would pass."
    assert speakers_of(text, nlp) == [("Jane Miller", "Senator Jane Miller")]


def test_the_clinton_campaign_and_his_campaign(nlp):
    text = (
        "Hillary Clinton spoke in Ohio.\n\nThe Clinton campaign said the event was a success.\n\n"
        "Donald Trump held a rally in Florida. His campaign said that the crowd was large."
    )
    assert speaker_of(text, "the event was a success", nlp) == "Hillary Clinton campaign"
    assert speaker_of(text, "the crowd was large", nlp) == "Donald Trump campaign"


# --- signatures, live blogs, reported subjects, organisations described (this round) ------------


def test_first_person_narration_is_the_author_named_in_the_note_below(nlp):
    text = (
        "Why my town still trusts its mayor.\n\n"
        "I grew up on a farm outside Dayton, and I know how hard the winters are.\n\n"
        "At the meeting I said that the county had abandoned its farmers.\n\n"
        "“We will not forget this,” my neighbour shouted.\n\n"
        "Rebecca Holloway is a teacher in Dayton and the author of two books on rural Ohio."
    )
    assert speaker_of(text, "the county had abandoned its farmers", nlp) == "Rebecca Holloway"


def test_first_person_without_a_signature_stays_unnamed(nlp):
    text = (
        "At the meeting I said that the county had abandoned its farmers.\n\n"
        "Nobody on the council answered the question."
    )
    assert speaker_of(text, "the county had abandoned its farmers", nlp) is None


def test_each_letter_on_a_letters_page_is_its_signers(nlp):
    text = (
        "Readers respond to the tax vote.\n\n"
        "I think that the council should have waited for the audit.\n\n"
        "Paula Jennings.\n\n"
        "I believe that the new tax will drive families out of the county.\n\n"
        "Marcus Webb, Springfield, Ill."
    )
    assert speaker_of(text, "should have waited for the audit", nlp) == "Paula Jennings"
    assert speaker_of(text, "drive families out", nlp) == "Marcus Webb"


def test_a_credit_line_names_the_author_of_an_excerpt(nlp):
    text = (
        "The lawyer stood up and I said that the charges were political.\n\n"
        "From THE LONG ROAD by Samuel Okafor. Copyright 2015 by Samuel Okafor."
    )
    assert speaker_of(text, "the charges were political", nlp) == "Samuel Okafor"


def test_an_indefinite_description_in_the_lede_is_the_person_named_below(nlp):
    text = (
        "Judge rules against the city.\n\n"
        "A Chicago judge has ruled that the city must release the records.\n\n"
        "Cook County Circuit Court Justice Helen Marquez wrote the ruling on Thursday."
    )
    assert speaker_of(text, "the city must release the records", nlp) == "Helen Marquez"


def test_reported_speech_may_name_its_own_speaker(nlp):
    text = (
        "Several former lawmakers have backed the governor.\n\n"
        "Former Rep. Chris Shays was for Jeb Bush while Bush was in the race, he said on Wednesday."
    )
    assert speaker_of(text, "was for Jeb Bush", nlp) == "Chris Shays"


def test_a_candidates_team_is_the_campaign(nlp):
    text = (
        "Hillary Clinton spoke in Ohio on Monday.\n\n"
        "Clinton’s team said that the schedule would not change."
    )
    assert speaker_of(text, "the schedule would not change", nlp) == "Hillary Clinton campaign"


def test_organisations_by_acronym_and_by_short_company_name(nlp):
    text = (
        "The Committee to Protect Journalists published its annual report on Tuesday.\n\n"
        "CPJ said that 48 reporters had been jailed.\n\n"
        "Exxon Mobil Corp. closed two refineries in Texas on Monday.\n\n"
        "Exxon Mobil said that the plants were no longer profitable."
    )
    assert speaker_of(text, "48 reporters", nlp) == "Committee to Protect Journalists"
    assert speaker_of(text, "no longer profitable", nlp) == "Exxon Mobil Corp."
    justice = "The Department of Justice opened an inquiry on Monday.\n\nDOJ said that the bank had misled regulators."
    assert speaker_of(justice, "misled regulators", nlp) == "Department of Justice"


def test_a_place_is_not_the_short_form_of_an_organisation_named_after_it(nlp):
    text = (
        "The Business Council of Ohio backed the tax in March.\n\n"
        "Ohio says that the tax raised $200 million last year."
    )
    assert speaker_of(text, "raised $200 million", nlp) != "Business Council of Ohio"


def test_a_headline_poll_speaks_for_the_maker_the_story_names(nlp):
    text = (
        "New Poll Shows Clinton Ahead in Florida.\n\n"
        "A new Quinnipiac University poll found that Hillary Clinton leads by four points among likely voters."
    )
    quotes = extract(text, nlp=nlp)
    assert any(q.speaker == "Quinnipiac University" for q in quotes), [(q.speaker, q.content) for q in quotes]
    assert all(q.speaker != "Poll" for q in quotes)


def test_who_after_an_organisations_name_is_the_person_described(nlp):
    text = (
        "“Parents are tired of waiting,” said Maria Gomez, the director of the Coalition for Fair Schools, "
        "who also said that the state had broken its promise."
    )
    assert speaker_of(text, "the state had broken its promise", nlp) == "Maria Gomez"


def test_a_live_blog_item_names_its_own_people(nlp):
    text = (
        "The Latest: Candidates campaign in Ohio.\n\n"
        "5:45 p.m.\n\n"
        "Libertarian candidate Gary Johnson says he will appear on every state ballot.\n\n"
        "Johnson says his campaign raised $2 million this week.\n\n"
        "___.\n\n"
        "8:05 a.m.\n\n"
        "Homeland Security Secretary Jeh Johnson says hackers are targeting election offices.\n\n"
        "Johnson said that local officials should ask for federal help."
    )
    assert speaker_of(text, "raised $2 million", nlp) == "Gary Johnson"
    assert speaker_of(text, "local officials should ask", nlp) == "Jeh Johnson"


def test_the_group_said_is_the_organisation_the_story_just_named(nlp):
    text = (
        "The Harbor Trust Foundation did not want to discuss the lawsuit on Friday.\n\n"
        "“We are focused on the children we serve,” the group said."
    )
    assert speaker_of(text, "We are focused", nlp) == "Harbor Trust Foundation"


def test_a_commission_keeps_its_full_name_and_a_description_is_no_name(nlp):
    commission = "The nonpartisan Commission on Presidential Debates says there was a problem with the sound."
    assert speaker_of(commission, "a problem with the sound", nlp) == "Commission on Presidential Debates"
    assert speaker_of("The bank says that the loans were repaid.", "the loans were repaid", nlp) is None
    named = "Wells Fargo fired 5,300 workers.\n\nThe bank says that the loans were repaid."
    assert speaker_of(named, "the loans were repaid", nlp) == "Wells Fargo"


def test_a_spaced_dash_ends_an_organisations_name(nlp):
    text = (
        "The plan would raise $1.1 trillion over a decade, the Urban-Brookings Tax Policy Center said on Monday.\n\n"
        "The cost would be modest, according to the Tax Policy Center - half a percentage point of GDP."
    )
    assert speaker_of(text, "The cost would be modest", nlp) == "Urban-Brookings Tax Policy Center"


def test_a_description_naming_a_party_is_nobody_of_another_party(nlp):
    text = (
        "Republican nominee Carl Weston spoke in Dayton on Monday.\n\n"
        "The Democratic presidential nominee said that the plan would cost jobs."
    )
    assert speaker_of(text, "the plan would cost jobs", nlp) != "Carl Weston"


def test_the_president_is_not_the_vice_president(nlp):
    text = (
        "President Barack Obama and Vice President Joseph R. Biden Jr. attended the opening.\n\n"
        "The president said that the museum told the whole story of the country."
    )
    assert speaker_of(text, "the museum told", nlp) == "Barack Obama"


def test_a_spokeswoman_for_a_candidate_is_not_the_candidate(nlp):
    text = (
        "Hillary Clinton held a rally in Ohio on Monday.\n\n"
        "A spokeswoman for Hillary Clinton said that the campaign had not helped the former model."
    )
    assert speaker_of(text, "had not helped the former model", nlp) != "Hillary Clinton"


def test_a_brief_or_an_account_speaks_for_its_author(nlp):
    text = (
        "Laura Fenwick asked the court to keep the file sealed.\n\n"
        "Her account says that the records hold her children's medical history.\n\n"
        "Laura Fenwick's brief argues that the public has no interest in them."
    )
    assert speaker_of(text, "medical history", nlp) == "Laura Fenwick"
    assert speaker_of(text, "no interest in them", nlp) == "Laura Fenwick"


def test_a_quotation_mark_the_tagger_took_in_is_not_part_of_the_name(nlp):
    text = (
        "Hillary Clinton said that Donald Trump ''doesn't want the American people to see his taxes.''\n\n"
        "Mr. Trump said that he would release them after the audit."
    )
    speakers = {q.speaker for q in extract(text, nlp=nlp)}
    assert all(s is None or "''" not in s for s in speakers), speakers


def test_a_title_of_an_organisation_describes_a_person_not_the_organisation(nlp):
    text = (
        "Hillary Clinton, the former secretary of State, spoke to veterans in New York.\n\n"
        "The former secretary of State said that she would expand care for veterans."
    )
    assert speaker_of(text, "expand care for veterans", nlp) != "State"


def test_a_capitalised_role_is_no_name(nlp):
    text = "Senator Hid Heart Condition From Voters, Former Navy Doctor Says.\n\nThe book was published on Monday."
    assert speaker_of(text, "Senator Hid Heart Condition", nlp) != "Doctor"


def test_two_surnames_alone_are_the_person_named_in_full(nlp):
    text = (
        "Mexico's economy minister, Ildefonso Guajardo Villarreal, met the trade delegation on Monday.\n\n"
        "Guajardo Villarreal said that the border would stay open to trucks."
    )
    assert speaker_of(text, "the border would stay open", nlp) == "Ildefonso Guajardo Villarreal"


def test_a_surname_the_tagger_missed_is_still_a_mention_of_the_person(nlp):
    """"Trump never missed an opportunity …" with no entity on "Trump": the surname of someone named
    in full before is a person mention, and the subject he/she may stand for."""
    from quotetrack.extraction.extractor import collect_people

    doc = nlp("Donald Trump led the polls. Trump never missed a chance to say so.")
    doc.ents = [e for e in doc.ents if e.start == 0]  # as if the tagger saw only the full name
    surnames: set[str] = set()
    found = [(m.text, m.label, m.is_subject) for m in collect_people(doc, 0, [], surnames)]
    assert ("Trump", "PERSON", True) in found
    assert surnames == {"Trump"}


def test_a_person_named_like_a_company_is_no_antecedent_of_he():
    from quotetrack.extraction.candidates import PersonMention
    from quotetrack.extraction.resolve import People

    people = People([
        PersonMention((0, 12), "Patriot Coal", "PERSON", (), False, True),
        PersonMention((20, 29), "Tom Clarke", "PERSON", (), False, True),
    ])
    coal, clarke = people.persons
    assert coal.organisation and not clarke.organisation


# --- across articles ------------------------------------------------------------------------------


def store_texts(store, texts: dict[str, str], nlp, outlets: dict[str, str] | None = None) -> None:
    ingestor = Ingestor(store)
    for doc_id, text in texts.items():
        document = Document(id=doc_id, text=text, outlet=(outlets or {}).get(doc_id))
        ingestor.add(document, extract(text, nlp=nlp, doc_id=doc_id, outlet=document.outlet))


def speaker_names(store) -> dict[str, int]:
    with store.read() as session:
        rows = session.execute(
            select(Speaker.name, func.count(StoredQuote.id)).join(StoredQuote, StoredQuote.speaker_id == Speaker.id).group_by(Speaker.id)
        ).all()
    return {name: count for name, count in rows}


def aliases_of(store, name: str) -> set[str]:
    with store.read() as session:
        speaker_id = session.scalar(select(Speaker.id).where(Speaker.name == name))
        return set(session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == speaker_id)))


def test_family_members_and_juniors_are_never_one_speaker(store, nlp):
    store_texts(
        store,
        {
            "a": "Hillary Clinton said that the plan would work.",
            "b": "Former President Bill Clinton said that the economy was strong.",
            "c": "Chelsea Clinton said that her mother would win.",
            "d": "Donald Trump said that the polls were rigged.",
            "e": "Donald Trump Jr. said that his father would win.",
            "f": "Hillary Rodham Clinton said that the plan was ready.",
        },
        nlp,
    )
    names = speaker_names(store)
    assert {"Hillary Clinton", "Bill Clinton", "Chelsea Clinton", "Donald Trump", "Donald Trump Jr."} <= set(names)
    assert names["Hillary Clinton"] == 2  # "Hillary Rodham Clinton" is her
    assert not {"Bill Clinton", "Chelsea Clinton"} & aliases_of(store, "Hillary Clinton")
    assert "Donald Trump Jr." not in aliases_of(store, "Donald Trump")


def test_given_names_one_letter_apart_are_two_people(store, nlp):
    store_texts(
        store,
        {
            "a": "Ivana Trump said that the divorce papers should stay sealed.",
            "b": "Ivanka Trump said that the leave plan would help mothers.",
            "c": "Eric Holder said that the law was clear.",
            "d": "Erica Holder said that the school had closed.",
        },
        nlp,
    )
    names = speaker_names(store)
    assert {"Ivana Trump", "Ivanka Trump", "Eric Holder", "Erica Holder"} <= set(names)
    assert "Ivanka Trump" not in aliases_of(store, "Ivana Trump")


def test_a_bare_surname_with_two_namesakes_stored_is_one_ambiguous_speaker(store, nlp):
    store_texts(
        store,
        {
            "a": "Donald Trump said that the polls were rigged.",
            "b": "Ivanka Trump said that the economy would grow.",
            "c": "Trump said that the wall would be built.",
            "d": "Trump said that taxes would fall.",
        },
        nlp,
    )
    names = speaker_names(store)
    assert names == {"Donald Trump": 1, "Ivanka Trump": 1, "Trump": 2}


def test_abbreviations_of_an_organisation_are_one_speaker(store, nlp):
    store_texts(
        store,
        {
            "a": "The Federal Bureau of Investigation said that the inquiry was closed.",
            "b": "The FBI said that no charges would be brought.",
            "c": "The F.B.I. said that it had found new emails.",
        },
        nlp,
    )
    names = speaker_names(store)
    assert len([n for n in names if "F" in n]) == 1 and sum(names.values()) == 3


def test_the_post_in_a_washington_post_article_is_the_washington_post(store, nlp):
    store_texts(
        store,
        {
            "a": "The Washington Post reported that the senator had resigned.",
            "b": "The Post has learned that the senator will run again.",
        },
        nlp,
        outlets={"b": "Washington Post"},
    )
    assert speaker_names(store) == {"Washington Post": 2}


def test_a_lookup_reads_only_speakers_sharing_a_key(store, nlp):
    from quotetrack.store.identity import name_parts, query_keys
    from quotetrack.store.speakers import SpeakerIndex

    store_texts(store, {"a": "Maria Ivanova said that the bridge would open.", "b": "Tomas Lind said that taxes would rise."}, nlp)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(SpeakerKey)) >= 2
        index = SpeakerIndex(session)
        index.load(query_keys(name_parts("Ivanova"), "person"))
        assert [p.name for p in index.profiles.values()] == ["Maria Ivanova"]


# --- one way to name a speaker on the command line -------------------------------------------------

TRUMPS = {
    "a": "Donald Trump said that the polls were rigged. Donald Trump said that the wall would be built.",
    "b": "Ivanka Trump said that the economy would grow.",
    "c": "Eric Trump said that his father would win.",
}


@pytest.fixture
def trumps(tmp_path, nlp):
    from typer.testing import CliRunner

    from quotetrack.cli import app

    db = tmp_path / "trumps.db"
    for doc_id, text in TRUMPS.items():
        (tmp_path / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["extract", *(str(tmp_path / f"{d}.txt") for d in TRUMPS), "--db", str(db), "-q", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    return runner, app, db


def test_several_matching_speakers_are_an_error_listing_them_in_every_command(trumps):
    runner, app, db = trumps
    for command in (["quotes"], ["report"], ["compare", "--speaker", "Eric Trump"]):
        result = runner.invoke(app, [*command, "--speaker", "Trump", "--db", str(db)])
        assert result.exit_code == 1, (command, result.output)
        (line,) = [x for x in result.output.splitlines() if x.startswith("Error:")]
        assert "speaker 'Trump': 3 speakers match:" in line and "Donald Trump (2 quotes)" in line, line
        assert "--all-matching" in line


def test_all_matching_takes_every_fitting_speaker(trumps):
    runner, app, db = trumps
    result = runner.invoke(app, ["quotes", "--speaker", "Trump", "--all-matching", "--db", str(db), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 4


def test_an_unknown_speaker_is_an_error_with_the_closest_names(trumps):
    runner, app, db = trumps
    result = runner.invoke(app, ["quotes", "--speaker", "Ivanka Trum", "--db", str(db)])
    assert result.exit_code == 1
    assert "Error: speaker 'Ivanka Trum': no speaker has this name or alias; closest: Ivanka Trump" in result.output


def test_rename_and_split_never_make_a_second_speaker_of_an_existing_name(trumps):
    runner, app, db = trumps
    result = runner.invoke(app, ["speakers", "rename", "Eric Trump", "Ivanka Trump", "--db", str(db)])
    assert result.exit_code == 1
    assert "rename: speaker 'Ivanka Trump' exists already" in result.output and "quotetrack speakers merge" in result.output
    result = runner.invoke(app, ["speakers", "split", "Donald Trump", "--doc", "a", "--db", str(db)])
    assert result.exit_code == 1
    assert "split: the new speaker would also be called 'Donald Trump'; give it a name of its own with --name" in result.output


def test_a_persons_account_speaks_for_them_but_their_spokesman_does_not(nlp):
    text = (
        "Patricia Farley worked for the senator for a decade.\n\n"
        "Farley’s account says that the office kept no records.\n\n"
        "Farley’s spokesman said that she would not comment."
    )
    assert speaker_of(text, "the office kept no records", nlp) == "Patricia Farley"
    assert speaker_of(text, "she would not comment", nlp) is None


def test_an_initial_finds_the_full_given_name_in_the_store(store, nlp):
    from quotetrack.store.queries import find_speaker

    store_texts(store, {"a": "Vladimir Putin said that the talks were useful.", "b": "V. Putin said that sanctions would fail."}, nlp)
    assert speaker_names(store) == {"Vladimir Putin": 2}
    with store.read() as session:
        assert find_speaker(session, "V. Putin").name == "Vladimir Putin"
        assert find_speaker(session, "Wladimir Putin").name == "Vladimir Putin"


def test_a_nickname_is_the_same_given_name_in_an_article_and_in_the_store(store, nlp):
    text = (
        "Leonard E. Burman, the director of the tax center, said that the plan would cost $9 trillion.\n\n"
        "“The numbers do not add up,” Len Burman said."
    )
    assert {speaker for speaker, _ in speakers_of(text, nlp)} == {"Leonard E. Burman"}
    store_texts(store, {"a": "Bill Clinton said that the economy was growing.",
                        "b": "William Clinton said that the bill was signed."}, nlp)
    assert speaker_names(store) == {"Bill Clinton": 2}


def test_a_capitalised_common_noun_is_not_a_speaker_name(nlp):
    text = "Clinton and Trump are tied in Ohio.\n\nNew Poll says that voters are split."
    assert all(speaker is None or "Poll" not in speaker for speaker, _ in speakers_of(text, nlp)), speakers_of(text, nlp)


def test_he_is_not_the_subject_of_a_clause_inside_the_last_speakers_sentence(nlp):
    text = (
        "Marcus Webb, a delegate from Houston, said the convention was a circus.\n\n"
        "“We show anger, we show emotion,” said Webb, whose favourite was out of the race after Jeb Bush quit in February.\n\n"
        "“We are alive, unlike the robots you will see next week,” he said."
    )
    assert speaker_of(text, "We are alive", nlp) == "Marcus Webb"


def test_a_definite_description_by_a_role_the_person_was_introduced_with(nlp):
    text = (
        "Top Republican Party donor Samuel Adler said on Friday that he met the candidate this week.\n\n"
        "The mega donor said that the meeting had gone well.\n\n"
        "Former Secretary of State Joan Pratt spoke in Iowa on Monday.\n\n"
        "The former secretary of state said that she would raise wages."
    )
    assert speaker_of(text, "the meeting had gone well", nlp) == "Samuel Adler"
    assert speaker_of(text, "raise wages", nlp) == "Joan Pratt"


def test_someones_doctor_is_not_named_after_the_possessors_titles(nlp):
    text = (
        "Republican presidential candidate Victor Hale held a rally in Ohio on Monday.\n\n"
        "Libertarian presidential candidate Gary Lang’s doctor said that Lang was in good health."
    )
    assert speaker_of(text, "in good health", nlp) is None


def test_a_common_word_in_a_heading_in_capitals_is_not_a_person():
    # the tagger took a heading in capitals for a name ("FELLOW DOCTORS …"): "a group of doctors"
    # further down is not that "person", while "Mr. Doctors" would be
    from quotetrack.extraction.candidates import PersonMention
    from quotetrack.extraction.resolve import People, _known_name_in

    people = People([PersonMention((7, 14), "DOCTORS", "PERSON", (), False, True)])
    assert _known_name_in("A group of doctors", people, 200) is None
    assert _known_name_in("Mr. Doctors", people, 200) is not None


def test_the_department_is_the_department_of_named_before(nlp):
    text = (
        "A report by the Department of Veterans Affairs was released on Monday.\n\n"
        "The department said that 20 veterans a day take their own lives."
    )
    assert speaker_of(text, "20 veterans a day", nlp) == "Department of Veterans Affairs"


def test_a_misspelt_surname_is_the_person_named_in_full(nlp):
    text = (
        "Former New York mayor Rudy Giuliani spoke on Fox News on Tuesday.\n\n"
        "Giulini said that the decision was a disgrace."
    )
    assert speaker_of(text, "was a disgrace", nlp) == "Rudy Giuliani"


def test_an_apposition_about_another_person_lends_no_role(nlp):
    # "a close friend of Prime Minister …" makes him no prime minister; a tycoon may be the donor
    text = (
        "Top Republican Party donor Samuel Adler said on Friday that he met the candidate this week.\n\n"
        "Adler, a close friend of Israeli Prime Minister Benjamin Netanyahu, has given millions to the party.\n\n"
        "“It was very nice,” the casino tycoon told reporters in Macau."
    )
    assert speaker_of(text, "It was very nice", nlp) == "Samuel Adler"


def test_a_verb_in_a_title_cased_headline_is_no_person(nlp):
    text = (
        "Republican Donor Adler and Trump May Be Aligning on Israel.\n\n"
        "Top Republican Party donor Samuel Adler said on Friday that he met Donald Trump this week.\n\n"
        "While the mega donor did not disclose how much he would give, he did say that Trump was charming."
    )
    assert speaker_of(text, "Trump was charming", nlp) == "Samuel Adler"
    assert all(speaker != "Aligning" for speaker, _ in speakers_of(text, nlp))


def test_he_after_a_subordinate_clause_is_its_subject_not_a_name_after_it(nlp):
    text = (
        "Senator Paul Reeves met the governor on Monday.\n\n"
        "Although the senator would not discuss the budget, he said Donald Trump would lose the state."
    )
    assert speaker_of(text, "Donald Trump would lose", nlp) == "Paul Reeves"


def test_a_definite_description_before_the_name_is_the_one_person_it_fits(nlp):
    text = (
        "The lawyer sat down, and the courtroom fell silent.\n\n" + "The clerks stared at the bench for a long time. " * 12 + "\n\n"
        "“Everything you have said has overlapped,” the judge said.\n\n"
        "Judge Richard Alvarez then took a short recess."
    )
    assert speaker_of(text, "Everything you have said", nlp) == "Richard Alvarez"


def test_the_campaign_is_the_campaign_named_just_before(nlp):
    text = (
        "A new ad from Jane Doyle’s presidential campaign attacks her rival on trade.\n\n"
        "The ad uses footage of a rally in Ohio.\n\n"
        "The campaign says the ad will air nationally."
    )
    assert speaker_of(text, "the ad will air nationally", nlp) == "Jane Doyle campaign"


def test_a_person_known_to_agree_in_gender_outranks_an_unknown_one_in_the_sentence(nlp):
    # "Jordan" is no given name of one sex in the table: "she" is Mary Lang, named in the sentence
    text = (
        "Governor Jordan Blake called Mary Lang a disgrace after she said that the police were biased."
    )
    assert speaker_of(text, "the police were biased", nlp) == "Mary Lang"


def test_a_title_joined_by_another_preposition_is_not_the_names(nlp):
    text = (
        "President Barack Obama has long talked about the climate.\n\n"
        "In 2008 Obama ran for president against Senator John McCain of Arizona.\n\n"
        "Benjamin Rhodes, one of the president’s closest aides, recalled the campaign.\n\n"
        "The president’s roots also came into play. In Honolulu, he told a meeting that the islands were at risk."
    )
    assert speaker_of(text, "the islands were at risk", nlp) == "Barack Obama"


def test_a_lede_description_is_the_first_speaker_named_below(nlp):
    text = (
        "A former party chairman says that the party needs a plan to replace its nominee.\n\n"
        "“Now is the time to prepare,” said Don Fowler, who led the party from 1995 to 1997.\n\n"
        "Ed Rendell, who served as general chairman of the party in 2000, agreed that the rules should change."
    )
    assert speaker_of(text, "needs a plan to replace", nlp) == "Don Fowler"


def test_his_lawyer_is_not_a_lawyer_named_before(nlp):
    text = (
        "Cheryl Mills, a lawyer, spoke to investigators in May.\n\n"
        "Bryan Pagliano refused to testify on Tuesday.\n\n"
        "His lawyer said that the subpoena was unlawful."
    )
    assert speaker_of(text, "the subpoena was unlawful", nlp) is None


def test_who_after_a_place_stands_for_the_people_before_it(nlp):
    text = (
        "The change in approach from Clinton is likely to placate nervous Democrats on Capitol Hill, who have "
        "argued that it helps candidates when Trump is painted as a greedy Republican."
    )
    assert speaker_of(text, "it helps candidates", nlp) is None


def test_said_and_a_name_after_a_quote_are_its_speaker_whatever_follows_the_name(nlp):
    # a long clause after the name once kept the parse from tying "said" to the quote
    text = (
        "The challenges are large.\n\n"
        "''She needs one or two big ideas that are proportionate to the scale of the problems we are facing,'' "
        "said Robert Reich, who served as labor secretary during Mr. Clinton's first term yet endorsed Bernie "
        "Sanders in the Democratic primary.\n\n"
        "\"They are trying to slap us in the face, thinking we are going to shut up,\" Quina Jones, 25, said as "
        "she and hundreds of other demonstrators moved through the city early Sunday morning."
    )
    assert speaker_of(text, "She needs one or two big ideas", nlp) == "Robert Reich"
    assert speaker_of(text, "slap us in the face", nlp) == "Quina Jones"


def test_a_quoted_headline_after_a_colon_is_the_person_it_starts_with(nlp):
    text = (
        "Elizabeth Warren Hammers Wells Fargo CEO: ‘You Should Be Criminally Investigated.’\n\n"
        "Massachusetts Sen. Elizabeth Warren grilled Wells Fargo CEO John Stumpf on Tuesday."
    )
    assert speaker_of(text, "You Should Be Criminally Investigated", nlp) == "Elizabeth Warren"


def test_the_ad_is_the_work_of_who_made_the_video_named_before(nlp):
    text = (
        "A web video by the Republican National Committee references four of the senator's cases.\n\n"
        "The clip says the senator “has a passion for defending the wrong people.”"
    )
    assert speaker_of(text, "has a passion for defending", nlp) == "Republican National Committee"


def test_a_brand_written_in_one_word_is_an_organisation(nlp):
    text = "The senator leads in the latest averages, with RealClearPolitics showing her ahead 3 points."
    assert speaker_of(text, "ahead 3 points", nlp) == "RealClearPolitics"


def test_an_organisations_average_speaks_for_the_organisation(nlp):
    text = "POLITICO’s Battleground States average shows Clinton ahead by 3.7 percentage points."
    assert speaker_of(text, "3.7 percentage points", nlp) == "POLITICO"


def test_a_company_called_by_its_first_word_is_the_company(nlp):
    text = (
        "The company was founded in 2007 from a spinoff of the coal mining giant Peabody Energy.\n\n"
        "Peabody said that it would keep paying the pensions of its retired miners."
    )
    assert speaker_of(text, "keep paying the pensions", nlp) == "Peabody Energy"


def test_a_party_and_state_tag_after_a_name_is_that_person(nlp):
    text = (
        "“She would be a great governor. Not good, great. One of the best people in the whole state,” "
        "Rep. Maria Lopez (D-Md.) said in a phone interview."
    )
    assert speaker_of(text, "a great governor", nlp) == "Maria Lopez"


def test_a_party_alone_does_not_make_someone_the_nominee(nlp):
    # Kall is a Republican only by a word of his apposition: "the Republican nominee" is not him
    text = (
        "Donald Trump questioned the debate rules on Friday.\n\n"
        "“It is a risky strategy,” said Aaron Kall, a Republican strategist in Michigan.\n\n"
        "The Republican nominee said that the moderators were biased."
    )
    assert speaker_of(text, "the moderators were biased", nlp) != "Aaron Kall"


def test_a_work_speaks_for_who_it_says_made_it_right_after(nlp):
    text = (
        "Clinton led among women, according to early results of the exit poll conducted by Edison Research "
        "for the Associated Press and television networks.\n\n"
        "The officials searched three accounts, according to a declaration filed in federal court by John F. Hackett."
    )
    assert speaker_of(text, "Clinton led among women", nlp) == "Edison Research"
    assert speaker_of(text, "searched three accounts", nlp) == "John F. Hackett"


def test_his_words_speak_for_him_but_not_his_lawyer(nlp):
    text = (
        "Donald Trump spoke to flight attendants in Ohio on Friday.\n\n"
        "His campaign theme of questioning trade deals suggests that the factories will return.\n\n"
        "His lawyer said that the audit was routine."
    )
    assert speaker_of(text, "the factories will return", nlp) == "Donald Trump"
    assert speaker_of(text, "the audit was routine", nlp) is None


def test_an_article_speaks_for_the_paper_that_ran_it(nlp):
    text = (
        "A New York Times article in 1996 praised the developer.\n\n"
        "“Business leaders honored him for the comeback of the decade,” the article read.\n\n"
        "“He has managed to erase much of his debt,” it added."
    )
    assert speaker_of(text, "comeback of the decade", nlp) == "New York Times"
    assert speaker_of(text, "erase much of his debt", nlp) == "New York Times"


def test_the_city_of_a_place_is_the_city_government(nlp):
    text = (
        "The city of Phoenix said that the rally would need a permit.\n\n"
        "It said that the fee had not been paid."
    )
    assert speaker_of(text, "would need a permit", nlp) == "City of Phoenix"
    assert speaker_of(text, "the fee had not been paid", nlp) == "City of Phoenix"


def test_a_headline_taken_for_an_organisation_ending_in_a_surname_is_that_person(nlp):
    text = (
        "Navy Mom Presses Obama On His Refusal To Say ‘Radical Islam.’\n\n"
        "President Barack Obama answered a father at a town hall on Thursday by saying the phrase was a "
        "“manufactured” issue."
    )
    assert speaker_of(text, "Radical Islam", nlp) == "Barack Obama"


def test_a_heading_or_a_live_blog_label_is_no_organisation(nlp):
    text = "THE BORROWING Back in 2010, the school said that loans were rising.\n\nThe Latest says that the vote is close."
    assert all(speaker is None for speaker, _ in speakers_of(text, nlp)), speakers_of(text, nlp)


# --- round 6 ----------------------------------------------------------------------------------


def test_a_name_in_passing_inside_reported_words_waits_behind_the_speaker(nlp):
    text = (
        "Walter Pierce, a former party chairman, said the convention should have a plan.\n\n"
        "The last change went smoothly, he said, but a new one would bring lobbying by allies of "
        "Joe Biden and Bernie Sanders. That is why, he argued, the party must prepare now."
    )
    assert speaker_of(text, "the party must prepare now", nlp) == "Walter Pierce"


def test_a_person_a_paragraph_introduces_is_the_he_of_the_next_quotation(nlp):
    text = (
        "“The campaign has not reached young voters,” said Bryan Miller, a student in Tampa.\n\n"
        "Obama had many artists writing songs for him, something that worries Henry Castillo, "
        "president of the Miami Democratic Caucus.\n\n"
        "“No one is writing songs for this campaign,” he said."
    )
    assert speaker_of(text, "No one is writing songs", nlp) == "Henry Castillo"


def test_a_subject_after_the_introduced_person_stays_the_topic(nlp):
    text = (
        "“We knock on doors every day,” said Robert Scott, the congressman.\n\n"
        "Then a student asked how the campaign could inspire people the way Sen. Bernie Sanders had. "
        "Scott answered slowly.\n\n"
        "“You have a choice,” he said."
    )
    assert speaker_of(text, "You have a choice", nlp) == "Robert Scott"


def test_a_headline_description_without_its_article_is_the_lede_person(nlp):
    text = (
        "Lawmaker urges sanctions;\n\n"
        "Member of House panel says the U.S. must keep Moscow out of elections.\n\n"
        "Rep. Adam Schiff, the top Democrat on the House Intelligence Committee, called on the "
        "government to act against Russia.\n\n"
        "“This is new and troubling,” Schiff told reporters."
    )
    assert speaker_of(text, "must keep Moscow out", nlp) == "Adam Schiff"


def test_the_congressman_is_the_representative_named_before(nlp):
    text = (
        "Rep. Adam Schiff met voters on Monday. The California congressman said that the hacking "
        "was designed to sow discord."
    )
    assert speaker_of(text, "the hacking was designed", nlp) == "Adam Schiff"


def test_a_role_word_the_tagger_called_a_name_is_a_description(nlp):
    text = (
        "Clinton Hid Health Problems From Public, Former White House Doctor Says.\n\n"
        "Dr. Connie Mariano said that in 1998 the staff kept a blood clot quiet.\n\n"
        "“I assigned a nurse to the campaign,” Mariano wrote."
    )
    assert speaker_of(text, "Clinton Hid Health Problems", nlp) == "Connie Mariano"


def test_what_someone_seems_to_do_is_the_writers_view_not_theirs(nlp):
    text = (
        "Melania Trump spoke in Ohio in July. Now Melania seems to have vanished from the campaign trail.\n\n"
        "Last week Stumpf appeared to blame low-level workers for the fraud."
    )
    quotes = extract(text, nlp=nlp)
    seems = [q for q in quotes if "vanished" in q.content]
    assert seems and all(q.speaker is None and q.speaker_mention is None for q in seems)
    assert speaker_of(text, "low-level workers", nlp) == "Stumpf"  # appearing to blame is blaming


def test_who_is_asked_is_not_who_asks(nlp):
    text = "Pressed to explain the delay in the investigation, Chief Carla Ruiz said the police had acted quickly."
    quotes = extract(text, nlp=nlp)
    pressed = [q for q in quotes if "the delay" in q.content]
    assert pressed and all(q.speaker is None for q in pressed)
    assert speaker_of(text, "the police had acted quickly", nlp) == "Carla Ruiz"


def test_a_statement_speaks_for_whoever_issued_it(nlp):
    text = (
        "After a late meeting, the Security Council issued a statement calling the test a clear violation. "
        "The statement noted that the council had promised further measures."
    )
    assert speaker_of(text, "the council had promised", nlp) == "Security Council"


def test_the_agency_is_the_department_just_named(nlp):
    text = (
        "Too many calls are not getting through to the Department of Veterans Affairs hotline. "
        "The agency said that it is hiring more staff."
    )
    assert speaker_of(text, "it is hiring more staff", nlp) == "Department of Veterans Affairs"


def test_said_before_the_name_and_a_colon_opens_the_quote(nlp):
    text = (
        "Experts say her plans would make the code more complicated. "
        "Said Ellis: “I don’t get the sense she’s the least bit interested in tax reform.”"
    )
    assert speaker_of(text, "interested in tax reform", nlp) == "Ellis"


def test_titles_before_a_name_after_the_quote_do_not_hide_the_speaker(nlp):
    text = (
        "The U.S. Department of Justice is investigating the shooting.  \n“I will just make this promise "
        "to you: We will achieve justice in this case,” Tulsa police Chief Chuck Jordan said Monday."
    )
    assert speaker_of(text, "We will achieve justice", nlp) == "Chuck Jordan"


def test_a_show_named_in_quotation_marks_is_not_the_speaker(nlp):
    text = (
        "Retired Lt. Gen. Michael Flynn spoke on Thursday.\n\n"
        "“He's absolutely right. There's a severe disconnect between this White House and frankly the "
        "president and our military,” Flynn, a top Trump "
        "surrogate, said Thursday morning on Fox News’s “Fox and Friends.” “I mean, there's a lot of "
        "frustration within the ranks.”"
    )
    assert speaker_of(text, "severe disconnect", nlp) == "Michael Flynn"
    assert speaker_of(text, "frustration within the ranks", nlp) == "Michael Flynn"


def test_a_label_before_a_headlines_colon_is_not_its_speaker(nlp):
    text = (
        "The Latest: Trump urges supporters to monitor polling places.\n\n"
        "WASHINGTON (AP) — The Latest on the presidential race:\n\n"
        "Donald Trump is once again questioning the integrity of the voting system."
    )
    assert speaker_of(text, "to monitor polling places", nlp) == "Donald Trump"


def test_they_after_people_joined_as_one_subject_is_that_pair(nlp):
    text = (
        "Senators Charles Grassley and Patrick Leahy say other changes are needed.\n\n"
        "The program has expanded well beyond its original intent, they say."
    )
    assert speaker_of(text, "expanded well beyond", nlp) == "Charles Grassley"


def test_they_after_someone_else_spoke_stays_unnamed(nlp):
    text = (
        "Senators Charles Grassley and Patrick Leahy say other changes are needed. "
        "Developers disagree, said Angela Brunner, a spokeswoman for the coalition.\n\n"
        "The program creates jobs, they say."
    )
    assert speaker_of(text, "creates jobs", nlp) is None


def test_an_organisation_the_tagger_ran_over_a_comma_ends_at_it(nlp):
    text = "According to a new report by Politico, Democratic party insiders are trying to mobilize black voters."
    assert speaker_of(text, "trying to mobilize", nlp) == "Politico"


@pytest.mark.parametrize("text, content", [
    ("The senators grilled Bank executives on Tuesday.\n\nThe bank said that it had fired thousands of employees.",
     "fired thousands"),
    ("Voters in the State rejected the plan.\n\nIn 2000, the state incorrectly stated that 12,000 voters were ex-cons.",
     "12,000 voters"),
])
def test_a_description_is_no_organisation_named_by_its_one_word(nlp, text, content):
    assert speaker_of(text, content, nlp) is None


def test_the_senators_after_two_senators_joined_as_subject_are_that_pair(nlp):
    text = (
        "Senators Charles Grassley and Patrick Leahy say other changes are needed.\n\n"
        "Developers built luxury condos, amounting to what the senators said was economic gerrymandering."
    )
    assert speaker_of(text, "economic gerrymandering", nlp) == "Charles Grassley"


def test_each_of_people_joined_as_subject_is_that_pair(nlp):
    text = (
        "Donald Trump and Hillary Clinton vied for the title of commander in chief Wednesday, each touting "
        "their own experience and saying the other lacks the judgment to lead the armed forces."
    )
    assert speaker_of(text, "the other lacks the judgment", nlp) == "Donald Trump"


def test_a_description_named_in_the_next_paragraph_beats_a_weaker_fit_before(nlp):
    text = (
        "City Attorney Brad Holm said in the letter that the advertisement misled voters.\n\n"
        "___\n\n"
        "11:50 a.m.\n\n"
        "The New York state attorney general is confirming that the foundation is not registered as a charity.\n\n"
        "But Attorney General Eric Schneiderman isn't saying if the foundation violated any laws."
    )
    assert speaker_of(text, "not registered as a charity", nlp) == "Eric Schneiderman"


def test_a_places_official_in_the_lede_is_the_person_named_next(nlp):
    text = (
        "The Latest: Leaked taxes not from Connecticut.\n\n"
        "WASHINGTON (AP) — The Latest on the presidential race (all times EDT):\n\n"
        "2:45 p.m.\n\n"
        "Connecticut’s tax commissioner says an internal review shows no one from the state released the filings.\n\n"
        "Kevin Sullivan says he instructed staff Monday to check whether anyone disclosed the information."
    )
    assert speaker_of(text, "an internal review shows", nlp) == "Kevin Sullivan"


def test_slides_speak_for_whoever_presents_them(nlp):
    text = (
        "Ildefonso Guajardo Villarreal, Mexico's economy secretary, travels to Washington often.\n\n"
        "A slide from a presentation that Mr. Guajardo Villarreal and his aides carry with them shows what "
        "a car made in Mexico would cost under a tariff. Another slide shows that most avocados eaten in "
        "the United States are grown in Mexico.\n\n"
        "Six million American jobs also depend on exports to Mexico, one slide says."
    )
    assert speaker_of(text, "would cost under a tariff", nlp) == "Ildefonso Guajardo Villarreal"
    assert speaker_of(text, "most avocados", nlp) == "Ildefonso Guajardo Villarreal"
    assert speaker_of(text, "Six million American jobs", nlp) == "Ildefonso Guajardo Villarreal"


def test_a_work_someone_mocks_is_not_theirs(nlp):
    text = "A chart that Mr. Trump mocked shows that the deficit grew."
    assert speaker_of(text, "the deficit grew", nlp) is None


def test_an_analysis_by_a_person_is_theirs(nlp):
    text = (
        "Some families would pay more under the plan, according to an analysis by Lily Batchelder, "
        "a former Democratic tax aide now teaching at New York University."
    )
    assert speaker_of(text, "Some families would pay more", nlp) == "Lily Batchelder"


def test_research_conducted_by_a_center_is_the_centers(nlp):
    text = (
        "The Republican National Committee Research team attacked the site last year.\n\n"
        "In 2013, research conducted by the Center for Media and Public Affairs found PolitiFact "
        "rated Democrats higher."
    )
    assert speaker_of(text, "rated Democrats higher", nlp) == "Center for Media and Public Affairs"


def test_the_study_after_a_survey_is_that_survey(nlp):
    text = (
        "The policy appears to help Republicans, according to a recent Reuters survey of voter lists. "
        "The study found that voters were taken off the rolls at twice the rate in Democratic areas."
    )
    assert speaker_of(text, "taken off the rolls", nlp) == "Reuters"


def test_the_data_after_an_organisation_spoke_are_its_data(nlp):
    text = (
        "The State Department Refugee Processing Center said that most of the refugees are Sunni Muslims.\n\n"
        "According to the data, Christians make up less than half of 1 percent of the refugees."
    )
    assert speaker_of(text, "Christians make up", nlp) == "State Department Refugee Processing Center"


def test_a_new_poll_in_the_headline_and_lede_is_the_poll_the_story_names(nlp):
    text = (
        "New Poll Shows Minor Post-Debate Bump For Clinton.\n\n"
        "A new poll shows that Donald Trump remains in a tight race with Hillary Clinton after the first debate.\n\n"
        "Clinton did not receive a bump in one of the first post-debate polls to emerge.\n\n"
        "The latest Reuters/Ipsos opinion poll released Friday shows that Clinton leads Trump by 43 percent to 38 percent."
    )
    body = speaker_of(text, "Clinton leads Trump by 43 percent", nlp)
    assert body is not None and body.endswith("Ipsos")  # the tagger may leave Reuters out of the name
    assert speaker_of(text, "Minor Post-Debate Bump", nlp) == body
    assert speaker_of(text, "remains in a tight race", nlp) == body


def test_a_speech_someone_delivered_speaks_for_them(nlp):
    text = (
        "Hillary Clinton wants to change how capital gains are taxed. The goal is to curb activist "
        "investors, according to a speech Mrs. Clinton delivered at New York University in July 2015."
    )
    assert speaker_of(text, "The goal is to curb activist investors", nlp) == "Hillary Clinton"


def test_a_quote_after_a_subject_named_by_apposition_continues_that_person(nlp):
    text = (
        "In the 1990s, he turned one of his companies, Lenox Healthcare, into a large business. His former "
        "business partner at Lenox, Lawrence B. Cummings, called him a master at bolting together "
        "impossible business transactions. \"He showed again and again an ability to put together deals "
        "that other people couldn't.\""
    )
    quotes = [q for q in extract(text, nlp=nlp) if "He showed again" in q.content]
    assert quotes and quotes[0].speaker == "Lawrence B. Cummings"
    assert quotes[0].speaker_mention == "His former business partner at Lenox"


def test_a_name_at_the_end_of_a_clause_in_the_mention_is_not_the_speaker(nlp):
    text = (
        "As it stands, America’s prison system accounts for 25 percent of the world’s inmates, according to the "
        "Federal Bureau of Prisons. The film ― which\u00a0weaves together the voices of expert historians and "
        "activists like Angela Davis and The New Jim Crow author Michelle Alexander, among others ― explains "
        "America’s historical treatment of black people."
    )
    assert speaker_of(text, "historical treatment", nlp) != "Michelle Alexander"


def test_he_is_not_the_woman_known_by_her_first_name_but_the_man_in_the_clause(nlp):
    text = (
        "Donald Trump spoke at the convention on television.\n\n"
        "“I would,” Melanie said to the TV. “I would, Donald.”\n\n"
        "“You winning?” she said, but Kevin was drifting off again, and as Trump went on about how the system "
        "is rigged, Melanie said yes, yes, yes, over and over again, until Trump reached the final three words "
        "of his speech.\n\n"
        "“I love you,” he said."
    )
    assert speaker_of(text, "I love you", nlp) == "Donald Trump"


@pytest.mark.parametrize("text, content", [
    ("RT and its defenders say that the network is no more biased than any other news organization.", "no more biased"),
    ("Stacey Edwards and others say the revolution continues.", "the revolution continues"),
])
def test_a_name_joined_with_a_group_is_that_group_not_the_name(nlp, text, content):
    assert speaker_of(text, content, nlp) is None


# --- round 7: where the parse misleads, and relatives named by "of" ------------------------------


def parsed(nlp, words: list[str], heads: list[int], deps: list[str], pos: list[str], tags: list[str]):
    """A sentence with the parse the model gave a real news sentence of this shape, fixed so that the
    rule, not the model's mood, is under test."""
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags,
               lemmas=[w.lower() for w in words])


def test_a_verb_after_and_takes_no_subject_from_the_noun_before_the_and(nlp):
    from quotetrack.extraction.mentions import surface_subject

    # "… a call for “arms” to Ukraine and replacing it": the parse hangs "replacing" on "arms"
    words = ["Aides", "cut", "a", "call", "for", "“", "arms", "”", "to", "Ukraine", "and", "replacing", "it", "."]
    heads = [1, 1, 3, 1, 3, 6, 4, 6, 6, 8, 6, 6, 11, 1]
    deps = ["nsubj", "ROOT", "det", "dobj", "prep", "punct", "pobj", "punct", "prep", "pobj", "cc", "conj", "dobj", "punct"]
    pos = ["NOUN", "VERB", "DET", "NOUN", "ADP", "PUNCT", "NOUN", "PUNCT", "ADP", "PROPN", "CCONJ", "VERB", "PRON", "PUNCT"]
    tags = ["NNS", "VBD", "DT", "NN", "IN", "``", "NNS", "''", "IN", "NNP", "CC", "VBG", "PRP", "."]
    doc = parsed(nlp, words, heads, deps, pos, tags)
    assert surface_subject(doc[11]) is None


def test_two_subjects_in_the_parse_the_one_next_to_the_verb_is_its_subject(nlp):
    from quotetrack.extraction.mentions import subject_of

    # "… 2 percent back Jones, while 4 percent prefer Gary Johnson and 1 percent support Stein", parsed with
    # "support" as the root of both "Jones" and "Johnson and 1 percent"
    words = ["2", "percent", "back", "Jones", ",", "while", "4", "percent", "prefer", "Johnson", "and", "1", "percent",
             "support", "Stein", "."]
    heads = [1, 2, 2, 13, 13, 8, 7, 8, 13, 13, 9, 12, 9, 13, 13, 13]
    deps = ["nummod", "nsubj", "ROOT", "nsubj", "punct", "mark", "nummod", "nsubj", "advcl", "nsubj", "cc", "nummod",
            "conj", "ROOT", "dobj", "punct"]
    pos = ["NUM", "NOUN", "VERB", "PROPN", "PUNCT", "SCONJ", "NUM", "NOUN", "VERB", "PROPN", "CCONJ", "NUM", "NOUN",
           "VERB", "PROPN", "PUNCT"]
    tags = ["CD", "NN", "VBP", "NNP", ",", "IN", "CD", "NN", "VBP", "NNP", "CC", "CD", "NN", "VBP", "NNP", "."]
    doc = parsed(nlp, words, heads, deps, pos, tags)
    assert subject_of(doc[13]).i == 12  # "1 percent", not Jones or Johnson


def test_a_phrase_ending_in_notwithstanding_is_not_who_agrees(nlp):
    text = "His threats to sue the newspaper notwithstanding, independent lawyers agree the story was accurate."
    quotes = [q for q in extract(text, nlp=nlp) if "the story was accurate" in q.content]
    assert quotes and quotes[0].speaker_mention == "independent lawyers" and quotes[0].speaker is None


def test_a_participle_after_a_dash_aside_belongs_to_the_clause_outside_it(nlp):
    text = ("Protesters circled the stadium - where the Carolina Panthers played the Dallas Cowboys - while "
            "chanting, \"Hands up, don't shoot.\"")
    quotes = [q for q in extract(text, nlp=nlp) if "Hands up" in q.content]
    assert quotes and quotes[0].speaker_mention == "Protesters" and quotes[0].speaker is None


def test_a_present_tense_verb_without_a_parsed_subject_takes_the_agreeing_noun_before_it(nlp):
    text = "A trial is like a duel in which prosecutors try to prove guilt and defenders argue that doubt remains."
    quotes = [q for q in extract(text, nlp=nlp) if "doubt remains" in q.content]
    assert quotes and quotes[0].speaker_mention == "defenders"


@pytest.mark.parametrize("text, content, named", [
    ("Voters were asked about the race this week.\n\nThe daughter of Governor Tom Wolf said the budget was unfair.",
     "the budget was unfair", "Tom Wolf"),
    ("Voters were asked about the race this week.\n\nA spokesman for the son of Bernie Sanders said he would not run.",
     "he would not run", "Bernie Sanders"),
])
def test_a_relative_named_by_of_is_not_the_person_named(nlp, text, content, named):
    assert speaker_of(text, content, nlp) != named


def test_what_someone_is_dared_or_urged_to_say_is_not_their_quote(nlp):
    text = (
        "Republicans questioned the attorney general for hours on Tuesday, in effect daring her to say that the "
        "emails were lost.\n\nSenator Ann Smith urged him to say that the deal was dead."
    )
    quotes = extract(text, nlp=nlp)
    assert not [q for q in quotes if "emails were lost" in q.content and q.cue == "say"]
    assert [(q.speaker, q.cue) for q in quotes if "the deal was dead" in q.content] == [("Ann Smith", "urged")]


def test_what_someone_is_forced_to_admit_is_still_their_admission(nlp):
    text = "The hearing forced the banker John Stumpf to admit that the bank had failed its customers."
    assert speaker_of(text, "the bank had failed", nlp) == "John Stumpf"


def test_former_is_no_role_a_possessive_description_shares_with_someone_else(nlp):
    text = (
        "Ann Carter on Wednesday called on Tom Kessler to apologize to the governor for his remarks.\n\n"
        "“That was outrageous,” the senator's former campaign manager said in an interview. “He should apologize.”\n\n"
        "Kessler, a former state party chairman and candidate for governor, made the remarks on Monday."
    )
    assert speaker_of(text, "That was outrageous", nlp) != "Tom Kessler"


def test_a_name_then_an_aside_between_commas_then_said_speaks_the_quote_before(nlp):
    text = (
        "The convention ended on Thursday.\n\n“We have had better conventions than this one,” Ohio delegate Tom "
        "Kessler, wearing a straw hat and “Kasich” campaign pins, said as confetti fell."
    )
    quotes = extract(text, nlp=nlp)
    assert speaker_of(text, "better conventions", nlp) == "Tom Kessler"
    # "We" speaks inside the other quotation: not the subject of "wearing"
    assert not [q for q in quotes if q.speaker_mention == "We"]


def test_a_dateline_the_parse_made_the_subject_gives_way_to_the_person_after_its_dash(nlp):
    text = (
        "Kaine campaigns in Ohio.\n\nCleveland (AFP) – Senator Tim Kaine on Friday opened his bus tour of the state, "
        "saying that factory towns had been ignored for too long."
    )
    quotes = [q for q in extract(text, nlp=nlp) if "factory towns" in q.content]
    assert quotes and quotes[0].speaker_mention == "Senator Tim Kaine" and quotes[0].speaker == "Tim Kaine"
    # the parse's other form: the person as the dateline's apposition
    text = ("Biden joins Clinton.\n\nDes Moines (AFP) – Vice President Joe Biden on Tuesday joined the campaign in "
            "Iowa with Hillary Clinton, mocking Donald Trump and accusing him of insulting the families of soldiers.")
    quotes = [q for q in extract(text, nlp=nlp) if "insulting the families" in q.content]
    assert quotes and quotes[0].speaker_mention == "Vice President Joe Biden"


def test_what_someone_wants_others_to_recall_is_not_the_others_quote(nlp):
    text = "Voters go to the polls on Tuesday. Sanders wants voters to recall that he opposed the Iraq war from the start."
    assert not [q for q in extract(text, nlp=nlp) if q.speaker_mention == "voters"]


def test_a_hyphenated_role_is_the_whole_word_in_the_mention(nlp):
    text = ("Mr. Rubio took on Jeb Bush on Monday after the Republican front-runner had said on Sunday that the "
            "senator was not ready.")
    quotes = [q for q in extract(text, nlp=nlp) if "was not ready" in q.content]
    assert quotes and quotes[0].speaker_mention == "the Republican front-runner"


@pytest.mark.parametrize("text, content, maker", [
    ("Donors are changing.\n\nA review of campaign finance records by OpenSecrets found that small donors gave more "
     "than ever.", "small donors gave more", "OpenSecrets"),
    ("Poll: Sanders and Cruz lead in Iowa.\n\nBernie Sanders and Ted Cruz hold narrow leads among likely caucus-goers, "
     "according to the results of the latest Monmouth University poll released Tuesday.", "narrow leads",
     "Monmouth University"),
])
def test_a_work_speaks_for_the_maker_named_in_its_own_phrase(nlp, text, content, maker):
    assert speaker_of(text, content, nlp) == maker


def test_a_headline_poll_is_the_poll_whose_results_the_story_reports(nlp):
    text = ("Poll: Sanders and Cruz lead in Iowa.\n\nBernie Sanders and Ted Cruz hold narrow leads among likely "
            "caucus-goers, according to the results of the latest Monmouth University poll released Tuesday.")
    assert speaker_of(text, "Sanders and Cruz lead in Iowa", nlp) == "Monmouth University"


def test_names_in_a_list_are_not_who_he_stands_for(nlp):
    text = (
        "Broadway star Tom Kessler will try something new when he opens his cabaret show in New York on Friday. "
        "Featuring songs by Dolly Parton, Bruce Springsteen, Willie Nelson and Paul Simon, the show is a tribute to "
        "his mother. In the show, he says that the women in his family taught him to sing."
    )
    assert speaker_of(text, "taught him to sing", nlp) == "Tom Kessler"
