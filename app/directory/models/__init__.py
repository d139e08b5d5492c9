"""The catalog's tables; import models from here."""

from app.directory.models.capacity import CapacityHistory, ServiceCapacity, Unit
from app.directory.models.eligibility import EligibilityRule
from app.directory.models.location import (
    WEEKDAYS,
    Address,
    Location,
    Phone,
    Schedule,
    ServiceAtLocation,
)
from app.directory.models.organization import Organization, Program
from app.directory.models.service import Language, RequiredDocument, Service
from app.directory.models.site_visit import SiteVisit
from app.directory.models.taxonomy import (
    NEED_AREA_TAXONOMY,
    OPEN_ELIGIBILITY_TAXONOMY,
    Taxonomy,
    TaxonomyTerm,
    need_area_mapping,
    service_taxonomy_term,
)

__all__ = [
    "NEED_AREA_TAXONOMY",
    "OPEN_ELIGIBILITY_TAXONOMY",
    "WEEKDAYS",
    "Address",
    "CapacityHistory",
    "EligibilityRule",
    "Language",
    "Location",
    "Organization",
    "Phone",
    "Program",
    "RequiredDocument",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "ServiceCapacity",
    "SiteVisit",
    "Taxonomy",
    "TaxonomyTerm",
    "Unit",
    "need_area_mapping",
    "service_taxonomy_term",
]
