"""Where each staff member's day starts: after sign-in (without a `next`), and the link on the
public home page. Counselors start at My caseload; everyone else where they always have."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Role

CASELOAD = "plans.caseload"
DIRECTORY = "directory.browse"


def home_endpoint(user: Any) -> str:
    return CASELOAD if user.role == Role.COUNSELOR else DIRECTORY
