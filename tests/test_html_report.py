"""The HTML pages: self-contained, article text escaped, and shown by headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis_quotes import (
    MURTAZASHVILI,
    RYABKOV,
    TOKAYEV,
    murtazashvili_extremists,
    murtazashvili_not_accept,
    ryabkov_external_actors,
    texts,
    tokayev_terrorists,
)
from quotetrack.analysis.compare import build_comparison
from quotetrack.analysis.report import build_report
from quotetrack.records import Quote
from quotetrack.render.html import comparison_html, report_html

HOSTILE = '<script>alert("x")</script> & [bold]loud[/bold]'


ARTICLE_URL = "https://www.voanews.com/a/kazakhstan-unrest/6417401.html"
LONG_WORD = "Kazakhstan" * 30  # an unbreakable run of text must not widen the page


def comparison():
    quotes = [tokayev_terrorists(), murtazashvili_extremists(), murtazashvili_not_accept(), ryabkov_external_actors()]
    hostile = Quote(doc="own", type="direct", content_spans=[(0, len(HOSTILE))], content=HOSTILE, speaker=RYABKOV,
                    outlet="<b>Wire</b>", published="2022-01-10")
    long = Quote(doc="own", type="direct", content_spans=[(100, 100 + len(LONG_WORD))], content=LONG_WORD, speaker=RYABKOV,
                 outlet="Wire", published="2022-01-11")
    return build_comparison([*quotes, hostile, long], [TOKAYEV, MURTAZASHVILI, RYABKOV], texts=texts(), urls={"002": ARTICLE_URL})


def test_html_is_self_contained_and_escaped():
    page = comparison_html(comparison())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page  # the hostile quote is text, not a script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; [bold]loud[/bold]" in page
    assert "&lt;b&gt;Wire&lt;/b&gt;" in page
    assert not re.search(r"""src=["']?(https?:)?//""", page)  # no external assets (links to articles are not assets)
    assert "<link" not in page and "@import" not in page
    assert "<svg" in page and "<style>" in page
    for name in (TOKAYEV, MURTAZASHVILI, RYABKOV):
        assert name in page
    report = report_html(build_report(comparison_quotes := [tokayev_terrorists(), ryabkov_external_actors()], texts=texts()))
    assert "<svg" in report and TOKAYEV in report and len(comparison_quotes) == 2


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    return path


def run_chromium(binary: str, profile, *args: str) -> subprocess.CompletedProcess:
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_html_comparison_opens_in_headless_chromium(tmp_path):
    binary = chromium()
    page = tmp_path / "compare.html"
    html = comparison_html(comparison())
    # The page reports its own width once laid out, so --dump-dom shows whether anything overflows.
    probe = "<script>document.body.dataset.scrollWidth = document.documentElement.scrollWidth</script>"
    page.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = run_chromium(binary, tmp_path / "profile", "--window-size=1280,1400", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    heading = re.search(r"<h1>(.*?)</h1>", dom.stdout)
    assert heading and all(name in heading.group(1) for name in (TOKAYEV, MURTAZASHVILI, RYABKOV))
    assert "Shared propositions" in dom.stdout and "disputed" in dom.stdout
    assert 'class="stance opposes"' in dom.stdout and 'class="stance supports"' in dom.stdout
    assert "“unbelievable”" in dom.stdout  # the words that decided the stance
    assert f'href="{ARTICLE_URL}"' in dom.stdout  # a claim links to its article
    assert "own @ 0–47" in dom.stdout  # … or says where it is when there is no URL
    assert 'class="link disputes"' in dom.stdout
    assert "<rect" in dom.stdout  # the timeline chart rendered into the DOM
    width = re.search(r'data-scroll-width="(\d+)"', dom.stdout)
    assert width and int(width.group(1)) <= 1280, width
    shot = tmp_path / "compare.png"
    result = run_chromium(binary, tmp_path / "profile2", "--window-size=1280,1400", f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
