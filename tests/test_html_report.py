"""The HTML pages: self-contained, article text escaped, and shown by headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis_quotes import (
    ALIASES,
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
from quotetrack.render.html import comparison_html, report_html
from quotetrack.analysis.report import build_report
from quotetrack.records import Quote

HOSTILE = '<script>alert("x")</script> & [bold]loud[/bold]'


def comparison():
    quotes = [tokayev_terrorists(), murtazashvili_extremists(), murtazashvili_not_accept(), ryabkov_external_actors()]
    hostile = Quote(doc="own", type="direct", content_spans=[(0, len(HOSTILE))], content=HOSTILE, speaker=RYABKOV,
                    outlet="<b>Wire</b>", published="2022-01-10")
    return build_comparison([*quotes, hostile], [TOKAYEV, MURTAZASHVILI, RYABKOV], texts=texts(), aliases=ALIASES)


def test_html_is_self_contained_and_escaped():
    page = comparison_html(comparison())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page  # the hostile quote is text, not a script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; [bold]loud[/bold]" in page
    assert "&lt;b&gt;Wire&lt;/b&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no external assets
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
    page.write_text(comparison_html(comparison()), encoding="utf-8")
    dom = run_chromium(binary, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    heading = re.search(r"<h1>(.*?)</h1>", dom.stdout)
    assert heading and all(name in heading.group(1) for name in (TOKAYEV, MURTAZASHVILI, RYABKOV))
    assert "Shared topics" in dom.stdout and "disagreement" in dom.stdout
    assert "<rect" in dom.stdout  # the timeline chart rendered into the DOM
    shot = tmp_path / "compare.png"
    result = run_chromium(binary, tmp_path / "profile2", "--window-size=1280,1400", f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
