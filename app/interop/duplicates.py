"""Probable duplicates across sources: flagged on import, merged or kept apart by an admin.

Two records of one kind (organization or service) are probable duplicates when their names are
the same once normalized (case, punctuation, "Inc."/"LLC") and they share a normalized street
address or a phone number. Only records an import has just created are compared: with those
already there (across sources) and with each other (a source listing one agency twice), never a
record with itself; so a re-import flags nothing new, and a pair once decided is never flagged
again.

A merge keeps the first record and, field by field, the richer value of the two (the non-empty,
the longer, or else the more recently verified one); moves everything that points at the other
record (locations, services, phones, schedules, capacity, eligibility rules, referrals...) onto
the kept one; removes the other; and records the other's id as an alias (SourceRecord), so a
re-import of either source updates the kept record instead of creating the other again.
Services flush; the request commits.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, delete, exists, select, update

from app.audit.services import record as audit
from app.common import utcnow
from app.domain_errors import DomainError
from app.extensions import db
from app.interop.models import DuplicateCandidate, DuplicateStatus, SourceRecord

KINDS = ("organization", "service")
_DROP_WORDS = {"the", "inc", "incorporated", "llc", "ltd", "co", "corp", "corporation"}
_STREET_WORDS = {"street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd",
                 "drive": "dr", "suite": "ste", "north": "n", "south": "s", "east": "e",
                 "west": "w"}  # fmt: skip
# never copied between records in a merge: identity, ownership, bookkeeping
_NOT_MERGED = {"id", "organization_id", "program_id", "created_at", "updated_at",
               "verified_by_id", "is_sample"}  # fmt: skip


class DuplicateError(DomainError):
    status = 409


def name_key(name: str | None) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).split()
    return " ".join(w for w in words if w not in _DROP_WORDS)


def address_key(street: str | None, postal_code: str | None, city: str | None) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", (street or "").lower()).split()
    street_key = " ".join(_STREET_WORDS.get(w, w) for w in words)
    place = (postal_code or "").strip()[:5] or name_key(city)
    return f"{street_key}|{place}" if street_key and place else ""


def phone_key(number: str | None) -> str:
    digits = re.sub(r"\D", "", number or "")
    return digits[-10:] if len(digits) >= 7 else ""


# --- on import ---------------------------------------------------------------------------------


def merged_ids() -> dict[tuple[str, str], str]:
    """(kind, id a source gave) -> the record it was merged into."""
    rows = db.session.execute(
        select(SourceRecord.kind, SourceRecord.source_id, SourceRecord.record_id).where(
            SourceRecord.source_id != SourceRecord.record_id
        )
    )
    return {(kind, source_id): record_id for kind, source_id, record_id in rows}


def after_import(new_ids: dict[str, set[str]], source: str) -> int:
    """Remember where the new records came from and flag their probable duplicates (flush
    only); returns how many pairs were flagged."""
    flagged = 0
    for kind in KINDS:
        ids = new_ids.get(kind) or set()
        if not ids:
            continue
        known = set(db.session.scalars(select(SourceRecord.source_id).where(
            SourceRecord.kind == kind, SourceRecord.source_id.in_(ids))))  # fmt: skip
        now = utcnow()
        db.session.add_all(
            SourceRecord(kind=kind, source_id=i, record_id=i, source=source[:255], imported_at=now)
            for i in sorted(ids - known)
        )
        flagged += _flag(kind, ids)
    db.session.flush()
    return flagged


def _flag(kind: str, new_ids: set[str]) -> int:
    table = db.metadata.tables[kind]
    by_name: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for id_, name in db.session.execute(select(table.c.id, table.c.name)):
        key = name_key(name)
        if key:
            by_name[key].add(id_)
            names[id_] = key
    pairs = [(other, new) for new in sorted(new_ids) if new in names
             for other in sorted(by_name[names[new]] - new_ids)]  # fmt: skip
    # Within the source: new records sharing a name (compared by place and phone below).
    twins = [group for group in _groups(new_ids, names) if len(group) > 1]
    if not pairs and not twins:
        return 0
    ids = {i for pair in pairs for i in pair} | {i for group in twins for i in group}
    addresses, phones = _addresses(kind, ids), _phones(kind, ids)
    pairs += _pairs_within(twins, addresses, phones)
    decided = {(c.first_id, c.second_id) for c in db.session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.kind == kind,
                                         DuplicateCandidate.second_id.in_(new_ids)))}  # fmt: skip
    count = 0
    for first, second in pairs:
        if first == second or (first, second) in decided or (second, first) in decided:
            continue
        same_place = bool(addresses[first] & addresses[second])
        same_phone = bool(phones[first] & phones[second])
        if not (same_place or same_phone):
            continue
        reason = " and ".join(["same name", *(["address"] if same_place else []),
                               *(["phone"] if same_phone else [])])  # fmt: skip
        score = 1.0 if same_place and same_phone else 0.9 if same_place else 0.8
        db.session.add(DuplicateCandidate(kind=kind, first_id=first, second_id=second,
                                          reason=reason, score=score))  # fmt: skip
        decided.add((first, second))
        count += 1
    return count


def _groups(new_ids: set[str], names: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for id_ in sorted(new_ids):
        if id_ in names:
            groups[names[id_]].append(id_)
    return list(groups.values())


def _pairs_within(twins: list[list[str]], addresses: dict[str, set[str]],
                  phones: dict[str, set[str]]) -> list[tuple[str, str]]:  # fmt: skip
    """Records of one source with the same name that share an address or a phone: each paired
    with the first (lowest id) of those it shares one with, so three copies make two pairs,
    not three, and no pair names one record twice."""
    pairs: dict[tuple[str, str], None] = {}
    for group in twins:
        buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
        for id_ in group:  # sorted: the first of each bucket is its lowest id
            for key in addresses[id_]:
                buckets[("address", key)].append(id_)
            for key in phones[id_]:
                buckets[("phone", key)].append(id_)
        for members in buckets.values():
            for other in members[1:]:
                if other != members[0]:
                    pairs[(members[0], other)] = None
    return list(pairs)


def _addresses(kind: str, ids: set[str]) -> dict[str, set[str]]:
    t = db.metadata.tables
    address, location = t["address"], t["location"]
    street = (address.c.address_1, address.c.postal_code, address.c.city)
    if kind == "organization":
        query = (
            select(location.c.organization_id, *street)
            .join(location, location.c.id == address.c.location_id)
            .where(location.c.organization_id.in_(ids))
        )
    else:
        link = t["service_at_location"]
        query = (
            select(link.c.service_id, *street)
            .join(link, link.c.location_id == address.c.location_id)
            .where(link.c.service_id.in_(ids))
        )
    found: dict[str, set[str]] = defaultdict(set)
    for owner, *parts in db.session.execute(query):
        if key := address_key(*parts):
            found[owner].add(key)
    return found


def _phones(kind: str, ids: set[str]) -> dict[str, set[str]]:
    phone = db.metadata.tables["phone"]
    owner = phone.c.organization_id if kind == "organization" else phone.c.service_id
    found: dict[str, set[str]] = defaultdict(set)
    for id_, number in db.session.execute(select(owner, phone.c.number).where(owner.in_(ids))):
        if key := phone_key(number):
            found[id_].add(key)
    return found


# --- richer fields -------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def richer(first: Any, second: Any, *, second_newer: bool = False) -> Any:
    """The richer of two values of one field: the non-empty, the longer text, else the value of
    the more recently verified record (`second_newer`), else the first."""
    if _empty(first) or _empty(second):
        return second if _empty(first) else first
    if isinstance(first, str) and isinstance(second, str) and len(first) != len(second):
        return first if len(first) > len(second) else second
    return second if second_newer else first


def keep_richer(kind: str, incoming: dict[str, Any]) -> dict[str, Any]:
    """An import row for a merged record: each field keeps the richer of what the record holds
    and what the source says, so re-importing either source loses nothing the merge kept."""
    table = db.metadata.tables[kind]
    current = db.session.execute(select(table).where(table.c.id == incoming["id"])).mappings()
    row = current.first()
    if row is None:
        return incoming
    out = dict(incoming)
    for name, value in incoming.items():
        if name not in _NOT_MERGED and name in row:
            out[name] = richer(value, row[name])
    return out


# --- review ------------------------------------------------------------------------------------


def record(kind: str, id_: str) -> dict[str, Any] | None:
    table = db.metadata.tables[kind]
    row = db.session.execute(select(table).where(table.c.id == id_)).mappings().first()
    return dict(row) if row is not None else None


def sources(kind: str, id_: str) -> list[str]:
    """Where a record's data came from: file names of the imports that gave it."""
    found = db.session.scalars(select(SourceRecord.source).where(
        SourceRecord.kind == kind, SourceRecord.record_id == id_).distinct())  # fmt: skip
    return sorted(s for s in found if s)


def keep_apart(candidate: DuplicateCandidate, user: Any, now: datetime | None = None,
               *, batch: int | None = None) -> None:  # fmt: skip
    _decide(candidate, user, DuplicateStatus.KEPT_APART, now)
    audit("duplicate.keep_apart", candidate, user if getattr(user, "id", None) else None,
          details=_details(candidate, batch), at=candidate.decided_at)  # fmt: skip


def _details(candidate: DuplicateCandidate, batch: int | None) -> dict[str, Any]:
    """Ids only (catalog records, no personal data); `batch`: pairs decided in one POST."""
    details: dict[str, Any] = {"kind": candidate.kind, "first_id": candidate.first_id,
                               "second_id": candidate.second_id}  # fmt: skip
    if candidate.kept_id:
        details["kept_id"] = candidate.kept_id
    if batch is not None:
        details["batch"] = batch
    return details


def _decide(candidate: DuplicateCandidate, user: Any, status: DuplicateStatus,
            now: datetime | None) -> None:  # fmt: skip
    if candidate.status != DuplicateStatus.OPEN:
        raise DuplicateError(f"This pair was already {candidate.status.label.lower()}.")
    candidate.status = status
    candidate.decided_at = now or utcnow()
    candidate.decided_by_id = getattr(user, "id", None)
    db.session.flush()


def merge(candidate: DuplicateCandidate, user: Any, now: datetime | None = None,
          *, batch: int | None = None) -> str:  # fmt: skip
    """Merge the pair into the first record (flush only); returns the kept id."""
    kind, kept_id, gone_id = candidate.kind, candidate.first_id, candidate.second_id
    kept, gone = record(kind, kept_id), record(kind, gone_id)
    if kept is None or gone is None:
        raise DuplicateError("One of these records is no longer in the directory.")
    _decide(candidate, user, DuplicateStatus.MERGED, now)
    candidate.kept_id = kept_id
    audit("duplicate.merge", candidate, user if getattr(user, "id", None) else None,
          details=_details(candidate, batch), at=candidate.decided_at)  # fmt: skip
    table = db.metadata.tables[kind]
    gone_newer = _verified(gone) > _verified(kept)
    values = {name: richer(kept[name], gone[name], second_newer=gone_newer)
              for name in kept if name not in _NOT_MERGED}  # fmt: skip
    if "last_verified_at" in values:
        values["last_verified_at"] = max((kept["last_verified_at"], gone["last_verified_at"]),
                                         key=_when)  # fmt: skip
        if values["last_verified_at"] == gone["last_verified_at"]:
            values["verified_by_id"] = gone["verified_by_id"] or kept["verified_by_id"]
    _move_references(kind, gone_id, kept_id)
    db.session.execute(delete(table).where(table.c.id == gone_id))
    db.session.execute(update(table).where(table.c.id == kept_id).values(values))
    _remember(kind, gone_id, kept_id)
    _repoint_candidates(candidate, gone_id, kept_id)
    _reindex_after_commit(kind, kept_id, gone_id)
    db.session.flush()
    db.session.expire_all()
    return kept_id


def _when(value: datetime | None) -> float:
    return value.timestamp() if value is not None else float("-inf")


def _verified(row: dict[str, Any]) -> float:
    return _when(row.get("last_verified_at") or row.get("updated_at"))


def _move_references(kind: str, gone_id: str, kept_id: str) -> None:
    """Every foreign key to the removed record now points at the kept one. Where a table allows
    one row per record (a membership, one rule per criterion), the kept record's row wins."""
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != kind or fk.parent.table is not table:
                continue
            column = fk.parent
            for others in _unique_partners(table, column.name):
                _drop_clashes(table, column.name, others, gone_id, kept_id)
            moved = update(table).where(column == gone_id).values({column.name: kept_id})
            db.session.execute(moved)


def _unique_partners(table: Table, column: str) -> list[list[str]]:
    """For each unique key (or primary key) of `table` that holds `column`: its other columns."""
    keys = [c for c in table.constraints if c.__class__.__name__ in
            ("UniqueConstraint", "PrimaryKeyConstraint")]  # fmt: skip
    keys = [list(k.columns.keys()) for k in keys]
    keys += [list(i.columns.keys()) for i in table.indexes if i.unique]
    return [[c for c in k if c != column] for k in keys if column in k and len(k) > 1]


def _drop_clashes(table: Table, column: str, others: list[str], gone_id: str,
                  kept_id: str) -> None:  # fmt: skip
    twin = table.alias("twin")
    same = and_(twin.c[column] == kept_id, *(twin.c[o] == table.c[o] for o in others))
    db.session.execute(delete(table).where(table.c[column] == gone_id,
                                           exists(select(twin.c[column]).where(same))))  # fmt: skip


def _reindex_after_commit(kind: str, kept_id: str, gone_id: str) -> None:
    """The search index follows the commit (app.search.sync): the removed service leaves it,
    the kept one (or every service of the kept organization) is indexed again."""
    from app.search.sync import PENDING

    service = db.metadata.tables["service"]
    ids = {kept_id, gone_id}
    if kind == "organization":
        ids = set(
            db.session.scalars(select(service.c.id).where(service.c.organization_id == kept_id))
        )
    db.session.info.setdefault(PENDING, set()).update(ids)


def _remember(kind: str, gone_id: str, kept_id: str) -> None:
    mine = (SourceRecord.kind == kind, SourceRecord.record_id == gone_id)
    db.session.execute(update(SourceRecord).where(*mine).values(record_id=kept_id))
    for id_ in (gone_id, kept_id):
        if db.session.get(SourceRecord, (kind, id_)) is None:
            db.session.add(SourceRecord(kind=kind, source_id=id_, record_id=kept_id))


def _repoint_candidates(done: DuplicateCandidate, gone_id: str, kept_id: str) -> None:
    """Other pairs naming the removed record now name the kept one (or are settled by it). A
    pair that would then repeat one already there (A~B merged, so B~C becomes A~C when A~C was
    flagged too) is removed: the pair already there stands for both."""
    naming = (DuplicateCandidate.first_id == gone_id) | (DuplicateCandidate.second_id == gone_id)
    same_kind = DuplicateCandidate.kind == done.kind
    others = list(db.session.scalars(
        select(DuplicateCandidate).where(same_kind, DuplicateCandidate.id != done.id, naming)
    ))  # fmt: skip
    taken = {(c.first_id, c.second_id) for c in db.session.scalars(
        select(DuplicateCandidate).where(same_kind, (DuplicateCandidate.first_id == kept_id)
                                         | (DuplicateCandidate.second_id == kept_id)))}  # fmt: skip
    for other in others:
        first = kept_id if other.first_id == gone_id else other.first_id
        second = kept_id if other.second_id == gone_id else other.second_id
        if first == second:
            other.status, other.kept_id = DuplicateStatus.MERGED, kept_id
            other.decided_at, other.decided_by_id = done.decided_at, done.decided_by_id
        elif (first, second) in taken or (second, first) in taken:
            db.session.delete(other)
        else:
            other.first_id, other.second_id = first, second
            taken.add((first, second))
