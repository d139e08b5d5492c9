"""Counselor and provider referral pages (to be written)."""

from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
