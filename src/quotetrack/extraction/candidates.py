"""The records extraction passes around (mentions, candidates, the parsed document) and the helpers
that turn spaCy tokens into character spans of the document (span arithmetic: `quotetrack.spans`)."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    parent: "Candidate | None" = field(default=None, repr=False)

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
