"""Internal site-visit quality notes: counselors and admins only, never public or indexed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.directory.vocabulary import Rating, SiteVisitOverall
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models.location import Location
    from app.directory.models.service import Service


class SiteVisit(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id"), index=True)
    visited_on: Mapped[date]
    visitor_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    visitor_name: Mapped[str] = mapped_column(String(200))
    safety: Mapped[Rating] = mapped_column(enum_type(Rating, "visit_rating"))
    cleanliness: Mapped[Rating] = mapped_column(enum_type(Rating, "visit_rating"))
    staff_responsiveness: Mapped[Rating] = mapped_column(enum_type(Rating, "visit_rating"))
    house_rules: Mapped[str | None] = mapped_column(Text)
    fees: Mapped[str | None] = mapped_column(Text)
    mat_policy_in_practice: Mapped[str | None] = mapped_column(Text)
    overall: Mapped[SiteVisitOverall] = mapped_column(
        enum_type(SiteVisitOverall, "site_visit_overall")
    )
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up_needed: Mapped[bool] = mapped_column(default=False)
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[Service | None] = relationship(back_populates="site_visits")
    location: Mapped[Location | None] = relationship()
    visitor: Mapped[User | None] = relationship()
