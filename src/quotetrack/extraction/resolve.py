"""Resolving speaker mentions to people and organisations inside one document.

Names: a surname alone ("Ryabkov") takes the fullest form of that name in the document.
Pronouns: he/she take the nearest person named before (a speaker or a sentence subject outside
quotations); they/it the nearest organisation or group. Descriptions ("the expert", "the head of
Kazakhstan", "Russian Deputy Foreign Minister") take the person whose title or apposition shares
their words (with a few role synonyms), else the person last quoted. A headline's description
("… — expert") may be named only later: it takes the first person quoted in the body.
When nothing fits, the speaker stays unknown.
"""

from __future__ import annotations

import unicodedata

from quotetrack import lexicon
from quotetrack.extraction import cues
from quotetrack.extraction.candidates import Candidate, Mention, Parsed, PersonMention

PERSON_NOUNS = cues.PERSON_NOUNS


def referring_to(kind: str) -> frozenset[str]:
    """The pronouns that refer back to a male or female person, a group or a thing."""
    return frozenset(word for word, referent in lexicon.mapping("pronoun_referents").items() if referent == kind)


ROLE_SYNONYMS = lexicon.groups("role_synonyms")
MALE = referring_to("male")
FEMALE = referring_to("female")
GROUP = referring_to("group")
THING = referring_to("thing")
LEDE = 600  # characters of headline and lede where a description may be named only later
DETERMINERS = tuple(f"{word} " for word in lexicon.sequence("determiners")) + tuple(
    f"{word.capitalize()} " for word in lexicon.sequence("determiners")
)


def fold(name: str) -> str:
    """Lower case without diacritics or possessive: Abışov -> abisov, Tokayev’s -> tokayev."""
    name = name.replace("ı", "i").replace("’s", "").replace("'s", "")
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip(" .,’'")


def surname(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return fold(parts[-1]) if parts else fold(name)


class NameIndex:
    """The document's people, one entry per surname, with the fullest form as canonical name."""

    def __init__(self, people: list[PersonMention]):
        self.canonical: dict[str, str] = {}
        self.roles: dict[str, set[str]] = {}
        self.first_seen: dict[str, int] = {}
        forms: dict[str, dict[str, list[int]]] = {}
        for person in people:
            if person.label != "PERSON":
                continue
            name = person.text.replace("’s", "").replace("'s", "").strip()
            key = surname(name)
            if not key or len(key) < 2:
                continue
            seen = forms.setdefault(key, {}).setdefault(name, [0, 0])
            seen[0] += 1
            seen[1] += 0 if person.in_quote else 1
            self.roles.setdefault(key, set()).update(person.role_words)
            self.first_seen.setdefault(key, person.span[0])
        for key, names in forms.items():
            self.canonical[key] = max(names, key=lambda name: _name_quality(name, *names[name]))

    def lookup(self, name: str) -> str:
        return self.canonical.get(surname(name), name.replace("’s", "").strip())

    def key_of(self, name: str) -> str:
        return surname(name)


def _name_quality(name: str, count: int, outside_quotes: int) -> tuple:
    """Which form of a name is canonical: a full name of two or three words seen outside quotes,
    with given names spelled out (Vladimir Putin over V. Putin), then the most frequent."""
    words = name.replace("-", " ").split()
    initials = sum(1 for w in words if len(w.rstrip(".")) <= 1)
    return (2 <= len(words) <= 3, outside_quotes > 0, -initials, count, len(name))


def _role_score(words: tuple[str, ...], roles: set[str]) -> int:
    folded_roles = {fold(r) for r in roles}
    score = 0
    for word in words:
        word = fold(word)
        if word in ("the", "of", "a", "an", "") or len(word) < 3:
            continue
        wanted = ROLE_SYNONYMS.get(word, {word})
        if folded_roles & wanted:
            score += 2
        elif any(len(word) >= 5 and r[:5] == word[:5] for r in folded_roles):
            score += 1  # Kazakhstan ~ Kazakh
    return score


def resolve_mentions(parsed: Parsed) -> None:
    """Resolve the speaker mentions of one document's candidates to names (sets `speaker`,
    `speaker_kind` and `reported_by`)."""
    index = NameIndex(parsed.people)
    # Persons and organisations seen as subjects outside quotations, by position: pronoun antecedents.
    antecedents: list[tuple[int, str, str]] = []  # (position, canonical, kind)
    for person in parsed.people:
        if person.in_quote or not person.is_subject:
            continue
        kind = "person" if person.label == "PERSON" else "org"
        name = index.lookup(person.text) if kind == "person" else _clean(person.text)
        antecedents.append((person.span[0], name, kind))
    resolved: list[tuple[int, str, str]] = []
    body_speakers: list[tuple[int, str]] = []

    ordered = sorted(parsed.candidates, key=lambda c: (c.mention.span[0] if c.mention else c.start))
    headline: list[Candidate] = []
    for cand in ordered:
        if cand.origin == "headline":
            headline.append(cand)
            continue
        _resolve_one(cand, index, antecedents, resolved)
        if cand.origin == "headline":
            headline.append(cand)
            continue
        if cand.speaker and cand.speaker_kind == "person":
            body_speakers.append((cand.start, cand.speaker))
        if cand.speaker and cand.mention:
            resolved.append((cand.mention.span[0], cand.speaker, cand.speaker_kind or ""))
    for cand in headline:
        _resolve_headline(cand, index, body_speakers)
    for cand in parsed.candidates:
        if cand.parent is not None and cand.parent.speaker and not cand.reported_by:
            if cand.parent.speaker != cand.speaker:
                cand.reported_by = cand.parent.speaker


def _clean(text: str) -> str:
    text = text.strip()
    for det in DETERMINERS:
        if text.startswith(det):
            text = text[len(det):]
    return text.replace("’s", "").strip()


def _nearest(before: int, pool: list[tuple[int, str, str]], kinds: set[str]) -> str | None:
    best = None
    for position, name, kind in pool:
        if position < before and kind in kinds and (best is None or position > best[0]):
            best = (position, name)
    return best[1] if best else None


def _resolve_one(cand: Candidate, index: NameIndex, antecedents, resolved) -> None:
    if cand.speaker:  # given by the interview structure
        cand.speaker = index.lookup(cand.speaker)
        cand.speaker_kind = cand.speaker_kind or "person"
        return
    mention = cand.mention
    if mention is None:
        return
    pool = antecedents + resolved
    if mention.pronoun:
        pronoun = mention.pronoun
        if pronoun in MALE | FEMALE:
            cand.speaker = _nearest(mention.span[0], pool, {"person"})
            cand.speaker_kind = "person" if cand.speaker else None
        elif pronoun in GROUP | {"we"}:
            cand.speaker = _nearest(mention.span[0], pool, {"org", "group"}) if pronoun != "we" else None
            cand.speaker_kind = "org" if cand.speaker else None
        elif pronoun in THING:
            cand.speaker = _nearest(mention.span[0], pool, {"org"})
            cand.speaker_kind = "org" if cand.speaker else None
        return
    named = _known_name_in(mention.text, index)
    if named:  # "Director of the Institute … Valery Garbuzov", whatever the tagger called the name
        cand.speaker, cand.speaker_kind = named, "person"
        return
    if mention.entity is None and mention.head_pos == "PROPN":
        key = index.key_of(mention.text)
        if key in index.canonical:  # "Murtazashvili says", untagged: the person named so before
            cand.speaker, cand.speaker_kind = index.canonical[key], "person"
            return
    if mention.entity is not None:
        label, span, name = mention.entity
        if label != "PERSON" and index.key_of(name) in index.canonical and len(name.split()) <= 3:
            label = "PERSON"  # the tagger called a known person something else here
        if label == "PERSON":
            cand.speaker, cand.speaker_kind = index.lookup(name), "person"
            return
        if label == "ORG" or mention.head_lemma in (fold(w) for w in name.split()):
            cand.speaker, cand.speaker_kind = _clean(name), "org"
            return
    if _is_description(mention):
        cand.speaker = _by_role(mention, index, before=mention.span[0]) or _nearest(mention.span[0], resolved, {"person"})
        if cand.speaker is None and mention.span[0] < LEDE:
            cand.origin = "headline"  # "…, says diplomat" above the story: named only further down
            return
        cand.speaker_kind = "person" if cand.speaker else None
        return
    if mention.head_pos in ("NOUN", "PROPN"):
        cand.speaker = _clean(mention.text)
        cand.speaker_kind = "group" if mention.plural else None


def _known_name_in(text: str, index: NameIndex) -> str | None:
    """A person of the document named at the end of a mention (not as a possessive: Obama's aide)."""
    words = text.replace("-", " ").split()
    if not words or len(words) < 2:
        return None
    last = words[-1]
    if last.endswith(("’s", "'s", "’", "'")):
        return None
    key = fold(last)
    return index.canonical.get(key) if len(key) > 2 else None


def _is_description(mention: Mention) -> bool:
    return mention.head_lemma.lower() in PERSON_NOUNS and mention.pronoun is None


def _by_role(mention: Mention, index: NameIndex, before: int | None) -> str | None:
    words = tuple(w for w in mention.text.replace("-", " ").split()) + (mention.head_lemma,)
    best: tuple[int, int, str] | None = None
    for key, roles in index.roles.items():
        seen = index.first_seen[key]
        if before is not None and seen > before:
            continue
        score = _role_score(words, roles)
        if score >= 2 and (best is None or (score, seen) > (best[0], best[1])):
            best = (score, seen, index.canonical[key])
    return best[2] if best else None


def _resolve_headline(cand: Candidate, index: NameIndex, body_speakers: list[tuple[int, str]]) -> None:
    mention = cand.mention
    if mention is None:
        return
    text = mention.text.strip()
    if text[:1].isupper() and len(text.split()) <= 4 and text.split()[-1][:1].isupper():
        key = index.key_of(text)
        if key in index.canonical:
            cand.speaker, cand.speaker_kind = index.canonical[key], "person"
            return
        if mention.head_lemma not in PERSON_NOUNS:
            cand.speaker = text
            return
    by_role = _by_role(mention, index, before=None)
    if by_role:
        cand.speaker, cand.speaker_kind = by_role, "person"
    elif body_speakers and mention.head_lemma in PERSON_NOUNS:
        cand.speaker, cand.speaker_kind = sorted(body_speakers)[0][1], "person"
