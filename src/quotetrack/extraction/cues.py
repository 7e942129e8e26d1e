"""The lexicon of attribution cues, by lemma.

Speech verbs (SPEECH) are cues wherever they take a clause. Other verbs — beliefs and intentions
("think", "want"), stances ("criticized X", "called for X") — are cues with a given complement when
PolNeAR train shows that pairing to be an attribution often enough: `data/cues.tsv`, counted by
`scripts/learn_cues.py`, read through `takes()`. Their subject must be a person, a group or a
body (the extractor checks), since "the events have shown that …" reports nobody's view.
The word lists are data files, `data/lexicon/*.tsv` (speech_verbs, belief_verbs, person_nouns, …).
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from importlib import resources

from quotetrack import lexicon

SPEECH = lexicon.words("speech_verbs")
BELIEF = lexicon.words("belief_verbs")
# Verbs whose content is a to-infinitive (xcomp): "Trump wants to build", "she vowed to fight".
XCOMP_CUES = lexicon.words("infinitive_cues")
PERSON_NOUNS = lexicon.words("person_nouns")  # one person, named by role: "the expert", "the diplomat"
GROUP_NOUNS = lexicon.words("group_nouns")  # groups, bodies and documents that speak: "officials warned", "the poll shows"
SPEAKER_NOUNS = PERSON_NOUNS | GROUP_NOUNS
# Verbs whose object is usually an act they perform, not a view they hold; their object is an
# attribution only when it is something said ("dismissed the claims", "declared his support").
PERFORMATIVE = lexicon.words("performative_verbs")
ASKING = lexicon.words("asking_verbs")  # "Asked about …, X said": X is who was asked
RAISING = lexicon.words("raising_verbs")  # "X seems to …": the view is the writer's, not X's
DIRECTIVE = lexicon.words("directive_verbs")  # "urged him to say …": he has said nothing
SAYING_NOUNS = lexicon.words("saying_nouns")


# How sure the training counts must be that a (lemma, complement) is an attribution.
CLAUSE_BOUND = 0.2
INFINITIVE_BOUND = 0.2
OBJECT_BOUND = 0.2


@lru_cache(maxsize=1)
def learned() -> dict[tuple[str, str], tuple[float, int]]:
    """(lemma, complement) -> (lower bound of precision, cue uses) as learned from PolNeAR train.

    The precision is the Wilson lower bound (95%) of cue uses over times seen, so that a verb seen
    as a cue 9 times in 18 counts for less than one seen 42 times in 60. Empty if the file is absent.

    Complements: "clause" (said that …), "infinitive" (vowed to …), "object" (criticized X),
    "prep:<word>" (called for X, accused X of Y).
    """
    table: dict[tuple[str, str], tuple[float, int]] = {}
    try:
        source = resources.files("quotetrack").joinpath("data/cues.tsv")
        with source.open(encoding="utf-8") as handle:
            rows = csv.reader(handle, delimiter="\t")
            next(rows, None)
            for row in rows:
                if len(row) >= 5:
                    table[(row[0], row[1])] = (wilson_lower(int(row[3]), int(row[4])), int(row[3]))
    except (FileNotFoundError, OSError):
        pass
    return table


def wilson_lower(hits: int, total: int, z: float = 1.96) -> float:
    if total == 0:
        return 0.0
    p = hits / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return (centre - margin) / (1 + z * z / total)


def precision(lemma: str, complement: str) -> float:
    return learned().get((lemma.lower(), complement), (0.0, 0))[0]


def takes(lemma: str, complement: str) -> bool:
    """Whether a verb with this complement reports what its subject says, thinks or wants."""
    lemma = lemma.lower()
    score, uses = learned().get((lemma, complement), (0.0, 0))
    if complement == "clause":
        return lemma in SPEECH or score >= CLAUSE_BOUND
    if complement == "infinitive":
        return score >= INFINITIVE_BOUND or lemma in XCOMP_CUES and lemma in SPEECH and not learned()
    return score >= OBJECT_BOUND


def is_cue_lemma(lemma: str) -> bool:
    lemma = lemma.lower()
    return lemma in SPEECH or lemma in BELIEF or any(
        takes(lemma, kind) for kind in ("clause", "infinitive")
    )


def is_speech(lemma: str) -> bool:
    return lemma.lower() in SPEECH
