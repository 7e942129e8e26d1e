"""Article text and metadata from an HTML page, with trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotetrack.dates import ISO_DAY

# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    """What trafilatura found in a page; text is None when it found no article."""

    text: str | None
    title: str | None = None
    sitename: str | None = None
    date: str | None = None
    url: str | None = None


def looks_like_html(text: str) -> bool:
    """True when text starts like an HTML document (a doctype or an <html> tag)."""
    return bool(HTML_START.match(text[:4096]))


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its start, if any."""
    match = META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def extract_page(html: str) -> Page:
    """Main text, title, site name, date and canonical URL of an HTML page.

    Precision is favoured (navigation, related links and reader comments stay out), fallback
    extractors are off (they cost time and mostly add boilerplate), and the date comes only from
    the page's markup: htmldate's extensive search would take "© 2024" in a footer for a date.
    """
    import trafilatura  # it logs through a NullHandler: nothing reaches stderr

    result = trafilatura.bare_extraction(
        html,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None or isinstance(result, dict):
        return Page(text=None)
    text = result.text if isinstance(result.text, str) and result.text.strip() else None
    date = result.date if isinstance(result.date, str) and ISO_DAY.match(result.date) else None
    return Page(
        text=text,
        title=clean(result.title),
        sitename=clean(result.sitename),
        date=date,
        url=clean(result.url),
    )


def clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
