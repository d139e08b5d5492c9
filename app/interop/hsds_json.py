"""Catalog objects as HSDS 3.1 JSON, plus the Partners profile extensions (`x_partners_*`).

Absent values are left out rather than sent as null: HSDS types most fields as plain strings or
numbers, so a null would fail validation. Site visits, users (including who verified a service:
`assurer_email` is never sent) and anything about clients or referrals never appear here.

Profile extensions (extra properties; the HSDS schemas allow them):
- service: `x_partners_eligibility` (structured rules), `x_partners_capacity_status` (one code
  for the service: has_room, waitlist, assessment_required, full, unknown when every figure is
  stale, not_listed), `x_partners_capacities` (every figure with its status, including figures
  with no count, which HSDS `capacities` cannot carry), `x_partners_last_verified` (date-time);
  in full objects `x_partners_translations` (the provider's own wording in other languages:
  language, and any of name, description, documents (what to bring, one item a line),
  application_process, fees_description, eligibility_description, alert).
- organization: `x_partners_sample_data` (true for invented demo data).
- taxonomy_term: `x_partners_name_es` (Spanish name, when we have one).
- service_at_location: `x_partners_distance_m` when the request asked for proximity.
"""

from __future__ import annotations

from datetime import datetime

from app.clock import local_date
from app.common import utcnow
from app.directory.models import (
    Address,
    Language,
    Location,
    Organization,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.interop.hsds_extensions import (
    capacity_extension_json,
    capacity_json,
    capacity_status,
    eligibility_rule_json,
    last_modified,
)
from app.interop.hsds_values import Json, clean, iso, iso_datetime, keep_required
from app.interop.ids import hsds_id, link_id
from app.public.models import ServiceTranslation

# --- small objects ------------------------------------------------------------------------------


def phone_json(phone: Phone) -> Json:
    extension = phone.extension if phone.extension and phone.extension.isdigit() else None
    return clean(
        {
            "id": phone.id,
            "location_id": phone.location_id,
            "service_id": phone.service_id,
            "organization_id": phone.organization_id,
            "service_at_location_id": phone.service_at_location_id,
            "number": phone.number,
            "extension": int(extension) if extension else None,
            "type": phone.type,
            "description": phone.description,
        }
    )


def schedule_json(schedule: Schedule) -> Json:
    return clean(
        {
            "id": schedule.id,
            "service_id": schedule.service_id,
            "location_id": schedule.location_id,
            "service_at_location_id": schedule.service_at_location_id,
            "valid_from": iso(schedule.valid_from),
            "valid_to": iso(schedule.valid_to),
            "freq": schedule.freq,
            "byday": schedule.byday,
            "opens_at": iso(schedule.opens_at),
            "closes_at": iso(schedule.closes_at),
            "description": schedule.description,
            "notes": schedule.notes,
        }
    )


def language_json(language: Language) -> Json:
    return clean(
        {
            "id": language.id,
            "service_id": language.service_id,
            "location_id": language.location_id,
            "phone_id": language.phone_id,
            "name": language.name,
            "code": language.code,
            "note": language.note,
        }
    )


def address_json(address: Address) -> Json:
    return clean(
        {
            "id": address.id,
            "location_id": address.location_id,
            "attention": address.attention,
            "address_1": address.address_1,
            "address_2": address.address_2,
            "city": address.city,
            "region": address.region,
            "state_province": address.state_province,
            "postal_code": address.postal_code,
            "country": address.country,
            "address_type": address.address_type,
        }
    )


def required_document_json(doc: RequiredDocument) -> Json:
    return clean({"id": doc.id, "service_id": doc.service_id, "document": doc.document,
                   "uri": doc.uri})  # fmt: skip


def program_json(program: Program) -> Json:
    return keep_required(
        {"id": program.id, "organization_id": program.organization_id,
         "alternate_name": program.alternate_name},
        name=program.name,
        description=program.description or "",
    )  # fmt: skip


def taxonomy_json(taxonomy: Taxonomy) -> Json:
    return keep_required(
        {"id": hsds_id(taxonomy.id), "uri": taxonomy.uri, "version": taxonomy.version},
        name=taxonomy.name,
        description=taxonomy.description or "",
    )


def taxonomy_term_json(term: TaxonomyTerm, *, detail: bool = True) -> Json:
    out = keep_required(
        {
            "id": hsds_id(term.id),
            "code": term.code,
            "parent_id": hsds_id(term.parent_id),
            "taxonomy": term.taxonomy,
            "language": term.language,
            "taxonomy_id": hsds_id(term.taxonomy_id),
            "term_uri": term.term_uri,
            "x_partners_name_es": term.name_es,
        },
        name=term.name,
        description=term.description or "",
    )
    if detail and term.taxonomy_ref is not None:
        out["taxonomy_detail"] = taxonomy_json(term.taxonomy_ref)
    return out


def service_attribute_json(service: Service, term: TaxonomyTerm) -> Json:
    """HSDS 3.1 links a service to a taxonomy term through an attribute."""
    return {
        "id": link_id(service.id, hsds_id(term.id)),
        "link_id": service.id,
        "link_type": "service_taxonomy",
        "link_entity": "service",
        "taxonomy_term_id": hsds_id(term.id),
        "taxonomy_term": taxonomy_term_json(term),
    }


# --- the main objects ---------------------------------------------------------------------------


def organization_list_json(org: Organization) -> Json:
    out = keep_required(
        {
            "id": org.id,
            "alternate_name": org.alternate_name,
            "email": org.email,
            "website": org.website,
            "tax_status": org.tax_status,
            "tax_id": org.tax_id,
            "year_incorporated": org.year_incorporated,
            "legal_status": org.legal_status,
            "uri": org.uri,
        },
        name=org.name,
        description=org.description or "",
    )
    out["x_partners_sample_data"] = bool(org.is_sample)
    return out


def organization_full_json(org: Organization, *, full_service: bool = False) -> Json:
    out = organization_list_json(org)
    out["phones"] = [phone_json(p) for p in org.phones]
    out["locations"] = [location_full_json(loc) for loc in org.locations]
    out["programs"] = [program_json(p) for p in org.programs]
    if full_service:
        out["services"] = [service_full_json(s, with_organization=False) for s in org.services]
    else:
        out["services"] = [service_list_json(s, with_organization=False) for s in org.services]
    return out


def location_json(location: Location) -> Json:
    return clean(
        {
            "id": location.id,
            "location_type": location.location_type or "physical",
            "url": location.url,
            "organization_id": location.organization_id,
            "name": location.name,
            "alternate_name": location.alternate_name,
            "description": location.description,
            "transportation": location.transportation,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "external_identifier": location.external_identifier,
            "external_identifier_type": location.external_identifier_type,
        }
    )


def location_full_json(location: Location) -> Json:
    out = location_json(location)
    out["addresses"] = [address_json(a) for a in location.addresses]
    out["phones"] = [phone_json(p) for p in location.phones]
    return out


def service_minimal_json(service: Service) -> Json:
    return {"id": service.id, "last_modified": iso_datetime(last_modified(service))}


def service_list_json(
    service: Service, *, with_organization: bool = True, now: datetime | None = None
) -> Json:
    now = now or utcnow()
    verified = service.last_verified_at
    out = keep_required(
        {
            "id": service.id,
            "organization_id": service.organization_id,
            "program_id": service.program_id,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "interpretation_services": service.interpretation_services,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "wait_time": service.wait_time,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": local_date(verified).isoformat() if verified else None,
            "licenses": service.licenses,
            "alert": service.alert,
            "last_modified": iso_datetime(last_modified(service)),
            "x_partners_last_verified": iso_datetime(verified),
        },
        name=service.name,
        status=str(service.status),
    )
    if with_organization:
        out["organization"] = organization_list_json(service.organization)
    if service.program is not None:
        out["program"] = program_json(service.program)
    out["x_partners_capacity_status"] = capacity_status(service, now)
    out["x_partners_eligibility"] = [eligibility_rule_json(r) for r in service.eligibility_rules]
    return out


def service_full_json(
    service: Service, *, with_organization: bool = True, now: datetime | None = None
) -> Json:
    now = now or utcnow()
    out = service_list_json(service, with_organization=with_organization, now=now)
    out["phones"] = [phone_json(p) for p in service.phones]
    out["schedules"] = [schedule_json(s) for s in service.schedules]
    out["service_at_locations"] = [
        keep_required(
            {
                "service_id": sal.service_id,
                "location_id": sal.location_id,
                "description": sal.description,
            },
            id=sal.id,
            location=location_full_json(sal.location),
        )  # fmt: skip
        for sal in service.service_at_locations
    ]
    out["languages"] = [language_json(lang) for lang in service.languages]
    out["required_documents"] = [required_document_json(d) for d in service.required_documents]
    out["capacities"] = [capacity_json(c) for c in service.capacities if c.available is not None]
    out["x_partners_capacities"] = [capacity_extension_json(c, now) for c in service.capacities]
    out["attributes"] = [service_attribute_json(service, t) for t in service.taxonomy_terms]
    out["x_partners_translations"] = [translation_json(t) for t in service.translations]
    return out


TRANSLATED = ("name", "description", "documents", "application_process", "fees_description",
              "eligibility_description", "alert")  # fmt: skip


def translation_json(row: ServiceTranslation) -> Json:
    return clean({"language": row.language, **{k: getattr(row, k) for k in TRANSLATED}})


def service_at_location_json(
    sal: ServiceAtLocation,
    *,
    full: bool = False,
    distance_m: float | None = None,
    now: datetime | None = None,
) -> Json:
    out = keep_required(
        {"service_id": sal.service_id, "location_id": sal.location_id,
         "description": sal.description},
        id=sal.id,
    )  # fmt: skip
    if full:
        out["location"] = location_full_json(sal.location)
        out["service"] = service_full_json(sal.service, now=now)
    else:
        out["location"] = location_json(sal.location)
        out["service"] = service_list_json(sal.service, now=now)
    if distance_m is not None:
        out["x_partners_distance_m"] = round(distance_m, 1)
    return out
