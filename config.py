"""Settings for Partners, read from the environment with safe development defaults.

Production (`PARTNERS_ENV=production`) refuses to start without SECRET_KEY and DATABASE_URL,
so a mis-deployed server never runs on a guessable key or a throw-away SQLite file; and an
unknown PARTNERS_ENV (a typo such as "prod") refuses to start rather than run as development.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// URLs (Heroku-style and libpq style)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


SEARCH_BACKENDS = ("whoosh", "postgres")
# The automatic choice on PostgreSQL: search rows in the catalog's own transaction, seen by every
# web server at once (a Whoosh folder belongs to one server's disk).
POSTGRES_DEFAULT_SEARCH_BACKEND = "postgres"


def search_backend(setting: str | None, database_url: str) -> str:
    """The search backend: SEARCH_BACKEND when set, else the default for this database.
    The postgres backend needs a PostgreSQL database: anything else refuses to start."""
    name = (setting or "").strip().lower()
    on_postgres = database_url.startswith("postgresql")
    if not name:
        return POSTGRES_DEFAULT_SEARCH_BACKEND if on_postgres else "whoosh"
    if name not in SEARCH_BACKENDS:
        raise RuntimeError(f"SEARCH_BACKEND is {setting!r}; use one of: whoosh, postgres")
    if name == "postgres" and not on_postgres:
        raise RuntimeError("SEARCH_BACKEND=postgres needs DATABASE_URL to be PostgreSQL")
    return name


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'partners.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # "Remember me" lasts 30 days (Flask-Login's default is a year); sign-out ends it at once.
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_COOKIE_DAYS", 30))

    # CSRF on every form (Flask-WTF)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8

    # Request bodies: no form here needs more than a few kB; nothing is uploaded over the web
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 1024 * 1024)

    # Rate limits (Flask-Limiter): memory unless RATELIMIT_STORAGE_URI names Redis
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: each process counts in its own memory until Redis answers again, so sign-in
    # stays limited (never open to guessing) and pages keep answering (never closed to all).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
    CARD_LOOKUP_RATE_LIMIT = os.environ.get("CARD_LOOKUP_RATE_LIMIT", "30 per minute")
    # The person's answers on their card's plan ("I went" ...), on top of the lookup limit
    PLAN_ANSWER_RATE_LIMIT = os.environ.get("PLAN_ANSWER_RATE_LIMIT", "20 per hour; 60 per day")
    # Zero-result searches an anonymous address may add to the unmet-need log (search still works)
    ZERO_RESULT_LOG_RATE_LIMIT = os.environ.get("ZERO_RESULT_LOG_RATE_LIMIT", "20 per hour")
    PROBLEM_REPORT_RATE_LIMIT = os.environ.get(
        "PROBLEM_REPORT_RATE_LIMIT", "5 per hour; 20 per day"
    )

    # Mail (Flask-Mail); development prints nothing and sends to a local server if any
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Partners <no-reply@example.org>")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    # How long a sender holds a message it is sending (app.notify.claims); keep it far longer
    # than MAIL_TIMEOUT. A sender that dies holds it this long before another sends it.
    OUTBOX_CLAIM_SECONDS = _int("OUTBOX_CLAIM_SECONDS", 600)

    # Text messages to the person (app.sms). SMS_PROVIDER=twilio sends through Twilio's Messages
    # API; empty = no provider (messages wait in the SMS outbox, nothing leaves the server).
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
    TWILIO_API_BASE = os.environ.get("TWILIO_API_BASE", "https://api.twilio.com")
    SMS_TIMEOUT = _int("SMS_TIMEOUT", 10)  # seconds per API call
    # Ask Twilio for a text's delivery status when no final report came this many minutes after
    # it was sent (then ever less often), and stop asking once it is this many hours old.
    SMS_STATUS_POLL_MINUTES = _int("SMS_STATUS_POLL_MINUTES", 15)
    SMS_STATUS_POLL_HOURS = _int("SMS_STATUS_POLL_HOURS", 48)

    # Domain settings
    CAPACITY_STALE_DAYS = _int("CAPACITY_STALE_DAYS", 14)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 60 * 60)  # seconds
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    PER_PAGE = 25
    # Discharge-card pages kept per process between changes (app.public.card_cache): how many
    # built cards (0 turns it off) and the longest any one is kept
    CARD_CACHE_SIZE = _int("CARD_CACHE_SIZE", 500)
    CARD_CACHE_SECONDS = _int("CARD_CACHE_SECONDS", 600)
    # Public search pages kept per process for the minute they are true in
    # (app.public.search_cache): how many (0 turns it off)
    SEARCH_CACHE_SIZE = _int("SEARCH_CACHE_SIZE", 500)

    # Search (Whoosh index on disk; geocoding offline unless GEOCODER_NETWORK=1)
    SEARCH_INDEX_DIR = os.environ.get(
        "SEARCH_INDEX_DIR", str(BASE_DIR / "instance" / "search_index")
    )
    # "whoosh" (an index folder, one server) or "postgres" (search rows in the database, any
    # number of servers); empty: the default for DATABASE_URL (see search_backend).
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "")
    GEOCODER_NETWORK = _bool("GEOCODER_NETWORK", False)
    GEOCODER_USER_AGENT = os.environ.get(
        "GEOCODER_USER_AGENT", "partners-reentry-directory/0.1 (admin@example.org)"
    )
    DEFAULT_STATE = os.environ.get("DEFAULT_STATE", "CT")
    # The network's zone: calendar days ("today", ages, form dates, report weeks), open-now.
    TIMEZONE = os.environ.get("TIMEZONE", "America/New_York")

    # Referrals
    REFERRAL_RESPONSE_DAYS = _int("REFERRAL_RESPONSE_DAYS", 2)  # business days
    API_MAX_PER_PAGE = 100
    # Personal API tokens: lifetime offered by default when made, and the longest allowed.
    API_TOKEN_DAYS = _int("API_TOKEN_DAYS", 90)
    API_TOKEN_MAX_DAYS = _int("API_TOKEN_MAX_DAYS", 365)

    # HSDS import (CLI): a file, and a zip in total, over these many bytes is refused
    HSDS_IMPORT_MAX_FILE_BYTES = _int("HSDS_IMPORT_MAX_FILE_BYTES", 100 * 2**20)
    HSDS_IMPORT_MAX_TOTAL_BYTES = _int("HSDS_IMPORT_MAX_TOTAL_BYTES", 300 * 2**20)

    # Background jobs (app.jobs): RQ on Redis. Empty REDIS_URL = no queue: mail is sent after
    # the response, the rest runs from `flask jobs run NAME` (cron).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "partners")
    # Nightly maintenance keeps these many days of: sent or failed e-mail (bodies hold sign-in
    # and confirm links), read in-app notices, zero-result searches (unmet-need reports).
    OUTBOX_KEEP_DAYS = _int("OUTBOX_KEEP_DAYS", 30)
    NOTIFICATION_KEEP_DAYS = _int("NOTIFICATION_KEEP_DAYS", 180)
    ZERO_RESULT_KEEP_DAYS = _int("ZERO_RESULT_KEEP_DAYS", 730)
    # Serving (app.ops): how many reverse proxies in front of the app add X-Forwarded-For and
    # X-Forwarded-Proto. 0 (the default) ignores both: without a proxy anyone could forge them.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # Log lines: "text" (one readable line) or "json" (one object a line, for a log collector);
    # "" leaves Python's logging as it is (tests). LOG_LEVEL: DEBUG, INFO, WARNING, ERROR.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # Data freshness
    VERIFY_DAYS = _int("VERIFY_DAYS", 90)
    VERIFY_REMINDER_DAYS = _int("VERIFY_REMINDER_DAYS", 30)
    VERIFY_LINK_MAX_AGE = _int("VERIFY_LINK_MAX_AGE", 60 * 60 * 24 * 14)  # seconds


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

    @classmethod
    def check(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Partners refuses to start in production without " + " and ".join(missing)
            )


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - test-only key
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = "127.0.0.1"
    PUBLIC_BASE_URL = "http://localhost"
    REDIS_URL = ""  # tests that need the queue set it themselves
    LOG_FORMAT = ""  # pytest's own capture stays in charge of logging


ENVIRONMENTS: dict[str, type[Config]] = {
    "development": Config,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_environment() -> type[Config]:
    """The settings PARTNERS_ENV names; unset means development. Any other value, even
    "prod" or " Production", stops the start: guessing would run a misspelt production
    server as development, with the development secret key."""
    name = os.environ.get("PARTNERS_ENV")
    if name is None:
        return Config
    chosen = ENVIRONMENTS.get(name)
    if chosen is None:
        known = ", ".join(ENVIRONMENTS)
        raise RuntimeError(
            f"PARTNERS_ENV is {name!r}, which Partners does not know. "
            f"Set it to exactly one of: {known} (lower case, no spaces), or leave it unset "
            "for development."
        )
    if chosen is ProductionConfig:
        ProductionConfig.check()
    return chosen
