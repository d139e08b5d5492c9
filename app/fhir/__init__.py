"""A small read-only HL7 FHIR R4 facade under /fhir/ (SDOH Clinical Care profiles).

canonical.py holds the fixed systems and profile URLs; routes.py the blueprint; the resources
themselves are built by the referral domain (app.referrals.fhir, fhir_request, fhir_consent).
The blueprint is imported by create_app from app.fhir.routes, not from here, so the referral
builders can import canonical.py without pulling in the routes.
"""
