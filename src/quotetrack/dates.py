"""Reading dates: ISO dates given as input or stored, and the written dates of news text.

ISO strings (`YYYY-MM-DD`, possibly the start of a date-time):
- `iso_day` reads the date an input record gives ("2024-03-05T10:00Z" -> "2024-03-05"), or None;
- `check_published` accepts a --published value or raises;
- `day_of` reads the first ten characters of a stored string as a date, or None;
- `parse_day` reads a command-line date option (--since, --until) or raises.

News text ("Saturday, January 29, 2022", "5 January 2022", "2022-01-09"): the patterns
`ISO_DATE`, `MONTH_DAY_YEAR` and `DAY_MONTH_YEAR` find them and `date_from_match` reads a match;
month and weekday names come from `data/lexicon/month_names.tsv` and `weekdays.tsv`.
"""

from __future__ import annotations

import re
from datetime import date

from quotetrack import lexicon
from quotetrack.errors import QuotetrackError

MONTHS = {name: int(number) for name, number in lexicon.mapping("month_names").items()}
WEEKDAYS = lexicon.sequence("weekdays")  # in the order of date.weekday()

# --- ISO strings ---------------------------------------------------------------------------------

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")  # the shape alone
ISO_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\S*)?\Z")  # a date or a date-time


def iso_day(value: str) -> str | None:
    """The YYYY-MM-DD date at the start of an ISO date or date-time, or None."""
    match = ISO_PREFIX.match(value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def check_published(value: str) -> str:
    """Return value when it is an ISO date (YYYY-MM-DD); raise QuotetrackError otherwise."""
    value = value.strip()
    if not ISO_DAY.match(value) or iso_day(value) is None:
        raise QuotetrackError(f"published {value!r}: not a valid ISO date (expected YYYY-MM-DD, e.g. 2024-03-05)")
    return value


def day_of(value: str | None) -> date | None:
    """The date that a stored ISO string starts with, or None when it has none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_day(value: str | None, option: str) -> date | None:
    """A command-line date (YYYY-MM-DD) for `option`; an error naming the option when it is not one."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QuotetrackError(f"{option} {value!r}: not a date (use YYYY-MM-DD)") from None


# --- dates written in news text ------------------------------------------------------------------

MONTH = r"(?P<month>(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"))\.?"
WEEKDAY = r"(?:(?P<weekday>(?i:" + "|".join(WEEKDAYS) + r")),?\s+)?"

ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
MONTH_DAY_YEAR = re.compile(WEEKDAY + MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)\b")
DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})\s+" + MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b")
TEXT_DATES = (ISO_DATE, MONTH_DAY_YEAR, DAY_MONTH_YEAR)  # the order they are tried in


def month_number(name: str) -> int:
    """1-12 for a month name or abbreviation ("Jan.", "September", "avqust"); KeyError otherwise."""
    return MONTHS[name.lower().rstrip(".")]


def weekday_number(name: str) -> int:
    """0 (Monday) to 6 for a weekday name; ValueError otherwise."""
    return WEEKDAYS.index(name.lower())


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_from_match(match: re.Match) -> date | None:
    """The date a match of one of `TEXT_DATES` stands for; None for an impossible date or one that
    falls on another weekday than the text says."""
    month = match.group("month")
    month_value = int(month) if month.isdigit() else month_number(month)
    found = safe_date(int(match.group("year")), month_value, int(match.group("day")))
    if found is None:
        return None
    weekday = match.groupdict().get("weekday")
    if weekday and weekday_number(weekday) != found.weekday():
        return None
    return found
