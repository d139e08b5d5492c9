"""Search's own tables: zero-result searches (for unmet-need reports) and the geocode cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common import UTCDateTime, new_id, utcnow
from app.extensions import db


class ZeroResultSearch(db.Model):
    """A search that found nothing: the words and filters only, never who asked or for whom."""

    __tablename__ = "zero_result_search"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    query_text: Mapped[str | None] = mapped_column(String(200))
    need_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    town: Mapped[str | None] = mapped_column(String(100), index=True)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(20), default="staff")  # staff, public, api


class GeocodeCache(db.Model):
    """Answers from the network geocoder, so each address is asked for once."""

    __tablename__ = "geocode_cache"

    query: Mapped[str] = mapped_column(String(300), primary_key=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
