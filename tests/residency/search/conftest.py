"""The residency search tests run once per search backend (Whoosh, and PostgreSQL when the
suite runs on it), like the search suite."""

from tests.search.conftest import pytest_generate_tests, search_backend  # noqa: F401
