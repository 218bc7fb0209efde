"""Java ``.properties`` reading (``parameters.prop``, ``metainfo.prop``), without interpolation.

Values are taken literally: ``${property.X}`` stays ``${property.X}`` (flashpipe up to 3.5.0
expanded it to empty, issue engswee/flashpipe#43).
"""

from __future__ import annotations

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _logical_lines(text: str) -> list[str]:
    lines: list[str] = []
    pending = ""
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.lstrip(" \t\f") if pending else raw
        if not pending and line.lstrip(" \t\f").startswith(("#", "!")):
            continue
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            pending += line[:-1]
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return lines


def _unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and len(text) >= i + 6:
                try:
                    out.append(chr(int(text[i + 2:i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split(line: str) -> tuple[str, str]:
    stripped = line.lstrip(" \t\f")
    i = 0
    while i < len(stripped):
        ch = stripped[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "=: \t\f":
            break
        i += 1
    key = stripped[:i]
    rest = stripped[i:].lstrip(" \t\f")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t\f")
    return _unescape(key), _unescape(rest)


def parse_properties(text: str) -> dict[str, str]:
    """Parse properties text into an ordered dict (later keys win, as in Java)."""
    result: dict[str, str] = {}
    for line in _logical_lines(text):
        if not line.strip():
            continue
        key, value = _split(line)
        result[key] = value
    return result


def escape_key(key: str) -> str:
    """A key written the way Java's Properties.store writes it."""
    out = []
    for ch in key:
        if ch in " =:#!\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
