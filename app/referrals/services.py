"""The referral service layer: the pages, the API and the CLI call only these functions.

Every function flushes and never commits (the caller commits once), takes the acting user,
raises domain errors (app.referrals.errors) and never reads Flask's request. The functions live
in focused sibling modules and are all importable from here.
"""

from __future__ import annotations

from app.referrals.alternatives import suggest_alternatives
from app.referrals.clients import (
    NO_SUCH_COUNSELOR,
    add_team_member,
    client_profile,
    counselor_by_email,
    create_client,
    find_possible_duplicates,
    remove_team_member,
    set_coordinator,
    update_client,
    visible_clients_query,
)
from app.referrals.consent import (
    active_consent_for,
    consent_state,
    provider_view_of_client,
    record_consent,
    revoke_consent,
)
from app.referrals.data import ClientData, ConsentData, ReferralData, Warning
from app.referrals.deadlines import business_days_after, is_overdue
from app.referrals.errors import (
    ConsentRequired,
    DuplicateClient,
    InvalidTransition,
    MissingField,
    NoRoomLeft,
    NotAllowed,
    ReferralValidationError,
    StaleReferral,
)
from app.referrals.inbox import inbox_query
from app.referrals.permissions import sides_of
from app.referrals.reads import record_client_read, record_referral_read
from app.referrals.reminders import notify_expiring_consents, remind_overdue
from app.referrals.sending import referral_warnings, send_referral
from app.referrals.steps import actions_for, open_referral_as_provider, transition

__all__ = [
    "ClientData",
    "ConsentData",
    "ConsentRequired",
    "DuplicateClient",
    "InvalidTransition",
    "MissingField",
    "NO_SUCH_COUNSELOR",
    "NoRoomLeft",
    "NotAllowed",
    "ReferralData",
    "ReferralValidationError",
    "StaleReferral",
    "Warning",
    "actions_for",
    "active_consent_for",
    "add_team_member",
    "business_days_after",
    "client_profile",
    "consent_state",
    "counselor_by_email",
    "create_client",
    "find_possible_duplicates",
    "inbox_query",
    "is_overdue",
    "open_referral_as_provider",
    "provider_view_of_client",
    "record_client_read",
    "record_consent",
    "record_referral_read",
    "referral_warnings",
    "notify_expiring_consents",
    "remind_overdue",
    "remove_team_member",
    "revoke_consent",
    "send_referral",
    "set_coordinator",
    "sides_of",
    "suggest_alternatives",
    "transition",
    "update_client",
    "visible_clients_query",
]
