"""Demo organizations in the five housing need areas (see demo_data.py for the rest)."""

from __future__ import annotations

from app.directory.vocabulary import Document, Gender
from app.seeding.demo_profiles import (
    ADULTS_ONLY,
    BRING_DD214,
    FAMILIES,
    MAT_NO,
    MAT_YES,
    MEN,
    NO_ARSON,
    NO_REGISTRY,
    PAROLE_TS,
    SOBER,
    UNKNOWN_REGISTRY,
    VETERANS,
    WOMEN,
    YOUNG_ADULTS,
    A,
    C,
    Org,
    Svc,
    org,
    rule,
)

SHELTER = "housing.emergency_shelter"
TRANSITIONAL = "housing.transitional"
RECOVERY = "housing.recovery"
PERMANENT = "housing.permanent"

# The provider@example.org and provider2@example.org organizations (see demo.DEMO_USERS).
PROVIDER_ORG = "Cedar Crossing Reentry Homes"
PROVIDER2_ORG = "Riverbend Recovery Services"

# fmt: off
HOUSING_ORGANIZATIONS: tuple[Org, ...] = (
    # Emergency shelter
    org(
        "Lantern Row Shelter", "Bridgeport", "An emergency shelter run by volunteers.",
        Svc("Lantern Row Overnight Shelter", SHELTER, hours="24h", capacity="full"),
        Svc("Lantern Row Warming Center", SHELTER, hours="overnight", capacity="fresh",
            alert="Open November to March only."),
        Svc("Lantern Row Free Breakfast", "food", hours="meals"),
    ),
    org(
        "Birchwood Night Haven", "Hartford", "Emergency beds for single adults.",
        Svc("Birchwood Men's Emergency Shelter", SHELTER, rules=(MEN,), hours="24h",
            capacity="fresh", languages=("es", "pt")),
    ),
    org(
        "Old Mill Emergency Beds", "Waterbury", "Overnight beds in a converted mill.",
        Svc("Old Mill Overnight Shelter", SHELTER, hours="overnight", capacity="stale",
            verified_days=None, rules=(ADULTS_ONLY,)),
    ),
    org(
        "Shoreline Welcome House", "New London", "Shelter for adults and families.",
        Svc("Shoreline Adult and Family Shelter", SHELTER, hours="24h", rules=(FAMILIES,)),
    ),
    org(
        "Quiet Harbor Women's Shelter", "Stamford", "A shelter for women.",
        Svc("Quiet Harbor Emergency Beds for Women", SHELTER,
            rules=(rule(C.GENDER, A.YES, Gender.FEMALE, Gender.TRANSGENDER_NONBINARY),),
            hours="24h", languages=("es", "ht")),
    ),
    # Transitional and halfway housing
    org(
        PROVIDER_ORG, "Hartford", "Halfway houses for people coming home from prison.",
        Svc("Cedar Crossing Men's Halfway House", TRANSITIONAL,
            rules=(MEN, NO_REGISTRY, NO_ARSON, PAROLE_TS), capacity="fresh", verified_days=3),
        Svc("Cedar Crossing Women's House", TRANSITIONAL,
            rules=(WOMEN, NO_ARSON, rule(C.SEX_OFFENSE_REGISTRY, A.CASE_BY_CASE)),
            capacity="stale", verified_days=75),
        Svc("Cedar Crossing Aftercare Group", "mentoring", capacity="waitlist", hours="evening"),
    ),
    org(
        "Stonebridge Transitional Residence", "New Haven", "Transitional housing with jobs help.",
        Svc("Stonebridge Transitional Rooms", TRANSITIONAL,
            rules=(NO_REGISTRY, NO_ARSON, rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE)),
            capacity="full", languages=("es", "ar")),
    ),
    org(
        "Two Rivers Halfway House", "Waterbury", "A halfway house for people on parole.",
        Svc("Two Rivers Parole Residence", TRANSITIONAL,
            rules=(rule(C.SUPERVISION, A.YES, "parole"), rule(C.SEX_OFFENSE_REGISTRY,
                                                               A.CASE_BY_CASE)),
            capacity="waitlist"),
    ),
    org(
        "Greyfield Step-Down House", "Bridgeport", "A privately run rooming house.",
        Svc("Greyfield Step-Down Rooms", TRANSITIONAL, rules=(UNKNOWN_REGISTRY,),
            capacity="fresh", verified_days=None),
    ),
    org(
        "Maple Terrace Transitional Living", "New Britain", "Shared apartments with support.",
        Svc("Maple Terrace Shared Apartments", TRANSITIONAL, rules=(NO_ARSON,),
            capacity="assessment", languages=("es", "pl")),
    ),
    org(
        "Northgate Residence for Young Adults", "Middletown", "Housing for young adults.",
        Svc("Northgate Young Adult Housing", TRANSITIONAL, rules=(YOUNG_ADULTS, NO_REGISTRY),
            capacity="fresh"),
        Svc("Northgate Life Skills Coaching", "mentoring", rules=(YOUNG_ADULTS,)),
    ),
    # Sober and recovery housing
    org(
        "Clearwater Sober Living", "Meriden", "Sober houses for men and women.",
        Svc("Clearwater Sober House", RECOVERY, rules=(MAT_NO, SOBER, NO_ARSON),
            capacity="fresh"),
    ),
    org(
        "Hilltop Recovery Residences", "Torrington", "Recovery housing that welcomes MAT.",
        Svc("Hilltop MAT-Friendly Recovery House", RECOVERY, rules=(MAT_YES, SOBER, NO_REGISTRY),
            capacity="waitlist"),
    ),
    org(
        "Thornbury Recovery House", "Norwich", "A recovery house for men.",
        Svc("Thornbury Men's Recovery House", RECOVERY,
            rules=(MEN, SOBER, rule(C.MAT_ALLOWED, A.CASE_BY_CASE)), capacity="stale"),
    ),
    org(
        "Willow Bend Sober Homes", "Willimantic", "Peer-run sober homes.",
        Svc("Willow Bend Sober Home", RECOVERY, rules=(MAT_YES, SOBER, NO_ARSON),
            languages=("es",)),
    ),
    org(
        "Ironwood House for Women", "East Hartford", "Recovery housing for women and mothers.",
        Svc("Ironwood Women's Recovery House", RECOVERY, rules=(WOMEN, MAT_YES, SOBER),
            capacity="full"),
        Svc("Ironwood Mothers' Circle", "family", rules=(WOMEN,)),
    ),
    # Permanent housing
    org(
        "Brightwater Supportive Housing", "Hartford", "Supportive apartments across the county.",
        Svc("Brightwater Supportive Apartments", PERMANENT,
            rules=(NO_REGISTRY, rule(C.RESIDENCE, A.YES, "Hartford County"),
                   rule(C.DOCUMENTS, A.YES, Document.STATE_ID, Document.SOCIAL_SECURITY_CARD,
                        Document.BIRTH_CERTIFICATE)),
            capacity="waitlist"),
    ),
    org(
        "Evergreen Key Housing Partners", "Norwalk", "Help paying rent and deposits.",
        Svc("Evergreen Key Rental Assistance", PERMANENT,
            # rent help needs income verified before anything is paid: strictly required
            rules=(rule(C.RESIDENCE, A.YES, "Norwalk", "Stamford"),
                   rule(C.DOCUMENTS, A.YES, Document.PROOF_OF_INCOME, strict=True)),
            capacity="waitlist",
            languages=("es", "ht")),
    ),
    org(
        "Foundation Stone Homes", "Danbury", "Housing vouchers and landlord matching.",
        Svc("Foundation Stone Voucher Program", PERMANENT, capacity="assessment",
            languages=("es", "pt")),
    ),
    org(
        "Homefront Veterans Apartments", "West Haven", "Apartments for veterans.",
        Svc("Homefront Apartments for Veterans", PERMANENT,
            rules=(VETERANS, rule(C.DOCUMENTS, A.YES, Document.DD214)), capacity="fresh",
            bring=(BRING_DD214,)),
    ),
    # Housing (general)
    org(
        "Compass Point Housing Navigators", "Hartford", "Housing search help.",
        Svc("Compass Point Housing Search Help", "housing"),
        Svc("Compass Point Security Deposit Fund", PERMANENT, capacity="stale"),
    ),
    org(
        "Keystone Housing Help Desk", "Bristol", "A walk-in housing help desk.",
        Svc("Keystone Housing Help Desk", "housing", hours="office_sat"),
    ),
)
# fmt: on
