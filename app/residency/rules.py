"""Residency rules: add, change, switch off. Checked here (not in the form) so the form and
the CLI share one set of rules; problems raise FieldErrors naming the field."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from app.domain_errors import FieldErrors
from app.extensions import db
from app.residency.models import ResidencyRule
from app.residency.vocabulary import AppliesTo, Level, SiteKind

MAX_FEET = 10_560  # two miles: no known rule goes further


@dataclass(frozen=True)
class RuleData:
    name: str
    level: str
    jurisdiction: str
    kinds: tuple[str, ...]
    distance_ft: object
    applies_to: str = AppliesTo.REGISTRY.value
    active: bool = True


def _checked(data: RuleData) -> dict:
    problems: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name:
        problems["name"] = "Enter a name for the rule."
    elif len(name) > 200:
        problems["name"] = "At most 200 characters."
    level = data.level if data.level in {lv.value for lv in Level} else None
    if level is None:
        problems["level"] = "Choose state, county or town."
    jurisdiction = (data.jurisdiction or "").strip()
    if not jurisdiction:
        problems["jurisdiction"] = "Name the state, county or town the rule holds in."
    kinds = [SiteKind.parse(k) for k in data.kinds if str(k).strip()]
    if not kinds:
        problems["kinds"] = "Choose at least one kind of site."
    elif None in kinds:
        problems["kinds"] = "Unknown kind of site."
    try:
        feet = int(str(data.distance_ft).replace(",", "").strip())
    except ValueError:
        feet = None
    if feet is None or not 1 <= feet <= MAX_FEET:
        problems["distance_ft"] = f"Enter a distance in feet from 1 to {MAX_FEET:,}."
    if data.applies_to not in {a.value for a in AppliesTo}:
        problems["applies_to"] = "Choose who the rule applies to."
    if problems:
        raise FieldErrors(problems)
    return {
        "name": name,
        "level": Level(level),
        "jurisdiction": jurisdiction[:100],
        "kinds": sorted({k.value for k in kinds if k}),
        "distance_ft": feet,
        "applies_to": AppliesTo(data.applies_to),
        "active": bool(data.active),
    }


def save_rule(data: RuleData, rule: ResidencyRule | None = None) -> ResidencyRule:
    """A new rule, or `rule` changed; flush only."""
    values = _checked(data)
    if rule is None:
        rule = ResidencyRule()
        db.session.add(rule)
    for key, value in values.items():
        setattr(rule, key, value)
    db.session.flush()
    return rule


def all_rules() -> list[ResidencyRule]:
    return list(
        db.session.scalars(
            select(ResidencyRule).order_by(
                ResidencyRule.active.desc(), ResidencyRule.level, ResidencyRule.name
            )
        )
    )


def rules_from_csv(text: str) -> list[ResidencyRule]:
    """name, level, jurisdiction, kinds (separated by ";"), distance_ft[, applies_to]: all
    saved or none; a problem names the row and the field."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    saved = []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        data = RuleData(
            name=row.get("name", ""),
            level=row.get("level", "").lower(),
            jurisdiction=row.get("jurisdiction", ""),
            kinds=tuple(row.get("kinds", "").split(";")),
            distance_ft=row.get("distance_ft", ""),
            applies_to=row.get("applies_to") or AppliesTo.REGISTRY.value,
        )
        try:
            saved.append(save_rule(data))
        except FieldErrors as error:
            raise FieldErrors(
                {f"row {number}, {k}": v for k, v in error.problems.items()}
            ) from None
    return saved
