"""The referral form opened from a search result for a plan item: the usual referral fields,
plus, when no consent on file covers the service, a short consent for its organization only.

The consent fields keep the consent service's names (shares, signed_on, expires_on), so a
message it raises lands next to its field.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from wtforms import BooleanField, DateField
from wtforms.validators import InputRequired, ValidationError

from app.plausible import DateKind, PlausibleDate
from app.referrals.data import ConsentData
from app.referrals.forms.common import MultiCheckboxField, enum_choices
from app.referrals.forms.referrals import ReferralForm
from app.referrals.vocabulary import ConsentShare

CONSENT_FIELDS = ("consent_signed", "shares", "signed_on", "expires_on")
# Pre-ticked in the short consent: what a provider needs to act, and the eligibility answers
# (suggested: the provider then sees why the person fits without asking again).
SUGGESTED_SHARES = (
    ConsentShare.IDENTITY,
    ConsentShare.CONTACT,
    ConsentShare.ELIGIBILITY,
    ConsentShare.NOTE,
)
CONSENT_DAYS = 365  # a new consent's default length


class ItemReferralForm(ReferralForm):
    consent_signed = BooleanField("The person signed a consent to share with this organization")
    shares = MultiCheckboxField(
        "What the person agreed to share",
        choices=enum_choices(ConsentShare),
        validators=[InputRequired(message="Tick at least one thing that may be shared.")],
    )
    signed_on = DateField(
        "Consent signed on",
        validators=[
            InputRequired(message="Enter the date the consent was signed."),
            PlausibleDate(DateKind.CONSENT_SIGNED),
        ],
    )
    expires_on = DateField(
        "Consent ends on",
        validators=[
            InputRequired(message="Enter the date the consent ends."),
            PlausibleDate(DateKind.CONSENT_EXPIRES),
        ],
    )

    def without_consent_step(self) -> None:
        """A consent on file covers the service: the consent fields are not asked."""
        for name in CONSENT_FIELDS:
            delattr(self, name)

    @property
    def asks_consent(self) -> bool:
        return "shares" in self

    def consent_defaults(self, today: date) -> None:
        self.shares.data = [share.value for share in SUGGESTED_SHARES]
        self.signed_on.data = today
        self.expires_on.data = today + timedelta(days=CONSENT_DAYS)

    def validate_consent_signed(self, field: Any) -> None:
        if not field.data:
            raise ValidationError("Tick this to confirm the person signed the consent form.")

    def validate_expires_on(self, field: Any) -> None:
        if field.data and self.signed_on.data and field.data < self.signed_on.data:
            raise ValidationError("The consent cannot end before it is signed.")

    def new_consent(self) -> ConsentData | None:
        """The short consent (its organization is the service's, set by the service)."""
        if not self.asks_consent:
            return None
        return ConsentData(
            organization_id=None,
            need_area_code=None,
            shares=list(self.shares.data or []),
            signed_on=self.signed_on.data,
            expires_on=self.expires_on.data,
        )
