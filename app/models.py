"""Imports every model so metadata (create_all, Alembic autogenerate) sees all tables."""

from app.accounts.models import ApiToken, Facility, User, organization_membership  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.conditions.models import SupervisionConditions  # noqa: F401
from app.content_version import ContentVersion  # noqa: F401
from app.directory.models import *  # noqa: F401,F403
from app.interop.models import DuplicateCandidate, ImportRun, SourceRecord  # noqa: F401
from app.jobs.models import JobRun  # noqa: F401
from app.notify.models import Notification, OutboxMessage  # noqa: F401
from app.plans.models import PlanItem, ReleasePlan  # noqa: F401
from app.public.models import (  # noqa: F401
    DischargeCard,
    DischargeCardEntry,
    ProblemReport,
    ProblemReportEvent,
    ServiceTranslation,
)
from app.referrals.models import *  # noqa: F401,F403
from app.reports.models import VerificationReminder  # noqa: F401
from app.residency.models import ResidencyRule, RestrictedSite  # noqa: F401
from app.search.models import GeocodeCache, ZeroResultSearch  # noqa: F401
from app.sms.models import SmsMessage, TextConsent  # noqa: F401
