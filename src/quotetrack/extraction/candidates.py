"""The records extraction passes around (mentions, candidates, the parsed document) and the helpers
that turn spaCy tokens into character spans of the document (span arithmetic: `quotetrack.spans`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from quotetrack.spans import CharSpan, length, union

EDGE_PUNCT = " \t\n,;:."


@dataclass
class Mention:
    """The words the cue attaches to, with what resolution needs to know about them."""

    span: CharSpan
    text: str
    head_lemma: str
    head_pos: str
    pronoun: str | None = None
    entity: tuple[str, CharSpan, str] | None = None  # (label, span, text) of a PERSON/ORG inside the mention
    role_words: tuple[str, ...] = ()
    plural: bool = False


@dataclass
class Candidate:
    content: list[CharSpan]
    kind: str
    origin: str
    cue: CharSpan | None = None
    mention: Mention | None = None
    speaker: str | None = None  # set directly by interview detection
    speaker_kind: str | None = None
    confidence: float = 0.8
    reported_by: str | None = None
    via: str = ""  # "object" when the content is a verb's object (criticized X), a weaker sign of a claim
    parent: Candidate | None = field(default=None, repr=False)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    @property
    def size(self) -> int:
        """How many characters the content covers."""
        return length(union(self.content))


@dataclass
class PersonMention:
    """A PERSON or ORG entity seen in the document, for resolution."""

    span: CharSpan
    text: str
    label: str
    role_words: tuple[str, ...]
    in_quote: bool
    is_subject: bool
    main_clause: bool = True  # the subject of the sentence's main verb, not of a clause inside it
    coordinated: bool = False  # the first of people joined as one subject: "Grassley and Leahy say"
    listed: bool = False  # one of three or more names in a list: "songs by Loretta Lynn, Elvis Costello, …"


@dataclass
class Parsed:
    """What extraction keeps of the parse of one document: candidates and entity mentions."""

    text: str
    candidates: list[Candidate] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    subjects: list[Mention] = field(default_factory=list)  # people who are sentence subjects outside quotes
    described: list[Mention] = field(default_factory=list)  # subjects that are definite role descriptions
    sentence_starts: list[int] = field(default_factory=list)
    furniture: list[CharSpan] = field(default_factory=list)  # paragraphs that are layout: captions, link lines


def tok_span(tokens, offset: int) -> CharSpan:
    tokens = [t for t in tokens if not t.is_space] or list(tokens)
    return (tokens[0].idx + offset, tokens[-1].idx + len(tokens[-1].text) + offset)


def trim(text: str, span: CharSpan, keep_marks: bool = True) -> CharSpan | None:
    start, end = span
    while start < end and text[start] in EDGE_PUNCT + "—–-":
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT + "—–-":
        end -= 1
    return (start, end) if end > start else None


# An attribution's content runs over at most this many tokens after its cue. A parse can chain
# thousands of clauses into one ("Officials said "the plan Officials said "the plan …"): taking
# each clause's whole subtree made one pass over the verbs quadratic. No real sentence is this long.
MAX_CONTENT_TOKENS = 600


def subtree_without(token, excluded: set[int], limit: int | None = None) -> list:
    """Tokens of `token`'s subtree, leaving out the subtrees of the token indices in `excluded`.

    With `limit` (see `content_limit`), the subtree is read from the parse's edges as the tokens
    from its left edge to `limit`, without the edge ranges of the excluded tokens (the subtrees of a
    projective parse): a bounded amount of work however far the subtree reaches."""
    if limit is not None:
        if token.i in excluded:
            return []
        doc = token.doc
        first, last = token.left_edge.i, min(token.right_edge.i, limit)
        # only exclusions inside the subtree cut it (the cue verb, its parent, lies around it)
        cut = [(doc[i].left_edge.i, doc[i].right_edge.i) for i in excluded if first <= i <= token.right_edge.i]
        return [doc[i] for i in range(first, last + 1) if not any(a <= i <= b for a, b in cut)]
    out = []
    stack = [token]
    while stack:
        tok = stack.pop()
        if tok.i in excluded:
            continue
        out.append(tok)
        stack.extend(tok.children)
    return sorted(out, key=lambda t: t.i)


def content_limit(verb) -> int | None:
    """The last token an attribution of `verb` may take in, when its clauses reach that far."""
    limit = verb.i + MAX_CONTENT_TOKENS
    return limit if verb.right_edge.i > limit else None


def contiguous_spans(tokens, offset: int, text: str) -> list[CharSpan]:
    """Group sorted tokens into runs of adjacent tokens (ignoring punctuation gaps) as char spans."""
    spans: list[CharSpan] = []
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


def tokens_text(tokens) -> str:
    """The text of a run of tokens, as `tok_span` bounds it. (Slicing `doc.text` instead would rebuild
    the whole document's text on every call: spaCy does not keep it.)"""
    tokens = [t for t in tokens if not t.is_space] or list(tokens)
    return tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text



# --- indexes that keep the passes linear on long texts ------------------------------------------------


@lru_cache(maxsize=8)
def _sentence_bounds(doc) -> tuple[list[int], list[int]]:
    starts = [0] * len(doc)
    ends = [0] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            starts[i] = sent.start
            ends[i] = sent.end
    return starts, ends


def sentence_of(tok):
    """`tok.sent`, from an index built once per Doc: spaCy's Token.sent walks the whole sentence on
    every call, which made a pass over the verbs of one long sentence quadratic."""
    starts, ends = _sentence_bounds(tok.doc)
    return tok.doc[starts[tok.i] : ends[tok.i]]


@lru_cache(maxsize=8)
def _entity_starts(doc) -> tuple[tuple, list[int]]:
    ents = tuple(doc.ents)  # sorted by start, not overlapping
    return ents, [e.start for e in ents]


def entities_within(doc, start: int, end: int) -> list:
    """The entities inside tokens [start, end), found by bisection instead of a scan of all."""
    ents, starts = _entity_starts(doc)
    found = []
    for index in range(bisect_left(starts, start), len(ents)):
        ent = ents[index]
        if ent.start >= end:
            break
        if ent.end <= end:
            found.append(ent)
    return found


def entity_at(doc, i: int):
    """The entity holding token i, or None."""
    ents, starts = _entity_starts(doc)
    index = bisect_right(starts, i) - 1
    if index >= 0 and ents[index].start <= i < ents[index].end:
        return ents[index]
    return None


class SpanIndex:
    """Items by the character spans they cover, in blocks, to find those that may overlap a span
    without comparing every pair. Items may be added again when their spans change; `near` gives
    each once, in the order first added, and may give some that do not overlap (check them)."""

    BLOCK = 512

    def __init__(self) -> None:
        self.blocks: dict[int, list] = {}
        self.order: dict[int, int] = {}

    def add(self, item, spans: Iterable[CharSpan]) -> None:
        self.order.setdefault(id(item), len(self.order))
        for start, end in spans:
            for block in range(start // self.BLOCK, max(start, end - 1) // self.BLOCK + 1):
                self.blocks.setdefault(block, []).append(item)

    def near(self, spans: Iterable[CharSpan]) -> list:
        seen: dict[int, object] = {}
        for start, end in spans:
            for block in range(start // self.BLOCK, max(start, end - 1) // self.BLOCK + 1):
                for item in self.blocks.get(block, ()):
                    seen.setdefault(id(item), item)
        return sorted(seen.values(), key=lambda item: self.order[id(item)])


@lru_cache(maxsize=8)
def _token_starts(doc) -> list[int]:
    return [t.idx for t in doc]


def tokens_near(sent, lo: int, hi: int):
    """The tokens of a sentence (a CharSpan) that start within characters [lo, hi] of its Doc."""
    starts = _token_starts(sent.doc)
    first = max(sent.start, bisect_left(starts, lo))
    last = min(sent.end, bisect_right(starts, hi))
    return sent.doc[first:last] if first < last else ()


def forget_docs() -> None:
    """Drop the per-Doc indexes (and the Docs they hold) once a document is extracted."""
    for cached in (_sentence_bounds, _entity_starts, _token_starts):
        cached.cache_clear()
