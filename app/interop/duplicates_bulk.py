"""Deciding many probable-duplicate pairs at once: merge them all or keep them all apart.

All or nothing: every selected pair must still be open before anything changes, and the first
pair that cannot be decided raises a DuplicateError naming it (the request then rolls back, so
nothing of the batch stays). Each pair is decided exactly as one click would decide it, and
audited the same way (with the batch size in the entry's details).

Chains (A~B and B~C both selected): pairs are decided oldest first. Merging A~B moves B into A,
and the open pair B~C becomes A~C (app.interop.duplicates), so merging it too makes all three
one record, A. A pair a merge of the batch already settled (A~B, A~C and B~C selected: after
the first two, B~C names one record) is not an error: it is counted as settled by the chain.
Keeping apart never changes other pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.interop import duplicates as dup
from app.interop.models import DuplicateCandidate, DuplicateStatus

# One POST decides at most this many pairs. A merge moves every reference one table at a time
# (about 150 ms a pair on SQLite on a busy 2-core machine: 500 pairs took 75 s), so 100 pairs stay
# well inside gunicorn's 30 s timeout; the review page shows 30 pairs a page.
MAX_PAIRS = 100
ACTIONS = ("merge", "keep_apart")


@dataclass
class BulkResult:
    action: str
    decided: int = 0  # pairs decided by this batch
    settled: int = 0  # pairs a merge of the batch had already made one record


def _label(candidate: DuplicateCandidate) -> str:
    first = dup.record(candidate.kind, candidate.first_id) or {}
    second = dup.record(candidate.kind, candidate.second_id) or {}
    name = first.get("name") or second.get("name") or candidate.first_id
    return f"{candidate.kind} “{name}”"


def decide_many(ids: Sequence[str], action: str, user: Any) -> BulkResult:
    """Merge or keep apart every selected pair (flush only). Raises DuplicateError, naming the
    pair and why, when any of them cannot be decided: the caller's transaction is then rolled
    back and nothing changes."""
    if action not in ACTIONS:
        raise dup.DuplicateError("Choose Merge or Keep apart for the selected pairs.")
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        raise dup.DuplicateError("Select at least one pair first.")
    if len(wanted) > MAX_PAIRS:
        raise dup.DuplicateError(f"Select at most {MAX_PAIRS} pairs at a time.")
    found = list(db.session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.id.in_(wanted))
        .order_by(DuplicateCandidate.created_at, DuplicateCandidate.id)))  # fmt: skip
    if len(found) < len(wanted):
        raise dup.DuplicateError("A selected pair is no longer listed; nothing was changed. "
                                 "Reload the page and select again.")  # fmt: skip
    for candidate in found:
        if candidate.status != DuplicateStatus.OPEN:
            done = candidate.status.label.lower()
            raise dup.DuplicateError(
                f"The {_label(candidate)} pair was already {done}; nothing was changed."
            )
    labels = {c.id: _label(c) for c in found}
    order = [c.id for c in found]
    result = BulkResult(action=action)
    for id_ in order:
        candidate = db.session.get(DuplicateCandidate, id_)
        if candidate is None or candidate.status != DuplicateStatus.OPEN:
            result.settled += 1  # removed or closed by an earlier merge of this batch
            continue
        try:
            if action == "merge":
                dup.merge(candidate, user, batch=len(order))
            else:
                dup.keep_apart(candidate, user, batch=len(order))
        except dup.DuplicateError as error:
            raise dup.DuplicateError(f"The {labels[id_]} pair could not be decided: "
                                     f"{error.message} Nothing was changed.") from None  # fmt: skip
        except IntegrityError:
            raise dup.DuplicateError(
                f"The {labels[id_]} pair could not be merged: the database refused the change. "
                "Nothing was changed."
            ) from None
        result.decided += 1
    return result
