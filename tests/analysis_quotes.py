"""Building Quote records by hand from the real seed articles, for the analysis tests.

Offsets are found with str.find on the fixture text at test time: these are inputs (what an
extractor would hand over), not expected answers.
"""

from __future__ import annotations

from pathlib import Path

from quotetrack.records import Quote

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
META = {
    "000": ("TASS", "2022-01-05"),
    "001": ("TASS", "2022-01-09"),
    "002": ("VOA", "2022-01-29"),
    "003": ("TASS", "2022-01-09"),
}

TOKAYEV = "Kassym-Jomart Tokayev"
MURTAZASHVILI = "Jennifer Murtazashvili"
RYABKOV = "Sergey Ryabkov"
HERBST = "John Herbst"
ALIASES = {TOKAYEV: ["Tokayev"], MURTAZASHVILI: ["Murtazashvili"], RYABKOV: ["Ryabkov"], HERBST: ["Herbst"]}


def fixture_text(prefix: str) -> str:
    (path,) = FIXTURES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def texts() -> dict[str, str]:
    return {prefix: fixture_text(prefix) for prefix in META}


def make_quote(doc: str, content: str, speaker: str | None, cue: str, *, type: str = "indirect", after: str | None = None) -> Quote:
    """A quote of `content` in fixture `doc`; the cue is its nearest occurrence before the content
    (or after it), searching from `after` when given."""
    text = fixture_text(doc)
    base = text.find(after) if after else 0
    assert base >= 0, after
    start = text.find(content, base)
    assert start >= 0, f"{content!r} not in fixture {doc}"
    cue_at = text.rfind(cue, base, start)
    if cue_at < 0:
        cue_at = text.find(cue, start + len(content))
    assert cue_at >= 0, f"cue {cue!r} not in fixture {doc}"
    outlet, published = META[doc]
    return Quote(
        doc=doc,
        type=type,
        content_spans=[(start, start + len(content))],
        content=content,
        speaker=speaker,
        cue=cue,
        cue_span=(cue_at, cue_at + len(cue)),
        outlet=outlet,
        published=published,
    )


def tokayev_terrorists() -> Quote:
    return make_quote(
        "002",
        "“foreign-backed terrorists” are behind the deaths of more than 160 people and that physical damage could be $2-$3 billion",
        TOKAYEV, "says", type="mixed",
    )


def murtazashvili_not_accept() -> Quote:
    return make_quote("002", "Tokayev’s statements about “terrorists” being at the core of the protest", MURTAZASHVILI, "do not accept")


def murtazashvili_extremists() -> Quote:
    return make_quote(
        "002",
        "Kazakhstan is a police state with a powerful security apparatus, so it is unbelievable that “20,000 extremists” could have carried out such an operation",
        MURTAZASHVILI, "says", type="mixed",
    )


def ryabkov_external_actors() -> Quote:
    return make_quote(
        "001",
        "The events [in Kazakhstan] have demonstrated that there is a whole number of external actors that use an array of far-reaching means for creating a base and forming instruments with the purpose of destabilizing the situation in sovereign states",
        RYABKOV, "said", type="direct",
    )


def murtazashvili_differs() -> Quote:
    return make_quote("002", "Herbst’s assessment of Russia-China competition in the region", MURTAZASHVILI, "differs from")


def murtazashvili_reforms() -> Quote:
    return make_quote("002", "Tokayev promised local governance reforms but never fulfilled them", MURTAZASHVILI, "argues")
