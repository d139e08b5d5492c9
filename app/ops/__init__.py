"""Serving in production: trusted proxies, request ids, log lines, health checks, backups.

`register_ops(app)` wires the request-level parts; gunicorn's JSON access log is in
access_log.py (named by gunicorn.conf.py) and the backup command in cli.py.
"""

from __future__ import annotations

from flask import Flask


def register_ops(app: Flask) -> None:
    from app.ops.access_log import register_access_path
    from app.ops.health import bp, install_probe_sessions
    from app.ops.logs import configure_logging
    from app.ops.proxy import install_proxy_fix
    from app.ops.request_id import install_request_id

    configure_logging(app)
    install_proxy_fix(app)
    install_request_id(app)  # outermost: every answer, even one from a middleware, carries the id
    app.register_blueprint(bp)
    install_probe_sessions(app)
    register_access_path(app)
