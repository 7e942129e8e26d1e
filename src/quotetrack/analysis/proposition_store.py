"""Propositions kept in the store: built once, then grown as quotes arrive.

`update_propositions` groups the stored quotes that have no `quote_propositions` row yet: each
joins the nearest stored proposition when similar enough, or waits, and waiting quotes that are
similar to each other form new propositions (analysis/propositions.py `PropositionIndex`). The
vocabulary and idf are those the last `rebuild_propositions` fitted (on an even sample of at most
`FIT_SAMPLE` claims), kept as JSON in `proposition_models`, so vectors stay comparable between
runs. Quotes are read in batches of `READ_BATCH` by id, with the article text around each one
(`WINDOW` characters either side of the cue); a million quotes are never held as vectors at once,
and never compared all against all. A claim's stance is relative to its proposition: whether
its speaker sides with the proposition's anchor claim (`propositions.proposition_stances`). It is
written with the claim and worked out again, for every claim of the proposition, whenever the
proposition is created or grows (`_restance`): new claims can move the anchor or bring a speaker's
rebuttal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from quotetrack.analysis.propositions import (
    CENTROID_TERMS,
    CONCEPT_WEIGHT,
    CONTEXT_WEIGHT,
    DISTANCE_THRESHOLD,
    FIT_SAMPLE,
    WAITING,
    ClaimText,
    Group,
    Polarity,
    PropositionIndex,
    Vocabulary,
    claim_polarity,
    fit_texts,
    proposition_stances,
    solo_stance,
    truncated,
)
from quotetrack.analysis.storage import WINDOW, Grouping
from quotetrack.analysis.terms import tokenize
from quotetrack.store.models import (
    Proposition,
    PropositionModel,
    QuoteProposition,
    Speaker,
    StoredDocument,
    StoredQuote,
    utcnow,
)

READ_BATCH = 5000
RESTANCE_BATCH = 200  # propositions whose claims are read at once to work out their stances again
Progress = Callable[[int, int], None]  # (quotes grouped so far, quotes to group)


@dataclass
class Summary:
    """What an update did."""

    grouped: int = 0  # quotes newly given a proposition or put to wait
    assigned: int = 0  # of those, quotes in a proposition
    created: int = 0  # new propositions
    propositions: int = 0  # propositions in the store afterwards
    waiting: int = 0  # quotes in the store without a proposition
    rebuilt: bool = False

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _claim_query(session: Session):
    larger = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
    anchor = func.coalesce(StoredQuote.cue_start, StoredQuote.start)
    window_start = larger(anchor - WINDOW, 0)
    return select(
        StoredQuote.id,
        StoredQuote.content,
        StoredQuote.cue,
        StoredQuote.cue_start,
        func.coalesce(Speaker.name, StoredQuote.speaker_name),
        window_start,
        func.substr(StoredDocument.text, window_start + 1, 2 * WINDOW + 200),
    ).join(StoredDocument, StoredQuote.document_id == StoredDocument.id).outerjoin(Speaker, StoredQuote.speaker_id == Speaker.id)


def _claim(row) -> ClaimText:
    quote_id, content, cue, cue_start, speaker, window_start, window = row
    before: list[str] = []
    if cue_start is not None and window:
        offset = cue_start - window_start
        before = [t.lower for t in tokenize(window[max(0, offset - 40) : offset]) if t.is_word][-3:]
    return ClaimText(str(quote_id), speaker, content, window or None, cue, tuple(before))


def _batches(session: Session, query, ids=StoredQuote.id) -> Iterator[list[ClaimText]]:
    """Claims of the query in batches, by quote id (keyset pagination: no OFFSET scans)."""
    last = 0
    while True:
        rows = session.execute(query.where(ids > last).order_by(ids).limit(READ_BATCH)).all()
        if not rows:
            return
        last = rows[-1][0]
        yield [_claim(row) for row in rows]


def _load_index(session: Session, model: PropositionModel) -> PropositionIndex:
    vocabulary = Vocabulary.from_json(model.vocabulary)
    groups = []
    width = len(vocabulary.terms)
    for proposition in session.scalars(select(Proposition)):
        terms, weights = proposition.centroid.get("terms", []), proposition.centroid.get("weights", [])
        total = sparse.csr_matrix((weights, ([0] * len(terms), terms)), shape=(1, width), dtype=np.float64)
        groups.append(Group(proposition.id, total, proposition.size, proposition.label, proposition.topic))
    threshold = float(model.params.get("threshold", DISTANCE_THRESHOLD))
    return PropositionIndex(vocabulary, groups, threshold=threshold)


def _centroid(group: Group) -> dict:
    row = truncated(group.total, CENTROID_TERMS)
    order = np.argsort(row.indices)
    return {"terms": [int(i) for i in row.indices[order]], "weights": [round(float(w), 6) for w in row.data[order]]}


def rebuild_propositions(session: Session, *, progress: Progress | None = None) -> Summary:
    """Forget the stored propositions, fit the vocabulary anew, and group every stored quote."""
    session.execute(delete(QuoteProposition))
    session.execute(delete(Proposition))
    session.execute(delete(PropositionModel))
    total = session.scalar(select(func.count()).select_from(StoredQuote)) or 0
    step = max(1, total // (FIT_SAMPLE // 2))
    sample_query = _claim_query(session)
    if step > 1:
        sample_query = sample_query.where(StoredQuote.id % step == 0)
    texts: list[str] = []
    for batch in _batches(session, sample_query):
        texts.extend(fit_texts(batch))
    vocabulary = Vocabulary.fit(texts)
    session.add(
        PropositionModel(
            vocabulary=vocabulary.to_json(),
            params={
                "threshold": DISTANCE_THRESHOLD, "context_weight": CONTEXT_WEIGHT, "concept_weight": CONCEPT_WEIGHT,
                "fitted_on": len(texts),
            },
        )
    )
    session.flush()
    summary = update_propositions(session, progress=progress)
    summary.rebuilt = True
    return summary


def update_propositions(session: Session, *, progress: Progress | None = None) -> Summary:
    """Group the quotes not grouped yet (all of them, with a fitted vocabulary, when there is none)."""
    model = session.scalars(select(PropositionModel).order_by(PropositionModel.id.desc()).limit(1)).first()
    if model is None:
        return rebuild_propositions(session, progress=progress)
    ungrouped = ~exists().where(QuoteProposition.quote_id == StoredQuote.id)
    todo = session.scalar(select(func.count()).select_from(StoredQuote).where(ungrouped)) or 0
    summary = Summary()
    if todo:
        index = _load_index(session, model)
        known = set(index.groups)
        waiting_query = _claim_query(session).join(QuoteProposition, QuoteProposition.quote_id == StoredQuote.id).where(
            QuoteProposition.proposition_id.is_(None)
        )
        waited = session.execute(waiting_query.order_by(StoredQuote.id.desc()).limit(WAITING)).all()
        index.wait([_claim(row) for row in reversed(waited)])
        waited_ids = {str(row[0]) for row in waited}
        polarity: dict[str, Polarity] = {}
        assigned: dict[str, tuple[int | None, float]] = {}
        grown: set[int] = set()
        for batch in _batches(session, _claim_query(session).where(ungrouped)):
            added = index.add(batch)
            assigned.update(added.assigned)
            grown |= added.grown | set(added.created)
            for claim in batch:
                polarity[claim.id] = claim_polarity(claim)
            summary.grouped += len(batch)
            if progress:
                progress(summary.grouped, todo)
        _write(session, index, known, grown, assigned, polarity, waited_ids)
        _restance(session, index.vocabulary, sorted(grown))
        summary.assigned = sum(1 for qid, (group, _) in assigned.items() if group is not None and qid in polarity)
        summary.created = len(set(index.groups) - known)
    summary.propositions = session.scalar(select(func.count()).select_from(Proposition)) or 0
    summary.waiting = session.scalar(
        select(func.count()).select_from(QuoteProposition).where(QuoteProposition.proposition_id.is_(None))
    ) or 0
    return summary


def _write(
    session: Session,
    index: PropositionIndex,
    known: set[int],
    touched: set[int],
    assigned: dict[str, tuple[int | None, float]],
    polarity: dict[str, Polarity],
    waited_ids: set[str],
) -> None:
    now = utcnow()
    new_rows = [
        {
            "id": g.id, "label": g.label or "", "topic": g.topic, "size": g.size, "centroid": _centroid(g),
            "created_at": now, "updated_at": now,
        }
        for gid, g in index.groups.items()
        if gid not in known
    ]
    if new_rows:
        session.execute(insert(Proposition), new_rows)
    for gid in sorted(touched & known):
        group = index.groups[gid]
        session.execute(
            update(Proposition).where(Proposition.id == gid).values(size=group.size, centroid=_centroid(group), updated_at=now)
        )
    rows = []
    for quote_id, pol in polarity.items():
        group_id, similarity = assigned.get(quote_id, (None, 0.0))
        stance = solo_stance(pol)
        rows.append(
            {"quote_id": int(quote_id), "proposition_id": group_id, "similarity": round(similarity, 4),
             "polarity": pol.sign, "stance": stance.stance, "evidence": stance.evidence or None}
        )
    for start in range(0, len(rows), READ_BATCH):
        session.execute(insert(QuoteProposition), rows[start : start + READ_BATCH])
    for quote_id in waited_ids:  # claims that waited and now form a proposition with new ones
        group_id, similarity = assigned.get(quote_id, (None, 0.0))
        if group_id is not None:
            session.execute(
                update(QuoteProposition)
                .where(QuoteProposition.quote_id == int(quote_id))
                .values(proposition_id=group_id, similarity=round(similarity, 4))
            )


def _restance(session: Session, vocabulary: Vocabulary, proposition_ids: Sequence[int]) -> None:
    """Work out the stances of every claim of these propositions again, and write those that changed."""
    for start in range(0, len(proposition_ids), RESTANCE_BATCH):
        chunk = proposition_ids[start : start + RESTANCE_BATCH]
        query = (
            _claim_query(session)
            .add_columns(QuoteProposition.proposition_id, QuoteProposition.stance, QuoteProposition.evidence)
            .join(QuoteProposition, QuoteProposition.quote_id == StoredQuote.id)
            .where(QuoteProposition.proposition_id.in_(chunk))
        )
        members: dict[int, list[ClaimText]] = {}
        stored: dict[str, tuple[str, str | None]] = {}
        for row in session.execute(query):
            claim = _claim(row[:7])
            members.setdefault(row[7], []).append(claim)
            stored[claim.id] = (row[8], row[9])
        changed = []
        for claims in members.values():
            polarity = {c.id: claim_polarity(c) for c in claims}
            for claim_id, stance in proposition_stances(claims, vocabulary, polarity).items():
                if stored[claim_id] != (stance.stance, stance.evidence or None):
                    changed.append({"quote_id": int(claim_id), "stance": stance.stance, "evidence": stance.evidence or None})
        if changed:
            session.execute(update(QuoteProposition), changed)


def ungrouped_count(session: Session) -> int:
    ungrouped = ~exists().where(QuoteProposition.quote_id == StoredQuote.id)
    return session.scalar(select(func.count()).select_from(StoredQuote).where(ungrouped)) or 0


def groupings_of(session: Session, quotes: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Grouping]:
    """(document id, quote id) -> the quote's proposition and stance, for the grouped ones."""
    wanted = set(quotes)
    keys = sorted({key for _, key in quotes})
    found: dict[tuple[str, str], Grouping] = {}
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(
                StoredDocument.key, StoredQuote.key, QuoteProposition.proposition_id, Proposition.label, Proposition.topic,
                QuoteProposition.stance, QuoteProposition.evidence,
            )
            .join(StoredQuote, QuoteProposition.quote_id == StoredQuote.id)
            .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
            .outerjoin(Proposition, QuoteProposition.proposition_id == Proposition.id)
            .where(StoredQuote.key.in_(keys[start : start + 500]))
        )
        for doc, key, proposition_id, label, topic, stance, evidence in rows:
            if (doc, key) in wanted:
                found[(doc, key)] = Grouping(proposition_id, label, topic, stance, evidence)
    return found
