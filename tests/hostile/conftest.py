"""Reuse the route walk's world (one of every object a route needs) for the hostile-input tests."""

from tests.test_route_permissions import world  # noqa: F401  the fixture
