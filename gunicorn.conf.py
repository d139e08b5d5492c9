"""gunicorn settings for Partners (`gunicorn -c gunicorn.conf.py wsgi:app`), from the environment.

WEB_CONCURRENCY  worker processes (default 2: this app is CPU-bound; about one per core)
BIND             address to listen on; default HOST:PORT, i.e. 127.0.0.1:8000 (loopback: a
                 reverse proxy on this machine sits in front; HOST=0.0.0.0 to listen on all).
GUNICORN_TIMEOUT seconds a worker may spend on one request before it is killed (default 30)
GUNICORN_MAX_REQUESTS  restart a worker after this many requests (default 0: never)

Access lines are written by app.ops.access_log.AccessLogger: JSON or text as LOG_FORMAT says,
with a request id and never a query string.

preload_app is off, on purpose: each worker imports and builds the app itself after the fork,
so (1) nothing opened while building it (database pool, search index files, the search sync
and rebuild threads, which do not survive a fork) is ever shared between processes, and
(2) `kill -HUP <master>` reloads new code without dropping the listening socket. The price is
memory: the code is not shared copy-on-write (a few tens of MB per worker).
"""

import os

_host = os.environ.get("HOST") or "127.0.0.1"
bind = os.environ.get("BIND") or f"{_host}:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5  # behind a proxy that reuses connections
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
preload_app = False

accesslog = "-"  # stdout
errorlog = "-"  # stderr
logger_class = "app.ops.access_log.AccessLogger"

# X-Forwarded-Proto and X-Forwarded-For are read by the app only (TRUSTED_PROXIES, werkzeug's
# ProxyFix), never by gunicorn itself: one setting decides which proxy is trusted.
secure_scheme_headers: dict[str, str] = {}

# gunicorn 25+ opens a control socket at $HOME/.gunicorn/gunicorn.ctl, one path for every
# gunicorn of the user (tests, a second app): nothing here uses it, so it stays closed.
control_socket_disable = True

# The worker heartbeat file: in memory where there is /dev/shm (containers' /tmp may be disk).
if os.path.isdir("/dev/shm"):  # noqa: S108 - a tmpfs for gunicorn's heartbeat, not a temp file
    worker_tmp_dir = "/dev/shm"  # noqa: S108
