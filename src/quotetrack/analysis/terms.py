"""Cheap word normalisation shared by claims, topics and provenance.

Everything here works on plain strings with regular expressions, so analysing a few thousand
quotes costs milliseconds and never loads spaCy. `stem` is a small suffix stripper, not a
lemmatiser: it only has to map the forms of one word to the same key ("terrorists",
"terrorism" -> "terror"; "destabilizing", "destabilisation" -> "destabiliz"), the same way for
quotes and for the topic lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quotetrack import lexicon

# Words (letters with inner apostrophes and hyphens), numbers ("20,000", "2.5"), and single
# punctuation marks that matter to clause splitting and questions.
TOKEN_RE = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?|\d[\d,.]*\d|\d|[?!.,;:—–]")

STOPWORDS = lexicon.words("stopwords")

# Words that appear in claims on every subject; sharing them says nothing about the topic.
GENERIC = lexicon.words("generic_words")

IRREGULAR = lexicon.mapping("irregular_stems")

# Inflections are removed first, then at most one derivational suffix (longest first); a suffix
# goes only when at least four characters remain.
INFLECTIONS = (("ied", "y"), ("ing", ""), ("ed", ""))
SUFFIXES = (
    ("ization", "iz"), ("ational", ""), ("ation", ""), ("ition", ""), ("ment", ""), ("ness", ""),
    ("ity", ""), ("ism", ""), ("ist", ""), ("ion", ""), ("ence", ""), ("ance", ""), ("ive", ""),
    ("ate", ""), ("ic", ""), ("al", ""), ("er", ""), ("or", ""), ("at", ""), ("ly", ""),
)
BRITISH_IS = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|ings)$")
DOUBLE_END = re.compile(r"([bdfgkmnprtv])\1$")
NEGATIONS = lexicon.words("negations")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The matching key of one word: lowercase, possessive dropped, common suffixes removed."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    w = BRITISH_IS.sub(r"iz\1", w)
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, replacement in INFLECTIONS:  # "sanctioned" -> "sanction", "stopped" -> "stop"
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = DOUBLE_END.sub(r"\1", w[: -len(suffix)] + replacement)
            break
    for suffix, replacement in SUFFIXES:  # "sanction" -> "sanct", "terrorist" -> "terror"
        if suffix in ("er", "or") and len(w) < 7:  # keep "terror", "leader", "actor"
            continue
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if w.endswith("y") and len(w) > 4:
        w = w[:-1] + "i"
    return w


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offset in the analysed string
    lower: str
    key: str  # stem(), or the mark itself for punctuation

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_stop(self) -> bool:
        return self.lower in STOPWORDS or self.lower.replace("’", "'") in STOPWORDS


def tokenize(text: str) -> list[Token]:
    """Split text into word, number and punctuation tokens; "don't" gives "do" + "n't"."""
    tokens: list[Token] = []
    for match in TOKEN_RE.finditer(text):
        word = match.group()
        start = match.start()
        lower = word.lower().replace("’", "'")
        if lower.endswith("n't") and len(lower) > 3:
            head = {"can't": word[:3], "won't": "will", "shan't": "shall"}.get(lower, word[:-3])
            tokens.append(Token(head, start, head.lower(), stem(head)))
            tokens.append(Token("n't", start + len(word) - 3, "n't", "n't"))
            continue
        if lower.endswith("'s") and len(lower) > 2:
            tokens.append(Token(word[:-2], start, lower[:-2], stem(word[:-2])))
            continue
        tokens.append(Token(word, start, lower, stem(word) if word[0].isalnum() else word))
    return tokens


def content_keys(tokens: list[Token]) -> list[str]:
    """The stems of the informative words, in order (stopwords, generic words and numbers dropped).

    Hyphenated words contribute each part: "foreign-backed" gives "foreign" and "back".
    """
    return [key for key, _ in keyed_words(tokens)]


def keyed_words(tokens: list[Token]) -> list[tuple[str, str]]:
    """(stem, lowercase word) of each informative word, in order; see `content_keys`."""
    pairs = []
    for token in tokens:
        if not token.is_word or token.is_stop or token.text[0].isdigit():
            continue
        for part in token.lower.split("-") if "-" in token.lower else (token.lower,):
            if len(part) < 2 or part in STOPWORDS or part in GENERIC:
                continue
            key = stem(part)
            if key in GENERIC or len(key) < 2:
                continue
            pairs.append((key, part))
    return pairs


@lru_cache(maxsize=65536)  # reprints repeat a content many times over in a comparison
def normalise_for_matching(text: str) -> str:
    """Text with quotation marks, dashes, case and spacing unified: what two copies of a quote share."""
    words = [t.lower for t in tokenize(text) if t.is_word]
    return " ".join(words)
