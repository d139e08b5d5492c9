"""Read a Whoosh segment straight from its memory map instead of a private copy.

Whoosh maps each segment file (mmap) and hands out its parts (postings, terms, columns) as
`BufferFile`s, but `BufferFile` wraps its part in `io.BytesIO`, which copies it: every worker
held a private copy of the whole index (57 MB at 50,000 services) beside the map. `ViewFile`
reads the mapped bytes in place, so the pages stay the operating system's page cache, shared
by every worker on the machine and dropped under pressure.

`install()` points whoosh.filedb.compound (the only user of the mapped path) at the class
below; Whoosh is pinned and unmaintained, and a test checks the copy is gone.
"""

from __future__ import annotations

import contextlib
import mmap
import os

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class _View:
    """The file-object side of a memoryview: read, seek and tell without copying the whole."""

    __slots__ = ("_buf", "_pos", "_len")

    def __init__(self, buf: memoryview) -> None:
        self._buf = buf
        self._pos = 0
        self._len = len(buf)

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._len if size is None or size < 0 else min(self._len, start + size)
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._len if size is None or size < 0 else min(self._len, start + size)
        chunk = self._buf[start:end]
        found = bytes(chunk).find(b"\n")
        stop = end if found < 0 else start + found + 1
        self._pos = stop
        return bytes(self._buf[start:stop])

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self._pos
        elif whence == os.SEEK_END:
            offset += self._len
        if offset < 0:
            raise ValueError("negative seek position")
        self._pos = offset
        return offset

    def tell(self) -> int:
        return self._pos

    def __iter__(self):  # noqa: ANN204 - lines, as a file object gives them
        while self._pos < self._len:
            yield self.readline()

    def close(self) -> None:
        self._buf = memoryview(b"")
        self._len = self._pos = 0


class ViewFile(BufferFile):
    """A BufferFile over a memoryview (of the segment's map) that never copies it whole."""

    def __init__(self, buf, name=None, onclose=None) -> None:  # noqa: ANN001 - Whoosh's own
        self._buf = buf
        self._name = name
        self.file = _View(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


def install() -> None:
    """Make Whoosh read mapped segments in place (idempotent)."""
    compound.BufferFile = ViewFile  # type: ignore[attr-defined,misc]


def release_pages(leaf: object) -> None:
    """Drop the pages of this segment's map from the process's resident memory (they stay in
    the page cache, and come back on their next read). Called after the per-document facts
    column has been read once into compact Python objects: those pages are not read again."""
    storage = getattr(leaf, "_storage", None)
    source = getattr(getattr(storage, "a", None), "_source", None)
    if isinstance(source, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        with contextlib.suppress(OSError, ValueError):  # closed meanwhile: nothing to drop
            source.madvise(mmap.MADV_DONTNEED)
