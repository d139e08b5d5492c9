"""Trust X-Forwarded-For / -Proto from exactly the configured number of proxies.

Rate limits key on `request.remote_addr` (Flask-Limiter's get_remote_address). Behind a reverse
proxy that is the proxy's own address, so every visitor would share one bucket: ten bad sign-ins
would lock everyone out. With TRUSTED_PROXIES=N, werkzeug's ProxyFix takes the N-th address from
the right of X-Forwarded-For: the one our own outermost proxy wrote. Entries a visitor sends
themselves sit further left and are never read, so a forged header cannot change the key.
With TRUSTED_PROXIES=0 (the default) the headers are ignored entirely.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trusted_proxies(app: Flask) -> int:
    value = int(app.config.get("TRUSTED_PROXIES") or 0)
    if value < 0:
        raise RuntimeError(f"TRUSTED_PROXIES is {value}; use 0 (no proxy) or the number of proxies")
    return value


def install_proxy_fix(app: Flask) -> None:
    count = trusted_proxies(app)
    if count:
        # Host is not taken from the proxy: the proxy passes the visitor's Host header through.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
