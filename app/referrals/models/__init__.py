"""Referral tables; import models from here."""

from app.referrals.models.client import CareTeamMember, Client, Consent
from app.referrals.models.referral import Referral, ReferralEvent

__all__ = ["CareTeamMember", "Client", "Consent", "Referral", "ReferralEvent"]
