"""The residency vocabulary, defined once: kinds of site, jurisdiction levels, who a rule
covers. Forms, loaders, templates and verdicts all read these."""

from __future__ import annotations

import enum


class SiteKind(enum.StrEnum):
    SCHOOL = "school"
    CHILD_CARE = "child_care"
    PARK = "park"
    PLAYGROUND = "playground"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "school": "school",
            "child_care": "child-care center",
            "park": "park",
            "playground": "playground",
            "other": "restricted site",
        }[self.value]

    @property
    def plural(self) -> str:
        return {
            "school": "schools",
            "child_care": "child-care centers",
            "park": "parks",
            "playground": "playgrounds",
            "other": "other restricted sites",
        }[self.value]

    @classmethod
    def parse(cls, text: str) -> SiteKind | None:
        """A kind from a file or form: its code or its words ("child-care center")."""
        key = _words(text)
        for kind in cls:
            if key in {_words(kind.value), _words(kind.label), _words(kind.plural)}:
                return kind
        return ALIASES.get(key)


def _words(text: str) -> str:
    return " ".join((text or "").lower().replace("-", " ").replace("_", " ").split())


ALIASES = {
    "childcare": SiteKind.CHILD_CARE,
    "child care": SiteKind.CHILD_CARE,
    "daycare": SiteKind.CHILD_CARE,
    "day care": SiteKind.CHILD_CARE,
}


class Level(enum.StrEnum):
    """Where a rule holds: a whole state, one county, one town."""

    STATE = "state"
    COUNTY = "county"
    TOWN = "town"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AppliesTo(enum.StrEnum):
    """Who a rule covers. Only registry status is on a client's record today; a narrower
    group (say, registrants whose offense involved a child) is a new member here plus its
    test in `covers()` in verdicts.py."""

    REGISTRY = "registry"

    @property
    def label(self) -> str:
        return {"registry": "people on the sex-offense registry"}[self.value]
