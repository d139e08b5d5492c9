"""The demo organizations: invented names, real Connecticut towns, every need area covered.

Every name here is made up for the demo. Each organization gets " (Sample)" appended and a
description starting "Sample data — invented for demonstration." when loaded. Options left out
of a service are drawn from the need area's profile (demo_profiles.py). Housing organizations
live in demo_data_housing.py.
"""

from __future__ import annotations

from app.directory.vocabulary import Document
from app.seeding.demo_data_housing import (
    HOUSING_ORGANIZATIONS,
    PROVIDER2_ORG,
    PROVIDER_ORG,
)
from app.seeding.demo_profiles import (
    BRING_DD214,
    MAT_YES,
    MEDICAID,
    MEN,
    NO_REGISTRY,
    PAROLE_TS,
    SOBER,
    VETERANS,
    YOUNG_ADULTS,
    A,
    C,
    Org,
    Svc,
    org,
    rule,
)

__all__ = ["ORGANIZATIONS", "PROVIDER2_ORG", "PROVIDER_ORG", "SITE_VISITS", "Org", "Svc"]

# fmt: off
OTHER_ORGANIZATIONS: tuple[Org, ...] = (
    # Substance-use treatment
    org(
        PROVIDER2_ORG, "Hartford", "Outpatient addiction treatment.",
        Svc("Riverbend Outpatient Program", "substance_use", rules=(MEDICAID,),
            capacity="waitlist", languages=("es",)),
        Svc("Riverbend MAT Clinic", "substance_use", rules=(MAT_YES, MEDICAID),
            capacity="assessment", hours="office_sat"),
        Svc("Riverbend Intensive Outpatient", "substance_use", capacity="stale"),
    ),
    org(
        "Summit Path Treatment Center", "Waterbury", "Residential treatment.",
        Svc("Summit Path Residential Treatment", "substance_use", rules=(MEDICAID, SOBER),
            capacity="full", hours="24h"),
    ),
    org(
        "Blue Heron Detox and Stabilization", "Bridgeport", "Medical detox.",
        Svc("Blue Heron Detox Beds", "substance_use", rules=(MEDICAID,), capacity="fresh",
            hours="24h", languages=("es", "pt")),
    ),
    org(
        "Pinecrest Counseling Collaborative", "Manchester", "Counseling for addiction.",
        Svc("Pinecrest Evening Recovery Groups", "substance_use", hours="evening"),
    ),
    org(
        "Kettle Pond Peer Recovery Center", "Norwich", "A peer-run recovery center.",
        Svc("Kettle Pond Recovery Coaching", "substance_use",
            rules=(rule(C.MEDICAID_ACCEPTED, A.UNKNOWN),)),
        Svc("Kettle Pond All-Recovery Meetings", "mentoring", hours="evening"),
    ),
    # Mental health
    org(
        "Tamarack Counseling Center", "New Haven", "Outpatient mental health care.",
        Svc("Tamarack Adult Counseling", "mental_health", languages=("es", "ar")),
        Svc("Tamarack Psychiatric Medication Clinic", "mental_health", rules=(MEDICAID,)),
    ),
    org(
        "Quillfeather Behavioral Health", "Stamford", "Counseling and care coordination.",
        Svc("Quillfeather Re-entry Counseling", "mental_health", languages=("es", "ht")),
    ),
    org(
        "Windrose Crisis and Counseling", "Bristol", "Crisis care and counseling.",
        Svc("Windrose Walk-in Crisis Care", "mental_health", hours="24h", capacity="fresh"),
    ),
    org(
        "Silver Maple Trauma Recovery", "Hamden", "Trauma-focused therapy groups.",
        Svc("Silver Maple Trauma Groups", "mental_health", hours="evening"),
    ),
    # Healthcare
    org(
        "Elm Hollow Community Clinic", "Bridgeport", "A community clinic.",
        Svc("Elm Hollow Primary Care", "healthcare", languages=("es", "pt")),
        Svc("Elm Hollow Dental Clinic", "healthcare", capacity="full"),
    ),
    org(
        "Marigold Health Van", "Hartford", "A mobile clinic that parks at shelters.",
        Svc("Marigold Mobile Clinic", "healthcare", hours="office_sat", languages=("es", "vi")),
    ),
    org(
        "Cobblestone Dental Access", "New Britain", "Low-cost dental care.",
        Svc("Cobblestone Emergency Dental Care", "healthcare", languages=("pl", "es")),
    ),
    org(
        "Three Oaks Family Health", "Enfield", "Family doctors and prescriptions.",
        Svc("Three Oaks Walk-in Clinic", "healthcare", capacity="stale"),
    ),
    # Employment and job training
    org(
        "Anvil and Oak Workforce Center", "Hartford", "Jobs help for people with records.",
        Svc("Anvil and Oak Job Placement", "employment", capacity="fresh", verified_days=2),
        Svc("Anvil and Oak Résumé and Interview Workshop", "employment", hours="evening"),
    ),
    org(
        "Second Shift Staffing Partners", "Waterbury", "Temporary jobs that can turn permanent.",
        Svc("Second Shift Warehouse and Kitchen Jobs", "employment",
            rules=(rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE),
                   rule(C.DOCUMENTS, A.YES, Document.STATE_ID, Document.SOCIAL_SECURITY_CARD)),
            capacity="fresh"),
    ),
    org(
        "Tool Belt Trades Academy", "New Haven", "Construction training.",
        Svc("Tool Belt Pre-Apprenticeship", "employment", capacity="waitlist"),
        Svc("Tool Belt Forklift Certificate", "employment", capacity="full"),
    ),
    org(
        "Young Builders Apprenticeship", "Bridgeport", "Paid training for young adults.",
        Svc("Young Builders Paid Training", "employment", rules=(YOUNG_ADULTS,),
            capacity="fresh", languages=("es",)),
    ),
    org(
        "Greenline Transitional Jobs", "Norwalk", "Paid work crews while you look for a job.",
        Svc("Greenline Work Crew", "employment", rules=(PAROLE_TS,), capacity="stale"),
    ),
    # Benefits and ID documents
    org(
        "Paper Trail ID Clinic", "Hartford", "Help getting ID documents.",
        Svc("Paper Trail ID Document Help", "entitlements", capacity="fresh",
            languages=("es",)),
    ),
    org(
        "Benefit Bridge Navigators", "New Haven", "Benefits sign-up help.",
        Svc("Benefit Bridge SNAP and HUSKY Sign-up", "entitlements", capacity="fresh"),
        Svc("Benefit Bridge Phone Help Line", "entitlements", hours="office_late"),
    ),
    org(
        "Harvest Gate Benefits Desk", "Danbury", "Benefits help in several languages.",
        Svc("Harvest Gate Benefits Desk", "entitlements", languages=("es", "pt")),
    ),
    org(
        "Steady Ground SSI Advocates", "Waterbury", "Help applying for disability benefits.",
        Svc("Steady Ground SSI and SSDI Applications", "entitlements", capacity="waitlist"),
    ),
    # Mentoring and peer support
    org(
        "Walking Together Mentors", "New Britain", "One-to-one mentoring.",
        Svc("Walking Together Mentoring", "mentoring", capacity="fresh"),
    ),
    org(
        "Fellow Travelers Veterans Peer Network", "Manchester", "Veterans helping veterans.",
        Svc("Fellow Travelers Veteran Peer Mentors", "mentoring",
            rules=(VETERANS, rule(C.DOCUMENTS, A.YES, Document.DD214)), bring=(BRING_DD214,)),
    ),
    org(
        "Lamplighter Peer Circle", "Middletown", "Peer support groups.",
        Svc("Lamplighter Weekly Peer Circle", "mentoring", hours="evening"),
    ),
    # Family support
    org(
        "Kinship Table Family Center", "Bridgeport", "Support for families of people inside.",
        Svc("Kinship Table Family Reunification", "family", languages=("es",)),
        Svc("Kinship Table Family Visit Rides", "transportation"),
    ),
    org(
        "Little Acorns Childcare Co-op", "Hartford", "Childcare while parents work or study.",
        Svc("Little Acorns Childcare", "family", rules=(NO_REGISTRY,), capacity="full"),
    ),
    org(
        "Homecoming Dads Group", "Meriden", "Parenting support for fathers.",
        Svc("Homecoming Dads Parenting Class", "family", rules=(MEN,), hours="evening"),
    ),
    # Transportation
    org(
        "Wheels Forward Ride Program", "New Haven", "Rides to appointments.",
        Svc("Wheels Forward Rides", "transportation"),
    ),
    org(
        "Transit Token Fund", "Torrington", "Bus passes for people in need.",
        Svc("Transit Token Bus Passes", "transportation", status="temporarily closed",
            alert="Out of bus passes until the next grant arrives."),
        Svc("Transit Token Gas Cards", "transportation"),
    ),
    # Education
    org(
        "Second Chapter Learning Center", "Hartford", "Adult education.",
        Svc("Second Chapter GED Classes", "education", capacity="fresh"),
        Svc("Second Chapter Reading Tutors", "education", hours="evening"),
    ),
    org(
        "Open Book Literacy Project", "Waterbury", "Reading and writing help.",
        Svc("Open Book Adult Literacy", "education", languages=("es",)),
    ),
    org(
        "Pathway College Bridge", "Stamford", "Help starting college.",
        Svc("Pathway College Bridge Program", "education", capacity="waitlist",
            rules=(rule(C.AGE, A.YES, min_age=18),)),
    ),
    # Legal aid
    org(
        "Fairwind Legal Clinic", "Hartford", "Free legal help.",
        Svc("Fairwind Record Clearing and Pardons", "legal",
            rules=(rule(C.RESIDENCE, A.YES, "Hartford County"),), capacity="waitlist"),
        Svc("Fairwind Eviction Defense", "legal", capacity="full"),
    ),
    org(
        "Harbor Street Legal Aid", "New London", "Civil legal aid.",
        Svc("Harbor Street Legal Aid Intake", "legal", capacity="stale"),
    ),
    org(
        "Fine and Fee Relief Project", "Bridgeport", "Help with court fines and fees.",
        Svc("Fine and Fee Relief Clinic", "legal", languages=("es",)),
    ),
    # Food
    org(
        "Full Plate Pantry", "Norwalk", "A food pantry.",
        Svc("Full Plate Food Pantry", "food", hours="pantry", languages=("es", "ht")),
    ),
    org(
        "Common Table Community Meals", "Willimantic", "Free meals every day.",
        Svc("Common Table Hot Meals", "food", hours="meals", languages=("es",)),
    ),
    org(
        "Golden Grain Food Shelf", "East Hartford", "Groceries and fresh produce.",
        Svc("Golden Grain Grocery Pantry", "food", hours="pantry"),
    ),
    # Clothing
    org(
        "Second Wardrobe Clothing Closet", "West Haven", "Free clothing.",
        Svc("Second Wardrobe Free Clothing", "clothing"),
    ),
    org(
        "Sharp Start Work Attire", "New Haven", "Clothes for interviews and work.",
        Svc("Sharp Start Interview Clothes", "clothing", hours="office_sat"),
        Svc("Sharp Start Work Boots Vouchers", "clothing"),
    ),
    org(
        "Groton Hands Together Thrift", "Groton", "A thrift store with free vouchers.",
        Svc("Hands Together Clothing Vouchers", "clothing"),
    ),
)
# fmt: on

ORGANIZATIONS: tuple[Org, ...] = HOUSING_ORGANIZATIONS + OTHER_ORGANIZATIONS

# Internal site-visit notes written by the demo counselor: (service name, overall, days ago).
SITE_VISITS: tuple[dict, ...] = (
    {
        "service": "Stonebridge Transitional Rooms",
        "overall": "recommend",
        "days_ago": 21,
        "safety": "good",
        "cleanliness": "good",
        "staff": "good",
        "notes": "Clean rooms, a staffed front desk and a clear house meeting schedule.",
        "house_rules": "Curfew 10 p.m.; weekly house meeting; chores rota.",
        "fees": "30% of income after the first month.",
    },
    {
        "service": "Clearwater Sober House",
        "overall": "with_concerns",
        "days_ago": 48,
        "safety": "adequate",
        "cleanliness": "adequate",
        "staff": "poor",
        "notes": "House manager hard to reach; two residents said the MAT rule is not clear.",
        "mat": "Staff said no MAT at all; one resident said methadone was tolerated.",
        "fees": "$150 a week, first week due at move-in.",
    },
    {
        "service": "Greyfield Step-Down Rooms",
        "overall": "do_not_refer",
        "days_ago": 9,
        "safety": "poor",
        "cleanliness": "poor",
        "staff": "not_seen",
        "notes": "No working smoke detectors on the second floor; no staff on site; "
        "residents reported being charged extra fees in cash.",
        "fees": "Asked for $300 cash up front.",
        "follow_up": "Report the smoke detectors to the town fire marshal and visit again "
        "in 30 days before any referral.",
    },
    {
        "service": "Cedar Crossing Men's Halfway House",
        "overall": "recommend",
        "days_ago": 120,
        "safety": "good",
        "cleanliness": "adequate",
        "staff": "good",
        "notes": "Case manager on site every weekday; residents positive about job help.",
        "house_rules": "Curfew 9 p.m. for the first 30 days.",
    },
)
