"""PARTNERS_ENV must name a known environment exactly: a typo refuses to start instead of
running a would-be production server as development, with the development secret key."""

from __future__ import annotations

import pytest

import config
from app import create_app


@pytest.fixture
def production_secrets(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key")
    monkeypatch.setenv("DATABASE_URL", "postgresql://partners@db/partners")


@pytest.mark.parametrize(
    "value", ["prod", " production", "Production ", "PRODUCTION", "production\n", "dev", ""]
)
def test_unknown_environment_refuses_to_start(monkeypatch, production_secrets, value):  # noqa: ANN001
    monkeypatch.setenv("PARTNERS_ENV", value)
    with pytest.raises(RuntimeError) as refused:
        config.config_for_environment()
    message = str(refused.value)
    assert repr(value) in message
    assert "development, testing, production" in message


def test_create_app_refuses_an_unknown_environment(monkeypatch, production_secrets):  # noqa: ANN001
    monkeypatch.setenv("PARTNERS_ENV", "prod")
    with pytest.raises(RuntimeError, match="PARTNERS_ENV is 'prod'"):
        create_app()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("development", config.Config),
        ("testing", config.TestingConfig),
        ("production", config.ProductionConfig),
    ],
)
def test_known_environments_are_accepted(monkeypatch, production_secrets, value, expected):  # noqa: ANN001
    monkeypatch.setenv("PARTNERS_ENV", value)
    assert config.config_for_environment() is expected


def test_unset_environment_is_development(monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("PARTNERS_ENV", raising=False)
    assert config.config_for_environment() is config.Config
