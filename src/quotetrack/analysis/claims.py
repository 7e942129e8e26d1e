"""Claim features of a quote: key terms, named entities, stance, and relations to other speakers.

The stance is what the speaker does with the content, read from two places:

- the cue: "denied", "rejected" -> denies; "doubted", "questioned" -> doubts; "suggested",
  "believes" -> hedges; everything else asserts. The cue also gets a `cue_force` that records how
  the reporter framed the assertion: emphatic ("insisted", "stressed"), distanced ("claimed",
  "alleged"), concessive ("admitted"), or neutral ("said"). A negated cue ("do not accept",
  "does not believe") denies.
- the content: doubt markers ("unbelievable", "unlikely", a question) -> doubts; a negation in
  the main clause -> denies; modal and hedging words ("may", "perhaps", "I think") -> hedges.

Everything is computed with the rule-based tokenizer of `terms`, so a report over thousands of
quotes never waits for a parser. Given a spaCy pipeline (`nlp`, `compare --parse`), key terms are
ranked by textacy's TextRank over lemmas, followed by the other noun chunks, and entities come from
its NER; stance and topic keys stay rule-based so results
do not depend on which path ran.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from quotetrack import lexicon
from quotetrack.analysis.terms import GENERIC, NEGATIONS, STOPWORDS, Token, keyed_words, tokenize
from quotetrack.records import Quote

STANCES = ("asserts", "denies", "doubts", "hedges")
RELATION_KINDS = ("disputes", "supports")

# Cue words by what they do to the content (matched on lowercase words of the cue).
DENY_CUES = lexicon.words("deny_cues")
DOUBT_CUES = lexicon.words("doubt_cues")
HEDGE_CUES = lexicon.words("hedge_cues")
# Verbs whose negation turns the report into a denial: "do not accept", "does not believe".
ACCEPT_CUES = lexicon.words("accept_cues")
EMPHATIC_CUES = lexicon.words("emphatic_cues")
DISTANCED_CUES = lexicon.words("distanced_cues")
CONCESSIVE_CUES = lexicon.words("concessive_cues")

DOUBT_WORDS = lexicon.words("doubt_words")
DOUBT_PHRASES = lexicon.sequence("doubt_phrases")  # in order: the first found is the reason
HEDGE_WORDS = lexicon.words("hedge_words")
HEDGE_PHRASES = lexicon.sequence("hedge_phrases")

# Nouns that stand for someone's claim: "Tokayev's statements", "Herbst's assessment".
CLAIM_NOUNS = lexicon.words("claim_nouns")
DISPUTE_WORDS = lexicon.words("dispute_words")
SUPPORT_WORDS = lexicon.words("support_words")
RELATION_VERB_WINDOW = 4  # "differs from Herbst": the verb stands at most this many tokens before the name
CLAUSE_BREAKS = lexicon.words("clause_breaks")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»]?\s+(?=[\"“‘«]?[A-Z0-9])|\n\s*\n")

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW")


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # spaCy's label, or "NAME" from the capitalisation rule


@dataclass(frozen=True)
class Relation:
    """The quote takes a position on another speaker or their claim."""

    kind: str  # "disputes" or "supports"
    target: str  # the other speaker's canonical name
    evidence: str  # the words that show it, e.g. "do not accept Tokayev's statements"


@dataclass
class ClaimFeatures:
    quote_id: str
    stance: str
    cue_force: str  # neutral, emphatic, distanced, concessive
    stance_basis: list[str]
    key_terms: list[str]
    entities: list[Entity]
    relations: list[Relation]
    topic_keys: tuple[str, ...]  # stems of informative words, for topic grouping
    topic_words: tuple[str, ...] = field(default=(), repr=False)  # the word behind each stem

    def to_dict(self) -> dict:
        return {
            "stance": self.stance,
            "cue_force": self.cue_force,
            "stance_basis": list(self.stance_basis),
            "key_terms": list(self.key_terms),
            "entities": [{"text": e.text, "label": e.label} for e in self.entities],
            "relations": [{"kind": r.kind, "target": r.target, "evidence": r.evidence} for r in self.relations],
        }


# --- stance -------------------------------------------------------------------------------------


def _words(tokens: Sequence[Token]) -> list[str]:
    return [t.lower for t in tokens if t.is_word]


def _contains_phrase(words: Sequence[str], phrase: str) -> bool:
    return f" {phrase} " in f" {' '.join(words)} "


def cue_words_with_context(quote: Quote, text: str | None) -> list[str]:
    """The cue's words, preceded by up to three words before it in the document ("do not" + "accept")."""
    if quote.cue_span and text:
        start, end = quote.cue_span
        before = _words(tokenize(text[max(0, start - 40) : start]))[-3:]
        return before + _words(tokenize(text[start:end]))
    return _words(tokenize(quote.cue or ""))


def classify_cue(cue_words: Sequence[str]) -> tuple[str | None, str, list[str]]:
    """(stance the cue forces or None, cue force, reasons) for the cue's words."""
    words = list(cue_words)
    force = "neutral"
    for word in words:
        if word in EMPHATIC_CUES:
            force = "emphatic"
        elif word in DISTANCED_CUES:
            force = "distanced"
        elif word in CONCESSIVE_CUES:
            force = "concessive"
    negated = any(w in NEGATIONS for w in words)
    for word in words:
        if word in DENY_CUES:
            return "denies", force, [f"cue {word!r} denies"]
        if word in DOUBT_CUES and not negated:
            return "doubts", force, [f"cue {word!r} doubts"]
        if negated and word in ACCEPT_CUES:
            return "denies", force, [f"cue {' '.join(words)!r} is negated"]
    for word in words:
        if word in HEDGE_CUES:
            return "hedges", force, [f"cue {word!r} hedges"]
    return None, force, []


def main_clause(tokens: Sequence[Token]) -> list[Token]:
    """The tokens up to the first clause break: where a negation speaks for the whole claim."""
    clause: list[Token] = []
    for token in tokens:
        if clause and (token.lower in CLAUSE_BREAKS or (token.lower == "that" and clause[-1].lower == "and")):
            break
        clause.append(token)
    return clause


def content_stance(tokens: Sequence[Token], content: str) -> tuple[str, list[str]]:
    words = _words(tokens)
    lowered = [w.replace("’", "'") for w in words]
    for word in lowered:
        if word in DOUBT_WORDS:
            return "doubts", [f"content: {word!r}"]
    for phrase in DOUBT_PHRASES:
        if _contains_phrase(lowered, phrase):
            return "doubts", [f"content: {phrase!r}"]
    if content.rstrip(" \"”’»").endswith("?"):
        return "doubts", ["content is a question"]
    clause = main_clause([t for t in tokens if t.is_word or t.text in ",;:—–"])
    for token in clause:
        if token.lower in NEGATIONS:
            return "denies", [f"content: negation {token.text!r} in the main clause"]
    for phrase in HEDGE_PHRASES:
        if _contains_phrase(lowered, phrase):
            return "hedges", [f"content: {phrase!r}"]
    for token in clause:
        if token.lower in HEDGE_WORDS:
            return "hedges", [f"content: {token.lower!r} in the main clause"]
    return "asserts", []


def stance_of(quote: Quote, text: str | None = None, tokens: Sequence[Token] | None = None) -> tuple[str, str, list[str]]:
    """(stance, cue force, reasons) for one quote; `text` is its document's text when known."""
    cue_stance, force, reasons = classify_cue(cue_words_with_context(quote, text))
    if cue_stance:
        return cue_stance, force, reasons
    stance, reasons = content_stance(tokens if tokens is not None else tokenize(quote.content), quote.content)
    return stance, force, reasons


def cue_negated(quote: Quote) -> bool:
    """True when the cue itself is negated: "does not think", "do not accept", "didn't say"."""
    return any(word in NEGATIONS for word in _words(tokenize(quote.cue or "")))


def output_stance(quote: Quote, text: str | None = None, offset: int = 0) -> dict[str, object]:
    """`{"stance": …, "negated": …}` for a quote record at output time (nothing is stored): the
    stance `stance_of` gives, the one reports count. `text` is the document text or a window of it
    starting at `offset` that holds the cue and the words before it."""
    analysed = shifted(quote, offset) if offset and text is not None else quote
    stance, _, _ = stance_of(analysed, text)
    return {"stance": stance, "negated": cue_negated(quote)}


# --- relations ----------------------------------------------------------------------------------


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence(s) covering text[start:end]."""
    left = 0
    for match in SENTENCE_END.finditer(text, max(0, start - 600), start):
        left = match.end()
    right_match = SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, min(right, end + 600)


def relation_window(quote: Quote, text: str | None) -> str:
    """The text that may name another speaker's claim: the content plus the sentence of the cue."""
    if text and quote.cue_span:
        start, end = sentence_around(text, *quote.cue_span)
        window = text[start:end]
        if quote.content and quote.content not in window:
            window += " " + quote.content
        return window
    return " ".join(part for part in (quote.cue, quote.content) if part)


def name_keys(name: str) -> set[str]:
    """The words that identify a speaker in running text: the surname and the full name."""
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    keys = {name.lower()}
    if len(parts) > 1:
        keys.add(parts[-1].lower())
    return keys


def find_relations(
    window: str,
    own_speaker: str | None,
    speakers: Mapping[str, Iterable[str]],
    stance: str,
) -> list[Relation]:
    """Relations to the other speakers named in the window.

    A named speaker counts only when the name stands for their claim ("Tokayev's statements",
    "Herbst's assessment") or is the object of a dispute or support verb ("differs from Herbst",
    "echoed Ryabkov"). Disputes need a dispute word, a negated acceptance or a denying/doubting
    stance; supports need a support word without negation.
    """
    tokens = tokenize(window)
    lowers = [t.lower.replace("’", "'") for t in tokens]
    relations: list[Relation] = []
    for canonical, aliases in speakers.items():
        if own_speaker and canonical == own_speaker:
            continue
        keys: set[str] = set()
        for alias in [canonical, *aliases]:
            keys |= name_keys(alias)
        for index in range(len(tokens)):
            if not _name_at(lowers, index, keys):
                continue
            relation = _relation_at(tokens, lowers, index, canonical, stance)
            if relation:
                relations.append(relation)
                break
    return relations


def _name_at(lowers: Sequence[str], index: int, keys: set[str]) -> bool:
    for key in keys:
        parts = key.split()
        if lowers[index : index + len(parts)] == parts:
            return True
    return False


def _relation_at(tokens: Sequence[Token], lowers: Sequence[str], index: int, target: str, stance: str) -> Relation | None:
    after = lowers[index + 1 : index + 4]
    names_claim = any(word in CLAIM_NOUNS for word in after)
    before = lowers[max(0, index - RELATION_VERB_WINDOW) : index]
    verb_before = [w for w in before if w in DISPUTE_WORDS or w in SUPPORT_WORDS or w in ACCEPT_CUES]
    if not names_claim and not verb_before:
        return None
    start = max(0, index - 6)
    scope = lowers[start : index + 4]
    evidence_tokens = [t.text for t in tokens[start : index + 4] if t.is_word]
    evidence = " ".join(evidence_tokens)
    negated = any(w in NEGATIONS for w in scope)
    disputes = any(w in DISPUTE_WORDS for w in scope) or (negated and any(w in ACCEPT_CUES or w in SUPPORT_WORDS for w in scope))
    if disputes or (names_claim and stance in ("denies", "doubts")):
        return Relation("disputes", target, evidence)
    if any(w in SUPPORT_WORDS for w in scope) and not negated:
        return Relation("supports", target, evidence)
    return None


# --- key terms and entities ---------------------------------------------------------------------


def rule_key_terms(tokens: Sequence[Token], limit: int = 8) -> list[str]:
    """Runs of up to three informative words ("foreign-backed terrorists", "security apparatus")."""
    terms: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            phrase = " ".join(run[-3:])
            if phrase not in terms:
                terms.append(phrase)
        run.clear()

    for token in tokens:
        informative = (
            token.is_word
            and not token.is_stop
            and token.lower not in GENERIC
            and not token.text[0].isupper()
            and len(token.text) > 2
        )
        if informative:
            run.append(token.lower)
        else:
            flush()
    flush()
    return terms[:limit]


def rule_entities(tokens: Sequence[Token]) -> list[Entity]:
    """Capitalised word runs that are not just a sentence's first word."""
    entities: list[Entity] = []
    run: list[Token] = []
    previous: Token | None = None

    def flush() -> None:
        if run:
            sentence_initial = previous_of_run is None or previous_of_run.text in ".!?\"“"
            if len(run) > 1 or not sentence_initial:
                name = " ".join(t.text for t in run)
                if name.lower() not in STOPWORDS and all(e.text != name for e in entities):
                    entities.append(Entity(name, "NAME"))
        run.clear()

    previous_of_run: Token | None = None
    for token in tokens:
        capitalised = token.is_word and token.text[0].isupper() and token.lower not in STOPWORDS
        if capitalised:
            if not run:
                previous_of_run = previous
            run.append(token)
        else:
            flush()
        previous = token
    flush()
    return entities


def model_terms_and_entities(doc) -> tuple[list[str], list[Entity]]:
    """Key terms ranked by textacy's TextRank (lemmatised), then the remaining noun chunks; entities
    from the model's NER."""
    from textacy.extract import keyterms  # heavy import, needed only on this path

    terms = []
    for term, _ in keyterms.textrank(doc, normalize="lemma", topn=8):
        term = term.lower()
        if term not in terms and term not in GENERIC:
            terms.append(term)
    for chunk in doc.noun_chunks:
        words = [t.lemma_.lower() for t in chunk if not (t.is_stop or t.is_punct or t.pos_ in ("DET", "PRON"))]
        phrase = " ".join(w for w in words if w.strip())
        if phrase and phrase not in terms and phrase not in GENERIC:
            terms.append(phrase)
    entities: list = []  # spaCy entity spans
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS and all(e.text != ent.text for e in entities):
            entities.append(Entity(ent.text, ent.label_))
    return terms, entities


# --- the whole ----------------------------------------------------------------------------------


def claim_features(
    quote: Quote,
    text: str | None = None,
    *,
    speakers: Mapping[str, Iterable[str]] | None = None,
    doc=None,
) -> ClaimFeatures:
    """Compute the claim features of one quote.

    `text` is the quote's document text (it lets the cue's negation and the cue's sentence be
    read); `speakers` maps canonical names of other speakers to their aliases, for relations;
    `doc` is an optional spaCy Doc of `quote.content` for model-based key terms and entities.
    """
    tokens = tokenize(quote.content)
    stance, force, basis = stance_of(quote, text, tokens)
    if doc is not None:
        key_terms, entities = model_terms_and_entities(doc)
    else:
        key_terms, entities = rule_key_terms(tokens), rule_entities(tokens)
    relations = find_relations(relation_window(quote, text), quote.speaker, speakers or {}, stance) if speakers else []
    keyed = keyed_words(tokens)
    return ClaimFeatures(
        quote_id=quote.id,
        stance=stance,
        cue_force=force,
        stance_basis=basis,
        key_terms=key_terms,
        entities=entities,
        relations=relations,
        topic_keys=tuple(key for key, _ in keyed),
        topic_words=tuple(word for _, word in keyed),
    )


def analyse_quotes(
    quotes: Sequence[Quote],
    texts: Mapping[str, str] | None = None,
    *,
    speakers: Mapping[str, Iterable[str]] | None = None,
    nlp=None,
    windows: Mapping[str, tuple[int, str]] | None = None,
) -> dict[str, ClaimFeatures]:
    """Claim features for many quotes, keyed by quote id. With `nlp`, contents are parsed in one batch.

    Document text comes from `texts` (doc id -> whole text) or `windows` (quote id -> (offset,
    part of the text around the cue)), whichever has the quote.
    """
    texts = texts or {}
    windows = windows or {}
    docs = list(nlp.pipe([q.content for q in quotes], batch_size=256)) if nlp is not None else [None] * len(quotes)
    features = {}
    for quote, doc in zip(quotes, docs):
        text = texts.get(quote.doc)
        analysed = quote
        if text is None and quote.id in windows:
            offset, text = windows[quote.id]
            analysed = shifted(quote, offset)
        features[quote.id] = claim_features(analysed, text, speakers=speakers, doc=doc)
    return features


def shifted(quote: Quote, offset: int) -> Quote:
    """The quote with its cue span moved to index a window of its document that starts at `offset`
    (the window holds the cue and the words before it; the content may lie outside it)."""
    def move(span):
        return (span[0] - offset, span[1] - offset) if span and span[0] >= offset else None

    return replace(quote, cue_span=move(quote.cue_span), speaker_span=move(quote.speaker_span))
