"""JSON API: HSDS 3.1 read endpoints, search, referrals, release plans and capacity (token auth).

Each subject has its own module; importing them registers their routes on `bp`.
The API answers errors as JSON problem bodies (app/errors.py) and is exempt from CSRF:
it is read-only or token-authenticated, never cookie-authenticated for writes.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from app.api import (  # noqa: E402,F401
    capacity,
    conditions,
    hsds,
    plans,
    referral_check,
    referrals,
    search,
    texts,
)
