"""Rebuilding a missing or unreadable index off the request path.

Why: at 50,000 services a rebuild takes longer than gunicorn's 30 s timeout, so a request that
builds inline is killed, and the next one starts over; meanwhile every worker waits on the
writer lock and even /healthz stalls. So a request never builds: it asks `start` for ONE
rebuild and answers at once from the database (app.search.fallback) or, in the API, with 503 and
Retry-After. With a job queue (REDIS_URL) the rebuild is a `search_rebuild` job for the worker
(one at a time, by job id); without one (`make run`), a background thread of this process (other
processes wait on the writer lock and then reuse the index built first).

An index path that cannot hold an index (a plain file, an unwritable folder) is reported once
in the log and once per search as the state "unusable"; nothing is built until it is fixed,
so no half-built `search_index.<timestamp>` folder is left behind by each request.

Under tests and CLI-style use (SEARCH_SYNC="inline") the index is still built inline, as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask

from app.jobs import runner as jobs_runner
from app.search import queue as wqueue

log = logging.getLogger(__name__)

REBUILD_JOB_ID = "partners-search-rebuild"  # one waiting or running rebuild job at a time
RETRY_AFTER = 30  # seconds a client is asked to wait while the index is rebuilt
FAILED_PAUSE = 60.0  # after a failed rebuild, searches wait this long before starting another

_lock = threading.Lock()
_threads: dict[str, threading.Thread] = {}
_failed_at: dict[str, float] = {}
_reported: dict[str, str] = {}  # index path -> the unusable reason already logged


class IndexUnavailable(Exception):
    """The index cannot answer now; `state` is "rebuilding" or "unusable"."""

    def __init__(self, state: str, reason: str = "", retry_after: int = RETRY_AFTER) -> None:
        super().__init__(reason or f"search index {state}")
        self.state = state
        self.reason = reason
        self.retry_after = retry_after


class IndexPathUnusable(RuntimeError):
    """The index path cannot hold an index: nothing was built."""


def unusable_reason(path: Path) -> str | None:
    """Why no index can be built at `path`, or None when one can."""
    path = Path(path).absolute()
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_dir():
        return f"the search index path {path} is a file, not a folder"
    parent = path.parent
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        return f"the folder {parent} holding the search index is not writable"
    return None


def start(app: Flask, path: Path) -> IndexUnavailable:
    """Make sure one background rebuild of `path` runs (unless the path is unusable) and
    return the error the search should raise meanwhile. Never waits."""
    key = str(Path(path).absolute())
    reason = unusable_reason(path)
    with _lock:
        if reason is not None:
            if _reported.get(key) != reason:
                _reported[key] = reason
                log.error(
                    "search: %s; searches use the plain database fallback until it is fixed "
                    "(then run `flask search rebuild`)",
                    reason,
                )
            return IndexUnavailable("unusable", reason, retry_after=10 * RETRY_AFTER)
        _reported.pop(key, None)
        if jobs_runner.enabled(app):
            # The job worker builds it; this web process never does. While Redis is down
            # nothing is built, and searches keep using the fallback until it answers.
            jobs_runner.enqueue(
                app, "search_rebuild", kwargs={"only_if_missing": True}, job_id=REBUILD_JOB_ID
            )
            return IndexUnavailable("rebuilding")
        thread = _threads.get(key)
        recently_failed = time.monotonic() - _failed_at.get(key, -FAILED_PAUSE) < FAILED_PAUSE
        if (thread is None or not thread.is_alive()) and not recently_failed:
            log.warning("search: index at %s missing or unreadable; rebuilding in background", key)
            thread = threading.Thread(
                target=_run, args=(app, Path(key)), name="search-index-rebuild", daemon=True
            )
            _threads[key] = thread
            thread.start()
    return IndexUnavailable("rebuilding")


def running(path: Path) -> threading.Thread | None:
    """This process's rebuild thread for `path`, while it runs (tests wait on it)."""
    thread = _threads.get(str(Path(path).absolute()))
    return thread if thread is not None and thread.is_alive() else None


def _run(app: Flask, path: Path) -> None:
    from app.search import index

    try:
        with app.app_context(), wqueue.writer_lock(path, timeout=3600) as got:
            # Another process may have rebuilt it while this one waited for the lock.
            if not got or index.usable_now(path):
                return
            count = index.rebuild_index(path)
            log.warning("search: background rebuild of %s done (%d services)", path, count)
            _failed_at.pop(str(path), None)
    except Exception:  # noqa: BLE001 - a thread has nobody to raise to; searches fall back
        _failed_at[str(path)] = time.monotonic()
        log.exception("search: background rebuild of %s failed", path)
