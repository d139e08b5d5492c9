"""What the plan page shows of the plan's life: its history (every version, newest first, with
the items as they stood) and the review and phase forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.plans.follow import REFERRAL_STATUS_WORDS
from app.plans.forms_lifecycle import PhaseForm, ReviewForm, phase_form, review_form
from app.plans.models import PlanVersion, ReleasePlan
from app.plans.services import owner_choices
from app.plans.vocabulary import OWNER_LABELS, ItemStatus

GONE = "Someone no longer on the team"


@dataclass(frozen=True)
class ItemAsItStood:
    title: str
    status: str
    due_on: date | None
    owner: str


@dataclass(frozen=True)
class VersionView:
    version: PlanVersion
    items: list[ItemAsItStood]


def _owner(code: str | None, names: dict[str, str]) -> str:
    return "Nobody yet" if code is None else names.get(code, GONE)


def history(plan: ReleasePlan) -> list[VersionView]:
    """Every version, newest first; owners named as the team is now."""
    names = dict(owner_choices(plan)) | OWNER_LABELS
    return [
        VersionView(
            version,
            [
                ItemAsItStood(
                    title=item["title"],
                    status=ItemStatus(item["status"]).label,
                    due_on=date.fromisoformat(item["due_on"]) if item["due_on"] else None,
                    owner=_owner(item["owner"], names),
                )
                for item in version.items
            ],
        )
        for version in reversed(plan.versions)
    ]


def lifecycle_context(
    plan: ReleasePlan,
    *,
    review: ReviewForm | None = None,
    phase: PhaseForm | None = None,
) -> dict[str, Any]:
    """The plan page's context for the review and phase forms, the history and the referrals
    that serve items (a posted form with its errors replaces the fresh one)."""
    return {
        "review_form": review or review_form(plan),
        "phase_form": phase or phase_form(plan),
        "history": history(plan),
        "referral_words": REFERRAL_STATUS_WORDS,
    }
