"""Speaker mentions: the subject of a cue, the name and titles inside it, and what a relative pronoun
stands for."""

from __future__ import annotations

from functools import lru_cache

from quotetrack import lexicon
from quotetrack.extraction import cues
from quotetrack.extraction.candidates import Mention, entities_within, entity_at, sentence_of, tok_span, tokens_text
from quotetrack.spans import CharSpan

PERSON_TITLES = lexicon.words("person_titles")  # not store.identity.NAME_PREFIXES

ORG_WORDS = lexicon.words("org_words")
RELATION_WORDS = lexicon.words("relation_words")  # wife, daughter, …: a relative introduced as such

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
AGREEING = {("VBP", "NNS"), ("VBP", "NNPS"), ("VBZ", "NN"), ("VBZ", "NNP")}  # verb and subject in number
# Dependents that are not part of a speaker mention ("Ryabkov, who has arrived …").
MENTION_CUT_DEPS = {"relcl", "acl", "punct", "cc", "conj", "advcl", "appos", "prep"}
# What a noun phrase is made of, and what ends one, walking back from its head.
NP_POS = {"PROPN", "NOUN", "ADJ", "DET", "ADP", "CCONJ", "NUM", "PART", "PUNCT"}
SEPARATORS = {",", ";", "—", "–", "\"", "”", "’", ":"}
DASHES = {"-", "–", "—", "--"}


def name_tokens(ent) -> list:
    """A person's name: the entity, extended over first names the tagger left out (Valery Garbuzov),
    without leading titles (Spokeswoman Maria Zakharova -> Maria Zakharova)."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start > 0:
        word = doc[start - 1]
        hyphen = word.text == "-" and start > 1 and doc[start - 2].pos_ == "PROPN"
        given = (word.pos_ == "PROPN" and word.text[:1].isupper() and word.dep_ in ("compound", "nmod")
                 and word.lower_.strip(".") not in PERSON_TITLES and word.ent_type_ not in ("ORG", "GPE", "NORP"))
        if not (hyphen or given):
            break
        start -= 1
    # a possessive or a quotation mark the tagger took in: "Donald Trump ''doesn't want …"
    while end - start > 1 and (doc[end - 1].text in ("’s", "'s", "’", "'") or doc[end - 1].is_punct):
        end -= 1
    # a title-cased headline's verb taken into the name: "Obama Says African-American Museum …"
    while end - start > 1 and _speech_verb(doc[end - 1].lower_):
        end -= 1
    # Back from the surname over name words; a title or an organisation word ends the name.
    first = end - 1
    while first > start:
        word = doc[first - 1]
        if word.lower_.strip(".") in PERSON_TITLES or word.lower_ in ORG_WORDS or not (word.text[:1].isupper() or word.text == "-"):
            break
        first -= 1
    return list(doc[first:end])


def _speech_verb(word: str) -> bool:
    return word in cues.SPEECH or word.endswith("s") and word[:-1] in cues.SPEECH or word in ("said", "told")


# `a spokeswoman for Hillary Clinton`, `an aide to Obama`: the name is whom they work for
EMPLOYER_PREPOSITIONS = frozenset({"for", "to"})


def works_for(name) -> bool:
    """A name's head token is the object of "for" or "to": the employer, not the person described."""
    return name.dep_ == "pobj" and name.head.lower_ in EMPLOYER_PREPOSITIONS


def names_the_holder(ent, head) -> bool:
    """A name inside a mention that is not its head names the speaker only when the head is the
    person's title (`Director of the Institute … Valery Garbuzov`), not when the name modifies a
    common noun (`Kazakh authorities`, `Obama's former strategist`)."""
    if ent.root.dep_ in ("compound", "amod", "poss", "nmod") and ent.root.head.i == head.i:
        return False
    # up from the name to the head: "a spokesman for the wife of Alan Grayson" is neither Grayson
    node = ent.root
    while node.i != head.i and node.head.i != node.i:
        if works_for(node) or node.dep_ == "pobj" and node.head.head.lemma_.lower() in RELATION_WORDS:
            return False  # "the wife of Alan Grayson" is not Alan Grayson
        node = node.head
    return head.lower_.strip(".") in PERSON_TITLES or head.lemma_.lower() in cues.SPEAKER_NOUNS and ent.label_ == "PERSON"


def coordinated_modifier(child, head) -> bool:
    """`US and Canadian Studies Valery Garbuzov`: a coordinated phrase the parser hung on a name is
    the tail of an organisation's name, not part of the person's mention."""
    return head.pos_ == "PROPN" and child.i < head.i and child.dep_ == "nmod" and any(c.dep_ == "conj" for c in child.children)


@lru_cache(maxsize=8)
def entities(doc) -> tuple:
    """The named entities of a Doc. Kept once per Doc: `doc.ents` builds every span anew on each
    access, and mentions ask for them thousands of times per article."""
    return tuple(doc.ents)


def inner_hyphen(tok) -> bool:
    """The hyphen inside a word the tokenizer split: "the Democratic front-runner", not "runner"."""
    return tok.text == "-" and tok.i > 0 and not tok.whitespace_ and not tok.doc[tok.i - 1].whitespace_


def make_mention(head, offset: int) -> Mention:
    """The speaker mention: the subject's head with its pre-modifiers and name parts, not clauses."""
    keep = [head]
    stack = [c for c in head.children
             if (c.dep_ not in MENTION_CUT_DEPS or inner_hyphen(c)) and not coordinated_modifier(c, head)]
    # "Director of the Institute … Valery Garbuzov": keep an `of` phrase that ends in a name.
    for child in head.children:
        # "the Commission on Presidential Debates", not "Clinton on CNN"
        of_organisation = child.lower_ == "on" and (head.ent_type_ == "ORG" or head.lower_ in ORG_WORDS)
        if child.dep_ == "prep" and child.i > head.i and (child.lower_ in ("of", "for", "at", "from") or of_organisation):
            if any(t.ent_type_ in ("PERSON", "ORG") for t in child.subtree) or child.lower_ == "of":
                stack.append(child)
    while stack:
        tok = stack.pop()
        if tok.dep_ in ("relcl", "acl", "advcl", "appos") or tok.is_punct and tok.text not in "-’'.":
            continue
        keep.append(tok)
        stack.extend(tok.children)
    keep.sort(key=lambda t: t.i)
    # keep it contiguous around the head
    lo = hi = keep.index(head)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    words = keep[lo : hi + 1]
    while words and (words[0].dep_ in ("cc", "punct") or words[0].is_punct):
        words = words[1:]
    if len(words) > 1 and words[0].pos_ == "VERB" and words[1].pos_ == "PROPN":
        words = words[1:]  # "Said Ellis:" parsed as one name
    while words and words[-1].is_punct:
        words = words[:-1]
    if not words:
        words = [head]
    doc = head.doc
    span = tok_span(words, offset)
    entity = None
    persons = [e for e in entities_within(doc, words[0].i, words[-1].i + 1) if e.label_ in ("PERSON", "ORG", "NORP", "GPE")
               and (e.start <= head.i < e.end or names_the_holder(e, head))]
    if head.pos_ == "PROPN" and not any(e.start <= head.i < e.end for e in persons) \
            and head.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC") and head.lower_.strip(".") not in PERSON_TITLES:
        # the tagger missed the name the mention is headed by: "Kazakh President Kassym-Jomart Tokayev"
        entity = entity_of(doc[head.i : head.i + 1], offset, as_person=True)
    elif persons:
        # the name the mention is headed by, else the nearest; people before organisations
        persons.sort(key=lambda e: (not e.start <= head.i < e.end, e.label_ != "PERSON", abs(e.end - 1 - head.i)))
        ent = persons[0]
        titled = ent.start > 0 and doc[ent.start - 1].lower_.strip(".") in PERSON_TITLES
        entity = entity_of(ent, offset, as_person=titled and ent.label_ == "ORG")
    elif head.ent_type_ in ("PERSON", "ORG"):
        ent = entity_at(doc, head.i)
        if ent is not None:
            entity = entity_of(ent, offset)
    if entity is None or entity[0] != "PERSON":
        # "the first vice-speaker of the Federation Council, Secretary of …, Turchak, wrote"
        stack = [c for c in head.children if c.dep_ == "appos"]
        # "His former business partner at Lenox, Lawrence B. Cummings, called": the parse hangs the
        # name on the place
        stack += [t for t in head.subtree if t.dep_ == "appos" and t.head.dep_ == "pobj" and t.head.head.head.i == head.i]
        while stack and (entity is None or entity[0] != "PERSON"):
            child = stack.pop(0)
            holder = entity_at(doc, child.i)
            names = [holder] if holder is not None and holder.label_ == "PERSON" else []
            if names:
                entity = entity_of(names[0], offset)
                break
            stack += [c for c in child.children if c.dep_ == "appos"]
    pronoun = head.lower_ if head.pos_ == "PRON" else None
    # another person's name in the mention ends the roles that are this one's: "Republican nominee
    # Donald Trump and Democratic nominee Hillary Clinton"
    own = entity_at(doc, head.i) if head.ent_type_ == "PERSON" else None
    others = [t.i for t in words if t.ent_type_ == "PERSON" and (own is None or not own.start <= t.i < own.end)]
    cut = max((i for i in others if i < head.i), default=-1)
    roles = [t.lemma_.lower() for t in words
             if t.i > cut and t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.ent_type_ == "PERSON"]
    for child in head.children:  # "Gaziz Abyshev, a political observer from Astana"
        if child.dep_ == "appos":
            roles += [t.lemma_.lower() for t in appositive_words(child) if t.pos_ in ("NOUN", "ADJ", "PROPN")]
    if len(words) > 2 and words[1].lower_ == "of" and head.i > words[1].i and words[0].lemma_.lower() in cues.PERSON_NOUNS:
        head = words[0]  # a headline drops the article: "Member of House panel says …" is a member
    plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in ("they", "we")
    return Mention(span, tokens_text(words), head.lemma_.lower(), head.pos_,
                   pronoun, entity, tuple(roles), plural)


def appositive_words(appos) -> list:
    """An apposition's words that describe the person it stands beside, without another person
    named inside it and that person's titles: "Adelson, a fierce supporter of Israeli Prime
    Minister Benjamin Netanyahu" is a supporter, not a prime minister; "Rhodes, one of the
    president's closest aides" is an aide."""
    other: set[int] = set()
    for token in appos.subtree:
        if token.i != appos.i and (token.ent_type_ == "PERSON" and token.head.ent_type_ != "PERSON" or token.dep_ == "poss"):
            other.update(t.i for t in token.subtree)
    return [t for t in appos.subtree if t.i not in other]


def titled_name(ent) -> bool:
    """An entity the tagger called an organisation that is a titled name: `Kazakh President Kassym-Jomart Tokayev`."""
    words = list(ent)
    return ent.label_ == "ORG" and any(w.lower_.strip(".") in PERSON_TITLES for w in words[:-1]) and words[-1].pos_ == "PROPN" \
        and words[-1].lower_.strip(".") not in PERSON_TITLES and not any(w.lower_ in ORG_WORDS for w in words)


def entity_of(ent, offset: int, as_person: bool = False) -> tuple[str, CharSpan, str]:
    if ent.label_ == "PERSON" or as_person or titled_name(ent):
        tokens = name_tokens(ent)
        span = tok_span(tokens, offset)
        return ("PERSON", span, tokens_text(tokens))
    return (ent.label_, tok_span(ent, offset), ent.text)


def antecedent_of(subject, verb):
    """What a relative pronoun subject stands for: "an architect who said …" -> the architect."""
    if subject is None or subject.tag_ not in ("WDT", "WP") or verb.dep_ != "relcl":
        return None
    antecedent = verb.head
    group = antecedent.head
    if antecedent.dep_ == "pobj" and group.lower_ in ("among", "of") and group.head.lemma_ == "be":
        # "He is among the many researchers who do not accept …": he is the one who does not
        subjects = [c for c in group.head.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
    if subject.lower_ == "who":
        # "who" stands for a person: "said Alfonso Aguilar, the executive director of the Latino
        # Partnership for Conservative Principles, who also said": not the organisation the clause
        # follows but the person it describes, up through of-phrases, coordination and apposition
        # ("nervous Democrats on Capitol Hill, who have argued": the Democrats, not the place)
        for wanted in (lambda t: t.ent_type_ == "PERSON", _personal):
            climbed = antecedent
            while not wanted(climbed) and climbed.dep_ in ("pobj", "prep", "conj", "appos", "compound"):
                climbed = climbed.head
            if climbed is not antecedent and wanted(climbed):
                return climbed
    return antecedent


def _personal(token) -> bool:
    """A person or people: a name, a nationality or party ("Democrats"), or a noun for someone."""
    return token.ent_type_ in ("PERSON", "NORP") or token.pos_ == "NOUN" and token.lemma_.lower() in cues.SPEAKER_NOUNS


def with_antecedent(mention: Mention, antecedent: Mention) -> Mention:
    """A relative pronoun's mention that resolves as the noun phrase it stands for."""
    return Mention(mention.span, mention.text, antecedent.head_lemma, antecedent.head_pos, antecedent.pronoun,
                   antecedent.entity, antecedent.role_words, antecedent.plural)


def past_dateline(subject):
    """A dateline the parse made the subject, with the person after it as its apposition: "New York
    (AFP) – Vice President Joe Biden on Monday hit the campaign trail …, accusing him of …" is Biden."""
    if not dateline(subject):
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and c.ent_type_ == "PERSON" and c.i > subject.i), subject)


def speaker_mention(subject, verb, offset: int) -> Mention | None:
    """The mention of a cue's subject; a relative pronoun keeps its span but resolves as its antecedent.
    None for a subject that is no word (a line separator the parser made one)."""
    subject = past_dateline(subject)
    others = [c for c in subject.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PRON") and not c.ent_type_]
    if others and subject.pos_ == "PROPN" and any(t.tag_ in ("NNS", "NNPS") or t.lower_ == "others" for t in others):
        # "RT and its defenders say", "Edwards and others say": a group no one name stands for
        words = list(subject.doc[subject.left_edge.i : others[-1].right_edge.i + 1])
        return Mention(tok_span(words, offset), tokens_text(words), others[-1].lemma_.lower(), "NOUN", plural=True)
    mention = make_mention(subject, offset)
    if not mention.text.strip():
        return None
    antecedent = antecedent_of(subject, verb)
    if antecedent is not None:
        mention = with_antecedent(mention, make_mention(antecedent, offset))
    return mention


def own_subject(verb, nearest: bool = True):
    """The verb's subject in the parse. No verb has two: where the parse gives it two, it ran two
    clauses together, and English puts a subject next to its verb. "His promises … notwithstanding,
    independent analyses agree": the analyses; "… back Trump, while 5 percent prefer Gary Johnson and 1
    percent support Jill Stein": 1 percent. A dateline the parse made a subject is none. (Not `nearest`
    for a governing verb a participle inherits from: in "Trump and has aides have also had choice words …,
    telling O'Reilly", the typo splits the subject, and the first is the one the participle speaks for.)"""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    subjects = [c for c in subjects if not dateline(c)] or subjects
    if len(subjects) > 1 and nearest:
        near = [t for s in subjects for t in (s, *(c for c in s.children if c.dep_ == "conj")) if t.i < verb.i]
        return max(near, key=lambda t: t.i) if near else subjects[0]
    return subjects[0] if subjects else None


def dateline(token) -> bool:
    """A place opening its sentence and closed by a dash: "Cleveland (AFP) – Senator Tim Kaine …"."""
    if token.ent_type_ not in ("GPE", "LOC") or token.left_edge.i != sentence_of(token).start:
        return False
    doc = token.doc
    return any(t.text in DASHES for t in doc[token.i + 1 : min(token.i + 6, len(doc))])


def subject_of(verb):
    """The subject of a cue verb, inherited from the governing verb for participles and conjuncts."""
    own = own_subject(verb)
    if own is not None:
        return own
    if verb.i > 0 and verb.doc[verb.i - 1].pos_ in ("PROPN", "NOUN"):
        surface = surface_subject(verb)  # `…, Valery Garbuzov told TASS` misparsed as a conjunct
        if surface is not None:
            return surface
        before = verb.doc[verb.i - 1]
        if (verb.tag_, before.tag_) in AGREEING and verb.dep_ in ("advcl", "acl", "conj", "ROOT"):
            # a present tense has a subject, and the noun before it agrees: in "companies seek to minimize
            # liabilities and creditors look to maximize profits" the creditors look, not "bankruptcy"
            # (the parse took them for a second object)
            return before
    if verb.dep_ == "xcomp":
        objects = [c for c in verb.head.children if c.dep_ == "dobj"]
        if objects:  # "forced Stumpf to admit …": Stumpf admits
            return objects[0]
    node = verb
    for _ in range(3):
        if node.dep_ in ("advcl", "xcomp", "conj", "acl") and node.head is not node:
            node = outside_aside(node.head, node)
            agent = [c for c in node.children if c.dep_ == "agent"]
            if agent and any(c.dep_ == "auxpass" for c in node.children):
                objects = [c for c in agent[0].children if c.dep_ == "pobj"]
                if objects:  # "A message was expressed by Zatulin, suggesting …"
                    return objects[0]
            inherited = own_subject(node, nearest=False)
            if inherited is not None:
                # a participle says something only of someone: not "Putin’s statement …, recalling"
                return inherited if animate(inherited) else None
        else:
            break
    return None


ASIDE_OPEN = {**{dash: dash for dash in DASHES}, "(": ")"}  # opening mark -> closing mark
ASIDE_WINDOW = 60  # tokens: an aside is a clause, and a run-on "sentence" must not cost a scan per verb


def outside_aside(head, dependant):
    """The word a participle hangs from, out of a dash or bracket aside that closes before it: in
    "looping the streets around the stadium - where the Panthers played the Vikings - while chanting",
    the protesters chant, not the Panthers; the parse hangs "chanting" on "played"."""
    if head.i > dependant.i or dependant.i - head.i > ASIDE_WINDOW:
        return head
    doc = head.doc
    closers = {doc[k].text for k in range(head.i + 1, dependant.i)} & set(ASIDE_OPEN.values())
    if not closers:
        return head
    floor = max(sentence_of(head).start, head.i - ASIDE_WINDOW) - 1
    opening = next((k for k in range(head.i - 1, floor, -1) if ASIDE_OPEN.get(doc[k].text) in closers), None)
    if opening is None:
        return head
    node = head
    for _ in range(ASIDE_WINDOW):
        if node.i < opening or node.head.i == node.i:
            break
        node = node.head
    return node if node.i < opening else head


def asked(verb) -> bool:
    """Whether the cue is, or depends on, a participle of asking: in "Asked to describe the device,
    O'Neill said" or "Pressed to explain the delay, the chief said", the subject is who was asked."""
    node = verb
    for _ in range(3):
        if node.tag_ == "VBN" and node.dep_ == "advcl" and node.lemma_.lower() in cues.ASKING:
            return True
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
    return False


def surface_subject(verb):
    """When the parse gives the cue no subject: the noun phrase right before it, back to a comma
    (`…, Director of the Institute … Valery Garbuzov told TASS`), or right after it (`…, said Ryabkov`)."""
    doc = verb.doc
    sent_start = sentence_of(verb).start
    i = verb.i - 1
    while i >= sent_start and doc[i].pos_ in ("ADV", "AUX", "PART") and doc[i].lower_ not in (",",):
        i -= 1
    if i >= sent_start and doc[i].pos_ == "CCONJ":
        # "stripping out a call for … weapons to Ukraine and replacing it": a verb after "and" shares the
        # subject of the verb it joins; the noun before "and" ends another phrase
        i = sent_start - 1
    nouns = []
    while i >= sent_start and doc[i].text not in SEPARATORS and doc[i].pos_ in NP_POS | {"PRON"}:
        if doc[i].pos_ in ("PROPN", "NOUN", "PRON"):
            nouns.append(doc[i])
        i -= 1
    if nouns and i >= sent_start and doc[i].text in (",", "—", "–", "\"", "”", ":"):
        return nouns[0]  # the word next to the cue heads the phrase
    if not nouns and i > sent_start and doc[i].text == ",":
        # `“…,” Flynn, a top Trump surrogate, said`: back over the apposition to the name before it
        k = i - 1
        while k > sent_start and doc[k].text not in SEPARATORS and doc[k].pos_ in NP_POS:
            k -= 1
        if k > sent_start and doc[k].text == "," and doc[k - 1].pos_ == "PROPN" and k < i - 1:
            return doc[k - 1]
    j = verb.i + 1
    if j < len(doc) and doc[j].pos_ in ("PROPN", "DET", "NOUN") and doc[j].ent_type_ not in ("DATE", "TIME"):
        # (a loop here once went on over the nouns after doc[j] while `doc[j + 1].sent is verb.sent`,
        # which is never true, spaCy making a new CharSpan on every .sent: it never ran, and cost a walk
        # over the whole sentence per verb; dropped, keeping what extraction gives)
        if doc[j].pos_ in ("PROPN", "NOUN") and verb.i > sent_start and doc[verb.i - 1].text in (",", "\"", "”"):
            return doc[j]
        if doc[j].pos_ == "PROPN" and verb.i == sent_start and verb.text[:1].isupper():
            return doc[j]  # "Said Ellis: “I don't get the sense …”
    return None


def animate(tok) -> bool:
    """Whether a word can be a source: a name, a pronoun, an organisation or a word for people."""
    return (
        tok.pos_ in ("PROPN", "PRON")
        or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or tok.lemma_.lower() in cues.SPEAKER_NOUNS
    )
