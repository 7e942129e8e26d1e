"""Speaker identity: folding, titles, roles from text, and when two names are one speaker."""

from __future__ import annotations

import pytest

from quotetrack.store import identity
from quotetrack.store.identity import Profile, best_match, fold, name_parts, roles_around, strip_titles
from store_support import seed_text


def profile_of(speaker_id: int, *names: str, roles=(), kind="person") -> Profile:
    profile = Profile(speaker_id, names[0], kind, roles=list(roles))
    for name in names:
        parts = name_parts(name, kind)
        profile.parts.append(parts)
        profile.folded_aliases.add(parts.folded)
    return profile


def test_fold_drops_diacritics_and_punctuation():
    assert fold("Kasımjomart Tokayev") == "kasimjomart tokayev"
    assert fold("Qaziz Abışov-") == "qaziz abisov"
    assert fold("Tokayev’s") == "tokayev"


@pytest.mark.parametrize(
    "name, roles",
    [
        ("Kassym Zhomart Tokayev", []),
        ("Kasımjomart Tokayev", []),
        ("President Tokayev", ["President"]),
        ("Kazakh President Kassym-Jomart Tokayev", []),
    ],
)
def test_tokayev_spellings_are_one_speaker(name, roles):
    stored = profile_of(1, "Kassym-Jomart Tokayev", roles=["Kazakh President"])
    other = profile_of(2, "Sergey Ryabkov")
    assert best_match(name_parts(name), "person", roles, [other, stored]) is stored


def test_a_bare_surname_without_a_role_is_not_filed_under_the_stored_bearer():
    # "Baker said" in an article that names no Baker in full is not Dean Baker, however often he is quoted
    stored = profile_of(1, "Dean Baker", roles=["economist"])
    assert best_match(name_parts("Baker"), "person", [], [stored]) is None
    assert best_match(name_parts("Baker"), "person", ["Senator"], [stored]) is None
    ambiguous = profile_of(2, "Baker")
    assert best_match(name_parts("Baker"), "person", [], [stored, ambiguous]) is ambiguous


def test_transliterated_abyshev_is_one_speaker():
    stored = profile_of(1, "Gaziz Abyshev")
    assert best_match(name_parts("Qaziz Abışov"), "person", [], [stored]) is stored


def test_shared_surname_with_different_first_names_stays_apart():
    stored = profile_of(1, "Kassym-Jomart Tokayev")
    assert best_match(name_parts("Aida Tokayeva"), "person", [], [stored]) is None
    assert best_match(name_parts("Aliya Tokayev"), "person", [], [stored]) is None


def test_surname_only_is_kept_apart_when_roles_disagree():
    stored = profile_of(1, "Smith", roles=["Director of the Institute for US and Canadian Studies"])
    assert best_match(name_parts("John Smith"), "person", ["football coach"], [stored]) is None
    assert best_match(name_parts("John Smith"), "person", ["Director of the Institute"], [stored]) is stored


def test_surname_only_with_two_candidates_is_ambiguous_unless_roles_decide():
    president = profile_of(1, "Kassym-Jomart Tokayev", roles=["Kazakh President"])
    athlete = profile_of(2, "Aida Tokayeva", roles=["Olympic swimmer"])
    minister = profile_of(3, "Nurlan Tokayev", roles=["Finance Minister"])
    assert best_match(name_parts("Tokayev"), "person", [], [president, minister]) is None
    assert best_match(name_parts("Tokayev"), "person", ["President"], [president, minister]) is president
    assert best_match(name_parts("Tokayev"), "person", [], [president, athlete]) is None
    assert best_match(name_parts("Tokayev"), "person", ["Olympic swimmer"], [president, athlete]) is athlete


def test_initial_matches_given_name():
    stored = profile_of(1, "Vladimir Putin")
    assert best_match(name_parts("V. Putin"), "person", [], [stored]) is stored
    assert best_match(name_parts("D. Putin"), "person", [], [stored]) is None


def test_organisations_compare_whole_names():
    ministry = profile_of(1, "Foreign Ministry", kind="org")
    assert best_match(name_parts("Defense Ministry", "org"), "org", [], [ministry]) is None
    assert best_match(name_parts("Foreign Ministry", "org"), "org", [], [ministry]) is ministry


@pytest.mark.parametrize(
    "written, bare, title",
    [
        ("President Tokayev", "Tokayev", "President"),
        ("Russian Deputy Foreign Minister Sergey Ryabkov", "Sergey Ryabkov", "Russian Deputy Foreign Minister"),
        ("US Secretary of State Antony Blinken", "Antony Blinken", "US Secretary of State"),
        ("Qazaxıstan Prezidenti Kasımjomart Tokayev", "Kasımjomart Tokayev", "Qazaxıstan Prezidenti"),
        ("Stephen King", "Stephen King", ""),
    ],
)
def test_titles_are_stripped_from_names(written, bare, title):
    assert strip_titles(written) == (bare, title)


def test_organisation_names_keep_their_words_unless_a_titled_person():
    assert strip_titles("State Department", "org") == ("State Department", "")
    assert strip_titles("Kazakh President Kassym-Jomart Tokayev", "org") == ("Kassym-Jomart Tokayev", "Kazakh President")


def roles_for(prefix: str, name: str) -> list[tuple[str, str]]:
    text = seed_text(prefix)
    found = []
    for start, end in identity.name_occurrences(text, name):
        found.extend((r.text, r.kind) for r in roles_around(text, start, end))
    return sorted(set(found))


def test_roles_before_the_name():
    assert roles_for("001", "Sergey Ryabkov") == [("Russian Deputy Foreign Minister", "title")]
    assert roles_for("000", "Valery Garbuzov") == [("Director of the Institute for US and Canadian Studies", "title")]
    assert roles_for("003", "Maria Zakharova") == [("Russian Foreign Ministry Spokeswoman", "title")]


def test_roles_after_the_name():
    assert roles_for("002", "John Herbst") == [
        ("Atlantic Council", "affiliation"),
        ("former US ambassador to Ukraine and Uzbekistan", "title"),
    ]
    assert roles_for("004", "Gaziz Abyshev") == [("political observer from Astana", "title")]
    assert roles_for("002", "William Courtney") == [("former US ambassador to Kazakhstan", "title")]


def test_a_title_stops_at_the_previous_name():
    # "... Russian President V. Putin and Kazakh President Kassym Zhomart Tokayev"
    assert roles_for("004", "Kassym Zhomart Tokayev") == [("Kazakh President", "title")]


def test_no_role_from_an_ordinary_sentence_start():
    text = "Nevertheless, Anna Berg said so. In Washington Anna Berg said more."
    assert roles_around(text, 14, 23) == []
    start = text.index("Anna Berg", 20)
    assert roles_around(text, start, start + 9) == []


def test_mentions_that_name_the_speaker():
    assert identity.looks_like_name("President Tokayev", "Kassym-Jomart Tokayev")
    assert not identity.looks_like_name("he", "Kassym-Jomart Tokayev")
    assert not identity.looks_like_name("the expert", "Valery Garbuzov")
    assert identity.title_of_mention("President Tokayev", "Kassym-Jomart Tokayev") == "President"
    assert identity.title_of_mention("Russian Deputy Foreign Minister", "Sergey Ryabkov") == "Russian Deputy Foreign Minister"
    assert identity.title_of_mention("the expert", "Valery Garbuzov") is None


def test_descriptions_are_not_proper_names():
    assert identity.proper_name("State Department", "org")
    assert identity.proper_name("Tokayev")
    assert not identity.proper_name("government")
    assert not identity.proper_name("that")
