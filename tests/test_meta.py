"""Outlet, date, dateline and byline detection from article text."""

from __future__ import annotations

from datetime import date

import pytest

from quotetrack.io.meta import apply_meta, detect_meta, document_meta, normalize_outlet
from quotetrack.records import Document, Quote
from store_support import seed_text

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    "prefix, outlet, published, place, republished_by",
    [
        # "MOSCOW, January 5. /TASS/." with no year anywhere: "told TASS on Wednesday" fixes it.
        ("000", "TASS", "2022-01-05", "Moscow", None),
        ("001", "TASS", "2022-01-09", "Geneva", None),
        # "Saturday, January 29, 2022" on top; "republished from – Voa News –" at the bottom.
        ("002", "VOA", "2022-01-29", None, "Nation World News"),
        ("003", "TASS", "2022-01-09", "Geneva", None),
        # "answered Turan's questions"; the caption date "17 iyun 2022" heads the article.
        ("004", "Turan", "2022-06-17", None, None),
    ],
)
def test_seed_articles(prefix, outlet, published, place, republished_by):
    meta = detect_meta(seed_text(prefix), TODAY)
    assert (meta.outlet, meta.published, meta.dateline_place, meta.republished_by) == (
        outlet, published, place, republished_by,
    )


def test_weekday_picks_the_latest_past_year():
    text = "OSLO, March 3. /TASS/. Officials said on Friday that talks would go on."
    # March 3 fell on a Friday in 2023 (and in 2017); the latest year not after today wins.
    assert detect_meta(text, TODAY).published == "2023-03-03"
    assert detect_meta(text, date(2022, 12, 31)).published == "2017-03-03"


def test_a_date_in_the_story_does_not_date_the_article():
    # The dateline has no year and no weekday: a date the story mentions is not its year.
    text = "KYIV, May 4 (Reuters) - The minister spoke. The plan was approved on May 2, 2021 by parliament."
    meta = detect_meta(text, TODAY)
    assert (meta.outlet, meta.published, meta.dateline_place) == ("Reuters", None, "Kyiv")


ARTICLE = """Senate panel backs new sanctions bill

By Jane Doe

WASHINGTON, March 2 (Reuters) - A Senate panel on Thursday approved a bill that would widen
sanctions, its chairman said.

The measure revives parts of an agreement signed on March 2, 2015, which lapsed last year.

"We have waited long enough," Senator Ann Lee said at a hearing on January 12, 2016.
"""


def test_written_article_takes_no_date_from_its_body():
    # Once the body's "March 2, 2015" gave this article 2015-03-02; the year comes from the
    # dateline's weekday now ("on Thursday": the latest March 2 that was a Thursday).
    meta = detect_meta(ARTICLE, TODAY)
    assert (meta.outlet, meta.dateline_place, meta.byline) == ("Reuters", "Washington", "Jane Doe")
    assert meta.published == "2023-03-02"
    # Without the weekday the article stays undated rather than take a date from its story.
    assert detect_meta(ARTICLE.replace(" on Thursday", ""), TODAY).published is None
    # A publication line on top dates it.
    assert detect_meta("Friday, March 3, 2017\n\n" + ARTICLE, TODAY).published == "2017-03-03"


def test_a_date_inside_a_long_lede_is_not_a_publication_date():
    text = (
        "Paid Notice: Deaths SIEGEL, JEROME ARTHUR.\n\n"
        "SIEGEL--Jerome Arthur, 98, of Mamaroneck, New York, passed away Friday, March 25, 2016, in La Romana, "
        "Dominican Republic, surrounded by his family, after a long and full life of work and travel.\n"
    )
    assert detect_meta(text, TODAY).published is None


def test_a_dateline_deep_in_the_body_is_not_the_articles():
    body = "\n\n".join(f"Paragraph {n} of the story says little." for n in range(8))
    text = "Local news\n\n" + body + "\n\nMOSCOW, January 5, 2015. /TASS/. An old wire story quoted at length."
    meta = detect_meta(text, TODAY)
    assert (meta.outlet, meta.published, meta.dateline_place) == (None, None, None)


def test_dateline_without_year_or_weekday_has_no_date():
    meta = detect_meta("ALMATY, January 7. /TASS/. Order was restored.", TODAY)
    assert meta.outlet == "TASS" and meta.published is None and meta.dateline_place == "Almaty"


def test_photo_credit_is_not_a_dateline():
    text = "A bus burned in Almaty, Kazakhstan, January 9, 2022.  (Vladimir Tretyakov/NUR.KZ Via AP)\nMore text."
    meta = detect_meta(text, TODAY)
    assert meta.dateline_place is None and meta.outlet is None


def test_byline_and_iso_date_line():
    text = "date 2023-04-02\nBy Jane Doe\nThe city budget passed, the mayor said."
    meta = detect_meta(text, TODAY)
    assert (meta.byline, meta.published, meta.outlet) == ("Jane Doe", "2023-04-02", None)


def test_weekday_that_contradicts_the_date_is_not_taken():
    # January 29, 2022 was a Saturday, not a Monday.
    assert detect_meta("Monday, January 29, 2022\nText.", TODAY).published is None


def test_outlet_names_are_normalized():
    assert normalize_outlet("Voa News") == "VOA"
    assert normalize_outlet(" – Voice of America – ") == "VOA"
    assert normalize_outlet("Daily Planet") == "Daily Planet"
    assert normalize_outlet("  ") is None


def test_input_fields_win_over_detection():
    document = Document(id="x", text=seed_text("002"), outlet="Nation World News", published="2022-02-01")
    meta = document_meta(document, TODAY)
    assert meta.outlet == "Nation World News" and meta.published == "2022-02-01"
    # The republisher is the given outlet now, so it is not reported as republisher too.
    assert meta.republished_by is None


def test_apply_meta_fills_document_and_quotes():
    text = seed_text("001")
    quote = Quote(doc="001", type="indirect", content_spans=[(0, 5)], content=text[:5])
    document, meta = apply_meta(Document(id="001", text=text), [quote], TODAY)
    assert (document.outlet, document.published) == ("TASS", "2022-01-09")
    assert (quote.outlet, quote.published) == ("TASS", "2022-01-09")
    assert meta.dateline_place == "Geneva"
