"""Quotations (from `quotemarks`) tied to their speakers: to the cue of their sentence, to a cue
sentence right before or after them ("He said:" / "…," he said), to a dash signature, or to the
previous speaker's quote they continue."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from typing import Any

from quotetrack import lexicon
from quotetrack.extraction import cues
from quotetrack.extraction.candidates import Candidate, Mention, Parsed, SpanIndex, entity_at, tokens_near
from quotetrack.extraction.mentions import speaker_mention, subject_of, surface_subject
from quotetrack.extraction.quotemarks import Quotation
from quotetrack.extraction.reported import QuotedIndex, bare_cue, cue_span_of, is_cue_verb
from quotetrack.spans import CharSpan, bridge_gaps, shared_length, union

SCARE_QUOTE_WORDS = 4

GAP = re.compile(r"^[ \t\u00a0,:;.—–-]*$")  # no paragraph break between a quote and its cue
OBJECT_CUES = lexicon.words("quote_object_cues")

DASH_SOURCE = re.compile(r"[\s\u00a0]*[―—–-]{1,2}[\s\u00a0]*(?P<name>[A-Z][\w.’'-]*(?:[ \u00a0][A-Z][\w.’'-]*){0,4})")


def attach_quotations(parsed: Parsed, quotations: list[Quotation], sentences: list[tuple[CharSpan, Any]]) -> None:
    """Tie each quotation to a candidate that contains it, to a cue beside it, or to the previous speaker."""
    text = parsed.text
    candidates = parsed.candidates
    by_content = SpanIndex()  # only candidates near a quotation can own it: no scan of all per quotation
    for existing in candidates:
        by_content.add(existing, existing.content)
    sentence_ends = [span[1] for span, _ in sentences]
    quoted = QuotedIndex([(q.start, q.end) for q in quotations])
    for quotation in quotations:
        q_spans = quote_spans(quotation)
        q_size = sum(e - s for s, e in q_spans)
        # a few words in quotation marks inside a sentence are a scare quote; a sentence of its own is not
        short = quote_words(text, quotation) <= SCARE_QUOTE_WORDS and not opens_sentence(text, quotation.start)
        owner: Candidate | None = None
        for near in by_content.near(q_spans):
            shared = shared_length(q_spans, near.content)
            if shared and shared >= 0.5 * min(q_size, near.size):
                owner = near if owner is None or near.size < owner.size else owner
        if owner is not None:
            outside = "".join(text[s:e] for s, e in subtract(union(owner.content), union(q_spans)))
            if not has_words(outside, 2):
                owner.content = quote_spans(quotation)
                owner.kind = "direct"
            else:
                merged = sorted(set(owner.content) | set(quote_spans(quotation)))
                owner.content = bridge_gaps(merged, text)
                owner.kind = "mixed"
                by_content.add(owner, owner.content)
            continue
        # A word or two in quotation marks is a quote only as the object of a speaker's verb
        # (`called X “deplorables”`); otherwise it is a scare quote.
        cand = dash_source(parsed, quotation) or cue_beside(parsed, quotation, sentences, object_only=short, ends=sentence_ends,
                                                                   quoted=quoted)
        if cand is None and not short:
            cand = Candidate(quote_spans(quotation), "direct", "quote", confidence=0.5)
        if cand is not None:
            candidates.append(cand)
            by_content.add(cand, cand.content)


WORD = re.compile(r"\w+")
# Tokens further than this from a quotation are not read as its cue: bounds the work per quotation
# in a run-on "sentence" of a hundred thousand characters (news sentences are far shorter).
CUE_WINDOW = 1000


def has_words(text: str, count: int) -> bool:
    return any(n + 1 >= count for n, _ in enumerate(WORD.finditer(text)))


def subtract(spans: list[CharSpan], minus: list[CharSpan]) -> list[CharSpan]:
    """The parts of sorted, disjoint `spans` outside sorted, disjoint `minus`."""
    out: list[CharSpan] = []
    j = 0
    for start, end in spans:
        while j < len(minus) and minus[j][1] <= start:
            j += 1
        k = j
        while start < end:
            if k < len(minus) and minus[k][0] < end:
                if minus[k][0] > start:
                    out.append((start, minus[k][0]))
                start = max(start, minus[k][1])
                k += 1
            else:
                out.append((start, end))
                break
    return out


def cue_beside(
    parsed: Parsed, quotation: Quotation, sentences, object_only: bool = False, ends: list[int] | None = None,
    quoted: QuotedIndex | None = None,
) -> Candidate | None:
    """The cue of a quotation that the parse did not tie to it: `…,” he said.`, `said Ryabkov`,
    `Herbst argued, “…”`, `He said:` before it, or `advocated Washington’s “full support …”`."""
    text = parsed.text
    q_start, q_end = quotation.start, quotation.end
    core_end = q_end
    while core_end > q_start and not text[core_end - 1].isalnum():
        core_end -= 1  # the quoted words without the closing mark and punctuation
    # After `…,”` any verb is a cue (`Blige sings`); elsewhere only the lexicon's.
    comma_quote = text[max(q_start, q_end - 3) : q_end].rstrip("\"”’'»").endswith((",", "?", "!", "—"))
    first = bisect_left(ends, q_start - 3) if ends is not None else 0  # the sentences are in text order
    for span, (sent, offset) in sentences[first:] if ends is not None else sentences:
        if span[0] > q_end + 3 and ends is not None:
            break
        if span[1] < q_start - 3 or span[0] > q_end + 3:
            continue
        for tok in tokens_near(sent, q_start - offset - CUE_WINDOW, q_end - offset + CUE_WINDOW):
            position = tok.idx + offset
            if q_start <= position < q_end or tok.pos_ != "VERB":
                continue
            lemma = tok.lemma_.lower()
            subject = subject_of(tok) or surface_subject(tok)
            if subject is None or q_start <= subject.idx + offset < q_end or subject.lower_ in ("that", "which", "it"):
                continue
            if quoted is not None and quoted.holds(subject.idx + offset):
                continue  # `“We have had better …,” X, wearing “Kasich” pins, said`: "We" speaks in another quote
            clause_start = min(subject.left_edge.idx, tok.idx) + offset
            clause_end = max(subject.idx + len(subject.text), tok.idx + len(tok.text)) + offset
            cue_verb = is_cue_verb(tok)
            after_quote = (
                not object_only
                and (cue_verb or comma_quote)
                and clause_start >= q_end
                and GAP.match(text[q_end:clause_start])
                and bare_cue(tok, subject)
            )
            between = text[clause_end:q_start]
            before_quote = (
                not object_only
                and clause_end <= q_start
                and (
                    (lemma in cues.SPEECH or cues.takes(lemma, "clause")) and re.match(r"^[\s,:;—–-]*(that\s*)?$", between)
                    or re.match(r"^[^.!?\n]{0,40}:\s*$", between) is not None  # `scolded him: “…”`
                )
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
    if comma_quote and not object_only:
        return named_after(quotation, sentences[first:] if ends is not None else sentences, parsed.text)
    return None


ASIDE_WORDS = 15


def after_aside(doc, comma: int):
    """The cue verb after a comma-enclosed aside that follows a name: `…,” Texas delegate Bill Eastland,
    wearing a cowboy hat and campaign pins, said matter-of-factly`."""
    for k in range(comma + 1, min(comma + 2 + ASIDE_WORDS, len(doc) - 1)):
        if doc[k].text in (".", "!", "?", ";", "\n") or doc[k].is_space:
            return None
        if doc[k].text == ",":
            return doc[k + 1] if is_cue_verb(doc[k + 1]) else None
    return None


def named_after(quotation: Quotation, sentences, text: str) -> Candidate | None:
    """`…,'' said Robert Reich, who served …` or `…," Quina Jones, 25, said as …`: a speech verb and
    a person's name right after the quote's comma, where a long clause after the name kept the parse
    from tying them to it."""
    q_end = quotation.end
    for span, (sent, offset) in sentences:
        if span[0] > q_end + 3:
            break
        if span[1] <= q_end:
            continue
        after = [t for t in tokens_near(sent, q_end - offset, q_end - offset + 120) if t.idx + offset >= q_end]
        words = [t for t in after if not t.is_punct]
        if not words or not GAP.match(text[q_end : words[0].idx + offset]):
            return None
        verb, name = None, None
        if is_cue_verb(words[0]) and len(words) > 1 and words[1].ent_type_ == "PERSON" and words[1].ent_iob_ == "B":
            verb, name = words[0], entity_at(sent.doc, words[1].i)
        else:
            # the name may follow its titles: `…,” Tulsa police Chief Chuck Jordan said Monday`
            titles = 0
            while titles < 4 and titles < len(words) - 1 and words[titles].ent_type_ != "PERSON" and (
                words[titles].text[:1].isupper() or words[titles].pos_ in ("NOUN", "ADJ")
            ):
                titles += 1
            if words[titles].ent_type_ == "PERSON" and words[titles].ent_iob_ == "B":
                name = entity_at(sent.doc, words[titles].i)
                rest = [t for t in words if name is not None and t.i >= name.end and not t.like_num]
                verb = rest[0] if rest and is_cue_verb(rest[0]) else None
                if verb is None and name is not None and name.end < len(sent.doc) and sent.doc[name.end].text == ",":
                    verb = after_aside(sent.doc, name.end)
        if verb is None or name is None:
            return None
        return Candidate(quote_spans(quotation), "direct", "quote", cue_span_of(verb, offset),
                         speaker_mention(name.root, verb, offset), confidence=0.8)
    return None


def dash_source(parsed: Parsed, quotation: Quotation) -> Candidate | None:
    """A quotation signed with a dash after it: `“…” ― Pamela Padilla`."""
    text = parsed.text
    match = DASH_SOURCE.match(text, quotation.end, min(len(text), quotation.end + 80))
    if not match:
        return None
    dash = re.search(r"[―—–-]+", text[quotation.end : match.start("name")])
    if dash is None:
        return None
    cue = (quotation.end + dash.start(), quotation.end + dash.end())
    span = (match.start("name"), match.end("name"))
    name = match.group("name")
    mention = Mention(span, name, surname_lemma(name), "PROPN", entity=("PERSON", span, name))
    return Candidate(quote_spans(quotation), "direct", "quote", cue, mention, confidence=0.8)


def surname_lemma(name: str) -> str:
    return name.split()[-1].lower() if name.split() else ""


def continue_quotations(parsed: Parsed, paras: list[CharSpan]) -> None:
    """A quotation with no cue of its own continues the speaker of the attribution just before it,
    in the same paragraph or the one before."""
    para_ends = [end for _, end in paras]

    def para_of(position: int) -> int:
        return bisect_right(para_ends, position)  # the first paragraph ending after it

    anchors: list[tuple[int, int, Candidate | Mention]] = [(c.mention.span[0] if c.mention else c.start, c.end, c) for c in parsed.candidates
               if c.mention is not None or c.speaker is not None]
    taken = {c.mention.span for c in parsed.candidates if c.mention is not None}
    # a subject in an attribution's own sentence is not who goes on speaking: `…,” Flynn said on
    # Fox News's “Fox and Friends.” “I mean, …”` goes on with Flynn
    sentence_starts = sorted(parsed.sentence_starts)
    attributed = {bisect_right(sentence_starts, c.mention.span[0]) for c in parsed.candidates if c.mention is not None}
    anchors += [(m.span[0], m.span[1], m) for m in parsed.subjects
                if m.span not in taken and bisect_right(sentence_starts, m.span[0]) not in attributed]
    anchors.sort(key=lambda a: a[1])
    merged: set[int] = set()
    text = parsed.text
    for cand in sorted(parsed.candidates, key=lambda c: c.start):
        if cand.origin != "quote" or cand.mention is not None or cand.speaker is not None:
            continue
        # the last anchor (by end) that ends and starts before the quotation, found by bisection
        last = bisect_right(anchors, cand.start, key=lambda a: a[1]) - 1
        while last >= 0 and anchors[last][0] >= cand.start:
            last -= 1
        before = [anchors[last]] if last >= 0 else []
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
        insort(anchors, (cand.start, cand.end, cand), key=lambda a: a[1])
    parsed.candidates = [c for c in parsed.candidates if id(c) not in merged]


def opens_sentence(text: str, position: int) -> bool:
    """Whether a quotation mark at `position` starts a sentence or paragraph."""
    return re.search(r"(^|[.!?:”\"’]\s*|\n\s*)$", text[max(0, position - 3) : position]) is not None


def quote_words(text: str, quotation: Quotation) -> int:
    return sum(len(re.findall(r"\w+", text[p.inner_start : p.inner_end])) for p in quotation.pieces)


def quote_spans(quotation: Quotation) -> list[CharSpan]:
    return [(p.start, p.end) for p in quotation.pieces]

