"""The search suite's fixtures and per-backend parametrisation (Whoosh, and PostgreSQL when the
suite runs on it) for the conditions' search tests."""

from tests.search.conftest import (  # noqa: F401
    find,
    index_dir,
    pytest_generate_tests,
    search_backend,
    taxonomy,
)
