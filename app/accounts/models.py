"""Users, roles and the facilities and organizations they belong to."""

from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.directory.models import Organization


class Role(enum.StrEnum):
    ADMIN = "admin"
    COUNSELOR = "counselor"
    PROVIDER = "provider"
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        return {
            "admin": "Administrator",
            "counselor": "Re-entry counselor",
            "provider": "Provider staff",
            "analyst": "Analyst",
        }[self.value]


organization_membership = Table(
    "organization_membership",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
)


class Facility(db.Model):
    """A correctional facility (prison, jail, community release center) where counselors work."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    town: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str | None] = mapped_column(String(50))  # prison, jail, halfway house...
    is_sample: Mapped[bool] = mapped_column(default=False)

    counselors: Mapped[list[User]] = relationship(back_populates="facility")

    def __str__(self) -> str:
        return self.name


class User(UserMixin, db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facility.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing the password invalidates reset links issued before it.
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on sign-out: every session and remember-me cookie made before it stops working.
    session_generation: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )

    facility: Mapped[Facility | None] = relationship(back_populates="counselors")
    organizations: Mapped[list[Organization]] = relationship(
        secondary=organization_membership, back_populates="members"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot log in
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the id and a stamp
        of the current password and sign-out generation, so a new password signs out every
        other session and signing out ends every session and cookie issued before it."""
        return f"{self.id}.{self.session_stamp}"

    @property
    def session_stamp(self) -> str:
        """16 hex digits of SHA-256 over the (salted) password hash and the sign-out generation:
        new with every password and every sign-out, and telling nothing about the password or
        when it changed (cookies are only signed). Generation 0 gives the stamp used before
        generations existed, so deploying this signs nobody out."""
        material = self.password_hash + (
            f"#{self.session_generation}" if self.session_generation else ""
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]

    def end_sessions(self) -> None:
        """Sign out every browser of this user (their session and remember-me cookies)."""
        self.session_generation = (self.session_generation or 0) + 1

    def session_matches(self, stamp: str) -> bool:
        return hmac.compare_digest(stamp, self.session_stamp)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def organization_ids(self) -> set[str]:
        return {org.id for org in self.organizations}

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A personal API token: shown once, stored as a SHA-256 hash, revocable."""

    __tablename__ = "api_token"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Chosen when made (default API_TOKEN_DAYS); the token stops working from this moment.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at
