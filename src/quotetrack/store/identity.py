"""Speaker identity: name folding, titles, roles from the text, and when two names are one person.

Pure functions and small records; the store (speakers.py) feeds them the speakers it holds.

The rules, in order of trust:
- the same folded surface form (an alias) is the same speaker;
- person names are compared part by part after transliteration folding (diacritics, zh/j, sh/s,
  y/i, q/g/k, -ev/-ov): the surname must match, and given names must match too when both sides
  have them (an initial matches a name that starts with it);
- a name with a surname only ("Tokayev", "President Tokayev") joins the one speaker with that
  surname unless their roles disagree; with several such speakers it stays apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from quotetrack import lexicon
from quotetrack.given_names import related_given_names, same_given_name

# Letters NFKD does not decompose into a base letter plus marks.
SPECIAL_LETTERS = str.maketrans(
    {"ı": "i", "ə": "a", "Ə": "a", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
     "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ŋ": "n", "ʼ": "", "ʻ": ""}
)

# Honorifics and office words that precede a name in running text ("Kazakh President Tokayev").
NAME_PREFIXES = lexicon.words("name_prefixes")  # not extraction.mentions.PERSON_TITLES
NATIONALITIES = lexicon.words("nationalities")
NAME_SUFFIXES = lexicon.words("name_suffixes")

# Nouns that make a phrase a role ("Deputy Foreign Minister", "a political observer from Astana").
ROLE_NOUNS = lexicon.words("role_nouns")
ROLE_LEADS = lexicon.words("role_leads")
CONNECTORS = lexicon.words("name_connectors")
# Capitalized words that open a sentence rather than a title ("But", "Meanwhile").
SENTENCE_WORDS = lexicon.words("sentence_openers")
PRONOUNS = lexicon.words("pronouns")

SURNAME_MIN = 85.0
GIVEN_MIN = 80.0
ORG_MIN = 92.0
EXACT = 300.0  # a known alias; fuzzy scores stay at or below 200


@dataclass(frozen=True)
class Role:
    text: str
    kind: str = "title"  # "title" or "affiliation"


@dataclass(frozen=True)
class NameParts:
    """A name reduced for comparison: folded given names and surname, and their transliteration keys."""

    folded: str
    given: tuple[str, ...]
    surname: str
    given_key: str
    surname_key: str
    suffix: str = ""  # jr, sr, ii …: Donald Trump Jr. is not Donald Trump

    @property
    def has_given(self) -> bool:
        return bool(self.given)

    @property
    def first_given_key(self) -> str:
        """The first given name's key: a middle name or initial ("Hillary Rodham Clinton",
        "Donald J. Trump") does not make another person."""
        return translit_key(self.given[0]) if self.given else ""


@dataclass
class Profile:
    """What is known of one stored speaker, for matching new names against it."""

    speaker_id: int
    name: str
    kind: str | None
    parts: list[NameParts] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    folded_aliases: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)  # the stored surface forms, as written

    @property
    def surname_keys(self) -> set[str]:
        return {p.surname_key for p in self.parts if p.surname_key}

    @property
    def given_keys(self) -> set[str]:
        return {p.given_key for p in self.parts if p.given_key}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase ASCII-ish form: diacritics dropped, punctuation and hyphens turned to spaces."""
    text = unicodedata.normalize("NFKD", text.translate(SPECIAL_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(SPECIAL_LETTERS).lower()
    text = re.sub(r"['’`](?:s\b)?", "", text)
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


@lru_cache(maxsize=65536)
def translit_key(word: str) -> str:
    """A spelling-insensitive key for one folded name part (Zhomart/Jomart, Abyshev/Abisov, Qaziz/Gaziz)."""
    key = word.replace(" ", "")
    for old, new in (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("ts", "c"),
                     ("ph", "f"), ("x", "h"), ("w", "v"), ("y", "i"), ("q", "k"), ("g", "k")):
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key


def surname_key(word: str) -> str:
    # Russian surname endings are spelled -ev, -yev, -iev or -ov depending on the source language.
    return re.sub(r"(?:ie|e|o)v(a?)$", r"ov\1", translit_key(word))


def _first_name(word: str) -> bool:
    """A word that is a common first name and not also an office ("Dean", "Major"; not "Judge", "King")."""
    return word[:1].isupper() and _known_first_name(word)


def _known_first_name(word: str) -> bool:
    folded = fold(word)
    return folded in lexicon.mapping("first_name_genders") and folded not in lexicon.words("office_titles")


def _is_title_word(word: str) -> bool:
    folded = fold(word)
    return folded in NAME_PREFIXES or folded in ROLE_NOUNS or folded in NATIONALITIES or folded.replace(" ", "") in {"us", "uk"}


def strip_titles(name: str, kind: str | None = "person") -> tuple[str, str]:
    """Split leading titles from a person's name: "Kazakh President Tokayev" -> ("Tokayev", "Kazakh President"),
    "US Secretary of State Antony Blinken" -> ("Antony Blinken", "US Secretary of State"),
    "Qazaxıstan Prezidenti Kasımjomart Tokayev" -> ("Kasımjomart Tokayev", "Qazaxıstan Prezidenti").
    An organisation's name only loses a leading "the"."""
    name = re.sub(r"['’]s$", "", name.strip())
    words = name.split()
    if kind == "org":
        # Unless it is a titled person the extractor took for an organisation
        # ("Kazakh President Kassym-Jomart Tokayev"), keep the name whole.
        bare, title = strip_titles(name, "person")
        if title and _has_role_noun(title) and len(bare.split()) >= 2:
            return bare, title
        cut = 1 if len(words) > 1 and words[0].lower() == "the" else 0
        return " ".join(words[cut:]), " ".join(words[:cut])
    cut = 0
    # a title word that is also a first name right before the surname is the first name ("Dean Baker")
    while cut < len(words) - 1 and _is_title_word(words[cut]) and not (cut == len(words) - 2 and _first_name(words[cut])):
        cut += 1
    # A title word further in ("Secretary of State", "Qazaxıstan Prezidenti") ends the title there,
    # when everything before it reads as a title (capitalized words and connectors).
    for index in range(len(words) - 2, cut - 1, -1):
        if index == len(words) - 2 and _first_name(words[index]):
            continue
        if _is_title_word(words[index]) and all(
            w[:1].isupper() or w.lower() in CONNECTORS for w in words[cut:index]
        ):
            cut = index + 1
            break
    return " ".join(words[cut:]), " ".join(words[:cut])


def clean_name(name: str, kind: str | None = "person") -> bool:
    """A name fit to keep as an alias: a few capitalized words once titles are off ("Tokayev",
    "Maria Zakharova"), not a stretch of text ("US and Canadian Studies Valery Garbuzov")."""
    bare, _ = strip_titles(name, kind)
    words = bare.split()
    return 0 < len(words) <= 5 and all(w[:1].isupper() or (kind == "org" and w.lower() in CONNECTORS) for w in words)


@lru_cache(maxsize=65536)  # the same aliases are compared for every document of a batch
def name_parts(name: str, kind: str | None = "person") -> NameParts:
    """Fold a name into given names and surname (organisations too: the extractor's kind is often wrong)."""
    bare, _ = strip_titles(name, kind)
    folded = fold(bare)
    if kind == "org":
        folded = _collapse_acronym(folded)
    words = folded.split()
    suffix = words[-1] if len(words) > 1 and words[-1] in NAME_SUFFIXES else ""
    tokens = [t for t in words if t not in NAME_SUFFIXES] or words
    if not tokens:
        return NameParts(folded, (), "", "", "")
    given = tuple(tokens[:-1])
    return NameParts(
        folded=folded,
        given=given,
        surname=tokens[-1],
        given_key=translit_key("".join(given)),
        surname_key=surname_key(tokens[-1]),
        suffix=suffix,
    )


def _collapse_acronym(folded: str) -> str:
    """ "f b i" (F.B.I. folded) -> "fbi": a dotted abbreviation is the same name as the undotted one."""
    words = folded.split()
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return "".join(words)
    return folded


def acronym(parts: NameParts) -> str:
    """The initials of an organisation's name without connectors: Federal Bureau of Investigation -> fbi."""
    words = [w for w in parts.folded.split() if w not in CONNECTORS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _person_key(parts: NameParts) -> str:
    """surname key#first letters of the first given name, after transliteration folding: "tokaov#kas"
    for Kassym-Jomart, Kassym Zhomart or Kasımjomart Tokayev; "putin#v" for V. Putin; "tokaov#" for
    a surname alone."""
    first = parts.first_given_key
    return f"{parts.surname_key}#{first if len(parts.given[0]) == 1 else first[:3]}" if parts.given else f"{parts.surname_key}#"


def _organisation_keys(parts: NameParts) -> set[str]:
    words = [w for w in parts.folded.split() if w not in CONNECTORS]
    keys = {words[-1]} if words else set()
    initials = acronym(parts)
    if initials:
        keys.add(initials)
    return keys


def stored_keys(parts: NameParts, kind: str | None) -> set[str]:
    """The keys a speaker's alias is stored under (table speaker_keys): a person's surname key and
    surname key#first initial; an organisation's last word and acronym ("FBI" finds "Federal Bureau
    of Investigation", "Post" finds "The Washington Post")."""
    keys = {parts.surname_key, _person_key(parts)} if parts.surname_key else set()
    if kind != "person" or not parts.has_given:
        keys |= _organisation_keys(parts)
    return {k for k in keys if k}


def query_keys(parts: NameParts, kind: str | None) -> set[str]:
    """The keys a name is looked up by ("*" ends a prefix). A full name reads only the speakers of its
    surname and first given name's first letters, those known by its initial, and the surname-only
    speakers it may join ("Hillary Clinton": clinton#hil, clinton#h, clinton#), not every Clinton; a
    surname alone reads every bearer, since roles must choose among them."""
    if not parts.surname_key:
        return set()
    if not parts.has_given:
        keys = {parts.surname_key}
    elif len(parts.given[0]) == 1:  # "V. Putin": every given name with that initial (a prefix, "*")
        keys = {f"{_person_key(parts)}*", f"{parts.surname_key}#"}
    else:  # "Vladimir Putin": the same first letters, those known by an initial, and by the surname alone
        keys = {_person_key(parts), f"{parts.surname_key}#{parts.first_given_key[:1]}", f"{parts.surname_key}#"}
        # and the forms of the same given name: "Len Burman" reads burman#leo for Leonard Burman
        for name in related_given_names(parts.given[0]):
            other = translit_key(name)
            keys |= {f"{parts.surname_key}#{other[:3]}", f"{parts.surname_key}#{other[:1]}"}
    # An organisation's keys share the surname keys' space ("Trump" the company, "Trump" the man):
    # read them for organisations and for names without a given name, not for a full person's name.
    if kind == "org" or not parts.has_given:
        keys |= _organisation_keys(parts)
    return {k for k in keys if k}


def looks_like_name(mention: str | None, name: str | None) -> bool:
    """Whether a mention ("President Tokayev", "Tokayev") names the speaker, rather than "he" or "the expert"."""
    if not mention or not name:
        return False
    bare, _ = strip_titles(mention)
    words = fold(bare).split()
    if not words or not any(w[:1].isupper() for w in bare.split()) or all(w in PRONOUNS for w in words):
        return False
    name_words = fold(strip_titles(name)[0]).split()
    keys = {surname_key(w) for w in name_words} | {translit_key(w) for w in name_words}
    return any(
        surname_key(w) in keys or max((fuzz.ratio(surname_key(w), k) for k in keys), default=0) >= SURNAME_MIN
        for w in words
        if w not in NAME_PREFIXES
    )


def same_person_names(mention: str, name: str) -> bool:
    """Whether a mention may be kept as an alias of a speaker's name: given names and suffix do not
    disagree ("Mr. Clinton" may be Bill Clinton's, "Bill Clinton" is never Hillary Clinton's)."""
    mine, theirs = name_parts(mention), name_parts(name)
    if not mine.has_given or not theirs.has_given:
        return True
    if mine.suffix != theirs.suffix:
        return False
    return _given_score(mine, theirs) >= GIVEN_MIN


def short_form_of(name: str, full: str) -> bool:
    """ "Post" and "the Post" are short forms of "The Washington Post"; "Times" of "The New York Times"."""
    short = [w for w in fold(name).split() if w not in CONNECTORS]
    long = [w for w in fold(full).split() if w not in CONNECTORS]
    return bool(short) and len(short) < len(long) and short[-1] == long[-1] and set(short) <= set(long)


def roles_agree(ours: list[str], theirs: list[str]) -> bool:
    """True when either side has no roles or some pair shares a role noun or reads alike."""
    if not ours or not theirs:
        return True
    for a in ours:
        for b in theirs:
            nouns_a = set(fold(a).split()) & ROLE_NOUNS
            nouns_b = set(fold(b).split()) & ROLE_NOUNS
            if nouns_a & nouns_b or fuzz.token_set_ratio(fold(a), fold(b)) >= 80:
                return True
    return False


def match_score(parts: NameParts, kind: str | None, roles: list[str], profile: Profile) -> float:
    """How well a new name fits a stored speaker: 0 for no, up to 200 for a fuzzy fit, EXACT for an alias."""
    # The extractor's person/organisation label is not trusted to keep two names apart: spaCy
    # tags the same person ORG in one article and PERSON in the next. Names are compared as
    # organisation names only when both sides are organisations.
    if parts.folded in profile.folded_aliases:
        return EXACT
    if kind == "org" and profile.kind == "org":
        best = max((_org_score(parts, p) for p in profile.parts), default=0.0)
        return best if best >= ORG_MIN else 0.0
    surname = max((fuzz.ratio(parts.surname_key, k) for k in profile.surname_keys), default=0.0)
    if surname < SURNAME_MIN or len(parts.surname_key) < 3:
        return 0.0
    full = [p for p in profile.parts if p.has_given]
    if parts.has_given and full:
        # given names must agree, and so must a generational suffix (Donald Trump Jr. / Donald Trump)
        given = max((_given_score(parts, p) for p in full if p.suffix == parts.suffix), default=0.0)
        return surname + given if given >= GIVEN_MIN else 0.0
    if parts.has_given and not (roles and profile.roles):
        # a speaker known only by a surname may be anyone of that name: a full name joins it only
        # when their roles can be compared (and agree, below)
        return 0.0
    # One side knows only the surname: the roles must not tell them apart.
    if not roles_agree(roles, profile.roles):
        return 0.0
    return surname


def _given_score(parts: NameParts, other: NameParts) -> float:
    mine, theirs = parts.first_given_key, other.first_given_key
    if len(parts.given[0]) == 1 or len(other.given[0]) == 1:  # an initial: "V. Putin"
        return 100.0 if mine[:1] == theirs[:1] else 0.0
    if same_given_name(parts.given[0], other.given[0]):  # "Bill Clinton" = "William Clinton"
        return 100.0
    if mine != theirs and (_known_first_name(parts.given[0]) or _known_first_name(other.given[0])):
        return 0.0  # a known first name spelt otherwise is another name: Ivana is not Ivanka, Eric not Erica
    # all given names together ("Kasımjomart" = "Kassym-Jomart"), or the first alone ("Hillary
    # Rodham Clinton" = "Hillary Clinton")
    return max(fuzz.ratio(mine, theirs), fuzz.ratio(parts.given_key, other.given_key))


def _org_score(parts: NameParts, other: NameParts) -> float:
    """How alike two organisation names are: the same name or an abbreviation of it ("FBI",
    "F.B.I.") scores as the same; otherwise the spelling decides. A short form ("the Post") is the
    same organisation only in context: ingest names it after the document's outlet."""
    if parts.folded == other.folded:
        return 100.0
    if parts.folded in (acronym(other), other.folded.replace(" ", "")) or other.folded in (acronym(parts), parts.folded.replace(" ", "")):
        return 100.0
    return fuzz.ratio(parts.folded, other.folded)


def best_match(parts: NameParts, kind: str | None, roles: list[str], profiles: list[Profile]) -> Profile | None:
    """The stored speaker a name belongs to, or None when there is none or the choice is ambiguous."""
    scored = sorted(
        ((match_score(parts, kind, roles, p), p) for p in profiles), key=lambda item: item[0], reverse=True
    )
    scored = [(s, p) for s, p in scored if s > 0]
    if not scored:
        return None
    if parts.has_given or kind == "org" and all(p.kind == "org" for _, p in scored):
        exact = [p for s, p in scored if s >= EXACT]
        return exact[0] if exact else scored[0][1]
    # A surname alone ("Baker", "President Tokayev"): the article named no one in full, so it joins
    # the stored speaker whose role agrees, else the one speaker of that bare surname ("Trump",
    # neither Donald nor Melania), else a new one; never the bearer who happens to be stored.
    fitting = [p for _, p in scored if roles and p.roles and roles_agree(roles, p.roles)]
    if len(fitting) == 1:
        return fitting[0]
    surname_only = [p for _, p in scored if not any(q.has_given for q in p.parts) and fold(p.name) == parts.folded]
    return surname_only[0] if surname_only else None


# --- roles from the text around a name ------------------------------------------------------------

_ABBREVIATION = re.compile(r"^(?:(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Col|Lt|St|Jr|Sr)\.)$")
_TOKEN = re.compile(r"[\w’'&.-]+|[^\w\s]")


def roles_around(text: str, start: int, end: int) -> list[Role]:
    """Titles before a name and appositions after it, from the same line of text.

    "Russian Deputy Foreign Minister Sergey Ryabkov" -> "Russian Deputy Foreign Minister";
    "John Herbst of the Atlantic Council, a former US ambassador to Ukraine" ->
    affiliation "Atlantic Council" and title "former US ambassador to Ukraine".
    """
    roles: list[Role] = []
    before = _title_before(text, start)
    if before:
        roles.append(Role(before))
    roles.extend(_appositions_after(text, end))
    return roles


def _title_before(text: str, start: int) -> str | None:
    line_start = text.rfind("\n", 0, start) + 1
    tokens = list(_TOKEN.finditer(text, line_start, start))
    taken: list[re.Match] = []
    for token in reversed(tokens):
        word = token.group(0)
        lowered = word.lower()
        if word.endswith(".") and not _ABBREVIATION.match(word):
            break  # the end of the previous sentence
        if word[:1].isupper() or (lowered in CONNECTORS and taken) or lowered in ROLE_NOUNS or lowered in {"former", "acting"}:
            taken.append(token)
            continue
        break
    taken.reverse()
    while taken and (taken[0].group(0).lower() in CONNECTORS or taken[0].group(0).lower() in SENTENCE_WORDS):
        taken.pop(0)
    while taken and taken[-1].group(0).lower() in CONNECTORS:
        taken.pop()
    # "Minister Sergey Ryabkov" seen from "Ryabkov": words right after the last title noun are
    # the rest of the name; words after a connector ("Director of the Institute") are the title's.
    nouns = [i for i, t in enumerate(taken) if fold(t.group(0)) in ROLE_NOUNS]
    if nouns and nouns[-1] + 1 < len(taken) and taken[nouns[-1] + 1].group(0).lower() not in CONNECTORS:
        taken = taken[: nouns[-1] + 1]
    if not taken:
        return None
    phrase = text[taken[0].start() : taken[-1].end()].strip()
    # "Russian President V. Putin and Kazakh President Tokayev": the title is the last conjunct
    # when that conjunct is a title on its own ("US and Canadian Studies" is not).
    last = re.split(r"\s+and\s+", phrase)[-1]
    if last != phrase and _has_role_noun(last):
        phrase = last
    return phrase if _has_role_noun(phrase) else None


_AFFILIATION = re.compile(
    r"\s*,?\s+of\s+(?:the\s+)?(?P<org>[A-Z][\w’'&.-]*(?:\s+(?:(?:of|the|for|and|on|de)\s+)*[A-Z][\w’'&.-]*)*)"
)
_APPOSITION = re.compile(r"\s*,\s+(?P<role>[^,;:()\n\"“”]{3,100}?)\s*(?=[,;.(]|\s+(?:said|says|told|argued|noted|added)\b)")


def _appositions_after(text: str, end: int) -> list[Role]:
    roles: list[Role] = []
    position = end
    affiliation = _AFFILIATION.match(text, position)
    if affiliation:
        roles.append(Role(affiliation.group("org").rstrip("."), "affiliation"))
        position = affiliation.end()
    apposition = _APPOSITION.match(text, position)
    if apposition:
        phrase = apposition.group("role").strip()
        first = phrase.split()[0]
        if (first.lower() in ROLE_LEADS or first.lower() in ROLE_NOUNS or first[:1].isupper()) and _has_role_noun(
            " ".join(phrase.split()[:7])
        ):
            phrase = re.sub(r"^(?:a|an|the)\s+", "", phrase, flags=re.IGNORECASE)
            roles.append(Role(phrase))
    return roles


def _has_role_noun(phrase: str) -> bool:
    return any(word in ROLE_NOUNS for word in fold(phrase).split())


def title_of_mention(mention: str | None, name: str | None) -> str | None:
    """The title a mention carries: "President Tokayev" -> "President"; "Russian Deputy Foreign Minister"
    (a mention that is all title) -> itself. Lowercase descriptions ("the expert") give none."""
    if not mention or not mention[:1].isupper():
        return None
    bare, title = strip_titles(mention)
    title = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.IGNORECASE)
    if title and _has_role_noun(title) and looks_like_name(bare, name):
        return title
    words = mention.split()
    if (
        len(words) <= 6
        and not looks_like_name(mention, name)
        and _has_role_noun(mention)
        and all(w[:1].isupper() or w.lower() in CONNECTORS for w in words)
    ):
        return mention
    return None


def proper_name(name: str | None, kind: str | None = None) -> bool:
    """Whether a speaker name names someone ("Tokayev", "State Department") rather than describing
    them ("government", "that", "side"): only proper names become speakers across documents."""
    if not name:
        return False
    bare, _ = strip_titles(name, kind)
    words = bare.split()
    return any(w[:1].isupper() for w in words) and not all(fold(w) in PRONOUNS for w in words)


def name_occurrences(text: str, name: str, limit: int = 3) -> list[tuple[int, int]]:
    """Where the name appears verbatim as whole words (the first few)."""
    found = []
    for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
        found.append((match.start(), match.end()))
        if len(found) >= limit:
            break
    return found
