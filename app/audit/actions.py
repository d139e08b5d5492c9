"""Every action the app writes to the audit trail, in plain words for the people who read it.

One table: the audit page shows these words ("Viewed a person's record", not "client.view") and
its action filter offers them. tests/audit/test_action_words.py reads every `audit("...")` call
in app/ and fails when an action has no words here.
"""

from __future__ import annotations

from app.referrals.workflow import Action

ACTION_WORDS: dict[str, str] = {
    # the catalog
    "service.translation.update": "Changed a service's Spanish text",
    "duplicate.merge": "Merged two records of the directory",
    "duplicate.keep_apart": "Kept two similar records of the directory apart",
    # a person's record and who may see it
    "client.view": "Viewed a person's record",
    "client.create": "Added a person",
    "client.update": "Changed a person's details",
    "client.conditions.update": "Changed a person's supervision conditions",
    "team.add": "Added someone to a care team",
    "team.remove": "Removed someone from a care team",
    "team.coordinator": "Named the care coordinator",
    "consent.record": "Recorded consent to share",
    "consent.revoke": "Revoked consent to share",
    "text_consent.record": "Recorded consent to text messages",
    "text_consent.revoke": "Ended consent to text messages",
    "sms.card": "Sent a discharge card link by text",
    # referrals
    "referral.create": "Sent a referral",
    f"referral.{Action.RECEIVE}": "Opened a referral",
    f"referral.{Action.ACCEPT}": "Accepted a referral",
    f"referral.{Action.WAITLIST}": "Put a referral on the waitlist",
    f"referral.{Action.DECLINE}": "Declined a referral",
    f"referral.{Action.ENROLL}": "Enrolled a person from a referral",
    f"referral.{Action.COMPLETE}": "Completed a referral",
    f"referral.{Action.NOT_ENROLLED}": "Recorded that a person did not enroll",
    f"referral.{Action.CANCEL}": "Cancelled a referral",
    f"referral.{Action.ENTERED_IN_ERROR}": "Marked a referral entered in error",
    # release plans
    "plan.start": "Started a release plan",
    "plan.view": "Viewed a release plan",
    "plan.item.add": "Added a step to a release plan",
    "plan.item.update": "Changed a step of a release plan",
    "plan.item.referral": "Linked a referral to a plan step",
    "plan.item.follow": "A plan step followed its referral",
    "plan.review": "Recorded a plan review",
    "plan.phase": "Handed a plan to its next phase",
    "plan.release": "Recorded a release",
    "plan.answer": "The person answered a plan step",
}


def action_words(action: str) -> str:
    """The plain words for an action; an unknown one (an old entry) is shown as it was stored."""
    return ACTION_WORDS.get(action, action)
