"""Discharge cards: unguessable short codes, making, finding and revoking cards.

A code is 10 characters from a 30-letter alphabet without look-alikes (no 0/O, 1/I/L, U), so it
carries 10·log2(30) ≈ 49 bits: at 30 guesses a minute per address, finding any one of 100,000
live cards takes an attacker thousands of years. It is shown as two groups of five
("7KQ4M-2XPRT"); a lookup ignores case, dashes and spaces. Stored without the dash.

Functions here flush; the view commits.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.common import utcnow
from app.domain_errors import DomainError
from app.extensions import db
from app.public.models import DischargeCard, DischargeCardEntry

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
GROUP = 5
CODE_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
CARD_LIFETIME_DAYS = 180
MAX_ENTRIES = 10  # what still prints on one page
LANGUAGES = ("en", "es")
_SEPARATORS = re.compile(r"[\s\-_.]+")


class CardError(DomainError, ValueError):
    """A card that cannot be made as asked (the message is shown at the services list)."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message, "services")


def new_code() -> str:
    """A fresh random code not used by any card (canonical form: no dash)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(DischargeCard.id).where(DischargeCard.code == code)) is None:
            return code


def normalize_code(raw: str | None) -> str | None:
    """The canonical code for what someone typed, or None when it cannot be a code."""
    text = _SEPARATORS.sub("", (raw or "").strip().upper())
    if len(text) != CODE_LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def format_code(code: str) -> str:
    """'7KQ4M2XPRT' -> '7KQ4M-2XPRT': easier to read aloud and to type."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def is_active(card: DischargeCard, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return card.revoked_at is None and card.expires_at > now


def find_active_card(raw: str | None, now: datetime | None = None) -> DischargeCard | None:
    """The live card for a typed or scanned code; None when unknown, revoked or expired (the
    public page treats all three the same, so it tells a guesser nothing)."""
    code = normalize_code(raw)
    if code is None:
        return None
    card = db.session.scalar(select(DischargeCard).where(DischargeCard.code == code))
    if card is None or not is_active(card, now):
        return None
    return card


@dataclass(frozen=True)
class EntryChoice:
    """One service picked for a card, with the referral that set an intake time, if any."""

    service_id: str
    location_id: str | None = None
    referral_id: str | None = None


def create_card(
    entries: list[EntryChoice],
    *,
    language: str,
    client: Client | None,
    actor: User | None,
    now: datetime | None = None,
    lifetime_days: int = CARD_LIFETIME_DAYS,
) -> DischargeCard:
    """A new card with these services in this order, live for `lifetime_days`."""
    if not entries:
        raise CardError("Choose at least one service for the card.")
    if len({e.service_id for e in entries}) > MAX_ENTRIES:
        raise CardError(f"A card holds at most {MAX_ENTRIES} services, so it prints on one page.")
    if language not in LANGUAGES:
        raise CardError("Choose English or Spanish.")
    now = now or utcnow()
    card = DischargeCard(
        code=new_code(),
        client=client,
        created_by=actor,
        language=language,
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    seen: set[str] = set()
    for position, choice in enumerate(entries):
        if choice.service_id in seen:
            continue
        seen.add(choice.service_id)
        card.entries.append(
            DischargeCardEntry(
                service_id=choice.service_id,
                location_id=choice.location_id,
                referral_id=choice.referral_id,
                position=position,
            )
        )
    db.session.add(card)
    db.session.flush()
    return card


def revoke_card(card: DischargeCard, actor: User | None, now: datetime | None = None) -> None:
    """Stop the card's code from working (a lost card, a changed plan). Idempotent."""
    if card.revoked_at is not None:
        return
    card.revoked_at = now or utcnow()
    card.revoked_by_id = actor.id if actor is not None else None
    db.session.flush()


def add_to_card(
    card: DischargeCard,
    entries: list[EntryChoice],
    *,
    now: datetime | None = None,
    lifetime_days: int = CARD_LIFETIME_DAYS,
) -> int:
    """Add services to a live card the person may already hold, keeping its code; returns how
    many were added. A service already on it gains the referral (so its intake time shows);
    the card stays within MAX_ENTRIES and lives at least `lifetime_days` from now."""
    now = now or utcnow()
    by_service = {entry.service_id: entry for entry in card.entries}
    position = max((entry.position for entry in card.entries), default=-1) + 1
    added = 0
    for choice in entries:
        entry = by_service.get(choice.service_id)
        if entry is not None:
            if entry.referral_id is None and choice.referral_id is not None:
                entry.referral_id = choice.referral_id
                entry.location_id = choice.location_id or entry.location_id
            continue
        if len(by_service) >= MAX_ENTRIES:
            break
        entry = DischargeCardEntry(
            service_id=choice.service_id,
            location_id=choice.location_id,
            referral_id=choice.referral_id,
            position=position,
        )
        card.entries.append(entry)
        by_service[choice.service_id] = entry
        position += 1
        added += 1
    card.expires_at = max(card.expires_at, now + timedelta(days=lifetime_days))
    db.session.flush()
    return added


def newest_active_card(client: Client, now: datetime | None = None) -> DischargeCard | None:
    """The client's most recent card whose code still works, if any."""
    return next((card for card in cards_for_client(client) if is_active(card, now)), None)


def cards_for_client(client: Client) -> list[DischargeCard]:
    return list(
        db.session.scalars(
            select(DischargeCard)
            .where(DischargeCard.client_id == client.id)
            .order_by(DischargeCard.created_at.desc())
        )
    )
