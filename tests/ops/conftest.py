"""A second app built from the session app's settings with a few changed (TRUSTED_PROXIES,
LOG_FORMAT, DATABASE_URL ...). The limiter is shared by every app: it is put back after."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from app import create_app
from app.extensions import db, limiter


@pytest.fixture
def make_app(app: Flask, tmp_path) -> Iterator[Callable[..., Flask]]:  # noqa: ANN001
    made: list[Flask] = []
    # Application-wide limits, once set by one app, outlive init_app: put them back by hand.
    application_limits = list(limiter.limit_manager._application_limits)  # noqa: SLF001

    def _make(**settings: object) -> Flask:
        config = dict(app.config)
        config.update({"SEARCH_INDEX_DIR": str(tmp_path / "ops_index"), **settings})
        other = create_app(config)
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()
    limiter.limit_manager.set_application_limits(application_limits)
    limiter.init_app(app)
