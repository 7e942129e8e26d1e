"""Reported speech found in the dependency parse: a cue verb with a subject and a clausal complement
(said that …), inverted and parenthetical cues (…, Ryabkov added; Law and order, authorities affirm,
was restored), participles (…, adding that …), verbs whose object is the claim (criticized X) and
"according to X"."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import VERB
from spacy.strings import get_string_id

from quotetrack import lexicon
from quotetrack.extraction import cues
from quotetrack.extraction.candidates import (
    Candidate,
    content_limit,
    contiguous_spans,
    sentence_of,
    subtree_without,
    tok_span,
    trim,
)
from quotetrack.extraction.mentions import (
    NP_POS,
    SEPARATORS,
    SUBJECT_DEPS,
    animate,
    antecedent_of,
    asked,
    make_mention,
    speaker_mention,
    subject_of,
    surface_subject,
)
from quotetrack.spans import CharSpan

BARE_CUE_DEPS = {"nsubj", "nsubjpass", "punct", "advmod", "npadvmod", "prep", "aux", "neg", "prt", "cc", "dative", "agent"}


# Verbs that still attribute with "it" for a subject ("it said that …"); otherwise "it" is a thing.
IT_SUBJECT_CUES = lexicon.words("it_subject_cues")
CUE_WORD_IDS = frozenset(get_string_id(word) for word in cues.SPEECH | {"according"})


def maybe_cue(doc):
    """Which tokens may be cues: verbs, "according", and speech words the tagger took for something
    else. Read from the token arrays, so that the other words cost no Token objects."""
    array = doc.to_array([POS, LOWER, LEMMA])
    ids = list(CUE_WORD_IDS)
    return (array[:, 0] == VERB) | numpy.isin(array[:, 1], ids) | numpy.isin(array[:, 2], ids)


def tokens_where(doc, mask):
    return (doc[int(i)] for i in numpy.flatnonzero(mask))


class QuotedIndex:
    """Whether a position lies strictly inside a quotation, by a sorted search. The pieces of
    `find_quotations` never overlap, so the last piece that starts before the position decides."""

    def __init__(self, spans: list[CharSpan]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def __call__(self, position: int) -> bool:
        k = bisect_right(self.starts, position - 1) - 1
        return k >= 0 and self.spans[k][0] < position < self.spans[k][1]

    def holds(self, position: int) -> bool:
        """Whether a position lies in a quotation, its opening mark included (start <= position < end)."""
        k = bisect_right(self.starts, position) - 1
        return k >= 0 and self.spans[k][0] <= position < self.spans[k][1]


def reported_candidates(doc, offset: int, text: str, quoted: list[CharSpan]) -> list[Candidate]:
    """Cues of the parse; a cue inside a quotation is the quoted speaker's own words, not a new quote."""
    found: list[Candidate] = []
    inside = QuotedIndex(quoted)
    for tok in tokens_where(doc, maybe_cue(doc)):
        lower = tok.lower_
        is_verb = tok.pos_ == "VERB"
        if inside(tok.idx + offset):
            continue
        if lower == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cand = according_to(tok, offset, text)
            if cand:
                found.append(cand)
            continue
        if not is_verb:
            cand = mistagged_parenthetical(tok, offset, text)
            if cand:
                found.append(cand)
            continue
        cand = verb_candidate(tok, offset, text, inside)
        if cand:
            found.append(cand)
    return found


def verb_candidate(verb, offset: int, text: str, quoted: Sequence[CharSpan] | QuotedIndex = ()) -> Candidate | None:
    lemma = verb.lemma_.lower()
    if any(c.dep_ == "auxpass" for c in verb.children):
        return None  # "it was reported that" names no source
    if requested(verb):
        return None
    if not isinstance(quoted, QuotedIndex):
        quoted = QuotedIndex(list(quoted))
    subject = subject_of(verb)
    titled = subject is not None and subject.i > verb.i and subject.i > 0 and subject.doc[subject.i - 1].text in ("“", "\"")
    # "The Latest: Trump urges supporters …": a label before a colon is not the verb's subject
    labelled = subject is not None and subject.head.i == verb.i and subject.i < verb.i \
        and any(t.text == ":" for t in subject.doc[subject.i : verb.i])
    if subject is not None and (quoted.holds(subject.idx + offset) or titled or labelled):
        # `“… it will …,” said James Acton`: not the quote's "it"; `Flynn said on Fox News's “Fox and
        # Friends.”`: not the show's name
        subject = surface_subject(verb)
    antecedent = antecedent_of(subject, verb)
    surface = subject is None or subject.i > verb.i and verb.dep_ != "ROOT"
    if subject is None:
        subject = surface_subject(verb)
    if subject is None or subject.dep_ == "csubj" or subject.lower_ in ("there", "this") or (
        subject.lower_ in ("that", "which", "who") and antecedent is None
    ):
        return None
    if subject.lower_ == "it" and lemma not in IT_SUBJECT_CUES:
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
    limit = content_limit(verb)  # None but where the parse chains clauses without end
    content: list[CharSpan] | None
    if clause and says_clause:
        parts = []
        for c in clause:
            parts += subtree_without(c, excluded | {verb.i} | own_attributions(c, limit), limit)
        content = contiguous_spans(sorted(parts, key=lambda t: t.i), offset, text)
    elif clause_before and says_clause and not surface:
        # `X …, the source added`: the whole sentence before the cue clause, not just the parse's clause
        content = inverted_content(verb, subject, offset, text)
        if not content:
            parts = []
            for c in clause_before:
                parts += subtree_without(c, excluded | {verb.i}, limit)
            content = contiguous_spans(sorted(parts, key=lambda t: t.i), offset, text)
    elif xcomp:
        content = contiguous_spans(subtree_without(xcomp[0], excluded, limit), offset, text)
        confidence = cues.precision(lemma, "infinitive") or 0.6
    elif says_clause and (found := that_clause(verb, offset, text)):
        content = found
    elif lemma in cues.SPEECH and bare_cue(verb, subject):
        content = inverted_content(verb, subject, offset, text)
    else:
        taken = object_content(verb, lemma, offset, text)
        if taken is None:
            return None
        content, cue, confidence = taken
        via = "object"
    if not content or not at_least_words(text, content, 2):
        return None
    # "Melania seems to have vanished" is the writer's impression; "he appeared to suggest" is still his
    raised = lemma in cues.RAISING and not (xcomp and xcomp[0].lemma_.lower() in cues.SPEECH | cues.BELIEF)
    mention = None if raised or asked(verb) else speaker_mention(subject, verb, offset)
    return Candidate(content, "indirect", "parse", cue, mention, confidence=confidence, via=via)


WORD = re.compile(r"\w+")


def requested(verb) -> bool:
    """A speech verb someone is asked to say: in "daring him to say that Congress wasn't entitled to it"
    or "he was urged to explain", nobody has said it yet (the directive may be a quote of its own)."""
    head = verb.head
    if verb.dep_ not in ("xcomp", "ccomp") or head.lemma_.lower() not in cues.DIRECTIVE:
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False  # "told reporters that …" is the teller's
    # whom it is asked of: the directive's object, or the infinitive's own subject in the parse
    return any(c.dep_ in ("dobj", "auxpass") for c in head.children) or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def at_least_words(text: str, spans: list[CharSpan], count: int) -> bool:
    """Whether the spans hold at least `count` words (without counting all words of a long content)."""
    found = 0
    for start, end in spans:
        for _ in WORD.finditer(text, start, end):
            found += 1
            if found >= count:
                return True
    return False


def object_content(verb, lemma: str, offset: int, text: str) -> tuple[list[CharSpan], CharSpan, float] | None:
    """`criticized the Affordable Care Act`, `called for compensation`, `accused X of lying`: verbs that
    PolNeAR train shows to attribute their object (see scripts/learn_cues.py)."""
    complements = [c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "dative", "prep", "oprd", "xcomp", "ccomp")]
    for child in verb.children:
        if child.dep_ == "dobj" and lemma in cues.PERFORMATIVE and child.lemma_.lower() not in cues.SAYING_NOUNS:
            continue  # "declared a state of emergency", "dismissed the government": an act, not a claim
        if child.dep_ == "dobj" and cues.takes(lemma, "object") and child.pos_ != "PRON":
            # `described the deal as “the gold standard”`: the object and what follows it
            rest = [c for c in complements if c.i >= child.i]
            limit = content_limit(verb)
            tokens = [t for c in rest for t in (c.subtree if limit is None else subtree_without(c, set(), limit))]
            content = contiguous_spans(tokens, offset, text)
            return content, cue_span_of(verb, offset), cues.precision(lemma, "object")
        # only a preposition after the verb ("As part of the inquiry, officials will look at" is no claim)
        if child.dep_ == "prep" and child.i > verb.i and cues.takes(lemma, f"prep:{child.lower_}"):
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects and objects[0].pos_ != "PRON":
                limit = content_limit(verb)
                tokens = objects[0].subtree if limit is None else subtree_without(objects[0], set(), limit)
                content = contiguous_spans(list(tokens), offset, text)
                cue = (cue_span_of(verb, offset)[0], child.idx + len(child.text) + offset)
                if cue[1] - cue[0] > 40:
                    cue = cue_span_of(verb, offset)
                return content, cue, cues.precision(lemma, f"prep:{child.lower_}")
    return None


def that_clause(verb, offset: int, text: str) -> list[CharSpan] | None:
    """`tweeted in the early morning hours that Machado was …` where the parse lost the clause:
    a `that` a few words after the cue, with no verb in between, opens the content."""
    sent = sentence_of(verb)
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


def own_attributions(clause, limit: int | None = None) -> set[int]:
    """Verbs inside a reported clause that attribute on their own and belong out of its content:
    `said he didn't believe it, arguing that …` and `said he would order a review and warned …`."""
    found = set()
    for tok in clause.subtree if limit is None else subtree_without(clause, set(), limit):
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


def inverted_content(verb, subject, offset: int, text: str) -> list[CharSpan] | None:
    """The content of an inverted or parenthetical cue: the sentence around the cue clause, up to the
    commas that set the clause off (`X, Ryabkov added.` and `Law and order, authorities affirm, was restored`)."""
    sent = sentence_of(verb)
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
    resumes = after + 1 < sent.end and doc[after + 1] not in verb.subtree
    if after < sent.end and doc[after].text in (",", "—", "–") and resumes:
        # the sentence resumes after the cue clause (`…, authorities affirm, was restored`), unlike a
        # participle of the cue itself (`…,” Rendell recalled, suggesting …`)
        spans.append((doc[after].idx + 1 + offset, sent.end_char + offset))
    trimmed = [trim(text, s) for s in spans]
    return [s for s in trimmed if s]


def mistagged_parenthetical(tok, offset: int, text: str) -> Candidate | None:
    """`Law and order, Kazakh authorities affirm, was restored`, where the tagger took the cue for
    an adjective or noun: a speech word set off by commas right after a noun phrase."""
    doc = tok.doc
    if tok.lemma_.lower() not in cues.SPEECH and tok.lower_ not in cues.SPEECH:
        return None
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].text != "," or tok.i == sentence_of(tok).start:
        return None
    subject = surface_subject(tok)
    if subject is None or subject.i >= tok.i:
        return None
    content = inverted_content(tok, subject, offset, text)
    if not content or len(content) < 2:
        return None  # only a cue set off on both sides is unambiguous here
    return Candidate(content, "indirect", "parse", cue_span_of(tok, offset), speaker_mention(subject, tok, offset), confidence=0.7)


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


def cue_span_of(verb, offset: int) -> CharSpan:
    tokens = [verb] + [c for c in verb.children if c.dep_ == "prt"] + helpers_before(verb)
    tokens.sort(key=lambda t: t.i)
    return tok_span(tokens, offset)


def helpers_before(verb) -> list:
    """The verb's auxiliaries and negation standing right before it, without a word between:
    "does not" of `does not think`, "do not" of `do not accept`, "has" of `has said`. An
    infinitive's "to" is not one."""
    helpers = {c.i for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i and c.tag_ != "TO"}
    found = []
    index = verb.i - 1
    while index in helpers:
        found.append(verb.doc[index])
        index -= 1
    return found


def is_cue_verb(tok) -> bool:
    """A verb, not an auxiliary, whose lemma is in the cue lexicon."""
    return tok.pos_ == "VERB" and cues.is_cue_lemma(tok.lemma_)
