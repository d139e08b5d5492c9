"""The index's one writer: a file lock beside the index and a durable queue of changed service ids.

Whoosh allows one writer per index, and several gunicorn workers (and `flask` commands) share
one index directory. So nobody writes without holding `writer_lock` (an fcntl lock on
`<index>.lock`, which also excludes other threads of the same process). A process that changed
services appends their ids to the queue (`<index>.queue/`, one small file per commit, written
atomically) and then *tries* the lock without waiting: if another process holds it, that one
applies the queued ids before it lets go (see `app.search.sync.drain`). Nothing is lost when a
process dies between the commit and the index write: the file stays until some writer applies
it, and `flask search rebuild` covers whatever the files do not.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_held = threading.local()  # index path -> depth, so the writer may re-enter (rebuild inside drain)


def lock_path(index_dir: Path) -> Path:
    index_dir = Path(index_dir).absolute()
    return index_dir.parent / f"{index_dir.name}.lock"


def queue_dir(index_dir: Path) -> Path:
    index_dir = Path(index_dir).absolute()
    return index_dir.parent / f"{index_dir.name}.queue"


def holds_lock(index_dir: Path) -> bool:
    return getattr(_held, "depth", {}).get(str(Path(index_dir).absolute()), 0) > 0


@contextlib.contextmanager
def writer_lock(index_dir: Path, *, wait: bool = True, timeout: float = 600.0) -> Iterator[bool]:
    """Hold the index's single write lock. Yields False (and holds nothing) when `wait` is False
    and someone else has it, or when `timeout` passes. Re-entrant within one thread."""
    key = str(Path(index_dir).absolute())
    depth = _held.__dict__.setdefault("depth", {})
    if depth.get(key, 0) > 0:
        depth[key] += 1
        try:
            yield True
        finally:
            depth[key] -= 1
        return
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _acquire(fd, wait, timeout):
            yield False
            return
        depth[key] = 1
        try:
            yield True
        finally:
            depth[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, wait: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if not wait or time.monotonic() >= deadline:
                return False
            time.sleep(0.02)


@dataclass(frozen=True)
class Batch:
    files: tuple[Path, ...]
    ids: tuple[str, ...]


def enqueue(index_dir: Path, ids: Iterable[str]) -> Path | None:
    """Append one entry (written to a temporary name, then renamed: readers never see half)."""
    ids = sorted(set(ids))
    if not ids:
        return None
    folder = queue_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = folder / f".{name}.tmp"
    tmp.write_text("\n".join(ids) + "\n", encoding="utf-8")
    final = folder / f"{name}.ids"
    os.replace(tmp, final)
    return final


def pending(index_dir: Path) -> list[Path]:
    """Queue entries, oldest first."""
    folder = queue_dir(index_dir)
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".ids"))
    except FileNotFoundError:
        return []
    return [folder / n for n in names]


def read(files: Iterable[Path]) -> Batch:
    files = tuple(files)
    ids: dict[str, None] = {}
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:  # another writer applied it meanwhile
            continue
        found.append(path)
        ids.update(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    return Batch(tuple(found), tuple(ids))


def remove(files: Iterable[Path]) -> None:
    for path in files:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
