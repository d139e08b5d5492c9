"""Restricted sites and residency rules.

A site's shape is GeoJSON text (Point, Polygon or MultiPolygon, lon/lat order as GeoJSON says)
beside its bounding box, so the spatial index is built from plain columns and the exact
geometry is parsed only once per process (see index.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app import content_version
from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db
from app.residency.vocabulary import AppliesTo, Level, SiteKind

SCOPE = "residency"  # content-version scope: any write to these tables rebuilds the index


class RestrictedSite(db.Model):
    __tablename__ = "restricted_site"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[SiteKind] = mapped_column(enum_type(SiteKind, "site_kind"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    town: Mapped[str | None] = mapped_column(String(100), index=True)
    geometry: Mapped[str] = mapped_column(Text)  # GeoJSON geometry object
    min_lat: Mapped[float] = mapped_column(Float)
    min_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(250))  # file name or "form"
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_point(self) -> bool:
        return self.min_lat == self.max_lat and self.min_lon == self.max_lon


class ResidencyRule(db.Model):
    __tablename__ = "residency_rule"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[Level] = mapped_column(enum_type(Level, "residency_level"))
    jurisdiction: Mapped[str] = mapped_column(String(100))  # "Connecticut", "Hartford County"
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # SiteKind values
    distance_ft: Mapped[int] = mapped_column(Integer)
    applies_to: Mapped[AppliesTo] = mapped_column(
        enum_type(AppliesTo, "residency_applies_to"), default=AppliesTo.REGISTRY
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def site_kinds(self) -> list[SiteKind]:
        return [SiteKind(k) for k in self.kinds]

    @property
    def kinds_label(self) -> str:
        return ", ".join(k.plural for k in self.site_kinds)


content_version.watch_tables(SCOPE, ("restricted_site", "residency_rule"))
