"""Quote extraction from parsed documents.

Candidates come from four places, then meet in `extract_from_pieces`:
- the dependency parse (`reported`): a cue verb with a subject and a clausal complement (said that …),
  inverted and parenthetical cues (…, Ryabkov added; Law and order, authorities affirm, was restored),
  participles (…, adding that …) and "according to X";
- quotation marks (`quotemarks`, `direct`): a quote is tied to the cue of its sentence, to a cue
  sentence right before or after it ("He said:" / "…," he said), or continues the previous speaker's quote;
- headlines ("… — expert", "…, says diplomat", "Poll: …") and interviews (question, answer) (`layout`).
Speaker mentions are read by `mentions`; speakers are then resolved inside the document by `resolve`.
This module holds the passes over the whole document: people and subjects, nesting, de-duplication.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import DEP, ENT_IOB, POS
from spacy.strings import get_string_id

from quotetrack.extraction.candidates import (
    Candidate,
    Mention,
    Parsed,
    PersonMention,
    SpanIndex,
    forget_docs,
    sentence_of,
    tok_span,
    tokens_text,
)
from quotetrack.extraction.direct import SCARE_QUOTE_WORDS, attach_quotations, continue_quotations, quote_words
from quotetrack.extraction.layout import furniture, headline_candidates, interview_candidates
from quotetrack.extraction.mentions import (
    NP_POS,
    RELATION_WORDS,
    SEPARATORS,
    SUBJECT_DEPS,
    appositive_words,
    entities,
    make_mention,
    name_tokens,
    titled_name,
    works_for,
)
from quotetrack.extraction.quotemarks import Quotation, find_quotations, paragraphs
from quotetrack.extraction.reported import reported_candidates, tokens_where
from quotetrack.extraction.resolve import ROLE_NOUNS, resolve_mentions
from quotetrack.records import Document, Quote
from quotetrack.spans import CharSpan, covers, shared_length


def extract_from_pieces(document: Document, pieces: list) -> list[Quote]:
    """Build the quotes of one document from its parsed pieces [(char offset, spaCy Doc), …]."""
    text = document.text
    parsed = Parsed(text)
    quotations = find_quotations(text)
    quoted = [(p.start, p.end) for q in quotations for p in q.pieces if quote_words(text, q) > SCARE_QUOTE_WORDS]
    sentences = []
    surnames: set[str] = set()  # of people named in full so far: found again where the tagger missed them
    for offset, doc in sorted(pieces, key=lambda p: p[0]):
        for sent in doc.sents:
            span = (sent.start_char + offset, sent.end_char + offset)
            sentences.append((span, (sent, offset)))
            parsed.sentence_starts.append(span[0])
        parsed.people += collect_people(doc, offset, quotations, surnames)
        parsed.subjects += collect_subjects(doc, offset, quoted)
        parsed.described += collect_descriptions(doc, offset, quoted)
        parsed.candidates += reported_candidates(doc, offset, text, quoted)
    nest(parsed.candidates)
    attach_quotations(parsed, quotations, sentences)
    paras = paragraphs(text)
    parsed.candidates += headline_candidates(text, paras)
    continue_quotations(parsed, paras)
    interview = interview_candidates(parsed, paras)
    if interview:
        parsed.candidates = [c for c in parsed.candidates if not inside_any(c, interview) or c.origin == "parse"]
        for cand in parsed.candidates:
            if cand.origin == "parse" and inside_any(cand, interview):
                cand.reported_by = interview[0].speaker
        parsed.candidates += interview
    parsed.furniture = furniture(text, paras)
    if parsed.furniture:
        parsed.candidates = [c for c in parsed.candidates if not in_furniture(c, parsed.furniture)]
    parsed.candidates = merge_same_cue(dedupe(parsed.candidates))
    mark_mixed(parsed.candidates, quotations)
    parsed.candidates.sort(key=lambda c: (c.start, c.end))
    resolve_mentions(parsed)
    forget_docs()  # the per-Doc indexes would keep this document's parse alive
    entities.cache_clear()
    return [to_quote(document, cand) for cand in parsed.candidates if cand.content]


OUTSIDE = 2  # ENT_IOB of a token in no entity
PROPN = get_string_id("PROPN")


def in_list(head, size: int = 3) -> bool:
    """Whether a word is one of `size` or more joined by coordination ("Loretta Lynn, Elvis Costello,
    Johnny Cash and Ray LaMontagne"); the walk stops once it has found that many."""
    root = head
    for _ in range(size):
        if root.dep_ != "conj" or root.head.i == root.i:
            break
        root = root.head
    seen, stack = {root.i}, [root]
    while stack and len(seen) < size:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return len(seen) >= size


def collect_people(doc, offset: int, quotations: list[Quotation], surnames: set[str] | None = None) -> list[PersonMention]:
    """The PERSON and ORG entities of a piece, with the role words around them, for resolution;
    with `surnames` (of people named in full before, added to here), also those surnames where the
    tagger saw no entity: "Trump never missed an opportunity …" is a subject he/she may stand for."""
    people = []
    quoted = sorted((q.start, q.end) for q in quotations)
    quoted_starts = [s for s, _ in quoted]

    def in_quote(position: int) -> bool:
        # quotations do not overlap: the last one starting at or before the name decides
        k = bisect_right(quoted_starts, position) - 1
        return k >= 0 and quoted[k][0] <= position < quoted[k][1]

    def main_clause(head) -> bool:
        verb = head.head
        return verb.dep_ == "ROOT" or verb.dep_ == "conj" and verb.head.dep_ == "ROOT"
    for ent in entities(doc):
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        label = "PERSON" if titled_name(ent) else ent.label_
        span = tok_span(name_tokens(ent) if label == "PERSON" else ent, offset)
        name = tokens_text(name_tokens(ent) if label == "PERSON" else ent)
        head = ent.root
        employer = works_for(head)  # "a spokeswoman for Hillary Clinton": her role words are not Clinton's
        mention = make_mention(head, offset) if head.dep_ in SUBJECT_DEPS or head.dep_ == "pobj" and not employer else None
        roles = mention.role_words if mention else ()
        # titles before the name, back to a comma or verb: "Director of the Institute … Valery Garbuzov"
        left = []
        i = ent.start - 1
        # another person's name ends them: "nominee Donald Trump and Democratic nominee Hillary Clinton"
        # "ran for president against Senator John McCain": only "of" joins a title to a name
        while not employer and i >= max(sentence_of(ent[0]).start, ent.start - 12) and doc[i].text not in SEPARATORS and doc[i].pos_ in NP_POS \
                and doc[i].ent_type_ != "PERSON" and not (doc[i].pos_ == "ADP" and doc[i].lower_ != "of") \
                and not (doc[i].lower_ == "of" and i > 0 and doc[i - 1].lemma_.lower() in RELATION_WORDS):
            # ("the son of Bernie Sanders": a son is no role of Sanders)
            if doc[i].pos_ in ("NOUN", "PROPN", "ADJ"):
                left.append(doc[i].lemma_.lower())
            i -= 1
        roles = tuple(roles) + tuple(left)
        appos = [c for c in head.children if c.dep_ == "appos"]
        for child in appos:
            roles += tuple(t.lemma_.lower() for t in appositive_words(child) if t.pos_ in ("NOUN", "ADJ", "PROPN"))
        subject = head.dep_ in SUBJECT_DEPS
        coordinated = subject and label == "PERSON" and any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in head.children)
        people.append(PersonMention(span, name, label, roles, in_quote(span[0]), subject, main_clause(head), coordinated,
                                    in_list(head)))
        if surnames is not None and label == "PERSON" and (len(name.split()) >= 2 or name.istitle()):
            # "Oz's show" once tagged, "Oz has been dogged by charges" not: a surname alone names a person too
            surnames.add(name.split()[-1])
    if surnames:
        found = doc.to_array([ENT_IOB, POS])
        for tok in tokens_where(doc, (found[:, 0] == OUTSIDE) & (found[:, 1] == PROPN)):
            if tok.text in surnames and tok.dep_ != "compound":
                position = tok.idx + offset
                people.append(PersonMention((position, position + len(tok.text)), tok.text, "PERSON", (),
                                            in_quote(position), tok.dep_ in SUBJECT_DEPS, main_clause(tok)))
    return people


NSUBJ = get_string_id("nsubj")
POSS = get_string_id("poss")


def collect_subjects(doc, offset: int, quoted: list[CharSpan]) -> list[Mention]:
    """Subjects of main clauses that name a person or are he/she: who a cue-less quote may continue."""
    found = []
    for tok in tokens_where(doc, doc.to_array(DEP) == NSUBJ):
        if tok.head.dep_ not in ("ROOT", "conj"):
            continue
        position = tok.idx + offset
        if covers(quoted, position):
            continue
        # "His former business partner at Lenox, Lawrence B. Cummings, called him a master …": named by apposition
        if tok.ent_type_ in ("PERSON", "ORG") or tok.lower_ in ("he", "she") or any(
            t.dep_ == "appos" and t.ent_type_ == "PERSON" for t in tok.subtree
        ):
            found.append(make_mention(tok, offset))
    return found


def collect_descriptions(doc, offset: int, quoted: list[CharSpan]) -> list[Mention]:
    """Subjects that name a person by role ("the admiral chuckled", "the Vermont senator is …"):
    what a later he/she may stand for, once resolution finds who holds the role."""
    found = []
    deps = doc.to_array(DEP)
    for tok in tokens_where(doc, (deps == NSUBJ) | (deps == POSS)):
        if tok.lemma_.lower() not in ROLE_NOUNS or not any(c.lower_ == "the" for c in tok.children):
            continue
        if tok.dep == POSS and tok.head.dep != NSUBJ:
            continue  # "The president's Pacific roots also came into play": the subject's possessor
        position = tok.idx + offset
        if not any(s <= position < e for s, e in quoted):
            found.append(make_mention(tok, offset))
    return found


def in_furniture(cand: Candidate, lines: list[CharSpan]) -> bool:
    """A quote or speaker on a caption or link line ("READ MORE: …, Finance Department says")."""
    points = [cand.start] + ([cand.mention.span[0]] if cand.mention else [])
    return any(s <= point < e for point in points for s, e in lines)


def inside_any(cand: Candidate, others: list[Candidate]) -> bool:
    return any(o.start <= cand.start and cand.end <= o.end + 1 for o in others)


def nest(candidates: list[Candidate]) -> None:
    """An attribution inside another's content is reported by the outer speaker (Ryabkov noted that
    Blinken stated …: both claims stay, the inner one `reported_by` Ryabkov). Where the inner speaker
    is a pronoun for the outer one (the head of Kazakhstan said that he did not intend …), it is one
    claim: the outer one."""
    sizes: dict[int, int] = {}

    def size_of(cand: Candidate) -> int:
        if id(cand) not in sizes:
            sizes[id(cand)] = cand.size
        return sizes[id(cand)]

    by_content = SpanIndex()  # the candidates whose content may hold a cue, without comparing all pairs
    for outer in candidates:
        if outer.cue is not None:
            by_content.add(outer, outer.content)
    for inner in candidates:
        if inner.cue is None:
            continue
        for outer in by_content.near([(inner.cue[0], inner.cue[0] + 1)]):
            if outer is inner:
                continue
            if any(s <= inner.cue[0] < e for s, e in outer.content):
                if inner.parent is None or size_of(outer) < size_of(inner.parent):
                    inner.parent = outer
    children: dict[int, list[Candidate]] = {}
    for cand in candidates:
        if cand.parent is not None:
            children.setdefault(id(cand.parent), []).append(cand)
    dropped: set[int] = set()
    for outer in candidates:
        inners = children.get(id(outer), [])
        # "The head of Kazakhstan said that he did not intend to …": one claim, the outer one
        dropped.update(id(c) for c in inners if c.mention and c.mention.pronoun in ("he", "she", "they", "i", "we"))
    candidates[:] = [c for c in candidates if id(c) not in dropped]
    for cand in candidates:
        if cand.parent is not None and id(cand.parent) in dropped:
            cand.parent = None


def dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content: the most confident where two claim the same text."""
    ordered = sorted(candidates, key=lambda c: -c.confidence)
    kept: list[Candidate] = []
    near = SpanIndex()  # the kept candidates by the range they cover
    for cand in ordered:
        clash = False
        for other in near.near([(cand.start, cand.end)]):
            if other.end <= cand.start or cand.end <= other.start:
                continue
            shared = shared_length(cand.content, other.content)
            related = other.parent is cand or cand.parent is other
            if shared and shared >= 0.8 * max(cand.size, other.size) and not related:
                clash = True
                break
        if not clash:
            kept.append(cand)
            near.add(cand, [(cand.start, cand.end)])
    return kept


def merge_same_cue(candidates: list[Candidate]) -> list[Candidate]:
    """`“A,” Tester said, “B.”`: the two halves around one cue are one quote."""
    by_cue: dict[CharSpan, Candidate] = {}
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


def mark_mixed(candidates: list[Candidate], quotations: list[Quotation]) -> None:
    """Reported speech that holds quoted words is a mixed quote, whichever route found it."""
    pieces = sorted((p.start, p.end) for q in quotations for p in q.pieces)
    starts = [start for start, _ in pieces]

    def holds_a_piece(s: int, e: int) -> bool:
        # pieces do not overlap: the first starting at or after s is the one that may end by e
        index = bisect_left(starts, s)
        return any(pieces[i][1] <= e for i in range(index, min(index + 2, len(pieces))) if pieces[i][0] < e)

    for cand in candidates:
        if cand.kind == "indirect" and any(holds_a_piece(s, e) for s, e in cand.content):
            cand.kind = "mixed"


def disjoint(spans: list[CharSpan]) -> list[CharSpan]:
    """Content spans sorted, overlapping ones joined (merging two quotes' pieces may overlap them)."""
    joined: list[CharSpan] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def to_quote(document: Document, cand: Candidate) -> Quote:
    text = document.text
    spans = disjoint(cand.content)
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
