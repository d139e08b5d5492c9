"""suggest_alternatives: same need area, active, not ruled out, fresh room, nearest first."""

from __future__ import annotations

from app.directory.models import TaxonomyTerm
from app.directory.vocabulary import Answer, Criterion, ServiceStatus
from app.referrals.services import suggest_alternatives
from tests import factories

# Town centres (roughly) so locations sit at known distances from Hartford.
PLACES = {
    "Hartford": (41.7658, -72.6734),
    "New Britain": (41.6612, -72.7795),
    "New Haven": (41.3083, -72.9279),
    "Norwich": (41.5243, -72.0759),
}


def housing_service(db, world, name, town, *, room=True, age_days=0, area="housing.transitional"):  # noqa: ANN001,ANN202
    org = factories.make_organization(name=f"{name} Org")
    lat, lon = PLACES[town]
    location = factories.make_location(org, town=town, latitude=lat, longitude=lon)
    service = factories.make_service(org, location=location, name=name)
    service.taxonomy_terms = [db.session.get(TaxonomyTerm, f"need-{area}")]
    db.session.commit()
    if room:
        factories.make_capacity(service, available=2, age_days=age_days)
    return service


def test_nearest_fitting_services_first(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    norwich = housing_service(db, world, "Norwich House", "Norwich")
    new_haven = housing_service(db, world, "Elm City House", "New Haven")
    new_britain = housing_service(db, world, "Hardware City House", "New Britain")
    hartford = housing_service(db, world, "Capitol House", "Hartford")
    assert suggest_alternatives(referral) == [hartford, new_britain, new_haven]
    assert suggest_alternatives(referral, limit=10) == [hartford, new_britain, new_haven, norwich]


def test_exclusions(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    good = housing_service(db, world, "Good House", "New Haven")
    housing_service(db, world, "Full House", "Hartford", room=False)
    housing_service(db, world, "Stale House", "Hartford", age_days=60)
    housing_service(db, world, "Food Pantry", "Hartford", area="food")
    closed = housing_service(db, world, "Closed House", "Hartford")
    closed.status = ServiceStatus.INACTIVE
    veterans = housing_service(db, world, "Veterans House", "Hartford")
    factories.make_rule(veterans, Criterion.VETERANS_ONLY, Answer.YES)
    world.client.eligibility = {"veteran": False}
    already = housing_service(db, world, "Already Tried House", "Hartford")
    db.session.commit()
    factories.make_referral(world.client, already, world.counselor)

    assert suggest_alternatives(referral, limit=10) == [good]  # never its own service either


def test_unknown_eligibility_is_still_suggested(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    maybe = housing_service(db, world, "Maybe House", "Hartford")
    factories.make_rule(maybe, Criterion.SOBRIETY_REQUIRED, Answer.UNKNOWN)
    world.client.eligibility = {"sober": True}
    db.session.commit()
    assert suggest_alternatives(referral) == [maybe]


def test_without_a_destination_town_order_is_by_name(world, db):  # noqa: ANN001
    world.client.destination_town = None
    db.session.commit()
    referral = factories.make_referral(world.client, world.service, world.counselor)
    zed = housing_service(db, world, "Zed House", "Hartford")
    abe = housing_service(db, world, "Abe House", "Norwich")
    assert suggest_alternatives(referral) == [abe, zed]
