"""Quote extraction from parsed documents.

Candidates come from four places, then meet in `extract_from_pieces`:
- the dependency parse: a cue verb with a subject and a clausal complement (said that …), inverted
  and parenthetical cues (…, Ryabkov added; Law and order, authorities affirm, was restored),
  participles (…, adding that …) and "according to X";
- quotation marks (`quotemarks`): a quote is tied to the cue of its sentence, to a cue sentence
  right before or after it ("He said:" / "…," he said), or continues the previous speaker's quote;
- headlines ("… — expert", "…, says diplomat", "Poll: …") and interviews (question, answer).
Speakers are then resolved inside the document by `resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import cues
from .quotemarks import Quotation, find_quotations, paragraphs
from .records import Document, Quote, Span

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp", "parataxis"}
# Dependents that are not part of a speaker mention ("Ryabkov, who has arrived …").
MENTION_CUT_DEPS = {"relcl", "acl", "punct", "cc", "conj", "advcl", "appos", "prep"}
SCARE_QUOTE_WORDS = 4
EDGE_PUNCT = " \t\n,;:."


@dataclass
class Mention:
    """The words the cue attaches to, with what resolution needs to know about them."""

    span: Span
    text: str
    head_lemma: str
    head_pos: str
    pronoun: str | None = None
    entity: tuple[str, Span, str] | None = None  # (label, span, text) of a PERSON/ORG inside the mention
    role_words: tuple[str, ...] = ()
    plural: bool = False


@dataclass
class Candidate:
    content: list[Span]
    kind: str
    origin: str
    cue: Span | None = None
    mention: Mention | None = None
    speaker: str | None = None  # set directly by interview detection
    speaker_kind: str | None = None
    confidence: float = 0.8
    reported_by: str | None = None
    via: str = ""  # "object" when the content is a verb's object (criticized X), a weaker sign of a claim
    parent: "Candidate | None" = field(default=None, repr=False)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    def chars(self) -> set[int]:
        return {i for s, e in self.content for i in range(s, e)}


@dataclass
class PersonMention:
    """A PERSON or ORG entity seen in the document, for resolution."""

    span: Span
    text: str
    label: str
    role_words: tuple[str, ...]
    in_quote: bool
    is_subject: bool


@dataclass
class Parsed:
    """What extraction keeps of the parse of one document: candidates and entity mentions."""

    text: str
    candidates: list[Candidate] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    subjects: list[Mention] = field(default_factory=list)  # people who are sentence subjects outside quotes
    sentence_starts: list[int] = field(default_factory=list)


# ----------------------------------------------------------------------------- spans and tokens


def tok_span(tokens, offset: int) -> Span:
    tokens = [t for t in tokens if not t.is_space] or list(tokens)
    return (tokens[0].idx + offset, tokens[-1].idx + len(tokens[-1].text) + offset)


def trim(text: str, span: Span, keep_marks: bool = True) -> Span | None:
    start, end = span
    while start < end and text[start] in EDGE_PUNCT + "—–-":
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT + "—–-":
        end -= 1
    return (start, end) if end > start else None


def subtree_without(token, excluded: set[int]) -> list:
    """Tokens of `token`'s subtree, leaving out the subtrees of the token indices in `excluded`."""
    out = []
    stack = [token]
    while stack:
        tok = stack.pop()
        if tok.i in excluded:
            continue
        out.append(tok)
        stack.extend(tok.children)
    return sorted(out, key=lambda t: t.i)


def contiguous_spans(tokens, offset: int, text: str) -> list[Span]:
    """Group sorted tokens into runs of adjacent tokens (ignoring punctuation gaps) as char spans."""
    spans: list[Span] = []
    run: list = []
    for tok in tokens:
        if run and tok.i != run[-1].i + 1:
            spans.append(tok_span(run, offset))
            run = []
        run.append(tok)
    if run:
        spans.append(tok_span(run, offset))
    trimmed = [trim(text, s) for s in spans]
    return [s for s in trimmed if s and any(ch.isalnum() for ch in text[s[0] : s[1]])]


TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "sir", "president", "spokeswoman", "spokesman", "minister", "secretary",
    "senator", "sen", "rep", "gov", "governor", "general", "gen", "director", "chairman", "ambassador",
    "deputy", "prime", "foreign", "journalist", "jurnalist", "professor", "prof", "judge", "mayor", "king",
    "queen", "prince", "pope", "former", "vice", "chief", "head", "leader", "candidate", "nominee", "presidential",
}


ORG_WORDS = {"ministry", "department", "office", "council", "committee", "party", "agency", "institute",
             "university", "foundation", "campaign", "house", "senate", "congress", "duma", "court", "prezidenti"}


def name_tokens(ent) -> list:
    """A person's name: the entity, extended over first names the tagger left out (Valery Garbuzov),
    without leading titles (Spokeswoman Maria Zakharova -> Maria Zakharova)."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start > 0:
        word = doc[start - 1]
        hyphen = word.text == "-" and start > 1 and doc[start - 2].pos_ == "PROPN"
        given = (word.pos_ == "PROPN" and word.text[:1].isupper() and word.dep_ in ("compound", "nmod")
                 and word.lower_.strip(".") not in TITLE_WORDS and word.ent_type_ not in ("ORG", "GPE", "NORP"))
        if not (hyphen or given):
            break
        start -= 1
    while end - start > 1 and doc[end - 1].text in ("’s", "'s", "’", "'"):
        end -= 1
    # Back from the surname over name words; a title or an organisation word ends the name.
    first = end - 1
    while first > start:
        word = doc[first - 1]
        if word.lower_.strip(".") in TITLE_WORDS or word.lower_ in ORG_WORDS or not (word.text[:1].isupper() or word.text == "-"):
            break
        first -= 1
    return list(doc[first:end])


def names_the_holder(ent, head) -> bool:
    """A name inside a mention that is not its head names the speaker only when the head is the
    person's title (`Director of the Institute … Valery Garbuzov`), not when the name modifies a
    common noun (`Kazakh authorities`, `Obama's former strategist`)."""
    if ent.root.dep_ in ("compound", "amod", "poss", "nmod") and ent.root.head.i == head.i:
        return False
    return head.lower_.strip(".") in TITLE_WORDS or head.lemma_.lower() in cues.SPEAKER_NOUNS and ent.label_ == "PERSON"


def make_mention(head, offset: int) -> Mention:
    """The speaker mention: the subject's head with its pre-modifiers and name parts, not clauses."""
    keep = [head]
    stack = [c for c in head.children if c.dep_ not in MENTION_CUT_DEPS]
    # "Director of the Institute … Valery Garbuzov": keep an `of` phrase that ends in a name.
    for child in head.children:
        if child.dep_ == "prep" and child.i > head.i and child.lower_ in ("of", "for", "at", "from"):
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
    while words and words[-1].is_punct:
        words = words[:-1]
    if not words:
        words = [head]
    doc = head.doc
    span = tok_span(words, offset)
    entity = None
    persons = [e for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP", "GPE")
               and e.start >= words[0].i and e.end <= words[-1].i + 1
               and (e.start <= head.i < e.end or names_the_holder(e, head))]
    if head.pos_ == "PROPN" and not any(e.start <= head.i < e.end for e in persons) \
            and head.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC") and head.lower_.strip(".") not in TITLE_WORDS:
        # the tagger missed the name the mention is headed by: "Kazakh President Kassym-Jomart Tokayev"
        entity = entity_of(doc[head.i : head.i + 1], offset, as_person=True)
    elif persons:
        # the name the mention is headed by, else the nearest; people before organisations
        persons.sort(key=lambda e: (not e.start <= head.i < e.end, e.label_ != "PERSON", abs(e.end - 1 - head.i)))
        ent = persons[0]
        titled = ent.start > 0 and doc[ent.start - 1].lower_.strip(".") in TITLE_WORDS
        entity = entity_of(ent, offset, as_person=titled and ent.label_ == "ORG")
    elif head.ent_type_ in ("PERSON", "ORG"):
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            entity = entity_of(ent, offset)
    if entity is None or entity[0] != "PERSON":
        # "the first vice-speaker of the Federation Council, Secretary of …, Turchak, wrote"
        stack = [c for c in head.children if c.dep_ == "appos"]
        while stack and entity is None or stack and entity[0] != "PERSON":
            child = stack.pop(0)
            names = [e for e in doc.ents if e.label_ == "PERSON" and e.start <= child.i < e.end]
            if names:
                entity = entity_of(names[0], offset)
                break
            stack += [c for c in child.children if c.dep_ == "appos"]
    pronoun = head.lower_ if head.pos_ == "PRON" else None
    roles = [t.lemma_.lower() for t in words if t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.ent_type_ == "PERSON"]
    for child in head.children:  # "Gaziz Abyshev, a political observer from Astana"
        if child.dep_ == "appos":
            roles += [t.lemma_.lower() for t in child.subtree if t.pos_ in ("NOUN", "ADJ", "PROPN")]
    plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in ("they", "we")
    return Mention(span, doc.text[span[0] - offset : span[1] - offset], head.lemma_.lower(), head.pos_,
                   pronoun, entity, tuple(roles), plural)


def titled_name(ent) -> bool:
    """An entity the tagger called an organisation that is a titled name: `Kazakh President Kassym-Jomart Tokayev`."""
    words = list(ent)
    return ent.label_ == "ORG" and any(w.lower_.strip(".") in TITLE_WORDS for w in words[:-1]) and words[-1].pos_ == "PROPN" \
        and words[-1].lower_.strip(".") not in TITLE_WORDS and not any(w.lower_ in ORG_WORDS for w in words)


def entity_of(ent, offset: int, as_person: bool = False) -> tuple[str, Span, str]:
    if ent.label_ == "PERSON" or as_person or titled_name(ent):
        tokens = name_tokens(ent)
        span = tok_span(tokens, offset)
        return ("PERSON", span, ent.doc.text[span[0] - offset : span[1] - offset])
    return (ent.label_, tok_span(ent, offset), ent.text)


def subject_of(verb):
    """The subject of a cue verb, inherited from the governing verb for participles and conjuncts."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    if verb.i > 0 and verb.doc[verb.i - 1].pos_ in ("PROPN", "NOUN"):
        surface = surface_subject(verb)  # `…, Valery Garbuzov told TASS` misparsed as a conjunct
        if surface is not None:
            return surface
    if verb.dep_ == "xcomp":
        objects = [c for c in verb.head.children if c.dep_ == "dobj"]
        if objects:  # "forced Stumpf to admit …": Stumpf admits
            return objects[0]
    node = verb
    for _ in range(3):
        if node.dep_ in ("advcl", "xcomp", "conj", "acl") and node.head is not node:
            node = node.head
            agent = [c for c in node.children if c.dep_ == "agent"]
            if agent and any(c.dep_ == "auxpass" for c in node.children):
                objects = [c for c in agent[0].children if c.dep_ == "pobj"]
                if objects:  # "A message was expressed by Zatulin, suggesting …"
                    return objects[0]
            for child in node.children:
                if child.dep_ in SUBJECT_DEPS:
                    # a participle says something only of someone: not "Putin’s statement …, recalling"
                    return child if animate(child) else None
        else:
            break
    return None


def animate(tok) -> bool:
    """Whether a word can be a source: a name, a pronoun, an organisation or a word for people."""
    return (
        tok.pos_ in ("PROPN", "PRON")
        or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or tok.lemma_.lower() in cues.SPEAKER_NOUNS
    )


def is_cue_verb(tok) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or not cues.is_cue_lemma(tok.lemma_):
        return False
    if tok.pos_ == "AUX":
        return False
    return True


def cue_span_of(verb, offset: int) -> Span:
    tokens = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    tokens.sort(key=lambda t: t.i)
    return tok_span(tokens, offset)


# ----------------------------------------------------------------------------- parse-based cues


def reported_candidates(doc, offset: int, text: str, quoted: list[Span]) -> list[Candidate]:
    """Cues of the parse; a cue inside a quotation is the quoted speaker's own words, not a new quote."""
    found: list[Candidate] = []
    for tok in doc:
        position = tok.idx + offset
        if any(s < position < e for s, e in quoted):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cand = according_to(tok, offset, text)
            if cand:
                found.append(cand)
            continue
        if tok.pos_ != "VERB":
            cand = mistagged_parenthetical(tok, offset, text)
            if cand:
                found.append(cand)
            continue
        cand = verb_candidate(tok, offset, text, quoted)
        if cand:
            found.append(cand)
    return found


def verb_candidate(verb, offset: int, text: str, quoted: list[Span] = ()) -> Candidate | None:
    lemma = verb.lemma_.lower()
    if any(c.dep_ == "auxpass" for c in verb.children):
        return None  # "it was reported that" names no source
    subject = subject_of(verb)
    if subject is not None and any(s <= subject.idx + offset < e for s, e in quoted):
        subject = surface_subject(verb)  # `“… it will …,” said James Acton`: not the quote's "it"
    antecedent = antecedent_of(subject, verb)
    surface = subject is None or subject.i > verb.i and verb.dep_ != "ROOT"
    if subject is None:
        subject = surface_subject(verb)
    if subject is None or subject.dep_ == "csubj" or subject.lower_ in ("there", "this") or (
        subject.lower_ in ("that", "which", "who") and antecedent is None
    ):
        return None
    if subject.lower_ == "it" and lemma not in ("say", "report", "write", "tell", "announce", "state", "add", "claim", "argue", "deny", "warn", "note"):
        return None  # "it shows", "it underscores": a thing, not a source
    if lemma not in cues.SPEECH and (not animate(subject) or subject.lower_ == "it"):
        return None  # "the events have demonstrated that …" reports nobody's view
    says_clause = cues.takes(lemma, "clause")
    clause = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i != subject.i and c.i > verb.i]
    clause_before = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i and c.i != subject.i]
    xcomp = [c for c in verb.children if c.dep_ == "xcomp" and cues.takes(lemma, "infinitive")]
    excluded = {subject.i}
    cue = cue_span_of(verb, offset)
    via = ""
    confidence = 0.85 if lemma in cues.SPEECH else max(0.5, cues.precision(lemma, "clause"))
    if clause and says_clause:
        parts = []
        for c in clause:
            parts += subtree_without(c, excluded | {verb.i} | own_attributions(c))
        content = contiguous_spans(sorted(parts, key=lambda t: t.i), offset, text)
    elif clause_before and says_clause and not surface:
        # `X …, the source added`: the whole sentence before the cue clause, not just the parse's clause
        content = inverted_content(verb, subject, offset, text)
        if not content:
            parts = []
            for c in clause_before:
                parts += subtree_without(c, excluded | {verb.i})
            content = contiguous_spans(sorted(parts, key=lambda t: t.i), offset, text)
    elif xcomp:
        content = contiguous_spans(subtree_without(xcomp[0], excluded), offset, text)
        confidence = cues.precision(lemma, "infinitive") or 0.6
    elif says_clause and (found := that_clause(verb, offset, text)):
        content = found
    elif lemma in cues.SPEECH and bare_cue(verb, subject):
        content = inverted_content(verb, subject, offset, text)
    else:
        found = object_content(verb, lemma, offset, text)
        if found is None:
            return None
        content, cue, confidence = found
        via = "object"
    if not content or sum(len(re.findall(r"\w+", text[s:e])) for s, e in content) < 2:
        return None
    return Candidate(content, "indirect", "parse", cue, speaker_mention(subject, verb, offset), confidence=confidence, via=via)


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
    return antecedent


def speaker_mention(subject, verb, offset: int) -> Mention:
    """The mention of a cue's subject; a relative pronoun keeps its span but resolves as its antecedent."""
    mention = make_mention(subject, offset)
    antecedent = antecedent_of(subject, verb)
    if antecedent is not None:
        mention = with_antecedent(mention, make_mention(antecedent, offset))
    return mention


def object_content(verb, lemma: str, offset: int, text: str) -> tuple[list[Span], Span, float] | None:
    """`criticized the Affordable Care Act`, `called for compensation`, `accused X of lying`: verbs that
    PolNeAR train shows to attribute their object (see scripts/learn_cues.py)."""
    complements = [c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "dative", "prep", "oprd", "xcomp", "ccomp")]
    for child in verb.children:
        if child.dep_ == "dobj" and lemma in cues.PERFORMATIVE and child.lemma_.lower() not in cues.SAYING_NOUNS:
            continue  # "declared a state of emergency", "dismissed the government": an act, not a claim
        if child.dep_ == "dobj" and cues.takes(lemma, "object") and child.pos_ != "PRON":
            # `described the deal as “the gold standard”`: the object and what follows it
            rest = [c for c in complements if c.i >= child.i]
            content = contiguous_spans([t for c in rest for t in c.subtree], offset, text)
            return content, cue_span_of(verb, offset), cues.precision(lemma, "object")
        if child.dep_ == "prep" and cues.takes(lemma, f"prep:{child.lower_}"):
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects and objects[0].pos_ != "PRON":
                content = contiguous_spans(list(objects[0].subtree), offset, text)
                cue = (cue_span_of(verb, offset)[0], child.idx + len(child.text) + offset)
                if cue[1] - cue[0] > 40:
                    cue = cue_span_of(verb, offset)
                return content, cue, cues.precision(lemma, f"prep:{child.lower_}")
    return None


def with_antecedent(mention: Mention, antecedent: Mention) -> Mention:
    """A relative pronoun's mention that resolves as the noun phrase it stands for."""
    return Mention(mention.span, mention.text, antecedent.head_lemma, antecedent.head_pos, antecedent.pronoun,
                   antecedent.entity, antecedent.role_words, antecedent.plural)


NP_POS = {"PROPN", "NOUN", "ADJ", "DET", "ADP", "CCONJ", "NUM", "PART", "PUNCT"}
SEPARATORS = {",", ";", "—", "–", "\"", "”", "’", ":"}
BARE_CUE_DEPS = {"nsubj", "nsubjpass", "punct", "advmod", "npadvmod", "prep", "aux", "neg", "prt", "cc", "dative", "agent"}


def that_clause(verb, offset: int, text: str) -> list[Span] | None:
    """`tweeted in the early morning hours that Machado was …` where the parse lost the clause:
    a `that` a few words after the cue, with no verb in between, opens the content."""
    sent = verb.sent
    for tok in verb.doc[verb.i + 1 : min(sent.end, verb.i + 9)]:
        if tok.pos_ in ("VERB", "AUX") or tok.text in ";:":
            return None
        if tok.lower_ == "that" and tok.i + 1 < sent.end and tok.doc[tok.i + 1].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"):
            end = sent.end - 1
            while end > tok.i and tok.doc[end].is_punct:
                end -= 1
            span = trim(text, (tok.idx + offset, tok.doc[end].idx + len(tok.doc[end].text) + offset))
            return [span] if span else None
    return None


def own_attributions(clause) -> set[int]:
    """Verbs inside a reported clause that attribute on their own and belong out of its content:
    `said he didn't believe it, arguing that …` and `said he would order a review and warned …`."""
    found = set()
    for tok in clause.subtree:
        if tok.i == clause.i or tok.pos_ != "VERB" or not cues.is_speech(tok.lemma_):
            continue
        participle = tok.dep_ == "advcl" and tok.tag_ == "VBG"
        conjunct = tok.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in tok.children)
        if participle or conjunct:
            found.add(tok.i)
            found.update(c.i for c in tok.children if c.dep_ == "cc" or c.is_punct and c.i < tok.i)
            if tok.i > 0 and tok.doc[tok.i - 1].dep_ in ("cc", "punct"):
                found.add(tok.i - 1)
    return found


def bare_cue(verb, subject) -> bool:
    """A cue clause with nothing of its own to say: `Ryabkov added`, `told TASS on Wednesday`."""
    for child in verb.children:
        if child.i == subject.i or child.dep_ in BARE_CUE_DEPS:
            continue
        if child.dep_ in ("dobj", "iobj") and verb.lemma_ in ("tell", "inform", "assure", "remind"):
            continue
        if child.i < min(subject.i, verb.i):
            continue  # the clause before the cue: that is the content
        return False
    return True


def surface_subject(verb):
    """When the parse gives the cue no subject: the noun phrase right before it, back to a comma
    (`…, Director of the Institute … Valery Garbuzov told TASS`), or right after it (`…, said Ryabkov`)."""
    doc = verb.doc
    sent_start = verb.sent.start
    i = verb.i - 1
    while i >= sent_start and doc[i].pos_ in ("ADV", "AUX", "PART") and doc[i].lower_ not in (",",):
        i -= 1
    nouns = []
    while i >= sent_start and doc[i].text not in SEPARATORS and doc[i].pos_ in NP_POS | {"PRON"}:
        if doc[i].pos_ in ("PROPN", "NOUN", "PRON"):
            nouns.append(doc[i])
        i -= 1
    if nouns and i >= sent_start and doc[i].text in (",", "—", "–", "\"", "”"):
        return nouns[0]  # the word next to the cue heads the phrase
    j = verb.i + 1
    if j < len(doc) and doc[j].pos_ in ("PROPN", "DET", "NOUN"):
        while j + 1 < len(doc) and doc[j + 1].pos_ in ("PROPN", "NOUN") and doc[j + 1].sent is verb.sent:
            j += 1
        if doc[j].pos_ in ("PROPN", "NOUN") and verb.i > sent_start and doc[verb.i - 1].text in (",", "\"", "”"):
            return doc[j]
    return None


def mistagged_parenthetical(tok, offset: int, text: str) -> Candidate | None:
    """`Law and order, Kazakh authorities affirm, was restored`, where the tagger took the cue for
    an adjective or noun: a speech word set off by commas right after a noun phrase."""
    doc = tok.doc
    if tok.lemma_.lower() not in cues.SPEECH and tok.lower_ not in cues.SPEECH:
        return None
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].text != "," or tok.i == tok.sent.start:
        return None
    subject = surface_subject(tok)
    if subject is None or subject.i >= tok.i:
        return None
    content = inverted_content(tok, subject, offset, text)
    if not content or len(content) < 2:
        return None  # only a cue set off on both sides is unambiguous here
    return Candidate(content, "indirect", "parse", cue_span_of(tok, offset), speaker_mention(subject, tok, offset), confidence=0.7)


def inverted_content(verb, subject, offset: int, text: str) -> list[Span] | None:
    """The content of an inverted or parenthetical cue: the sentence around the cue clause, up to the
    commas that set the clause off (`X, Ryabkov added.` and `Law and order, authorities affirm, was restored`)."""
    sent = verb.sent
    doc = verb.doc
    first = min(subject.left_edge.i, verb.i, subject.i)
    last = max(t.i for t in (verb, subject))
    # the cue clause runs over the cue's own modifiers (told TASS on Wednesday)
    for child in verb.children:
        if child.i > verb.i and child.dep_ in BARE_CUE_DEPS | {"dobj", "iobj"} and not child.is_punct:
            last = max(last, child.right_edge.i)
    before = first - 1
    while before >= sent.start and (doc[before].is_space or doc[before].pos_ in NP_POS and doc[before].text not in SEPARATORS):
        before -= 1  # back over the rest of the speaker's noun phrase: "Director of the Institute … Garbuzov"
    if before < sent.start or doc[before].text not in (",", "—", "–", "\"", "”", "’"):
        return None
    spans = [(sent.start_char + offset, doc[before].idx + offset)]
    after = last + 1
    if after < sent.end and doc[after].text in (",", "—", "–"):
        spans.append((doc[after].idx + 1 + offset, sent.end_char + offset))
    trimmed = [trim(text, s) for s in spans]
    return [s for s in trimmed if s]


def according_to(tok, offset: int, text: str) -> Candidate | None:
    to = tok.doc[tok.i + 1]
    pobj = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    if not pobj:
        return None
    head = tok.head if tok.head.i != tok.i else None
    if head is None:
        return None
    source_tokens = set(t.i for t in tok.subtree) | {to.i}
    content_tokens = [t for t in head.subtree if t.i not in source_tokens]
    content = contiguous_spans(content_tokens, offset, text)
    if not content:
        return None
    mention = make_mention(pobj[0], offset)
    cue = tok_span([tok, to], offset)
    return Candidate(content, "indirect", "according", cue, mention, confidence=0.8)


# ----------------------------------------------------------------------------- quotations


def quote_words(text: str, quotation: Quotation) -> int:
    return sum(len(re.findall(r"\w+", text[p.inner_start : p.inner_end])) for p in quotation.pieces)


def quote_spans(quotation: Quotation) -> list[Span]:
    return [(p.start, p.end) for p in quotation.pieces]


def attach_quotations(parsed: Parsed, quotations: list[Quotation], sentences: list[tuple[Span, object]]) -> None:
    """Tie each quotation to a candidate that contains it, to a cue beside it, or to the previous speaker."""
    text = parsed.text
    candidates = parsed.candidates
    for quotation in quotations:
        q_chars = {i for s, e in quote_spans(quotation) for i in range(s, e)}
        # a few words in quotation marks inside a sentence are a scare quote; a sentence of its own is not
        short = quote_words(text, quotation) <= SCARE_QUOTE_WORDS and not opens_sentence(text, quotation.start)
        owner = None
        for cand in candidates:
            overlap = len(q_chars & cand.chars())
            if overlap and overlap >= 0.5 * min(len(q_chars), len(cand.chars())):
                owner = cand if owner is None or len(cand.chars()) < len(owner.chars()) else owner
        if owner is not None:
            outside = owner.chars() - q_chars
            outside_words = len(re.findall(r"\w+", "".join(text[i] for i in sorted(outside))))
            if outside_words <= 1:
                owner.content = quote_spans(quotation)
                owner.kind = "direct"
            else:
                merged = sorted(set(owner.content) | set(quote_spans(quotation)))
                owner.content = _merge_spans(merged, text)
                owner.kind = "mixed"
            continue
        # A word or two in quotation marks is a quote only as the object of a speaker's verb
        # (`called X “deplorables”`); otherwise it is a scare quote.
        cand = dash_source(parsed, quotation) or _cue_beside(parsed, quotation, sentences, object_only=short)
        if cand is not None:
            candidates.append(cand)
        elif not short:
            candidates.append(Candidate(quote_spans(quotation), "direct", "quote", confidence=0.5))


def _merge_spans(spans: list[Span], text: str) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1 or merged and not text[merged[-1][1] : start].strip(" ,"):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


GAP = re.compile(r"^[ \t\u00a0,:;.—–-]*$")  # no paragraph break between a quote and its cue
OBJECT_CUES = {"advocate", "call", "describe", "dismiss", "label", "deny", "reject", "welcome", "praise",
               "criticize", "condemn", "promise", "pledge", "demand", "express", "voice", "offer", "urge"}


def _cue_beside(parsed: Parsed, quotation: Quotation, sentences, object_only: bool = False) -> Candidate | None:
    """The cue of a quotation that the parse did not tie to it: `…,” he said.`, `said Ryabkov`,
    `Herbst argued, “…”`, `He said:` before it, or `advocated Washington’s “full support …”`."""
    text = parsed.text
    q_start, q_end = quotation.start, quotation.end
    core_end = q_end
    while core_end > q_start and not text[core_end - 1].isalnum():
        core_end -= 1  # the quoted words without the closing mark and punctuation
    for span, (sent, offset) in sentences:
        if span[1] < q_start - 3 or span[0] > q_end + 3:
            continue
        for tok in sent:
            position = tok.idx + offset
            # After `…,”` any verb is a cue (`Blige sings`); elsewhere only the lexicon's.
            comma_quote = text[max(q_start, q_end - 3) : q_end].rstrip("\"”’'»").endswith((",", "?", "!", "—"))
            if q_start <= position < q_end or tok.pos_ != "VERB":
                continue
            lemma = tok.lemma_.lower()
            subject = subject_of(tok) or surface_subject(tok)
            if subject is None or q_start <= subject.idx + offset < q_end or subject.lower_ in ("that", "which", "it"):
                continue
            clause_start = min(subject.left_edge.idx, tok.idx) + offset
            clause_end = max(subject.idx + len(subject.text), tok.idx + len(tok.text)) + offset
            cue_verb = is_cue_verb(tok)
            after_quote = (
                not object_only
                and (cue_verb or comma_quote)  # after `…,”` any verb is a cue: `Blige sings`
                and clause_start >= q_end
                and GAP.match(text[q_end:clause_start])
                and bare_cue(tok, subject)
            )
            before_quote = (
                not object_only
                and clause_end <= q_start
                and lemma in cues.SPEECH
                and re.match(r"^[\s,:;—–-]*(that\s*)?$", text[clause_end:q_start])
            )
            # `advocated Washington’s “full support …”`, `called X “deplorables”`: a speaker's verb whose
            # object holds the quotation
            speakerlike = subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in ("PERSON", "ORG", "NORP")
            as_object = (cue_verb or lemma in OBJECT_CUES or speakerlike) and subject.lower_ != "it" and position < q_start and any(
                c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "attr", "oprd")
                and c.left_edge.idx + offset <= q_start + 1
                and c.right_edge.idx + len(c.right_edge.text) + offset >= core_end
                for c in tok.children
            )
            if after_quote or before_quote or as_object:
                mention = speaker_mention(subject, tok, offset)
                kind = "direct" if after_quote or before_quote else "mixed"
                content = quote_spans(quotation)
                if as_object and not (after_quote or before_quote):
                    # `called half of Trump’s supporters “deplorables”`: from after the cue to the quote's end
                    first = tok.i + 1
                    while first < len(tok.doc) and tok.doc[first].dep_ in ("prt", "punct") and tok.doc[first].idx + offset < q_start:
                        first += 1
                    start = min(tok.doc[first].idx + offset, q_start) if first < len(tok.doc) else q_start
                    content = [(start, q_end)]
                return Candidate(content, kind, "quote", cue_span_of(tok, offset), mention, confidence=0.9)
    return None


DASH_SOURCE = re.compile(r"^[\s\u00a0]*[―—–-]{1,2}[\s\u00a0]*(?P<name>[A-Z][\w.’'-]*(?:[ \u00a0][A-Z][\w.’'-]*){0,4})")


def dash_source(parsed: Parsed, quotation: Quotation) -> Candidate | None:
    """A quotation signed with a dash after it: `“…” ― Pamela Padilla`."""
    text = parsed.text
    match = DASH_SOURCE.match(text, quotation.end, min(len(text), quotation.end + 80))
    if not match:
        return None
    dash = re.search(r"[―—–-]+", text[quotation.end : match.start("name")])
    cue = (quotation.end + dash.start(), quotation.end + dash.end())
    span = (match.start("name"), match.end("name"))
    name = match.group("name")
    mention = Mention(span, name, surname_lemma(name), "PROPN", entity=("PERSON", span, name))
    return Candidate(quote_spans(quotation), "direct", "quote", cue, mention, confidence=0.8)


def surname_lemma(name: str) -> str:
    return name.split()[-1].lower() if name.split() else ""


def opens_sentence(text: str, position: int) -> bool:
    """Whether a quotation mark at `position` starts a sentence or paragraph."""
    return re.search(r"(^|[.!?:”\"’]\s*|\n\s*)$", text[max(0, position - 3) : position]) is not None


def continue_quotations(parsed: Parsed, paras: list[Span]) -> None:
    """A quotation with no cue of its own continues the speaker of the attribution just before it,
    in the same paragraph or the one before."""
    def para_of(position: int) -> int:
        for number, (start, end) in enumerate(paras):
            if position < end:
                return number
        return len(paras)

    anchors = [(c.mention.span[0] if c.mention else c.start, c.end, c) for c in parsed.candidates
               if c.mention is not None or c.speaker is not None]
    taken = {c.mention.span for c in parsed.candidates if c.mention is not None}
    anchors += [(m.span[0], m.span[1], m) for m in parsed.subjects if m.span not in taken]
    anchors.sort(key=lambda a: a[1])
    merged: set[int] = set()
    text = parsed.text
    for cand in sorted(parsed.candidates, key=lambda c: c.start):
        if cand.origin != "quote" or cand.mention is not None or cand.speaker is not None:
            continue
        before = [a for a in anchors if a[1] <= cand.start and a[0] < cand.start]
        starts = opens_sentence(text, cand.start)
        if not before or not starts or para_of(cand.start) - para_of(before[-1][1] - 1) > 1:
            if not starts:
                merged.add(id(cand))  # a quoted phrase inside a narrative sentence: not a quote of its own
            continue
        anchor = before[-1][2]
        if isinstance(anchor, Mention):
            cand.mention = anchor
        elif anchor.kind in ("direct", "mixed") and anchor.origin != "headline":
            # the speaker goes on: one quote in several pieces, as the paragraph reads
            anchor.content = sorted(anchor.content + cand.content)
            merged.add(id(cand))
            continue
        else:
            cand.mention = anchor.mention
            cand.speaker = anchor.speaker
            cand.speaker_kind = anchor.speaker_kind
            cand.reported_by = anchor.reported_by
        cand.origin = "continuation"
        cand.confidence = 0.6
        anchors.append((cand.start, cand.end, cand))
        anchors.sort(key=lambda a: a[1])
    parsed.candidates = [c for c in parsed.candidates if id(c) not in merged]


# ----------------------------------------------------------------------------- headlines and interviews

HEADLINE_DASH = re.compile(r"^(?P<content>.{12,}?)\s+[—–-]{1,2}\s+(?P<source>[\w.’' -]{2,60})$")
HEADLINE_SAYS = re.compile(
    r"^(?P<content>.{12,}?),\s+(?P<cue>says|said|warns|claims|believes|thinks|insists|argues|tells)\s+(?P<source>[\w.’' -]{2,60})$"
)
HEADLINE_COLON = re.compile(r"^(?P<source>[A-Z][\w.’' -]{1,40}):\s+(?P<content>\S.{8,})$")
INTERVIEW_INTRO = re.compile(
    r"(answered|answers|answering)\s+(?:the\s+)?(?:\w+['’]s\s+)?questions|in an interview with|told\s+\w+\s+in an interview|interviewed by",
    re.I,
)
LABEL = re.compile(r"^(?P<label>[A-Z][\w.’']*(?:[-\s][A-Z][\w.’']*){0,3})\s*[-–—:]\s+(?=\S)")
DASH_LINE = re.compile(r"^[-–—]\s*")


FUNCTION_WORDS = {"the", "a", "an", "of", "over", "in", "on", "for", "to", "and", "with", "at", "by", "from", "as", "is", "why", "how", "what"}


def colon_source(source: str) -> bool:
    """`Pat Caddell: …` and `Poll: …` name a source; `The Latest: …` and `Stealth Over Health: …` do not."""
    words = source.split()
    if len(words) == 1:
        return words[0].lower().rstrip("s") in cues.SPEAKER_NOUNS or words[0][:1].isupper() and len(words[0]) > 3
    return len(words) <= 3 and all(w[:1].isupper() and w.lower() not in FUNCTION_WORDS for w in words)


def headline_candidates(text: str, paras: list[Span]) -> list[Candidate]:
    found = []
    for start, end in paras[:6]:
        line = text[start:end]
        if len(line) > 220 or line.rstrip()[-1:] in ".?!\"”" and not HEADLINE_COLON.match(line):
            continue
        for pattern, cue_group in ((HEADLINE_DASH, None), (HEADLINE_SAYS, "cue"), (HEADLINE_COLON, None)):
            match = pattern.match(line)
            if not match:
                continue
            source = match.group("source").strip()
            if len(source.split()) > 5:
                continue
            if pattern is HEADLINE_COLON and not colon_source(source):
                continue
            s_start = start + match.start("source")
            s_span = (s_start, s_start + len(match.group("source").rstrip()))
            c_span = trim(text, (start + match.start("content"), start + match.end("content")))
            if c_span is None:
                continue
            if cue_group:
                cue = (start + match.start(cue_group), start + match.end(cue_group))
            else:
                sep = text[c_span[1] : s_span[0]] if pattern is not HEADLINE_COLON else ":"
                pos = (c_span[1] + sep.find(sep.strip())) if pattern is not HEADLINE_COLON else s_span[1]
                cue = (pos, pos + max(1, len(sep.strip()))) if pattern is not HEADLINE_COLON else (s_span[1], s_span[1] + 1)
            words = source.split()
            head = words[-1].lower()
            mention = Mention(s_span, text[s_span[0] : s_span[1]], head.rstrip("s"), "NOUN" if source[:1].islower() else "PROPN",
                              role_words=tuple(w.lower() for w in words))
            found.append(Candidate([c_span], "indirect", "headline", cue, mention, confidence=0.6))
            break
    return found


def interview_candidates(parsed: Parsed, paras: list[Span]) -> list[Candidate]:
    """Questions start with a dash and end with '?'; the answers after them belong to the interviewee."""
    text = parsed.text
    intro = None
    for start, end in paras:
        if INTERVIEW_INTRO.search(text[start:end]):
            people = [p for p in parsed.people if start <= p.span[0] < end and p.label == "PERSON"]
            if people:
                intro = people[0]
                break
    if intro is None:
        return []
    found: list[Candidate] = []
    current: Candidate | None = None
    after_question = False
    for start, end in paras:
        if start < intro.span[0]:
            continue
        line = text[start:end]
        dashed = DASH_LINE.match(line)
        if dashed and line.rstrip().endswith("?"):
            after_question, current = True, None
            continue
        if not after_question:
            continue
        label = LABEL.match(line) if not dashed else None
        body_start = start + (dashed.end() if dashed else label.end() if label else 0)
        span = trim(text, (body_start, end))
        if span is None:
            continue
        if dashed or label or current is None:
            mention = None
            if label:
                l_span = (start + label.start("label"), start + label.end("label"))
                mention = Mention(l_span, text[l_span[0] : l_span[1]], "", "PROPN", entity=("PERSON", l_span, label.group("label")))
            current = Candidate([span], "direct", "interview", None, mention, speaker=intro.text,
                                speaker_kind="person", confidence=0.75)
            found.append(current)
        elif len(line) > 80:
            current.content.append(span)
        else:
            after_question, current = False, None
    return found


# ----------------------------------------------------------------------------- the document


def text_of(doc, span: Span, offset: int) -> str:
    return doc.text[span[0] - offset : span[1] - offset]


def collect_subjects(doc, offset: int, quoted: list[Span]) -> list[Mention]:
    """Subjects of main clauses that name a person or are he/she: who a cue-less quote may continue."""
    found = []
    for tok in doc:
        if tok.dep_ != "nsubj" or tok.head.dep_ not in ("ROOT", "conj"):
            continue
        position = tok.idx + offset
        if any(s <= position < e for s, e in quoted):
            continue
        if tok.ent_type_ in ("PERSON", "ORG") or tok.lower_ in ("he", "she"):
            found.append(make_mention(tok, offset))
    return found


def collect_people(doc, offset: int, quotations: list[Quotation]) -> list[PersonMention]:
    people = []
    quoted = [(q.start, q.end) for q in quotations]
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        label = "PERSON" if titled_name(ent) else ent.label_
        span = tok_span(name_tokens(ent) if label == "PERSON" else ent, offset)
        name = text_of(doc, span, offset)
        head = ent.root
        mention = make_mention(head, offset) if head.dep_ in SUBJECT_DEPS or head.dep_ == "pobj" else None
        roles = mention.role_words if mention else ()
        # titles before the name, back to a comma or verb: "Director of the Institute … Valery Garbuzov"
        left = []
        i = ent.start - 1
        while i >= max(ent.sent.start, ent.start - 12) and doc[i].text not in SEPARATORS and doc[i].pos_ in NP_POS:
            if doc[i].pos_ in ("NOUN", "PROPN", "ADJ") and doc[i].ent_type_ != "PERSON":
                left.append(doc[i].lemma_.lower())
            i -= 1
        roles = tuple(roles) + tuple(left)
        appos = [c for c in head.children if c.dep_ == "appos"]
        for child in appos:
            roles += tuple(t.lemma_.lower() for t in child.subtree if t.pos_ in ("NOUN", "ADJ", "PROPN"))
        in_quote = any(s <= span[0] < e for s, e in quoted)
        people.append(PersonMention(span, name, label, roles, in_quote, head.dep_ in SUBJECT_DEPS))
    return people


def extract_from_pieces(document: Document, pieces: list) -> list[Quote]:
    """Build the quotes of one document from its parsed pieces [(char offset, spaCy Doc), …]."""
    from .resolve import resolve_speakers

    text = document.text
    parsed = Parsed(text)
    quotations = find_quotations(text)
    quoted = [(p.start, p.end) for q in quotations for p in q.pieces if quote_words(text, q) > SCARE_QUOTE_WORDS]
    sentences = []
    for offset, doc in sorted(pieces, key=lambda p: p[0]):
        for sent in doc.sents:
            span = (sent.start_char + offset, sent.end_char + offset)
            sentences.append((span, (sent, offset)))
            parsed.sentence_starts.append(span[0])
        parsed.people += collect_people(doc, offset, quotations)
        parsed.subjects += collect_subjects(doc, offset, quoted)
        parsed.candidates += reported_candidates(doc, offset, text, quoted)
    nest(parsed.candidates)
    attach_quotations(parsed, quotations, sentences)
    paras = paragraphs(text)
    cue_starts = [c.cue[0] for c in parsed.candidates if c.cue and c.via != "object"]
    parsed.candidates += [  # a headline whose own words hold a cue (`The Latest: Trump urges …`) is that cue's
        h for h in headline_candidates(text, paras) if not any(h.start <= cue < h.end for cue in cue_starts)
    ]
    continue_quotations(parsed, paras)
    interview = interview_candidates(parsed, paras)
    if interview:
        parsed.candidates = [c for c in parsed.candidates if not _inside_any(c, interview) or c.origin == "parse"]
        for cand in parsed.candidates:
            if cand.origin == "parse" and _inside_any(cand, interview):
                cand.reported_by = interview[0].speaker
        parsed.candidates += interview
    parsed.candidates = merge_same_cue(dedupe(parsed.candidates))
    mark_mixed(parsed.candidates, quotations)
    parsed.candidates.sort(key=lambda c: (c.start, c.end))
    resolve_speakers(parsed)
    return [to_quote(document, cand) for cand in parsed.candidates if cand.content]


def _inside_any(cand: Candidate, others: list[Candidate]) -> bool:
    return any(o.start <= cand.start and cand.end <= o.end + 1 for o in others)


def nest(candidates: list[Candidate]) -> None:
    """An attribution inside another's content is reported by the outer speaker (Ryabkov noted that
    Blinken stated …: both claims stay, the inner one `reported_by` Ryabkov). Where the inner speaker
    is a pronoun for the outer one (the head of Kazakhstan said that he did not intend …), it is one
    claim: the outer one."""
    for inner in candidates:
        if inner.cue is None:
            continue
        for outer in candidates:
            if outer is inner or outer.cue is None:
                continue
            if any(s <= inner.cue[0] < e for s, e in outer.content):
                if inner.parent is None or len(outer.chars()) < len(inner.parent.chars()):
                    inner.parent = outer
    dropped = set()
    for outer in candidates:
        inners = [c for c in candidates if c.parent is outer]
        if not inners:
            continue
        same_speaker = [c for c in inners if c.mention and c.mention.pronoun in ("he", "she", "they", "i", "we")]
        if same_speaker:
            # "The head of Kazakhstan said that he did not intend to …": one claim, the outer one
            for inner in same_speaker:
                dropped.add(id(inner))
            continue
    candidates[:] = [c for c in candidates if id(c) not in dropped]
    for cand in candidates:
        if cand.parent is not None and id(cand.parent) in dropped:
            cand.parent = None


def mark_mixed(candidates: list[Candidate], quotations: list[Quotation]) -> None:
    """Reported speech that holds quoted words is a mixed quote, whichever route found it."""
    pieces = [(p.start, p.end) for q in quotations for p in q.pieces]
    for cand in candidates:
        if cand.kind == "indirect" and any(
            s <= start and end <= e for start, end in pieces for s, e in cand.content
        ):
            cand.kind = "mixed"


def merge_same_cue(candidates: list[Candidate]) -> list[Candidate]:
    """`“A,” Tester said, “B.”`: the two halves around one cue are one quote."""
    by_cue: dict[Span, Candidate] = {}
    kept = []
    for cand in sorted(candidates, key=lambda c: c.start):
        first = by_cue.get(cand.cue) if cand.cue else None
        if first is not None and first.kind != "indirect" and cand.kind != "indirect":
            first.content = sorted(first.content + cand.content)
            continue
        if cand.cue:
            by_cue[cand.cue] = cand
        kept.append(cand)
    return kept


def dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content: the most confident where two claim the same text."""
    ordered = sorted(candidates, key=lambda c: -c.confidence)
    kept: list[Candidate] = []
    for cand in ordered:
        chars = cand.chars()
        clash = False
        for other in kept:
            inter = len(chars & other.chars())
            related = other.parent is cand or cand.parent is other
            if inter and inter >= 0.8 * max(len(chars), len(other.chars())) and not related:
                clash = True
                break
        if not clash:
            kept.append(cand)
    return kept


def to_quote(document: Document, cand: Candidate) -> Quote:
    text = document.text
    spans = sorted(cand.content)
    mention = cand.mention
    return Quote(
        doc=document.id,
        type=cand.kind,
        content_spans=spans,
        content=" … ".join(text[s:e] for s, e in spans),
        speaker=cand.speaker,
        speaker_mention=text[mention.span[0] : mention.span[1]] if mention else None,
        speaker_span=mention.span if mention else None,
        cue=text[cand.cue[0] : cand.cue[1]] if cand.cue else None,
        cue_span=cand.cue,
        outlet=document.outlet,
        published=document.published,
        reported_by=cand.reported_by,
        speaker_kind=cand.speaker_kind,
        confidence=cand.confidence,
    )
