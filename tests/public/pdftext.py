"""Just enough PDF reading to check what our own card PDFs say (fpdf2 output: Type0 fonts with
a ToUnicode map, 2-byte glyph codes in literal strings). Not a general PDF parser."""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM_START = re.compile(rb"stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>")
_FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
_TOKENS = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJ.finditer(data)}


def _stream(body: bytes) -> bytes:
    """The stream's bytes, cut by its /Length: compressed data may itself end in CR or LF."""
    start, length = _STREAM_START.search(body), _LENGTH.search(body)
    if start is None or length is None:
        return b""
    raw = body[start.end() : start.end() + int(length.group(1))]
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _unescape(s: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(s):
        ch = s[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = s[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", s[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """All text shown on every page, one string per Tj joined by newlines."""
    objects = _objects(data)
    cmaps: dict[int, dict[int, str]] = {}
    for num, body in objects.items():
        m = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if m:
            cmap = {}
            for code, uni in _BFCHAR.findall(_stream(objects[int(m.group(1))])):
                cmap[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
            cmaps[num] = cmap
    names = {name.decode(): cmaps.get(int(ref), {}) for name, ref in _FONT_REF.findall(data)}
    lines = []
    for body in objects.values():
        if b"/Length" not in body or b"/ToUnicode" in body:
            continue
        content = _stream(body)
        if b"Tj" not in content:
            continue
        cmap: dict[int, str] = {}
        for font, text in _TOKENS.findall(content):
            if font:
                cmap = names.get(font.decode(), {})
                continue
            raw = _unescape(text)
            lines.append(
                "".join(
                    cmap.get(int.from_bytes(raw[i : i + 2], "big"), "?")
                    for i in range(0, len(raw), 2)
                )
            )
    return "\n".join(lines)


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def justified_lines(data: bytes) -> int:
    """How many text runs are justified: fpdf2 writes a justified line as a TJ array whose
    numbers widen each space (`[(word) -288.7(word)] TJ`); left-aligned lines are plain Tj."""
    count = 0
    for body in _objects(data).values():
        if b"/Length" in body and b"/ToUnicode" not in body:
            count += len(re.findall(rb"\]\s*TJ", _stream(body)))
    return count
