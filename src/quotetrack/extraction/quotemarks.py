"""Finding quoted passages: every quotation style, quotes running across paragraphs, unbalanced marks.

Works on the raw text (no parse), so offsets are exact. Apostrophes, plural possessives (voters’),
inch marks and stray marks are told apart from quotation marks by their neighbours.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Opening mark -> the closing marks that may end it.
DOUBLE_PAIRS = {
    "“": "”\"‟",
    "„": "“”\"",
    "«": "»",
    "»": "«",  # Danish/Swedish reversed guillemets; only tried after «…» pairing fails
    "‹": "›",
    "\"": "\"”“",
    "''": "''\"”",
    "``": "''\"”",
}
SINGLE_PAIRS = {"‘": "’'", "'": "'’", "‚": "‘’"}

PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[-–—•]\s)|\n(?=[^\n]{0,200}\n)")
MARK = re.compile(r"``|''|[\"“”„‟«»‹›‘’‚']")


@dataclass(frozen=True)
class QuotedPiece:
    """One paragraph's part of a quotation: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool  # False when the closing mark is missing and the quote was ended at the paragraph end


@dataclass(frozen=True)
class Quotation:
    """A quotation: one piece, or several when it runs across paragraphs."""

    pieces: tuple[QuotedPiece, ...]

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end

    @property
    def inner_start(self) -> int:
        return self.pieces[0].inner_start

    @property
    def inner_end(self) -> int:
        return self.pieces[-1].inner_end

    @property
    def closed(self) -> bool:
        return self.pieces[-1].closed


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: text between line breaks, stripped of surrounding white space."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        line = match.group()
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        if end - trail > start + lead:
            spans.append((start + lead, end - trail))
    return spans


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _opens(text: str, i: int, width: int, lo: int) -> bool:
    """A mark at i can open a quote: start of paragraph or after space/bracket/dash, and followed by text."""
    before = text[i - 1] if i > lo else " "
    after = text[i + width] if i + width < len(text) else " "
    if after.isspace() and before not in "([{—–-:":
        return False
    return not _is_word(before) and before not in ".,;!?%" or before in "([{—–-:"


def _closes(text: str, i: int, width: int, hi: int) -> bool:
    """A mark at i can close a quote: followed by space, punctuation or the paragraph end."""
    after = text[i + width] if i + width < hi else " "
    return not _is_word(after)


def _scan_paragraph(text: str, lo: int, hi: int) -> list[QuotedPiece]:
    marks = [(m.start(), m.group()) for m in MARK.finditer(text, lo, hi)]
    closers_after: dict[str, list[int]] = {}  # per opener: how many of its closers follow each mark
    can_open = SingleOpeners(text, lo, hi)
    pieces: list[QuotedPiece] = []
    open_at: int | None = None
    open_mark = ""
    nested = 0  # curly quotes opened inside a straight-quoted passage
    for k, (pos, mark) in enumerate(marks):
        width = len(mark)
        single = mark in "‘’'‚"
        if open_at is not None and pos < open_at + len(open_mark):
            continue
        if open_at is None:
            if mark in "”»›" and mark != "»":
                continue  # a stray closer
            if single and mark == "’":
                continue  # apostrophe or closing single without opener
            if not _opens(text, pos, width, lo):
                continue
            if single and not can_open(pos):
                continue
            open_at, open_mark = pos, mark
            continue
        if open_mark == "\"" and mark == "“" and _opens(text, pos, width, lo):
            nested += 1
            continue
        if nested and mark in "”»":
            nested -= 1
            continue
        closers = (SINGLE_PAIRS if open_mark in SINGLE_PAIRS else DOUBLE_PAIRS).get(open_mark, "")
        if single and open_mark not in SINGLE_PAIRS:
            continue  # single marks inside a double quote are nested quotes or apostrophes
        if mark in closers or (mark == "''" and "''" in closers):
            if single and (pos + width < hi and _is_word(text[pos + width]) or not _closes(text, pos, width, hi)):
                continue  # don’t, Trump’s
            if not single and not _closes(text, pos, width, hi) and mark in "\"":
                # `"word"word`: treat as close anyway when the quote is long enough to be real
                if pos - open_at < 2:
                    continue
            pieces.append(QuotedPiece(open_at, pos + width, open_at + len(open_mark), pos, True))
            open_at, nested = None, 0
            continue
        if mark == open_mark and mark in "“„«" and not single:
            if mark not in closers_after:  # counted once per paragraph, not once per mark
                counts = [0] * (len(marks) + 1)
                for index in range(len(marks) - 1, -1, -1):
                    counts[index] = counts[index + 1] + (marks[index][1] in DOUBLE_PAIRS[mark])
                closers_after[mark] = counts
            closers_left = closers_after[mark][k + 1]
            if closers_left >= 2:
                nested += 1  # “… what he calls “hell” than …”: a quote inside the quote
                continue
            # A second opener with at most one closer to come: the first quote lost its closing mark.
            pieces.append(_unclosed(text, open_at, len(open_mark), pos))
            open_at, open_mark = pos, mark
    if open_at is not None:
        pieces.append(_unclosed(text, open_at, len(open_mark), hi))
    return [p for p in pieces if p.inner_end > p.inner_start and text[p.inner_start:p.inner_end].strip()]


class SingleOpeners:
    """`_single_can_open` for every mark of a paragraph, from one pass over its closers instead of a
    scan to the paragraph's end per mark."""

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        self.strong: list[int] | None = None
        self.weak: list[int] = []

    def __call__(self, pos: int) -> bool:
        if self.strong is None:
            self.strong = []
            text, hi = self.text, self.hi
            for match in re.finditer(r"[’']", text[self.lo : hi]):
                j = self.lo + match.start()
                if j == self.lo:
                    continue  # never after a mark: j > pos >= lo
                after = text[j + 1] if j + 1 < hi else " "
                before = text[j - 1]
                if not _is_word(after) and not before.isspace():
                    possessive = before == "s" and after == " " and j + 2 < hi and text[j + 2].islower()
                    (self.weak if possessive else self.strong).append(j)
        # a closer after pos; a plural possessive (voters’ …) only within 40 characters of it
        if bisect_right(self.strong, pos) < len(self.strong):
            return True
        index = bisect_right(self.weak, pos)
        return index < len(self.weak) and self.weak[index] - pos <= 40


def _single_can_open(text: str, pos: int, hi: int) -> bool:
    """A single mark opens only where a matching closer follows in the same paragraph."""
    for match in re.finditer(r"[’']", text[pos + 1 : hi]):
        j = pos + 1 + match.start()
        after = text[j + 1] if j + 1 < hi else " "
        before = text[j - 1]
        if not _is_word(after) and not before.isspace():
            # voters’ — a plural possessive: the mark follows an s and precedes a noun
            if before == "s" and after == " " and j + 2 < hi and text[j + 2].islower() and j - pos > 40:
                continue
            return True
    return False


def _unclosed(text: str, open_at: int, width: int, end: int) -> QuotedPiece:
    stop = end
    while stop > open_at + width and text[stop - 1].isspace():
        stop -= 1
    return QuotedPiece(open_at, stop, open_at + width, stop, False)


def find_quotations(text: str) -> list[Quotation]:
    """All quotations of the text in order. A quote left open at a paragraph's end continues into
    the next paragraph when that paragraph starts with an opening mark (the news convention)."""
    result: list[Quotation] = []
    carry: list[QuotedPiece] = []
    for lo, hi in paragraphs(text):
        pieces = _scan_paragraph(text, lo, hi)
        if carry:
            if pieces and pieces[0].start == lo:
                carry.append(pieces.pop(0))
                if carry[-1].closed:
                    result.append(Quotation(tuple(carry)))
                    carry = []
            else:
                result.append(Quotation(tuple(carry)))
                carry = []
        for index, piece in enumerate(pieces):
            if not piece.closed and index == len(pieces) - 1 and piece.start == lo:
                carry = [piece]
            else:
                result.append(Quotation((piece,)))
    if carry:
        result.append(Quotation(tuple(carry)))
    return result
