"""The permission module denies by default: an object whose owner is unknown is admins' only."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.permissions import RULES, can
from tests import factories


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.PROVIDER, Role.ANALYST])
def test_no_rule_grants_a_non_admin_an_object_whose_owner_is_unknown(app, role):  # noqa: ANN001
    org = factories.make_organization()
    user = factories.make_user(role, organizations=[org] if role == Role.PROVIDER else ())
    granted = [action for action in RULES if can(user, action, None)]
    assert granted == []


def test_admins_keep_access_to_objects_whose_owner_is_unknown(app):  # noqa: ANN001
    admin = factories.make_user(Role.ADMIN)
    assert all(can(admin, action, None) for action in RULES)


def test_leaving_the_object_out_still_asks_the_role_level_question(app):  # noqa: ANN001
    counselor = factories.make_user(Role.COUNSELOR)
    assert can(counselor, "client.view") and can(counselor, "service.view")
    assert not can(counselor, "user.manage")
