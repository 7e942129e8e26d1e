"""Scoring resolved speakers against hand-annotated referents (gold/speakers/GUIDELINES.md).

A referent file (TSV: doc, id, kind, referent) names, for each gold attribution, who made the
statement: a canonical name (`person`, `org`, several names for `multiple`), a description the
article never ties to a name (`unnamed`), or nobody (`none`).

- Speaker-name accuracy, on content-matched quotes: a named referent needs a predicted speaker whose
  name agrees with it (`names_agree`: the surname must match and any given name the prediction
  carries must be the referent's; surname-only and titled forms are fine; "Michelle Obama" for Barack
  Obama is wrong; middle names do not count); an unnamed or absent referent needs no predicted speaker.
- End-to-end with the name rule: a true positive is a content match whose speaker name is right.
- Cross-document identity: B-cubed precision and recall of stored speaker ids against referents.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotetrack.errors import InputError
from quotetrack.evaluation.scoring import SUBSETS, Accuracy, Match, Report, Scores
from quotetrack.extraction.resolve import name_head
from quotetrack.given_names import same_given_name

KINDS = ("person", "org", "multiple", "unnamed", "none")
NAMED_KINDS = ("person", "org", "multiple")
# Words before a name that are not part of it.
TITLES = frozenset(
    "mr mrs ms miss dr prof president presidentelect sen senator rep representative gov governor sec secretary "
    "gen general judge justice mayor former first lady vice candidate nominee chairman chairwoman chief "
    "lt col sgt rev pastor sir dame lord ambassador minister prime adm admiral rabbi father sister brother "
    "senators reps".split()
)
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that carry no weight when an organisation's name is shortened or abbreviated.
ORG_FILLER = frozenset({"the", "of", "for", "and", "on", "in", "at", "a", "an", "&"})


@dataclass(frozen=True)
class Referent:
    kind: str
    names: tuple[str, ...]  # one name (person, org), several (multiple), none otherwise
    description: str = ""  # for unnamed

    @property
    def named(self) -> bool:
        return self.kind in NAMED_KINDS


def load_referents(path: str | Path) -> dict[tuple[str, str], Referent]:
    """{(doc, attribution id): Referent} from a referent TSV; a malformed row is an InputError."""
    referents: dict[tuple[str, str], Referent] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = {"doc", "id", "kind", "referent"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(str(path), f"not a referent file: no column {', '.join(sorted(missing))}")
        for number, row in enumerate(reader, 2):
            kind, value = row["kind"], (row["referent"] or "").strip()
            if kind not in KINDS:
                raise InputError(str(path), f"line {number}: kind {kind!r} is not one of {', '.join(KINDS)}")
            if kind in NAMED_KINDS:
                names = tuple(n.strip() for n in value.split(";") if n.strip())
                if not names:
                    raise InputError(str(path), f"line {number}: a {kind} referent needs a name")
                referents[(row["doc"], row["id"])] = Referent(kind, names)
            else:
                referents[(row["doc"], row["id"])] = Referent(kind, (), value)
    return referents


def _words(name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"['’]s\b", "", plain)
    return re.sub(r"[^\w\s&/-]", "", plain).replace("-", " ").replace("/", " ").split()


def _without_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return words


def person_names_agree(predicted: str, gold: str) -> bool:
    """The prediction names the gold person: same surname, no given name or suffix that differs."""
    p, g = _without_titles(_words(predicted)), _without_titles(_words(gold))
    if not p or not g:
        return False
    p_suffix = p[-1] if p[-1] in SUFFIXES and len(p) > 1 else None
    g_suffix = g[-1] if g[-1] in SUFFIXES and len(g) > 1 else None
    p_core, g_core = (p[:-1] if p_suffix else p), (g[:-1] if g_suffix else g)
    if len(g_core) == 1:  # a mononym ("Flea", "Melanie")
        return p_core == g_core
    surname_words = g_core[1:]  # "Diaz Martinez": any word after the first given name
    if p_core[-1] not in surname_words:
        return False
    given = p_core[: p_core.index(p_core[-1])] if len(p_core) > 1 else []
    if not given:
        return True  # "Obama", "President Obama", "Mr. Trump"
    if p_suffix != g_suffix:
        return False  # "Donald Trump" is not "Donald Trump Jr."
    gold_given = g_core[: g_core.index(p_core[-1])]
    first = given[0]
    if len(first) == 1:  # "V. Putin"
        if not gold_given[0].startswith(first):
            return False
    elif not any(same_given_name(first, name) for name in gold_given):  # "Ben Rhodes" = "Benjamin Rhodes"
        return False
    # Middle names and initials the referent leaves out ("Donald J. Trump", "Hillary Rodham
    # Clinton") are no disagreement: the first given name decides.
    return True


def org_names_agree(predicted: str, gold: str) -> bool:
    """Same organisation: equal names, an abbreviation ("F.B.I.", "FBI"), or a short form that keeps
    the name's head ("the Post" for The Washington Post)."""
    p = [w for w in _words(predicted) if w not in ORG_FILLER]
    g = [w for w in _words(gold) if w not in ORG_FILLER]
    if not p or not g:
        return False
    if p == g or "".join(p) == "".join(g):  # "Real Clear Politics" is RealClearPolitics
        return True
    if len(p) == 1 and p[0] in _acronyms(gold) or len(g) == 1 and g[0] in _acronyms(predicted):
        return True
    return set(p) <= set(g) and _org_head(gold) in p or set(g) <= set(p) and _org_head(predicted) in g


def _acronyms(name: str) -> set[str]:
    """A name's initials without its connectors (FBI) and with them (DOJ, Department of Justice)."""
    words = _words(name)
    return {"".join(w[0] for w in words if w not in ORG_FILLER), "".join(w[0] for w in words if w not in ("the", "a", "an"))}


def _org_head(name: str) -> str:
    return name_head([w for w in _words(name) if w not in ("the", "a", "an")])


def names_agree(predicted: str, referent: Referent) -> bool:
    for name in referent.names:
        if referent.kind == "org":
            if org_names_agree(predicted, name):
                return True
        elif person_names_agree(predicted, name) or (referent.kind == "multiple" and org_names_agree(predicted, name)):
            return True
    return False


def speaker_correct(match: Match, referent: Referent) -> bool:
    speaker = match.prediction.speaker
    if referent.named:
        return speaker is not None and names_agree(speaker, referent)
    return speaker is None


def bcubed(pairs: Sequence[tuple[str, Any]]) -> tuple[float | None, float | None]:
    """B-cubed precision and recall of (gold label, predicted cluster) pairs; a cluster of None is a
    singleton (the item was given no identity)."""
    if not pairs:
        return None, None
    items = [(gold, cluster if cluster is not None else ("singleton", i)) for i, (gold, cluster) in enumerate(pairs)]
    by_cluster = Counter(cluster for _, cluster in items)
    by_gold = Counter(gold for gold, _ in items)
    both = Counter(items)
    precision = sum(both[item] / by_cluster[item[1]] for item in items) / len(items)
    recall = sum(both[item] / by_gold[item[0]] for item in items) / len(items)
    return precision, recall


@dataclass
class SpeakerReport:
    """Speaker scores over the matched quotes of an evaluation report."""

    names: dict[str, Accuracy]  # all matched quotes with a referent
    named: dict[str, Accuracy]  # matched quotes whose referent is named
    unnamed_given_a_name: Accuracy  # unnamed or absent referents that got a speaker (lower is better)
    end_to_end: dict[str, Scores]
    unannotated: int  # matched quotes whose gold attribution has no referent row
    identity: tuple[float | None, float | None] | None = None  # B-cubed (precision, recall)
    errors: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name_accuracy": {k: v.to_dict() for k, v in self.names.items()},
            "named_accuracy": {k: v.to_dict() for k, v in self.named.items()},
            "unnamed_given_a_name": self.unnamed_given_a_name.to_dict(),
            "end_to_end_names": {k: v.to_dict() for k, v in self.end_to_end.items()},
            "unannotated_matches": self.unannotated,
        }
        if self.identity is not None:
            data["identity_bcubed"] = {"precision": self.identity[0], "recall": self.identity[1]}
        return data


def score_speakers(
    report: Report,
    referents: Mapping[tuple[str, str], Referent],
    clusters: Mapping[str, Any] | None = None,
) -> SpeakerReport:
    """Speaker scores for `report`'s matches; `clusters` maps quote id -> stored speaker id."""
    counts: dict[str, Counter[str]] = {s: Counter() for s in SUBSETS}
    unannotated = 0
    identity_pairs: list[tuple[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for match in report.matches:
        referent = referents.get((match.gold.doc, match.gold.id))
        if referent is None:
            unannotated += 1
            continue
        right = speaker_correct(match, referent)
        for subset in ("all", match.category):
            tally = counts[subset]
            tally["n"] += 1
            tally["correct"] += right
            if referent.named:
                tally["named"] += 1
                tally["named_correct"] += right
            elif match.prediction.speaker is not None:
                tally["unnamed_given"] += 1
        if referent.kind in ("person", "org") and clusters is not None:
            identity_pairs.append((referent.names[0], clusters.get(match.prediction.id)))
        if not right:
            errors.append(
                {
                    "doc": match.gold.doc,
                    "gold_id": match.gold.id,
                    "kind": referent.kind,
                    "referent": "; ".join(referent.names) or referent.description,
                    "speaker": match.prediction.speaker,
                    "mention": match.prediction.speaker_mention,
                    "quote_id": match.prediction.id,
                    "source_correct": match.source_correct,
                }
            )
    unnamed_total = counts["all"]["n"] - counts["all"]["named"]
    return SpeakerReport(
        names={s: Accuracy(c["correct"], c["n"]) for s, c in counts.items()},
        named={s: Accuracy(c["named_correct"], c["named"]) for s, c in counts.items()},
        unnamed_given_a_name=Accuracy(counts["all"]["unnamed_given"], unnamed_total),
        end_to_end={s: Scores(counts[s]["correct"], report.content[s].predicted, report.content[s].gold) for s in SUBSETS},
        unannotated=unannotated,
        identity=bcubed(identity_pairs) if clusters is not None else None,
        errors=errors,
    )

