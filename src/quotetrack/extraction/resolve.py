"""Resolving speaker mentions to people and organisations inside one document, as a reader does.

People. The document's PERSON mentions are read in text order into entities; so is the surname of
someone named in full wherever the tagger saw no entity ("Trump never missed …"). A full name
("Barack Obama") joins the entity with its surname and a compatible given name (a nickname is the
same given name: "Len" for Leonard; "Guajardo Villarreal" is Ildefonso Guajardo Villarreal's two
surnames), or starts one. A bare surname ("Obama", "Mr. Obama",
"President Obama") joins the bearer of that surname it agrees with: honorifics and relation words
give gender ("Mrs. Clinton" is not Bill Clinton), office titles must not contradict what is known of
the bearer ("President Obama" is not Michelle Obama, named as first lady; running for an office
contradicts none), and a relative introduced as one ("his wife, Melania Trump") is not the default
bearer of the family name; in a live blog (items divided by "___" lines) the bearer named in full in
the same item; among several, the most mentioned. A surname misspelt by a letter is the person named
in full; a bare surname that fits nobody is its own entity. A "person" named like a company or body
("Patriot Coal", "the Assembly") is an organisation.

Pronouns. he/she take, in this order, a person who is the subject earlier in the same sentence or
paragraph, the speaker of the previous attribution or a main clause's subject (within two
paragraphs; not the subject of what someone reported), the nearest person subject before; gender
must not disagree where it is known; a name in a direct quote's own words is not its speaker, but
reported speech may have its speaker as subject ("Shays was for Kasich, he said"); a name in passing
inside what someone reported waits behind the topic; the person a paragraph introduces is the he/she
of a quotation opening the next. they/it: the nearest organisation, else people joined as one subject
just before ("Grassley and Leahy say …"), filed under the first of them. I/me inside a quotation: the quotation's speaker; outside every quotation,
the author the article's byline, closing note or book credit names, or the signature below a
letter. you, we, one: nobody. "who"
after an organisation's name describes the person before it ("said Aguilar, the director of the
Latino Partnership, who also said").

Descriptions. A definite description ("the expert", "the head of Kazakhstan", "Russian Deputy
Foreign Minister") takes the person introduced earlier whose titles or appositions share its words
(judge = justice; "the president" is not the vice president; a party named must be theirs);
failing that, a role a story uses for the person it follows ("the Republican presidential
candidate") takes that person, as a pronoun would, if gender, party and known roles allow. An
indefinite or plural one ("a spokesperson", "officials", "Democrats") stands for someone the article
does not name: no speaker, except in the lede, where "A New York judge has rejected …" is the judge
the story names below. "A spokeswoman for Hillary Clinton" is not Clinton.

Organisations keep their fullest name in the document ("the Post" -> "The Washington Post", "CPJ" ->
"Committee to Protect Journalists", "Exxon Mobil" -> "Exxon Mobil Corp."); "the company" or "the
group" is the organisation that spoke or acted just before; a candidate's team is their campaign; a
poll or report speaks for the organisation named with it ("a Quinnipiac University poll", then "the
poll"; a headline's "New Poll" is the poll the story reports).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from quotetrack.extraction import cues
from quotetrack.extraction.candidates import Candidate, Mention, Parsed, PersonMention
from quotetrack.extraction.mentions import EMPLOYER_PREPOSITIONS, PERSON_TITLES, RELATION_WORDS
from quotetrack.given_names import same_given_name
from quotetrack.lexicon import groups, mapping, sequence, words

PERSON_NOUNS = cues.PERSON_NOUNS


def _role_synonyms() -> dict[str, frozenset[str]]:
    """`role_synonyms.tsv`'s pairs, and each word of a `role_families.tsv` family standing for every other."""
    table = {word: set(matches) for word, matches in groups("role_synonyms").items()}
    for members in groups("role_families").values():
        for word in members:
            table.setdefault(word, {word}).update(members)
    return {word: frozenset(matches) for word, matches in table.items()}


ROLE_SYNONYMS = _role_synonyms()


def referring_to(kind: str) -> frozenset[str]:
    """The pronouns that refer to a male or female person, a group, a thing, the quoter or nobody."""
    return frozenset(word for word, referent in mapping("pronoun_referents").items() if referent == kind)


MALE, FEMALE, GROUP, THING = referring_to("male"), referring_to("female"), referring_to("group"), referring_to("thing")
FIRST_PERSON, NOBODY = referring_to("quoter"), referring_to("nobody")
LEDE = 600  # characters of headline and lede where a description may be named only later
DETERMINERS = tuple(f"{word} " for word in sequence("determiners")) + tuple(
    f"{word.capitalize()} " for word in sequence("determiners")
)
INDEFINITE = words("indefinite_words")
PREVIOUS_SPEAKER_PARAGRAPHS = 2
MUNICIPAL = re.compile(r"^[Tt]he (?P<kind>city|county|town|village|borough) of (?P<name>[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*)$")
PARTY_TAG = re.compile(r"^[DRI]-[A-Z][A-Za-z.]*\.?$")  # "(D-Md.)", "(R-Texas)" after a lawmaker's name
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
SALIENT_ROLES = words("salient_role_nouns")
CANDIDACY = frozenset({"candidate", "nominee"})
PARTIES = mapping("parties")
DEPUTY_WORDS = words("deputy_words")
DETERMINER_WORDS = frozenset(sequence("determiners"))
ORG_WORDS = words("org_words")
NATIONALITIES = words("nationalities")
RESULT_NOUNS = words("result_nouns")  # the results of a poll speak for the poll
STATUS_WORDS = words("status_words")  # former, longtime: when a role was held, not which
CALENDAR_WORDS = frozenset(mapping("month_names")) | words("weekdays")
# left out of an acronym: Federal Bureau of Investigation, Alliance to Reclaim Our Schools (AROS)
SPACED_DASH = re.compile(r"\s[-–—]\s")
CONNECTORS = frozenset({"of", "the", "and", "for", "to", "on", "in", "at", "&"})
COMPANY_WORDS = words("company_words")
SUBORDINATORS = words("subordinators")  # while, although, even …: a clause whose pronoun may point ahead

GENDER_WORDS = mapping("gender_words")  # mr -> m, wife -> f …
OFFICE_TITLES = words("office_titles")  # president, senator, …: an office a bare surname may carry
SUFFIXES = words("name_suffixes")
FIRST_NAME_GENDERS = mapping("first_name_genders")
TITLE_ABBREVIATIONS = mapping("title_abbreviations")
PERSON_ORGANISATIONS = mapping("person_organisations")
ORGANISATION_NOUNS = words("organisation_nouns")
ORGANISATION_KINDS = {head: frozenset(names) for head, names in groups("organisation_kinds").items()}
AUTHORED_NOUNS = words("authored_nouns")
# Words for one person named by role ("the expert", "the admiral"): a description, not a name.
ROLE_NOUNS = PERSON_NOUNS | OFFICE_TITLES | frozenset(TITLE_ABBREVIATIONS.values())
# what a speaker's name never is: a pronoun, or a role alone ("Former White House Doctor" -> "Doctor")
NOT_NAMES = NOBODY | MALE | FEMALE | GROUP | THING | FIRST_PERSON | ROLE_NOUNS
# Documents and surveys that speak for the organisation that made them: "the poll", "the study".
WORK_NOUNS = words("work_nouns")
WORK_FAMILIES = {word: frozenset(members) for members in groups("work_families").values() for word in members}


def fold(name: str) -> str:
    """Lower case without diacritics or possessive: Abışov -> abisov, Tokayev’s -> tokayev."""
    name = name.replace("ı", "i").replace("’s", "").replace("'s", "")
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip(" .,’'")


def surname(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha() and fold(p) not in SUFFIXES]
    return fold(parts[-1]) if parts else fold(name)


@dataclass(frozen=True)
class NameParts:
    surname: str
    given: tuple[str, ...]
    suffix: str | None


def name_parts(name: str) -> NameParts:
    words_ = [w for w in name.replace("’s", "").replace("'s", "").split() if w[:1].isalnum()]
    suffix = None
    if len(words_) > 1 and fold(words_[-1]) in SUFFIXES:
        suffix = fold(words_[-1])
        words_ = words_[:-1]
    while len(words_) > 1 and (fold(words_[0]) in GENDER_WORDS or fold(words_[0]) in OFFICE_TITLES):
        words_ = words_[1:]
    if not words_:
        return NameParts(fold(name), (), suffix)
    return NameParts(surname(words_[-1]), tuple(fold(w) for w in words_[:-1]), suffix)


def gender_of(role_words: tuple[str, ...] | list[str], given: tuple[str, ...]) -> str | None:
    for word in role_words:
        found = GENDER_WORDS.get(fold(word))
        if found:
            return found
    if given:
        return FIRST_NAME_GENDERS.get(given[0].replace(".", ""))
    return None


@dataclass
class Person:
    surname: str
    given: tuple[str, ...]
    suffix: str | None
    canonical: str
    gender: str | None
    roles: set[str]
    relative: bool
    first: int
    mentions: int = 1
    named_at: list[int] = field(default_factory=list)  # where the full name is given

    @property
    def organisation(self) -> bool:
        """Described as an organisation ("news agency Xinhua") or named like one ("Patriot Coal",
        "the Assembly"), whatever the tagger called it."""
        known_given = bool(self.given) and self.given[0] in FIRST_NAME_GENDERS
        if not known_given and self.surname in ORG_WORDS | COMPANY_WORDS | ORGANISATION_NOUNS:
            return True
        return bool(self.roles & ORGANISATION_NOUNS) and not self.roles & (PERSON_NOUNS | OFFICE_TITLES)

    def given_agrees(self, given: tuple[str, ...], suffix: str | None) -> bool:
        if not self.given:
            return True
        if suffix != self.suffix:
            return False
        mine, theirs = self.given[0].rstrip("."), given[0].rstrip(".")
        if len(mine) == 1 or len(theirs) == 1:
            return mine[0] == theirs[0]
        return same_given_name(mine, theirs)  # "Len Burman" after "Leonard E. Burman"


class People:
    """The document's people, built from its PERSON mentions in text order."""

    def __init__(self, mentions: list[PersonMention], section_starts: list[int] | None = None):
        self.section_starts = section_starts or []
        self.persons: list[Person] = []
        self.by_span: dict[tuple[int, int], Person] = {}
        self.by_surname: dict[str, list[Person]] = {}
        # people named in full, by their surname's first letter: a misspelling is looked for among
        # these only, so a long list of names costs no comparison of every name with every other
        self.named_by_initial: dict[str, list[Person]] = {}
        for mention in sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: m.span):
            person = self.read(mention.text, mention.role_words, mention.span[0])
            if person is not None:
                self.by_span[mention.span] = person
        for person in self.persons:
            # someone the story calls only by a first name ("Melanie said yes, yes, yes") is of
            # that name's gender: she is no antecedent of "he"
            if not person.given and person.gender is None and person.surname in FIRST_NAME_GENDERS:
                person.gender = FIRST_NAME_GENDERS[person.surname]

    def read(self, name: str, role_words: tuple[str, ...], position: int, create: bool = True) -> Person | None:
        """The person a name mention stands for; a new one when none agrees (and `create`)."""
        name, dropped = _without_prefix(name)
        role_words = (*role_words, *dropped)
        parts = name_parts(name)
        if len(parts.surname) < 2 or parts.surname in WORK_NOUNS | AUTHORED_NOUNS:
            return None  # "New Poll says …": the tagger took a headline's poll for a person
        # titles the tagger kept inside the name ("Adm. Harry B. Harris Jr.") are roles too
        titles = [w for w in name.split()[:-1] if fold(w) in OFFICE_TITLES or fold(w) in GENDER_WORDS]
        roles = {fold(w) for w in (*role_words, *titles)}
        roles |= {TITLE_ABBREVIATIONS[r] for r in roles if r in TITLE_ABBREVIATIONS}
        gender = gender_of((*role_words, *titles), parts.given)
        bearers = self.by_surname.setdefault(parts.surname, [])
        if parts.given:
            for person in bearers:
                if person.given and person.given_agrees(parts.given, parts.suffix):
                    return self._seen(person, name, parts, roles, gender, position)
            if parts.given[0] not in FIRST_NAME_GENDERS:
                # "Guajardo Villarreal": the two surnames of Ildefonso Guajardo Villarreal
                for person in bearers:
                    if len(person.given) > len(parts.given) and person.given[-len(parts.given):] == parts.given:
                        return self._seen(person, None, parts, roles, gender, position)
            # a bare surname read before the full name was introduced ("Obama" in the headline)
            bare = [p for p in bearers if not p.given and _compatible(p, gender, roles)]
            # (a name in lower case is no full name: "His former business partner at Lenox")
            if len(bare) == 1 and not any(p.given for p in bearers) and all(w[:1].isupper() for w in name.split()):
                return self._seen(bare[0], name, parts, roles, gender, position)
            if not create:
                return None
            return self._new(name, parts, roles, gender, position)
        if not bearers:
            # "Megyn was incredulous": a given name alone, of someone introduced in full
            known = [p for p in self.persons if p.given and p.given[0] == parts.surname and p.first <= position]
            if len(known) == 1:
                return self._seen(known[0], None, parts, roles, gender)
            # a misspelt surname of someone named in full ("Giulini" after "Rudy Giuliani")
            near = {id(p): p for p in self.named_by_initial.get(parts.surname[:1], ())
                    if p.first <= position and _misspelt(parts.surname, p.surname)}
            if len(near) == 1:
                return self._seen(next(iter(near.values())), None, parts, roles, gender)
        fitting = [p for p in bearers if p.first <= position and _compatible(p, gender, roles)]
        if not fitting:  # a surname before the full name ("Graham" in an earlier item, then "Lindsey Graham")
            later = sorted((p for p in bearers if _compatible(p, gender, roles)), key=lambda p: -p.mentions)
            if len(later) == 1 and later[0].given or len(later) > 1 and later[0].mentions >= 2 * later[1].mentions:
                fitting = later[:1]  # a headline's "Obama" is the Obama the story is about, not one named once
        if len(fitting) > 1 and self.section_starts:
            # a live blog's item names its own people: "Johnson" under "Homeland Security Secretary
            # Jeh Johnson says …" is not the Gary Johnson of an item before
            section = bisect_right(self.section_starts, position)
            here = [p for p in fitting if any(at <= position and bisect_right(self.section_starts, at) == section for at in p.named_at)]
            if len(here) == 1:
                fitting = here
        if fitting:
            # a bearer of the mention's gender ("Mrs. Obama"), then not a relative, then the most mentioned
            best = max(fitting, key=lambda p: (bool(gender) and p.gender == gender, not p.relative, p.mentions, -p.first))
            if not best.relative or _relative_fits(best, gender, roles):
                return self._seen(best, None, parts, roles, gender)
        if not create:
            return None
        bare = [p for p in bearers if not p.given and _compatible(p, gender, roles)]
        if bare:
            return self._seen(bare[0], None, parts, roles, gender)
        return self._new(name, parts, roles, gender, position)

    def _seen(
        self, person: Person, name: str | None, parts: NameParts, roles: set[str], gender: str | None, position: int = -1,
    ) -> Person:
        person.mentions += 1
        if name and parts.given and position >= 0:
            person.named_at.append(position)
        person.roles |= roles
        person.gender = person.gender or gender
        # a nickname does not replace the name it shortens ("Len Burman" after "Leonard E. Burman")
        shorter = bool(parts.given and person.given) and len(parts.given[0]) < len(person.given[0])
        if name and parts.given and not shorter and _name_quality(name) > _name_quality(person.canonical):
            if not person.given:
                self.named_by_initial.setdefault(person.surname[:1], []).append(person)
            person.canonical = _clean_name(name)
            person.given = parts.given
            person.suffix = parts.suffix
        return person

    def _new(self, name: str, parts: NameParts, roles: set[str], gender: str | None, position: int) -> Person:
        canonical = _clean_name(name) if parts.given else _bare_name(name)
        person = Person(parts.surname, parts.given, parts.suffix, canonical, gender, roles,
                        bool(roles & RELATION_WORDS), position)
        if parts.given:
            person.named_at.append(position)
        self.persons.append(person)
        self.by_surname[parts.surname].append(person)
        if parts.given:
            self.named_by_initial.setdefault(parts.surname[:1], []).append(person)
        return person


def _misspelt(word: str, surname: str) -> bool:
    """One letter dropped, added, changed or two swapped, in a surname long enough to tell."""
    return min(len(word), len(surname)) >= 6 and word != surname and Levenshtein.distance(word, surname) <= 1 or (
        len(word) == len(surname) >= 6 and sorted(word) == sorted(surname)
        and sum(a != b for a, b in zip(word, surname)) == 2
    )


def _without_prefix(name: str) -> tuple[str, tuple[str, ...]]:
    """A name without what the tagger took in front of it: a dateline ("DES MOINES - Donald Trump")
    or words before a known first name ("Recorder Helen Purcell", "McCain Challenger Kelli Ward"),
    which are returned as role words."""
    for dash in (" - ", " — ", " – "):
        head, _, tail = name.partition(dash)
        if tail and head.isupper():
            name = tail
    words_ = name.split()
    for index, word in enumerate(words_[:-1]):
        if index and fold(word) in FIRST_NAME_GENDERS and word[:1].isupper():
            return " ".join(words_[index:]), tuple(fold(w) for w in words_[:index])
    return name, ()


def _compatible(person: Person, gender: str | None, roles: set[str]) -> bool:
    if gender and person.gender and gender != person.gender:
        return False
    # running for an office says nothing against holding another: "Sen. Lindsey Graham" is "Graham,
    # a former candidate"
    offices = roles & OFFICE_TITLES - CANDIDACY
    held = person.roles - CANDIDACY
    if offices and held and not offices & held and held & (OFFICE_TITLES | RELATION_WORDS):
        return False  # "President Obama" is not the Obama named as first lady
    return True


def _relative_fits(person: Person, gender: str | None, roles: set[str]) -> bool:
    """A bare surname names a relative only with a sign of it: a matching honorific or relation word."""
    return bool(gender and gender == person.gender or roles & person.roles & RELATION_WORDS)


def _name_quality(name: str) -> tuple:
    """Which form of a name is canonical: two or three words, given names spelled out (Vladimir
    Putin over V. Putin), then the longest."""
    words_ = name.replace("-", " ").split()
    initials = sum(1 for w in words_ if len(w.rstrip(".")) <= 1)
    return (2 <= len(words_) <= 3, -initials, len(name))


def _clean_name(name: str) -> str:
    name = name.replace("’s", "").replace("'s", "").strip()
    words_ = name.split()
    while len(words_) > 2 and (fold(words_[0]) in GENDER_WORDS or fold(words_[0]) in OFFICE_TITLES):
        words_ = words_[1:]
    return " ".join(words_)


def _bare_name(name: str) -> str:
    """A bare surname's entity is named by the surname alone: "Mr. Obama" -> "Obama"."""
    words_ = _clean_name(name).split()
    return words_[-1] if words_ else name


class Organisations:
    """Each organisation named by its fullest form in the document: "the Post" -> "The Washington Post"."""

    def __init__(self, mentions: list[PersonMention], speakers: tuple[str, ...] = ()):
        """`speakers`: names of speaker mentions that read as organisations, tagged or not ("the
        Urban-Brookings Tax Policy Center said")."""
        names = [m.text for m in mentions if m.label == "ORG"] + list(speakers)
        folded = {name: [w for w in map(fold, name.split()) if w] for name in map(_clean, names)}
        # A short form ends with the full name's last word, is its acronym or leaves a company's
        # "Energy" or "Inc." out: only those are compared, not every name with every other (a long
        # text names many organisations).
        by_key: dict[str, list[str]] = {}
        for name, words_ in folded.items():
            if words_:
                by_key.setdefault(words_[-1], []).append(name)
                for acronym in _acronyms(words_):
                    by_key.setdefault(acronym, []).append(name)
                if words_[-1] in COMPANY_WORDS:
                    by_key.setdefault(words_[0], []).append(name)
        self.folded, self.by_key = folded, by_key
        self.canonical: dict[str, str] = {}
        for name in folded:
            self.canonical[fold(name)] = self._fullest(name)

    def _fullest(self, name: str, by_last_word: bool = True) -> str:
        words_ = self.folded.get(name) or [w for w in map(fold, name.split()) if w]
        near = set(self.by_key.get(words_[-1], ())) | set(self.by_key.get(words_[0], ())) if words_ else set()
        longer = [other for other in near if other != name and _is_short_form(words_, self.folded[other], by_last_word)]
        return max(longer, key=len) if longer else name

    def lookup(self, name: str) -> str:
        """The fullest form of an organisation's name, also for a name the tagger did not call an
        organisation ("AROS" after "the Alliance to Reclaim Our Schools")."""
        name = _clean(name)
        key = fold(name)
        if key not in self.canonical:
            # only by acronym or company name: "British Columbia" is not the Business Council of British Columbia
            self.canonical[key] = self._fullest(name, by_last_word=False)
        return self.canonical[key]


def _acronyms(words_: list[str]) -> set[str]:
    """Without the connectors (FBI) and with them (DOJ, Department of Justice)."""
    return {"".join(w[0] for w in words_ if w not in CONNECTORS), "".join(w[0] for w in words_ if w != "the")}


def _is_short_form(short: list[str], full: list[str], by_last_word: bool = True) -> bool:
    if not short or len(short) >= len(full):
        return False
    if len(short) == 1 and short[0] in _acronyms(full):
        return True  # FBI, Federal Bureau of Investigation; DOJ, Department of Justice
    if full[: len(short)] == short and all(w in COMPANY_WORDS for w in full[len(short) :]):
        return True  # Peabody, Peabody Energy
    return by_last_word and short[-1] == full[-1] and set(short) <= set(full)


@dataclass(frozen=True)
class Mention_:
    """A person mention, for pronoun resolution."""

    position: int
    person: Person
    is_subject: bool
    in_quote: bool
    main_clause: bool = True
    listed: bool = False  # one of a list of three or more names


@dataclass
class Context:
    """Where mentions sit: sentence and paragraph numbers, and who spoke before."""

    sentence_starts: list[int]
    paragraph_starts: list[int]
    subjects: list[tuple[int, Person]] = field(default_factory=list)  # person subjects outside quotes
    mentions: list[Mention_] = field(default_factory=list)  # every person mention, in text order
    text: str = ""
    speakers: list[tuple[int, Person]] = field(default_factory=list)  # resolved speakers, by mention
    organisations: list[tuple[int, str]] = field(default_factory=list)
    groups: list[tuple[int, Person]] = field(default_factory=list)  # people joined as one subject, by the first
    organisation_spans: list[tuple[int, str, int]] = field(default_factory=list)  # every ORG mention: start, name, end
    last_speaker: tuple[int, str | None, str | None] | None = None  # the previous attribution: position, name, kind
    works: list[tuple[int, str, str]] = field(default_factory=list)  # "a Bloomberg poll": position, noun, maker
    authored: list[tuple[int, str, Person]] = field(default_factory=list)  # works a person made: position, noun, maker
    reported: list[tuple[int, int]] = field(default_factory=list)  # what the attributions report, merged, in order
    owners: dict[str, set[str]] = field(default_factory=dict)  # surnames with a campaign in the article (`_owners`)

    def in_reported(self, position: int) -> bool:
        k = bisect_right(self.reported, position, key=lambda span: span[0]) - 1
        return k >= 0 and self.reported[k][0] <= position < self.reported[k][1]

    def sentence(self, position: int) -> int:
        return bisect_right(self.sentence_starts, position)

    def paragraph(self, position: int) -> int:
        return bisect_right(self.paragraph_starts, position)

    def opens_with_subordinate_clause(self, sentence: int, position: int) -> bool:
        start = self.sentence_starts[sentence - 1] if sentence > 0 else 0
        before = self.text[start:position]
        opening = before.lstrip(" \n\"“").split()
        # the pronoun inside that clause, not after its comma: "While the mega donor didn't
        # disclose …, he did say" is the main clause, whose he is the donor
        return bool(opening) and opening[0].lower().strip(",") in SUBORDINATORS and "," not in before


def resolve_mentions(parsed: Parsed) -> None:
    """Give every candidate its speaker (canonical name or None) and speaker kind."""
    parsed.people = [m for m in parsed.people if not _headline_word(m, parsed.text)]
    people = People(parsed.people, _section_starts(parsed.text))
    orgs = Organisations(parsed.people, tuple(
        c.mention.text for c in parsed.candidates if c.mention and not c.mention.pronoun and _organisation_like(c.mention.text)
    ))
    context = Context(sorted(parsed.sentence_starts), _paragraph_starts(parsed.text, parsed.furniture))
    context.text = parsed.text
    for start, end in sorted(span for cand in parsed.candidates for span in cand.content):
        if context.reported and start <= context.reported[-1][1]:
            context.reported[-1] = (context.reported[-1][0], max(end, context.reported[-1][1]))
        else:
            context.reported.append((start, end))
    context.organisation_spans = sorted(
        (m.span[0], orgs.lookup(m.text), m.span[1]) for m in parsed.people if m.label == "ORG"
    )
    context.mentions = sorted(
        (Mention_(m.span[0], people.by_span[m.span], m.is_subject, m.in_quote, m.main_clause, m.listed)
         for m in parsed.people if m.span in people.by_span),
        key=lambda m: m.position,
    )
    for mention in parsed.people:
        # the tagger often calls a surname alone an organisation: "Murphy, a Jupiter Democrat, …"
        if mention.label == "ORG" and _surname_alone(mention.text, people):
            person = people.read(mention.text, mention.role_words, mention.span[0], create=False)
            if person is not None:
                people.by_span[mention.span] = person
                context.mentions.append(Mention_(mention.span[0], person, mention.is_subject, mention.in_quote, mention.main_clause))
        if mention.in_quote or not mention.is_subject:
            continue
        if mention.span in people.by_span:
            context.subjects.append((mention.span[0], people.by_span[mention.span]))
            if mention.coordinated:
                context.groups.append((mention.span[0], people.by_span[mention.span]))
        elif mention.label == "ORG":
            context.organisations.append((mention.span[0], orgs.lookup(mention.text)))
    for described in parsed.described:  # "the admiral chuckled": a subject once the role names someone
        person = _by_role(described, people, before=described.span[0])
        if person is not None:
            context.subjects.append((described.span[0], person))
            context.mentions.append(Mention_(described.span[0], person, True, False))
    context.subjects.sort(key=lambda item: item[0])
    context.mentions.sort(key=lambda m: m.position)

    ordered = sorted(parsed.candidates, key=lambda c: (c.mention.span[0] if c.mention else c.start))
    body_speakers: list[tuple[int, str]] = []
    headline: list[Candidate] = []
    first_person: list[Candidate] = []
    for cand in ordered:
        if cand.origin == "headline":
            headline.append(cand)
            continue
        person = _resolve_one(cand, people, orgs, context)
        if cand.origin == "headline":  # a lede description, named further down
            headline.append(cand)
            continue
        if cand.mention and cand.mention.pronoun in FIRST_PERSON:
            first_person.append(cand)
        if cand.mention and cand.parent is None:
            context.last_speaker = (cand.mention.span[0], cand.speaker, cand.speaker_kind)
        if person is not None and cand.mention and cand.parent is None:
            # an attribution nested in another's words ("Tokayev promised …" inside a quote) is not
            # who the story follows
            context.speakers.append((cand.mention.span[0], person))
            body_speakers.append((cand.start, person.canonical))
    if first_person:
        author = _author(parsed.text, context.paragraph_starts, people)
        signatures = _signatures(parsed.text, context.paragraph_starts, people)
        if len(signatures) == 1:  # one name alone, at the foot of an op-ed: its author
            author, signatures = author or signatures[0][1], []
        for cand in first_person:
            assert cand.mention is not None
            signed = [person for start, person in signatures if start > cand.mention.span[0]]
            _resolve_first_person(cand, parsed.candidates, signed[0] if signed else author)
    for cand in headline:
        _resolve_headline(cand, people, body_speakers, context)
    for cand in parsed.candidates:
        if cand.speaker is not None and fold(cand.speaker) in NOT_NAMES:
            cand.speaker, cand.speaker_kind = None, None
        parent = cand.parent
        if parent is not None and not cand.reported_by:
            outer = parent.speaker or (_clean(parent.mention.text) if parent.mention and not parent.mention.pronoun else None)
            if outer and outer != cand.speaker:
                cand.reported_by = outer


def _headline_word(mention: PersonMention, text: str) -> bool:
    """A verb of a title-cased headline the tagger called a person, used nowhere else in the story:
    "Republican Donor Adelson and Trump May be Aligning on Israel" names nobody "Aligning"."""
    name = mention.text.strip()
    headline_end = text.find("\n")
    return (
        " " not in name and name.endswith("ing") and 0 <= mention.span[0] < headline_end
        and text.count(name) == 1
    )


# a line that divides a live blog's items: "___.", "***", "* * *"
SECTION_BREAK = re.compile(r"^[ \t]*(?:_{3,}|\*{3,}|(?:\* ){2}\*|#{3,})\.?[ \t]*$", re.MULTILINE)


def _section_starts(text: str) -> list[int]:
    return [m.end() for m in SECTION_BREAK.finditer(text)]


def _paragraph_starts(text: str, furniture: list[tuple[int, int]]) -> list[int]:
    """Where the text's paragraphs start; captions and link lines do not count as paragraphs."""
    skipped = {start for start, _ in furniture}
    starts, position = [], 0
    for line in text.split("\n"):
        if line.strip() and position + len(line) - len(line.lstrip()) not in skipped and position not in skipped:
            starts.append(position)
        position += len(line) + 1
    return starts


def _clean(text: str) -> str:
    # a spaced dash ends a name the tagger ran on: "the Tax Policy Center - half a percentage point"
    text = SPACED_DASH.split(text, maxsplit=1)[0].strip()
    name, comma, rest = text.partition(", ")
    if comma and rest and fold(rest.split()[0]) not in COMPANY_WORDS:
        text = name  # "a new report by Politico, Democratic party insiders are …": not "Inc." or "LLC"
    for det in DETERMINERS:
        if text.startswith(det):
            text = text[len(det):]
    words_ = text.split()
    while len(words_) > 1 and words_[0][:1].islower() and any(w[:1].isupper() for w in words_[1:]):
        words_ = words_[1:]  # "the nonpartisan Commission on Presidential Debates"
    return " ".join(words_).replace("’s", "").replace("'s", "").strip()


def _person(cand: Candidate, person: Person | None) -> Person | None:
    cand.speaker = person.canonical if person else None
    if person is not None and person.organisation:
        cand.speaker_kind = "org"
        return None
    cand.speaker_kind = "person" if person else None
    return person


def _resolve_one(cand: Candidate, people: People, orgs: Organisations, context: Context) -> Person | None:
    mention = cand.mention
    if cand.speaker:  # given by the interview structure
        position = mention.span[0] if mention else cand.start
        return _person(cand, people.read(cand.speaker, (), position))
    if mention is None or not mention.text.split():
        return None
    position = mention.span[0]
    tag = mention.entity[1] if mention.entity is not None and PARTY_TAG.match(mention.entity[2]) else None
    if tag is not None or PARTY_TAG.match(mention.text):
        # "Rep. Elijah E. Cummings (D-Md.) said": the tag's subject is the name before it
        at = tag[0] if tag is not None else position
        return _person(cand, next((person for (_, end), person in people.by_span.items()
                                   if context.text[end:at].strip() == "("), None))
    if fold(mention.text) in ("each", "both"):  # "Trump and Clinton vied …, each touting …"
        return _person(cand, _group_antecedent(position, context))
    if mention.pronoun:
        pronoun = mention.pronoun
        if pronoun in MALE | FEMALE:
            gender = "m" if pronoun in MALE else "f"
            person = _introduced_before(cand, gender, context) or _antecedent(
                position, gender, context, cand.content, reported=cand.kind == "indirect")
            if person is not None and person.gender is None:
                person.gender = gender  # later pronouns agree with what this one said of the person
            return _person(cand, person)
        if pronoun in GROUP or pronoun in THING:
            cand.speaker = _organisation_antecedent(position, context)
            cand.speaker_kind = "org" if cand.speaker else None
            if cand.speaker is None and pronoun in GROUP:
                return _person(cand, _group_antecedent(position, context))
        return None
    if mention.entity is not None and mention.entity[0] == "ORG" and len(mention.text.split()) == 1:
        # "Obama Sees 'Personal Insult' …": a headline the tagger took for an organisation's name,
        # where the mention itself is a surname the article gives a person
        person = people.read(mention.text, mention.role_words, position, create=False)
        if person is not None:
            return _person(cand, person)
    named_here = _known_name_in(mention.text, people, position)
    if named_here:  # "Director of the Institute … Valery Garbuzov", whatever the tagger called the name
        return _person(cand, named_here)
    if mention.entity is not None and any(w[:1].isupper() for w in mention.entity[2].split()) \
            and not _role_word_alone(mention):
        # an entity in lower case is the tagger's mistake, not a name: "secretary of state"
        label, span, name = mention.entity
        if label == "PERSON" and fold(name.split()[-1]) in WORK_NOUNS and position < LEDE:
            cand.origin = "headline"  # "New Poll Shows Minor Post-Debate Bump": the poll the story reports
            return None
        company = orgs.lookup(name).split()
        if label == "PERSON" and " " not in name.strip() and len(company) > 1 and company[0] == _clean(name) and all(
            fold(w) in COMPANY_WORDS for w in company[1:]
        ) and not any(p.given for p in people.by_surname.get(surname(name), [])):
            # "Peabody" after "the coal mining giant Peabody Energy", and no Peabody named in full
            cand.speaker, cand.speaker_kind = orgs.lookup(name), "org"
            return None
        known = bool(people.by_surname.get(surname(name))) and len(name.split()) <= 3
        if label == "PERSON" or label != "ORG" and known or label == "ORG" and _surname_alone(name, people):
            person = people.by_span.get(span) or people.read(name, mention.role_words, span[0])
            return _person(cand, person)
        last = name.split()[-1]
        if label == "ORG" and 0 <= span[0] < context.text.find("\n") and not any(
            fold(w) in ORG_WORDS | ORGANISATION_NOUNS | COMPANY_WORDS for w in name.split()
        ) and _surname_alone(last, people):
            # a title-cased headline the tagger took for an organisation's name, ending in a surname
            # the story gives in full: "Gold Star Mom Corners Obama On His Refusal …"
            return _person(cand, people.read(last, mention.role_words, span[0], create=False))
        heads_it = fold(mention.head_lemma) in (fold(w) for w in name.split())
        # "the former secretary of State" describes a person, not the organisation it names
        described = not heads_it and _is_description(mention)
        if label == "ORG" and not described or label == "GPE" and heads_it:
            cand.speaker, cand.speaker_kind = orgs.lookup(name), "org"
            if mention.head_lemma in WORK_NOUNS and not heads_it:  # "The latest Reuters/Ipsos opinion poll"
                context.works.append((position, mention.head_lemma, cand.speaker))
            return None
        if label == "NORP":  # "Democrats", "Russian officials": a group the article does not name
            cand.speaker_kind = "group"
            return None
    municipal = MUNICIPAL.match(mention.text)
    if municipal:  # "The city of Phoenix said" is the City of Phoenix, not a place
        cand.speaker, cand.speaker_kind = f"{municipal['kind'].capitalize()} of {municipal['name']}", "org"
        return None
    if mention.head_lemma in PERSON_ORGANISATIONS:
        owned = _owned_organisation(mention, people, context)
        if owned is None and _definite(mention):
            owned = _owned_before(mention, people, context)
        if owned:
            cand.speaker, cand.speaker_kind = owned, "org"
            return None
    made_after = _maker_after(mention, context)
    if (mention.text.lower().startswith("the ") or mention.text.lower() == mention.head_lemma) and mention.head_pos == "NOUN" \
            and made_after is None:  # "research conducted by the Center for …" is the Center's
        named = _organisation_by_head(mention, context)
        if named is None and mention.head_lemma in ORGANISATION_NOUNS and _definite(mention):
            named = _organisation_antecedent(position, context, distance=1)
        if named:  # "the court" after "the Supreme Court", "the department" after "the State Department"
            cand.speaker, cand.speaker_kind = named, "org"
            return None
    first_word = fold(mention.text.split()[0])
    if first_word in ("his", "her") and mention.head_pos == "NOUN" and not (
        mention.head_lemma in ROLE_NOUNS | cues.SPEAKER_NOUNS | RELATION_WORDS | ORGANISATION_NOUNS
        or mention.head_lemma in PERSON_ORGANISATIONS
    ):
        # "his best response was …", "his campaign theme of questioning trade deals": what is his
        # speaks for him, not his lawyer, his wife or his campaign
        return _person(cand, _antecedent(position, "m" if first_word == "his" else "f", context, strict=True))
    if mention.head_lemma in AUTHORED_NOUNS and mention.head_lemma not in PERSON_ORGANISATIONS:
        author = _possessor(mention, people)
        if author is None and first_word in ("his", "her"):  # "Her submission argued": hers
            author = _antecedent(position, "m" if first_word == "his" else "f", context, strict=True)
        if author is not None:  # "Farley's account says": the account speaks for Farley
            return _person(cand, author)
    if mention.head_lemma in AUTHORED_NOUNS | WORK_NOUNS and first_word == "the":
        made = _made_by_before(mention, people, context)
        if isinstance(made, Person):
            return _person(cand, made)
        if made:
            cand.speaker, cand.speaker_kind = made, "org"
            return None
    if isinstance(made_after, Person):
        context.authored.append((position, mention.head_lemma, made_after))
        return _person(cand, made_after)
    if made_after:  # "early results of the exit poll conducted by Edison Research for the AP"
        cand.speaker, cand.speaker_kind = made_after, "org"
        return None
    if mention.head_lemma in WORK_NOUNS and _indefinite(mention) and not mention.plural and position < LEDE \
            and first_word not in ("another", "one") and not _maker_named_in(mention.text, mention.head_lemma):
        cand.origin = "headline"  # "A new poll shows …" in the lede: the poll the story goes on to name
        return None
    work = _work_of_results(mention)
    if work is not None:
        named = _maker_named_in(mention.text, work)
        if named:  # "the results of the latest Quinnipiac University poll": the poll's, its maker's
            cand.speaker, cand.speaker_kind = orgs.lookup(named), "org"
            context.works.append((position, work, cand.speaker))
            return None
    if mention.head_lemma in WORK_NOUNS:
        # not "Recent polls", "Instant polls": works of several makers, a capital that starts the sentence
        named = _maker_named_in(mention.text, mention.head_lemma) if not mention.plural else None
        maker: str | None = None
        if named:  # "A Quinnipiac University poll found": the poll speaks for its maker
            maker = orgs.lookup(named)
            context.works.append((position, mention.head_lemma, maker))
        elif not _indefinite(mention) or first_word in ("another", "one") or first_word == "the" and mention.head_lemma == "datum":
            # ("the data": a mass noun the tagger takes for a plural)
            # "Another slide shows": one more of those just named, by whoever made them
            by_person = [(at, p) for at, head, p in context.authored if at < position and head == mention.head_lemma]
            by_organisation = [at for at, head, _ in context.works if at < position and head == mention.head_lemma]
            if by_person and by_person[-1][0] > max(by_organisation, default=-1):
                return _person(cand, by_person[-1][1])
            maker = _maker_of(mention, context)
            spoke = context.last_speaker
            if maker is None and first_word == "the" and spoke and spoke[2] == "org" \
                    and context.paragraph(position) - context.paragraph(spoke[0]) <= 1:
                maker = spoke[1]  # "The State Department Refugee Processing Center said …. According to the data, …"
        if maker:
            cand.speaker, cand.speaker_kind = maker, "org"
            return None
    if _is_description(mention):
        if _indefinite(mention):
            if mention.plural and first_word == "the":
                # "But Mr. Grassley and Mr. Leahy said …, what the senators said was …": the pair
                group = _group_antecedent(position, context)
                if group is not None and _role_score(tuple(mention.text.split()), group.roles) >= 2:
                    return _person(cand, group)
            if position < LEDE and not mention.plural:
                cand.origin = "headline"  # "A New York judge has rejected …": named in the story below
                return None
            cand.speaker_kind = "group" if mention.plural else None
            return None
        # "Farley's spokesman", "his lawyer": someone of another person's, not a holder of the role named before
        owned_by_pronoun = first_word in POSSESSIVE_PRONOUNS
        # "Connecticut's tax commissioner" belongs to no one: a place's office is a definite description
        place = _place_possessor(mention, people, context)
        possessed = owned_by_pronoun or not place and any(w.endswith(("’s", "'s")) for w in mention.text.split())
        person = None if owned_by_pronoun else _by_role(mention, people, before=position)
        if not possessed and _definite(mention) or place:
            person = _named_next(mention, people, context, person) or person
        if person is None and not possessed and mention.head_lemma in SALIENT_ROLES and _definite(mention):
            # "Ben Carson says he is under attack. … the Republican presidential candidate told CBS":
            # a definite description no title matches is the person the story is following
            described_gender = gender_of(tuple(fold(w) for w in mention.text.split()), ())
            person = _antecedent(position, described_gender, context, cand.content, strict=True)
            if person is not None and not _may_be(person, mention.head_lemma, mention.text):
                person = None  # "The Indiana governor" is not the businessman the story follows
        if person is None and position < LEDE and not possessed:
            cand.origin = "headline"  # "…, says diplomat" above the story: named only further down
            return None
        if person is None and not possessed and _definite(mention):
            # "The judge rubbed his chin, and then said …" two paragraphs before "Judge Berman":
            # the one person of the story the description fits, named later
            person = _by_role(mention, people, before=None, unique=True)
        return _person(cand, person)
    if mention.head_pos == "PROPN" and not mention.plural and mention.text[:1].isupper():
        if _organisation_like(mention.text) or orgs.lookup(mention.text) != _clean(mention.text):
            # "The F.B.I.", "NATO", "The Post": untagged organisations; "Peabody" after "Peabody Energy"
            cand.speaker, cand.speaker_kind = orgs.lookup(mention.text), "org"
            return None
        if not mention.text.isupper():  # a name the tagger missed ("Murtazashvili says")
            return _person(cand, people.read(mention.text, mention.role_words, position))
    if _brand(mention.text):  # "with RealClearPolitics showing her ahead"
        cand.speaker, cand.speaker_kind = orgs.lookup(mention.text), "org"
        return None
    if mention.plural:
        cand.speaker_kind = "group"
    return None


NAME_TITLES = PERSON_TITLES - {"former"}  # what makes the word after it a name: "Mr. King", not "Former … Doctor"


def _role_word_alone(mention: Mention) -> bool:
    """An entity that is a role word with no title before it names nobody: "Former White House Doctor
    Says" (but "Mr. King" is a name)."""
    assert mention.entity is not None
    label, (start, _), name = mention.entity
    before = mention.text[: max(0, start - mention.span[0])].split()
    return label == "PERSON" and fold(name) in ROLE_NOUNS and not (before and fold(before[-1]) in NAME_TITLES)


def _owned_organisation(mention: Mention, people: People, context: Context) -> str | None:
    """ "the Clinton campaign", "Trump's campaign", "her campaign": the person's organisation."""
    words_ = mention.text.split()
    position = mention.span[0]
    owner: Person | None = None
    possessive = [w for w in words_[:-1] if w.lower() in ("his", "her")]
    if possessive:
        owner = _antecedent(position, "m" if possessive[0].lower() == "his" else "f", context)
    else:
        names = [w for w in words_[:-1] if w[:1].isupper() and fold(w) not in ("the", "a", "an")]
        if names:
            owner = people.read(names[-1].replace("’s", "").replace("'s", ""), (), position)
    if owner is None:
        return None
    form, noun = PERSON_ORGANISATIONS[mention.head_lemma].split()
    base = owner.canonical if form == "full" else owner.canonical.split()[-1]
    return f"{base} {noun}"


# "Donald Trump's presidential campaign", "the Clinton campaign", "his campaign"
OWNED = re.compile(
    r"(?:\b(?P<pronoun>[Hh]is|[Hh]er)|(?P<name>(?:[A-Z][\w.’'-]*\s){0,3}[A-Z][\w.’'-]*?)(?:’s|'s)?)"
    r"\s(?:[a-z-]+\s)?(?P<noun>[a-z]+)\b"
)
OWNED_PARAGRAPHS = 3


def _recent_start(position: int, people: People, context: Context) -> int:
    """Where the text a description may look back over starts: a few paragraphs, the same live-blog item."""
    paragraph = context.paragraph(position)
    start = context.paragraph_starts[max(0, paragraph - 1 - OWNED_PARAGRAPHS)] if context.paragraph_starts else 0
    sections = [at for at in people.section_starts if at <= position]
    return max(start, sections[-1] if sections else 0)


def _owned_before(mention: Mention, people: People, context: Context) -> str | None:
    """"The campaign says …" with no owner in the mention: the one named last before it, within a
    few paragraphs and the same live-blog item ("A new ad from Donald Trump's presidential campaign
    … / The campaign says the ad will air nationally")."""
    position = mention.span[0]
    start = _recent_start(position, people, context)
    kind = PERSON_ORGANISATIONS[mention.head_lemma]
    for found in reversed(list(OWNED.finditer(context.text, start, position))):
        noun = found["noun"]
        if PERSON_ORGANISATIONS.get(noun) != kind:
            continue
        if found["pronoun"]:
            gender = "m" if found["pronoun"].lower() == "his" else "f"
            owner = _antecedent(found.start(), gender, context, strict=True)
        else:
            owner = people.read(_owner_word(found), (), found.start(), create=False)
        if owner is not None:
            return _organisation_of(owner, kind)
    # "Hillary Clinton plans to call on young people … / The campaign says …": the person the
    # item is about, if the story gives them a campaign somewhere
    owner = _antecedent(position, None, context, strict=True)
    if owner is not None and fold(owner.surname) in _owners(kind, context):
        return _organisation_of(owner, kind)
    return None


def _owners(kind: str, context: Context) -> set[str]:
    """The surnames the article gives a campaign (or administration), read once per article."""
    if kind not in context.owners:
        context.owners[kind] = {
            fold(_owner_word(found))
            for found in OWNED.finditer(context.text)
            if found["name"] and PERSON_ORGANISATIONS.get(found["noun"]) == kind
        }
    return context.owners[kind]


def _owner_word(found: re.Match[str]) -> str:
    """The owner's surname in "Donald Trump's presidential campaign" or "the Clinton campaign"."""
    return found["name"].split()[-1].replace("’s", "").replace("'s", "")


def _organisation_of(owner: Person, kind: str) -> str:
    form, organisation = kind.split()
    return f"{owner.canonical if form == 'full' else owner.canonical.split()[-1]} {organisation}"


# "A web video by the Republican National Committee": a work and who made it
MADE_BY = re.compile(r"\b(?P<noun>[a-z-]+) (?:by|from) (?:the )?(?P<maker>[A-Z])")


def _made_by_before(mention: Mention, people: People, context: Context) -> Person | str | None:
    """"The ad also mentions …", "The clip says …" after "A web video by the Republican National
    Committee": the maker of the work named last before, in the same item and a few paragraphs."""
    position = mention.span[0]
    start = _recent_start(position, people, context)
    for found in reversed(list(MADE_BY.finditer(context.text, start, position))):
        if found["noun"] not in AUTHORED_NOUNS | WORK_NOUNS:
            continue
        at = found.start("maker")
        k = bisect_left(context.organisation_spans, at - 4, key=lambda span: span[0])
        for org_start, name, _ in context.organisation_spans[k : k + 2]:
            if org_start in (at, at - 4) and context.text[org_start:at] in ("", "the "):
                return name
        k = bisect_left(context.mentions, at, key=lambda m: m.position)
        if k < len(context.mentions) and context.mentions[k].position == at:
            return context.mentions[k].person
    for found in reversed(list(ISSUED.finditer(context.text, start, position))):
        # "the Security Council issued a statement calling …. The statement noted …": its issuer
        if found["noun"] not in AUTHORED_NOUNS | WORK_NOUNS or found["noun"] != mention.head_lemma:
            continue
        end = found.start()
        for _, name, org_end in context.organisation_spans:
            if org_end == end:
                return name
        for (_, person_end), person in people.by_span.items():
            if person_end == end:
                return person
    return None


# "the Security Council issued a statement", "The Clinton campaign released a new ad"
ISSUED = re.compile(
    r"\s+(?:issued|released|published|put out|sent|wrote|posted|filed|aired|ran)\s+(?:a|an|its|his|her|their)\s+"
    r"(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z-]+)\b"
)


# what may stand between a work and its maker: "…poll conducted for the Associated Press and
# television networks by Edison Research", "…study released Monday by the Urban Institute"
MAKER_LINK = re.compile(
    r"^,?\s+(?:(?:conducted|commissioned|carried out|released|published|produced|done|issued|filed|signed|written|sent)\s+"
    r"(?:[^,.;]{0,60}?\s+)?)?(?:by|from)\s+(?:the\s+)?(?:\d{4}\s+)?$"
)


def _maker_after(mention: Mention, context: Context) -> str | Person | None:
    """The organisation or person named as the maker right after a work the mention names ("the
    exit poll" in "early results of the exit poll", then "conducted by Edison Research"; "a
    declaration filed in federal court by John F. Hackett")."""
    if not any(fold(w) in WORK_NOUNS | AUTHORED_NOUNS or fold(w)[:-1] in WORK_NOUNS | AUTHORED_NOUNS
               for w in mention.text.split()):  # "analysis" is no plural
        return None
    begin, end = mention.span
    first_org = bisect_right(context.organisation_spans, begin, key=lambda span: span[0])
    first_person = bisect_right(context.mentions, begin, key=lambda m: m.position)
    # (start, maker, whether the maker's name ends where the mention does)
    makers: list[tuple[int, str | Person, bool]] = [
        (start, name, stop == end)
        for start, name, stop in context.organisation_spans[first_org : first_org + 16] if start <= end + 120
    ]
    makers += [(m.position, m.person, NAME_TO_END.match(context.text, m.position, end) is not None)
               for m in context.mentions[first_person : first_person + 16] if m.position <= end + 120]
    for start, maker, closing in sorted(makers, key=lambda item: item[0]):
        if start < end:
            # the maker may close the mention itself: "An analysis of Federal Election Commission data by
            # Crowdpac" (a person, for the tagger, or an organisation)
            if closing and MAKER_BY.search(context.text, begin, start):
                return maker
            continue
        if MAKER_LINK.match(context.text[end:start]):
            return maker
        if RELATIVE_MAKER.match(context.text[end:start]) and PRESENTS.match(context.text, start, start + 60):
            return maker  # "A slide from a presentation that Mr. Guajardo Villarreal and his aides carry"
    return None


MAKER_BY = re.compile(r"\s(?:by|from)\s+(?:the\s+)?$")
NAME_TO_END = re.compile(r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)*$")

# a work's maker as the subject of a relative clause that presents it: "… that Mr. X carries", "a
# speech Mrs. Clinton delivered", not "the report that Trump disputes"
RELATIVE_MAKER = re.compile(r"^\s+(?:from\s+(?:a|an|the)\s+[a-z]+\s+)?(?:(?:that|which)\s+)?(?:(?:Mr|Ms|Mrs|Dr)\.\s+)?$")
PRESENTS = re.compile(
    r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)*(?:\s+and\s+(?:his|her|their)\s+\w+)?\s+(?:carr(?:y|ies|ied)|g[ai]ve|gives|show(?:s|ed)?|present(?:s|ed)?|releas(?:es|ed)|"
    r"wr(?:ote|ites)|prepar(?:es|ed)|us(?:es|ed)|deliver(?:s|ed))\b"
)


def _possessor(mention: Mention, people: People) -> Person | None:
    """The person named with a possessive in the mention: "Patricia Farley's account" -> Patricia Farley."""
    words_ = mention.text.split()
    for index, word in enumerate(words_[:-1]):
        if word.endswith(("’s", "'s")) and word[:1].isupper():
            name = " ".join(w for w in words_[: index + 1] if w[:1].isupper()).replace("’s", "").replace("'s", "")
            return people.read(name, (), mention.span[0], create=False)
    return None


def _organisation_by_head(mention: Mention, context: Context) -> str | None:
    """The organisation named earlier whose name holds the description's head noun."""
    head = mention.head_lemma.lower()
    kind = ORGANISATION_KINDS.get(head, frozenset())
    before = [(position, name) for position, name, _ in context.organisation_spans if position < mention.span[0]]
    for k, (_, name) in enumerate(reversed(before)):
        words_ = [fold(w) for w in name.split()]
        if len(words_) > 1 and (head in words_[1:] or head == name_head(words_)):
            return name  # not a "Bank" the tagger found alone
        if k < 2 and kind & set(words_):  # one of the last two named: "the agency" is no department of long ago
            return name
    return None


def name_head(words_: list[str]) -> str:
    """The head of an organisation's name, from its lower-case words: the word before its first "of",
    "on" or "for" ("commission" in Commission on Presidential Debates, "court" in Supreme Court of
    the United States), else its last word."""
    for index, word in enumerate(words_[1:], start=1):
        if word in ("of", "on", "for"):
            return words_[index - 1]
    return words_[-1] if words_ else ""


def _work_of_results(mention: Mention) -> str | None:
    """The work whose results, findings or figures the mention names: "the results of the latest
    Quinnipiac University poll" -> "poll"."""
    if mention.head_lemma not in RESULT_NOUNS:
        return None
    words_ = [fold(w) for w in mention.text.split()]
    if "of" not in words_:
        return None
    return next((w for w in words_[words_.index("of") + 1 :] if w in WORK_NOUNS), None)


def _maker_named_in(text: str, head: str) -> str | None:
    """The name before a work noun in its own mention: "a new Washington Post-ABC News national poll"
    -> "Washington Post-ABC News"; none for "a new poll" or "a French study"."""
    words_ = text.split()
    heads = [i for i, w in enumerate(words_) if fold(w).rstrip("s") == head.rstrip("s")]
    if not heads:
        return None
    run: list[str] = []
    first_is_article = fold(words_[0]) in DETERMINER_WORDS or fold(words_[0]) in INDEFINITE  # "Another slide"
    for word in reversed(words_[1 : heads[0]] if first_is_article else words_[: heads[0]]):
        if word[:1].isupper() or word[:1].isdigit() and run:
            run.insert(0, word)
        elif run:
            break  # only the capitalised run nearest the head: "Ipsos opinion poll"
    owners = [i for i, w in enumerate(run) if w.endswith(("’s", "'s"))]
    if owners:  # "POLITICO’s Battleground States average": POLITICO's
        run = run[: owners[-1] + 1]
    names = [w for w in run if fold(w) not in NATIONALITIES and fold(w) not in CALENDAR_WORDS]
    if not names or run[0][:1].isdigit():
        return None
    return " ".join(run).replace("’s", "").replace("'s", "")


def _maker_of(mention: Mention, context: Context) -> str | None:
    """ "the poll" after "a Bloomberg Politics poll": the organisation named with that poll before
    ("the study" after "a Reuters survey": a work of the same family)."""
    family = WORK_FAMILIES.get(mention.head_lemma, frozenset({mention.head_lemma}))
    for position, head, maker in reversed(context.works):
        if position < mention.span[0] and (head == mention.head_lemma or head in family):
            return maker
    for position, name, end in reversed(context.organisation_spans):
        if position >= mention.span[0]:
            continue
        following = context.text[end : end + 24].lower().split()
        if following and following[0].strip(",.") in (mention.head_lemma, mention.head_lemma + "s"):
            return name
    return None


def _surname_alone(text: str, people: People) -> bool:
    """One capitalised word that is the surname of someone the article names in full."""
    words_ = text.replace("’s", "").replace("'s", "").split()
    return len(words_) == 1 and words_[0][:1].isupper() and not words_[0].isupper() and any(
        p.given for p in people.by_surname.get(surname(words_[0]), [])
    )


def _organisation_like(text: str) -> bool:
    """A name with an article ("The Post") or an acronym ("F.B.I.", "NATO") names an organisation."""
    words_ = text.split()
    if not words_:
        return False
    letters = words_[-1].replace(".", "")
    if not letters[:1].isupper():
        return False  # "The bank": a description, not a name
    return words_[0].lower() == "the" or (len(letters) >= 2 and letters.isalpha() and letters.isupper()) or _brand(text)


# a capital after three lower-case letters inside one word: "RealClearPolitics", "PolitiFact",
# "FiveThirtyEight" are brands; "McCain", "DeSantis", "MacDonald" are people
BRAND = re.compile(r"[a-z]{3}[A-Z]")


def _brand(text: str) -> bool:
    return " " not in text.strip() and BRAND.search(text) is not None


def _antecedent(
    position: int, gender: str | None, context: Context, content: list[tuple[int, int]] | tuple = (),
    strict: bool = False, exclude_named_after: bool = True, reported: bool = False,
) -> Person | None:
    """The person a he/she at `position` stands for (or a definite description, whose gender may be
    unknown: None): the module docstring gives the order.
    Someone named in the quote's own words or later in the sentence is not its speaker ("“Brown is
    wrong,” she said"), unless no one else agrees in gender ("he wants to avoid …, recalling how the
    campaign exploited Mr. Clinton's remark", with only Mrs. Clinton before); in `reported` speech
    the subject of what is reported may be (the speaker in the third person)."""
    sentence, paragraph = context.sentence(position), context.paragraph(position)
    # reported speech may name its own speaker as its subject: "Shays was pro Kasich, he said"
    named_inside = {id(m.person) for m in context.mentions
                    if any(s <= m.position < e for s, e in content) and not (reported and m.is_subject)}
    later = [m for m in context.mentions if m.position > position and context.sentence(m.position) == sentence]
    if later and context.opens_with_subordinate_clause(sentence, position):
        # "Even as he accused the Justice Department …, Giuliani said": the main clause's subject comes after
        matching = [m.person for m in later if m.is_subject and (gender is None or m.person.gender in (None, gender))]
        if matching:
            return matching[0]
    # "He does not accept Tokayev's statements": a name later in the pronoun's sentence is someone else
    excluded = {id(m.person) for m in later} | named_inside if exclude_named_after else set()
    window: list[Person] = []
    earlier = [m for m in context.mentions if m.position < position and not m.in_quote and id(m.person) not in excluded]
    # this sentence, then the paragraph's earlier sentences, nearest first; in each, subjects first, leftmost first
    by_sentence: dict[int, list[Mention_]] = {}
    for m in earlier:
        number = context.sentence(m.position)
        if number == sentence or context.paragraph(m.position) == paragraph:
            by_sentence.setdefault(number, []).append(m)
    # a name in passing inside what someone reported waits behind the topic: "…, he said, replacing
    # Clinton would lead to lobbying by loyalists to Joe Biden. That's why, he argued, …" is the speaker
    passing: list[Person] = []
    for number in sorted(by_sentence, reverse=True):
        for m in sorted(by_sentence[number], key=lambda m: (not m.is_subject, m.position)):
            # and so do names in a list: "Featuring songs by Loretta Lynn, Elvis Costello, Johnny Cash and
            # Ray LaMontagne, the show is …. Along the way, he'll share anecdotes" is the singer followed
            aside = not m.is_subject and (m.listed or context.in_reported(m.position))
            (passing if aside else window).append(m.person)
    # then, in the paragraphs before, whoever was the topic last: a subject or the previous speaker
    # (not the subject of what someone said: "He declared that … Donald Trump would have a path")
    # nor of a clause inside another's sentence: "said Harvey, who acknowledged Trump was his fourth choice")
    recent = [(m.position, m.person) for m in earlier if m.is_subject and m.main_clause and not context.in_reported(m.position)]
    if context.speakers and context.speakers[-1][0] < position and id(context.speakers[-1][1]) not in excluded:
        recent.append(context.speakers[-1])
    for p, person in sorted(recent, key=lambda item: -item[0]):
        if paragraph - context.paragraph(p) <= PREVIOUS_SPEAKER_PARAGRAPHS:
            window.append(person)
    window += passing
    # a name given in full or with a title is a person; a lone capitalised word may be a mistagged agency
    ranked = sorted((p for p in window if not p.organisation), key=lambda person: not (person.given or person.roles))
    if gender:
        # "Gov. Chris Christie described … Hillary Clinton as a disgrace after she attacked …": in the
        # pronoun's own sentence, a person known to agree outranks one whose gender is unknown
        here = [m.person for m in by_sentence.get(sentence, []) if not m.person.organisation]
        nearest = next((p for p in ranked if p.gender in (None, gender)), None)
        known = [p for p in here if p.gender == gender]
        if nearest is not None and nearest.gender is None and nearest in here and known:
            return known[0]
    for person in ranked:
        if gender is None or person.gender is None or person.gender == gender:
            return person
    if gender and exclude_named_after and excluded:
        agreeing = _antecedent(position, gender, context, content, strict=True, exclude_named_after=False)
        if agreeing is not None and agreeing.gender == gender:
            return agreeing
    if ranked and gender and ranked[0].gender not in (None, gender):
        # "Melanie said yes, yes, yes, …, until Trump reached the final three words of his speech. /
        # “I love you,” he said.": a subject of a clause nearby who agrees, before one known not to
        nearby = [m.person for m in reversed(earlier) if m.is_subject and m.person.gender == gender
                  and not m.person.organisation and paragraph - context.paragraph(m.position) <= 1]
        if nearby:
            return nearby[0]
    if ranked and not strict:
        return ranked[0]  # no one nearby agrees in gender: the text, or the name table, is wrong; stay near
    for m in reversed(earlier):
        if m.is_subject and (gender is None or m.person.gender in (None, gender)):
            return m.person
    return None


def _introduced_before(cand: Candidate, gender: str, context: Context) -> Person | None:
    """The person a paragraph introduces, named in full for the first time and last, is the he/she
    of the quotation that opens the next paragraph: "…, which concerns Henry Crespo, president of the
    Florida Democratic Black Caucus." / "“No one is writing songs for Hillary,” he said."."""
    if cand.kind != "direct" or cand.mention is None \
            or context.paragraph(cand.content[0][0]) != context.paragraph(cand.mention.span[0]):
        return None
    paragraph = context.paragraph(cand.content[0][0])
    if paragraph < 2 or context.paragraph_starts[paragraph - 1] != cand.content[0][0]:
        return None
    start, end = context.paragraph_starts[paragraph - 2], context.paragraph_starts[paragraph - 1]
    if any(start <= p < end for p, _ in context.speakers):
        return None
    lo = bisect_left(context.mentions, start, key=lambda m: m.position)
    hi = bisect_left(context.mentions, end, key=lambda m: m.position)
    inside = context.mentions[lo:hi]
    # named for the first time here: the person's first mention is this one
    introduced = [k for k, m in enumerate(inside) if not m.in_quote and m.position == m.person.first
                  and m.person.given and not m.person.organisation]
    if not introduced or inside[introduced[-1]].person.gender not in (None, gender):
        return None
    last = inside[introduced[-1]]
    # "… the way Sen. Bernie Sanders had. Scott responded with logic.": a subject after them is the topic
    if any(m.is_subject and m.main_clause and m.person is not last.person for m in inside[introduced[-1] + 1 :]):
        return None
    return last.person


def _group_antecedent(position: int, context: Context) -> Person | None:
    """they: people joined as the subject of this paragraph or the one before ("Mr. Grassley and Mr.
    Leahy say other changes are needed. The program has grown too far, they say."), filed, as the
    joined subject's own quotes are, under the first of them; not after someone else spoke since."""
    paragraph = context.paragraph(position)
    before = [(p, person) for p, person in context.groups if p < position and paragraph - context.paragraph(p) <= 1]
    if not before:
        return None
    at, person = before[-1]
    if context.last_speaker is not None and at < context.last_speaker[0] < position:
        return None
    return person


def _organisation_antecedent(position: int, context: Context, distance: int = 0) -> str | None:
    """they/it: the organisation that spoke last, or an organisation subject of the same paragraph.
    After "officials said" or "critics argue", "they" are as unnamed as before. "the company" or
    "the group" (`distance` 1): the same, the organisation subject also of the paragraph before
    ("The Trayvon Martin Foundation did not want to address …" / "…,” the group said.")."""
    paragraph = context.paragraph(position)
    if context.last_speaker is not None:
        p, name, kind = context.last_speaker
        if p < position and paragraph - context.paragraph(p) <= PREVIOUS_SPEAKER_PARAGRAPHS:
            if kind == "org":
                return name
            if not distance:  # "they" after "officials said"; "the company" may still be named below
                return None
    before = [(p, name) for p, name in context.organisations if p < position and paragraph - context.paragraph(p) <= distance]
    return before[-1][1] if before else None


def _resolve_first_person(cand: Candidate, candidates: list[Candidate], author: Person | None) -> None:
    """"I" inside a quotation is the quotation's speaker; outside every quotation, the author where
    the article names one ("I said" in an op-ed signed "Charlotte Meehan is …", in a letter signed
    "Chris Smith.")."""
    assert cand.mention is not None
    position = cand.mention.span[0]
    enclosing = [
        c for c in candidates
        if c is not cand and c.speaker and any(s <= position < e for s, e in c.content)
    ]
    if enclosing:
        inner = min(enclosing, key=lambda c: c.size)
        cand.speaker, cand.speaker_kind = inner.speaker, inner.speaker_kind
    elif author is not None and not any(s <= position < e for c in candidates for s, e in c.content):
        _person(cand, author)
    else:
        cand.speaker, cand.speaker_kind = None, None


# "By Charlotte Meehan" above the story; "Charlotte Meehan is playwright-in-residence at …" or
# "From STEALING AMERICA by Dinesh D’Souza." below it
_WORD = r"[A-Z](?:\.|[\w'’-]+)"  # a word or an initial: not "D’Souza. Copyright"
_NAME = rf"(?P<name>{_WORD}(?:\s+{_WORD}){{1,3}})"
BYLINE = re.compile(rf"^\s*By\s+{_NAME}\s*(?:[,|\n]|$)")
AUTHOR_NOTE = re.compile(rf"^\s*{_NAME},?\s+(?:is|was|has been|writes)\b")
CREDIT = re.compile(rf"^\s*(?:From|Excerpted|Adapted|Reprinted|Copyright|©)\b[^\n]*?\bby\s+{_NAME}")
SIGNATURE = re.compile(rf"^\s*[—–-]?\s*{_NAME}\.?\s*(?:,[^\n]*)?$")
SIGNATURE_LENGTH = 80
BYLINE_PARAGRAPHS = 3
NOTE_PARAGRAPHS = 3


def _paragraph(text: str, paragraph_starts: list[int], k: int) -> tuple[int, str]:
    start = paragraph_starts[k]
    end = paragraph_starts[k + 1] if k + 1 < len(paragraph_starts) else len(text)
    return start, text[start:end]


def _signer(found: re.Match[str], start: int, people: People) -> Person | None:
    """The person a signature names, tagged as one or not, but not an organisation ("The
    Associated Press is …")."""
    name, position = found["name"], start + found.start("name")
    person = people.read(name, (), position, create=False)
    if person is None and not ({fold(w) for w in name.split()} & (ORG_WORDS | DETERMINER_WORDS)):
        person = people.read(name, (), position)
    return person if person is not None and person.given else None


def _author(text: str, paragraph_starts: list[int], people: People) -> Person | None:
    """The person who signs the article: a byline in its first paragraphs, a note on the author or a
    book credit in its last ones."""
    n = len(paragraph_starts)
    places: list[tuple[int, tuple[re.Pattern[str], ...]]] = [(k, (BYLINE,)) for k in range(min(BYLINE_PARAGRAPHS, n))]
    places += [(k, (AUTHOR_NOTE, CREDIT)) for k in range(max(n - NOTE_PARAGRAPHS, 0), n)]
    for k, patterns in places:
        start, line = _paragraph(text, paragraph_starts, k)
        for pattern in patterns:
            found = pattern.match(line)
            person = _signer(found, start, people) if found else None
            if person is not None:
                return person
    return None


def _signatures(text: str, paragraph_starts: list[int], people: People) -> list[tuple[int, Person]]:
    """Paragraphs that are a name alone ("Chris Smith.", "Jane Doe, Springfield, Ill."), where each
    signs what comes before it: a page of letters or readers' comments."""
    found: list[tuple[int, Person]] = []
    for k in range(len(paragraph_starts)):
        start, line = _paragraph(text, paragraph_starts, k)
        signed = SIGNATURE.match(line) if len(line.strip()) <= SIGNATURE_LENGTH else None
        person = _signer(signed, start, people) if signed else None
        if person is not None:
            found.append((start, person))
    return found


def _known_name_in(text: str, people: People, position: int) -> Person | None:
    """A person of the document named at the end of a mention (not as a possessive: Obama's aide)."""
    words_ = text.replace("-", " ").split()
    if not words_ or len(words_) < 2 and not words_[0][:1].isupper():
        return None  # one word: a surname the tagger took for a noun ("Trump urges …" in a headline)
    last = words_[-1]
    if last.endswith(("’s", "'s", "’", "'")) or len(fold(last)) <= 2 or not last[:1].isupper():
        return None  # not a name: "A group of doctors" after a heading in capitals ("FELLOW DOCTORS")
    bearers = people.by_surname.get(fold(last))
    if not bearers:
        return None
    first = len(words_) - 1
    while first > 0 and words_[first - 1][:1].isupper():
        first -= 1
    if first > 0 and fold(words_[first - 1]) in EMPLOYER_PREPOSITIONS:
        return None  # "A spokeswoman for Hillary Clinton", "an aide to Obama" are someone else
    if first > 1 and fold(words_[first - 1]) == "of" and fold(words_[first - 2]) in RELATION_WORDS:
        return None  # "the wife of Alan Grayson" is a relative, named or not elsewhere
    if any(fold(w) in ("which", "who", "that") or w in ("―", "—", "–") for w in words_[:first]):
        return None  # "The film ― which weaves together the voices of … author Michelle Alexander"
    # where the surname stands: "President Obama" is the Obama read there, not someone named later
    return people.read(" ".join(words_), (), position + max(text.rfind(last), 0), create=False)


def _is_description(mention: Mention) -> bool:
    return mention.head_lemma.lower() in ROLE_NOUNS and mention.pronoun is None


def _may_be(person: Person, head: str, text: str = "") -> bool:
    """Whether a role noun may describe the person: yes unless their known roles name others only,
    or the description names a party other than theirs ("the Democratic nominee" is not the
    Republican nominee)."""
    if not _same_party(text.split(), person):
        return False
    known = person.roles & (OFFICE_TITLES | PERSON_NOUNS) - CANDIDACY  # a candidate may hold an office
    return not known or bool(ROLE_SYNONYMS.get(fold(head), {fold(head)}) & known)


def _same_party(words_: list[str] | tuple[str, ...], person: Person) -> bool:
    """False when the words name a party and the person is known by another one."""
    parties = {PARTIES[w] for w in map(fold, words_) if w in PARTIES}
    theirs = {PARTIES[r] for r in person.roles if r in PARTIES}
    return not (parties and theirs and not parties & theirs)


def _definite(mention: Mention) -> bool:
    words_ = mention.text.split()
    return len(words_) >= 2 and words_[0].lower() == "the" and not mention.plural


def _indefinite(mention: Mention) -> bool:
    first = mention.text.split()[0].lower() if mention.text.split() else ""
    return first in INDEFINITE or first[:1].isdigit() or mention.plural


def _role_score(words_: tuple[str, ...], roles: set[str]) -> int:
    score = 0
    own = 0  # what the words other than a party's name match: "The Republican nominee" is no Republican director
    for word in words_:
        word = fold(word)
        if word in ("the", "of", "a", "an", "") or len(word) < 3 or word in STATUS_WORDS:
            continue
        wanted = ROLE_SYNONYMS.get(word, {word})
        if roles & wanted:
            score += 2
            own += word not in PARTIES
        elif any(len(word) >= 5 and r[:5] == word[:5] for r in roles):
            score += 1  # Kazakhstan ~ Kazakh
            own += word not in PARTIES
    return score if own else 0


def _description_words(mention: Mention) -> tuple[str, ...]:
    words_ = tuple(mention.text.replace("-", " ").split())
    possessives = [i for i, w in enumerate(words_) if w.endswith(("’s", "'s", "’", "'"))]
    if possessives:  # "candidate Gary Johnson's doctor": only the doctor's own words describe them
        words_ = words_[possessives[-1] + 1 :]
    return words_ + (mention.head_lemma,)


def _fit(words_: tuple[str, ...], person: Person) -> int:
    """How well a description's words fit a person's titles and appositions (0: not at all)."""
    gender = gender_of(words_, ())  # "the businessman" is not the woman named before
    if gender and person.gender and gender != person.gender or not _same_party(words_, person):
        return 0
    score = _role_score(words_, person.roles)
    if person.roles & DEPUTY_WORDS - {fold(w) for w in words_}:
        score -= 2  # "the president" is not Vice President Biden
    return score


def _by_role(mention: Mention, people: People, before: int | None, unique: bool = False) -> Person | None:
    words_ = _description_words(mention)
    best: tuple[int, int, Person] | None = None
    for person in people.persons:
        if before is not None and person.first > before:
            continue
        score = _fit(words_, person)
        if score >= 2 and unique and best is not None:
            return None
        if score >= 2 and (best is None or (score, person.first) > (best[0], best[1])):
            best = (score, person.first, person)
    return best[2] if best else None


def _place_possessor(mention: Mention, people: People, context: Context) -> bool:
    """Whether the description's possessor is a name that is neither a person nor an organisation
    of the document: a place ("Connecticut's tax commissioner")."""
    owners = [w[:-2] for w in mention.text.split() if w.endswith(("’s", "'s"))]
    if len(owners) != 1 or not owners[0][:1].isupper() or fold(owners[0]) in people.by_surname:
        return False
    owner = fold(owners[0])
    return not any(owner in fold(name).split() for _, name, _ in context.organisation_spans)


def _named_next(mention: Mention, people: People, context: Context, earlier: Person | None) -> Person | None:
    """The person named in full in the description's paragraph or the next whom it fits better than
    anyone named before: "The New York state attorney general is confirming …" / "But Attorney General
    Eric Schneiderman isn't saying …" (not City Attorney Brad Holm, named in an item before)."""
    position = mention.span[0]
    paragraph = context.paragraph(position)
    words_ = _description_words(mention)
    floor = _fit(words_, earlier) if earlier is not None else 1
    found = [(_fit(words_, p), -p.first, p) for p in people.persons
             if p.first > position and p.given and context.paragraph(p.first) - paragraph <= 1]
    best = max(found, key=lambda item: item[:2], default=None)
    return best[2] if best is not None and best[0] > max(floor, 1) else None


def _first_speaker_after(cand: Candidate, people: People, body_speakers: list[tuple[int, str]], context: Context) -> Person | None:
    """The speaker of the story's next attribution, when it opens a later paragraph than the
    description's ("A spokesperson said …. Michelle Obama said …" in one paragraph are two people)."""
    after = sorted(item for item in body_speakers if item[0] > cand.start)
    if not after or cand.mention is None or context.paragraph(after[0][0]) <= context.paragraph(cand.mention.span[0]):
        return None
    return next((p for p in people.persons if p.canonical == after[0][1]), None)


def _resolve_headline(cand: Candidate, people: People, body_speakers: list[tuple[int, str]], context: Context) -> None:
    mention = cand.mention
    if mention is None:
        return
    text = mention.text.strip()
    if mention.head_lemma in WORK_NOUNS and _indefinite(mention):
        reported = [maker for at, head, maker in sorted(context.works) if head == mention.head_lemma and at > mention.span[0]]
        cand.speaker, cand.speaker_kind = (reported[0], "org") if reported else (None, None)
        return
    if len(text.split()) > 4:
        # "Elizabeth Warren Hammers Wells Fargo CEO: ‘…’": the person named in full at its start
        for named in people.persons:
            if named.given and fold(text).startswith(fold(named.canonical) + " "):
                cand.speaker, cand.speaker_kind = named.canonical, "person"
                return
    if text[:1].isupper() and len(text.split()) <= 4 and text.split()[-1][:1].isupper():
        bearers = people.by_surname.get(surname(text))
        if bearers:
            best = max(bearers, key=lambda p: (not p.relative, p.mentions))
            cand.speaker, cand.speaker_kind = best.canonical, "person"
            return
        if mention.head_lemma not in PERSON_NOUNS:
            noun = fold(text.split()[-1]).rstrip("s")
            if noun in WORK_NOUNS | AUTHORED_NOUNS:  # "New Poll: Clinton Leads": the poll the story reports
                makers = [maker for _, head, maker in sorted(context.works) if head.rstrip("s") == noun]
                cand.speaker, cand.speaker_kind = (makers[0], "org") if makers else (None, None)
                return
            cand.speaker = None if mention.head_pos != "PROPN" or text.isupper() else text
            return
    person = _by_role(mention, people, before=None)
    first = _first_speaker_after(cand, people, body_speakers, context)
    if first is not None and first is not person and mention.head_lemma in ROLE_NOUNS and _may_be(first, mention.head_lemma, text):
        # "A former Democratic National Committee chairman says …" / "…," said Don Fowler, who
        # helmed the DNC': the lede's description is the story's first speaker, not a chairman named later
        gender = gender_of(tuple(fold(w) for w in text.split()), ())
        if not (gender and first.gender and gender != first.gender):
            person = first
    if person:
        cand.speaker, cand.speaker_kind = person.canonical, "person"
    elif body_speakers and mention.head_lemma in ROLE_NOUNS and fold(text.split()[0]) not in INDEFINITE | {"the"}:
        # "…, says diplomat" above the story: the story's first speaker; "the businessman" is someone else
        cand.speaker, cand.speaker_kind = sorted(body_speakers)[0][1], "person"
