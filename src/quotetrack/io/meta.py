"""Outlet, date, dateline and byline found in an article's own text.

News text carries its provenance in a few conventional places: the dateline ("MOSCOW, January 5.
/TASS/."), a date line at the top ("Saturday, January 29, 2022", "date 2022-01-09"), a
republishing notice at the bottom ("This article is republished from – Voa News –"), an
interview formula ("answered Turan's questions") and bylines. `detect_meta` reads those;
`document_meta` combines them with what the input already said, the input winning.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from quotetrack import dates, lexicon
from quotetrack.records import Document, DocumentMeta, Quote

# Known outlets under the names articles use for them; anything else keeps its own spelling.
OUTLET_NAMES = lexicon.mapping("outlet_names")

# "MOSCOW, January 5. /TASS/."  "GENEVA, Jan 9 /TASS/"  "ASTANA, January 5 (Reuters) -"
DATELINE = re.compile(
    r"(?:^|\n|\s)(?P<place>[A-Z][A-Z.'\- ]{1,40}[A-Z]),\s+" + dates.MONTH + r"\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?\.?\s*"
    r"(?:/(?P<slash>[^/\n]{2,40})/|\((?P<paren>[A-Z][\w&. -]{1,30})\))",
)
REPUBLISHED = re.compile(
    r"\b(?:re-?published|reprinted|originally published|first published)\s+(?:from|by|in|on)\s+[-–—:\s]*"
    r"(?:the\s+)?(?P<outlet>[A-Z][\w&.'/]*(?:\s+[A-Z][\w&.'/]*){0,4})",
)
QUESTIONS = re.compile(r"\b(?:answered|answering|answers)\s+(?:the\s+)?(?P<outlet>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})(?:'s|’s)\s+questions")
INTERVIEW = re.compile(
    r"\b(?:told|in an interview (?:with|to)|speaking to|said to)\s+(?:the\s+)?(?P<outlet>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})"
)
BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})(?:\s*[,|]\s*(?P<outlet>[^\n]{2,60}))?\s*$", re.MULTILINE)
DESK = re.compile(r"^\s*(?P<outlet>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})\s+(?:News\s+)?Desk\s*$", re.MULTILINE)
SELF_DESCRIPTION = re.compile(
    r"^\s*(?P<outlet>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})\s+is\s+(?:the|a|an)\b[^\n.]{0,80}?\b(?:news|media)\s+"
    r"(?:website|site|outlet|agency|portal|platform)",
    re.MULTILINE,
)
# Lines at the top of an article where a date is the publication date rather than a date in the story.
HEADER_LINES = 3
# A date in a header line is the publication date when the line is short (a date line) or the date
# stands at its start or end ("date 2022-01-09 …", a caption ending "…, 17 iyun 2022-ci il"); a date
# in the middle of a long line belongs to the story ("passed away Friday, March 25, 2016, in …").
DATE_LINE = 80
DATE_EDGE = 20
# The dateline opens the story: it is looked for in the first lines only, never in the body.
DATELINE_LINES = 6


def normalize_outlet(name: str | None) -> str | None:
    """The usual short name of an outlet ("Voa News" -> "VOA"); unknown names keep their spelling."""
    if not name:
        return None
    cleaned = re.sub(r"\s+", " ", name.strip(" \t\n-–—:.,;\"'“”«»/")).strip()
    if not cleaned:
        return None
    return OUTLET_NAMES.get(cleaned.lower(), cleaned)


def detect_meta(text: str, today: date | None = None) -> DocumentMeta:
    """Read outlet, original outlet, publication date, dateline place and byline from the text.

    `today` bounds a year inferred from a weekday (default: the current date).
    """
    today = today or date.today()
    dateline = DATELINE.search(_top(text, DATELINE_LINES))
    outlet = republished_by = place = None
    if dateline:
        place = dateline.group("place").strip().title()
        outlet = normalize_outlet(dateline.group("slash") or dateline.group("paren"))

    republisher = _republisher(text)
    original = REPUBLISHED.search(text)
    if original:
        source = normalize_outlet(_trim_outlet(original.group("outlet")))
        if source:
            # The text we hold is the republisher's copy; the quotes come from the original.
            outlet = outlet or source
            republished_by = republisher if republisher != source else None
    if outlet is None:
        asked = QUESTIONS.search(text)
        if asked:
            outlet = normalize_outlet(asked.group("outlet"))
    if outlet is None:
        for match in INTERVIEW.finditer(text):
            named = normalize_outlet(match.group("outlet"))
            if named and named.lower() in {v.lower() for v in OUTLET_NAMES.values()}:
                outlet = named
                break

    byline = None
    by = BYLINE.search("\n".join(text.splitlines()[:12]))
    if by:
        byline = by.group("name")
        if outlet is None and by.group("outlet"):
            outlet = normalize_outlet(by.group("outlet"))
    elif republisher:
        desk = DESK.search(text)
        byline = desk.group(0).strip() if desk else None
    if outlet is None and republisher:
        outlet = republisher

    return DocumentMeta(
        outlet=outlet,
        republished_by=republished_by,
        published=_published(text, dateline, today),
        dateline_place=place,
        byline=byline,
    )


def document_meta(document: Document, today: date | None = None) -> DocumentMeta:
    """Detected metadata with the input's own outlet and date taking precedence."""
    found = detect_meta(document.text, today)
    outlet = document.outlet or found.outlet
    return replace(
        found,
        outlet=outlet,
        published=document.published or found.published,
        republished_by=found.republished_by if found.republished_by != outlet else None,
    )


def apply_meta(document: Document, quotes: list[Quote], today: date | None = None) -> tuple[Document, DocumentMeta]:
    """Fill the document's and its quotes' outlet and date from the text where the input gave none,
    and its title from a headline on top."""
    meta = document_meta(document, today)
    document = replace(
        document, outlet=meta.outlet, published=meta.published, meta=meta, title=document.title or headline(document.text)
    )
    for quote in quotes:
        quote.outlet = quote.outlet or meta.outlet
        quote.published = quote.published or meta.published
    return document, meta


HEADLINE_WORDS = (3, 30)
FURNITURE_LINE = re.compile(r"\s*(?:" + "|".join(re.escape(p) for p in lexicon.sequence("furniture_prefixes")) + r")(?!\w)", re.I)


def headline(text: str) -> str | None:
    """The article's headline: the first of its top lines that reads as one: one sentence of a few
    words, not a date line, a dateline, a byline, page furniture or template residue."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][:HEADER_LINES]:
        words = line.split()
        if not HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] or len(line) > 250:
            continue
        if re.search(r"[a-z]{2}[.!?][\"”’]?\s+[\"“‘]?[A-Z]", line) or "{{" in line or "<" in line:
            continue  # several sentences (a lede, a caption), or markup
        if _publication_date(line) or DATELINE.search(line) or BYLINE.match(line) or FURNITURE_LINE.match(line):
            continue
        return line
    return None


def _republisher(text: str) -> str | None:
    match = SELF_DESCRIPTION.search(text) or DESK.search(text)
    return normalize_outlet(match.group("outlet")) if match else None


def _trim_outlet(name: str) -> str:
    # "Voa News – Read the" stops at the dash; "the original article" words are not part of a name.
    return re.split(r"\s+(?:Read|See|View|Original|Link)\b", name)[0]


def _published(text: str, dateline: re.Match | None, today: date) -> str | None:
    """The publication date: from a date line at the top, else the dateline with its year, or the
    year its weekday gives ("told TASS on Wednesday"). Dates in the story never date the article."""
    for line in _header(text, dateline).splitlines():
        on_top = _publication_date(line)
        if on_top:
            return on_top
    if dateline is None:
        return None
    month = dates.month_number(dateline.group("month"))
    day = int(dateline.group("day"))
    if dateline.group("year"):
        found = dates.safe_date(int(dateline.group("year")), month, day)
        return found.isoformat() if found else None
    weekday = _weekday_near(text, dateline.end())
    if weekday is not None:
        # "MOSCOW, January 5 ... told TASS on Wednesday": the latest year, not in the future, when
        # January 5 fell on a Wednesday.
        for year in range(today.year, today.year - 30, -1):
            found = dates.safe_date(year, month, day)
            if found and found <= today and found.weekday() == weekday:
                return found.isoformat()
    return None


def _header(text: str, dateline: re.Match | None) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_LINES]
    header = "\n".join(lines)
    if dateline is not None:
        # A date line printed just before the dateline belongs to the header too.
        header = header[: max(0, header.find(dateline.group("place")))] if dateline.group("place") in header else header
    return header


def _weekday_near(text: str, position: int) -> int | None:
    paragraph_end = text.find("\n", position)
    window = text[position : paragraph_end if paragraph_end != -1 else len(text)]
    match = re.search(r"\bon\s+(" + "|".join(dates.WEEKDAYS) + r")\b", window, re.IGNORECASE)
    return dates.weekday_number(match.group(1)) if match else None


def _publication_date(line: str) -> str | None:
    """The date a header line gives as the publication date (see DATE_LINE), or None."""
    stripped = line.strip()
    for pattern in dates.TEXT_DATES:
        for match in pattern.finditer(stripped):
            at_edge = match.start() <= DATE_EDGE or len(stripped) - match.end() <= DATE_EDGE
            if len(stripped) <= DATE_LINE or at_edge:
                found = dates.date_from_match(match)
                if found:
                    return found.isoformat()
    return None


def _top(text: str, lines: int) -> str:
    """The text up to the end of its first `lines` non-empty lines (offsets are the text's)."""
    seen = 0
    for match in re.finditer(r"[^\n]*\S[^\n]*", text):
        seen += 1
        if seen == lines:
            return text[: match.end()]
    return text
