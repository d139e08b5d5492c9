"""A person's supervision conditions: one row per client, staff only.

Personal data like the rest of the client record: never indexed, logged, e-mailed, shown on a
public page or given to a provider. Towns and counties are kept as typed ("Hartford",
"Hartford County"); the curfew is local time in the network's zone.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, new_id, utcnow
from app.conditions.districts import District
from app.extensions import db

if TYPE_CHECKING:
    from app.referrals.models import Client


class SupervisionConditions(db.Model):
    __tablename__ = "supervision_conditions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), unique=True)
    # Daily curfew; an end before the start runs overnight. Both or neither.
    curfew_start: Mapped[time | None] = mapped_column(Time)
    curfew_end: Mapped[time | None] = mapped_column(Time)
    # Towns or counties the person may not leave (empty = no limit) and may not enter.
    allowed_area: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_area: Mapped[list[str]] = mapped_column(JSON, default=list)
    electronic_monitoring: Mapped[bool | None]
    no_contact_places: Mapped[str | None] = mapped_column(Text)  # staff only, free text
    district: Mapped[str | None] = mapped_column(String(40))  # District code: reporting office
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))

    client: Mapped[Client] = relationship()

    @property
    def has_curfew(self) -> bool:
        return self.curfew_start is not None and self.curfew_end is not None

    @property
    def curfew_words(self) -> str | None:
        """'9 pm to 6 am'; None without a curfew."""
        from app.conditions.curfew import clock

        if not self.has_curfew:
            return None
        return f"{clock(self.curfew_start)} to {clock(self.curfew_end)}"  # type: ignore[arg-type]

    @property
    def reporting_office(self) -> District | None:
        try:
            return District(self.district) if self.district else None
        except ValueError:
            return None
