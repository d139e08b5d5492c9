"""Counselor and provider referral pages. The blueprint lives here; views live by subject in
routes_clients.py, routes_referrals.py and routes_inbox.py (imported at the end so they can
import `bp` from this module)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/referrals")

from app.referrals import routes_clients, routes_inbox, routes_referrals  # noqa: E402, F401
