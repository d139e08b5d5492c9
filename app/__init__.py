"""Partners: a re-entry resource directory and closed-loop referral network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI, error handlers. Nothing else."""
    from config import config_for_environment

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or config_for_environment())
    if isinstance(config, dict):
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app.log_privacy import install_log_privacy

    install_log_privacy(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)

    from app.cli import register_cli
    from app.errors import register_error_handlers
    from app.input_guard import register_input_guard
    from app.jobs.hooks import init_jobs
    from app.ops import register_ops
    from app.public.card_cache import init_card_cache
    from app.public.search_cache import init_search_cache
    from app.referrals.acceptance import init_acceptance
    from app.search.sync import init_search
    from app.security import register_security_headers
    from app.unit_of_work import register_unit_of_work

    register_input_guard(app)
    register_error_handlers(app)
    register_unit_of_work(app)
    register_security_headers(app)
    register_cli(app)
    init_search(app)
    init_jobs(app)
    register_ops(app)
    init_card_cache(app)
    init_acceptance(app)
    init_search_cache(app)
    return app


def register_extensions(app: Flask) -> None:
    from app.accounts.loader import init_login
    from app.extensions import csrf, db, limiter, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    init_login(app)
    from app.i18n import init_i18n

    init_i18n(app)
    import app.models  # noqa: F401  register every table on the metadata


def register_blueprints(app: Flask) -> None:
    from app.accounts.routes import bp as accounts_bp
    from app.api import bp as api_bp
    from app.conditions.routes import bp as conditions_bp
    from app.directory.routes import bp as directory_bp
    from app.extensions import csrf
    from app.fhir.outcome import as_operation_outcome
    from app.fhir.routes import bp as fhir_bp
    from app.interop.routes import bp as interop_bp
    from app.plans.routes import bp as plans_bp
    from app.public.routes import bp as public_bp
    from app.referrals.routes import bp as referrals_bp
    from app.reports.routes import bp as reports_bp
    from app.residency.routes import bp as residency_bp
    from app.search.routes import bp as search_bp
    from app.sms.routes import bp as sms_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(conditions_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(sms_bp)
    app.register_blueprint(residency_bp)
    app.register_blueprint(interop_bp)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(fhir_bp)
    app.register_blueprint(fhir_bp)
    app.after_request(as_operation_outcome)


def register_template_helpers(app: Flask) -> None:
    from flask_login import current_user

    from app.permissions import ROLE_LEVEL, can
    from app.templating import register_filters, register_navigation

    @app.context_processor
    def inject_permissions() -> dict[str, Any]:
        return {"can": lambda action, obj=ROLE_LEVEL: can(current_user, action, obj)}

    register_filters(app)
    register_navigation(app)

    from app.directory.template_globals import register as register_directory_globals

    register_directory_globals(app)
