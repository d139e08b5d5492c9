"""Running Partners like production for bench/ scripts: a prepared database, gunicorn, HTTP.

Shared by bench/load.py and bench/faults/*.py; nothing here is imported by the app.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> str:
    """Run a `flask` command of the app; stop the script with its output if it fails."""
    result = subprocess.run(  # noqa: S603 - our own binary
        [str(BIN / "flask"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def base_env(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """Production settings on loopback (no TLS, so cookies without Secure)."""
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi.py",
        PARTNERS_ENV="production",
        SECRET_KEY="bench-only-secret-key-not-for-use",  # noqa: S106 - loopback bench only
        DATABASE_URL=database_url,
        SEARCH_INDEX_DIR=str(workdir / "search_index"),
        SESSION_COOKIE_SECURE="0",
        CARD_LOOKUP_RATE_LIMIT="1000000 per minute",
    )
    env.update(extra)
    return env


def scratch_postgres(url: str) -> None:
    """Drop and create the database `url` names (it must be a scratch database)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in {"postgres", "test", "template1"}:
        sys.exit(f"refusing to recreate database {name!r}: name a scratch database")
    admin = parts._replace(path="/postgres").geturl().replace("postgresql://", "postgresql://", 1)
    for statement in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", statement], check=True, capture_output=True)  # noqa: S603,S607


def request(
    port: int,
    method: str,
    path: str,
    body: str | dict | None = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], str]:
    """One HTTP request on loopback; Set-Cookie values land in `cookies`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if isinstance(body, dict):
        body = json.dumps(body)
        sent.setdefault("Content-Type", "application/json")
    elif body:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    answer = {k.lower(): v for k, v in response.getheaders()}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and cookies is not None:
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    return response.status, answer, data


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    _, _, page = request(port, "GET", "/account/login", cookies=cookies)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        sys.exit("no CSRF token on the sign-in page")
    form = {"csrf_token": token.group(1), "email": email, "password": password}
    status, _, _ = request(port, "POST", "/account/login", urllib.parse.urlencode(form), cookies)
    if status != 302:
        sys.exit(f"sign-in as {email} answered {status}")
    return cookies


class Gunicorn:
    """gunicorn serving wsgi:app with these settings; stopped (whole group) on exit."""

    def __init__(
        self, env: dict[str, str], workers: int, log_path: Path, root: Path = ROOT
    ) -> None:
        """`root`: the checkout whose code is served (another one measures a baseline)."""
        self.env, self.workers, self.log_path, self.root = env, workers, log_path, root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        log = open(self.log_path, "w")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and arguments
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "wsgi:app",
            ],
            env=self.env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz", timeout=5)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn did not answer; see {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # workers still busy with queued requests
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(  # noqa: S603
            ["pgrep", "-P", str(self.process.pid)],  # noqa: S607
            capture_output=True,
            text=True,
        ).stdout.split()
        sizes = []
        for pid in children:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes.append(round(int(match.group(1)) / 1024, 1))
        return sizes
