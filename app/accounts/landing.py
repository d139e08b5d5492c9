"""Where each staff member's day starts: after sign-in (without a `next`), and the link on the
public home page. One table: role -> (start page, the words of the link to it)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.accounts.models import Role

CASELOAD = "plans.caseload"
INBOX = "referrals.inbox"
DASHBOARD = "reports.dashboard"
ADMINISTRATION = "accounts.admin_home"
DIRECTORY = "directory.browse"

# Counselors start at My caseload, provider staff at their referral inbox, analysts at the
# network measures and administrators at the administration page.
HOMES: dict[Role, tuple[str, Any]] = {
    Role.COUNSELOR: (CASELOAD, _l("go to My caseload")),
    Role.PROVIDER: (INBOX, _l("go to your referral inbox")),
    Role.ANALYST: (DASHBOARD, _l("go to Network measures")),
    Role.ADMIN: (ADMINISTRATION, _l("go to Administration")),
}
FALLBACK = (DIRECTORY, _l("go to the directory"))


def home_endpoint(user: Any) -> str:
    return HOMES.get(user.role, FALLBACK)[0]


def home_link_label(user: Any) -> Any:
    """The words of the link to the user's start page, in the page's language."""
    return HOMES.get(user.role, FALLBACK)[1]
