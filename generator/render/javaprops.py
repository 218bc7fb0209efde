"""Java ``.properties`` files (``parameters.prop``, ``metainfo.prop``): reading and writing.

The one implementation of the format in the project: the generator writes packages with
:func:`store`, the emulator serves configured downloads with it, and the tenant client, the
emulator's runtime and the lint read with :func:`load` (``harness`` imports it from here; the
generator never imports ``harness``).

Writing follows ``java.util.Properties.store``: an optional comment line, the ``#date`` line, then
``key=value`` lines with its escapes (ASCII only, ``\\uXXXX`` for the rest). Reading follows
``Properties.load``: ``#``/``!`` comments, ``=``, ``:`` or white space as separator, ``\\``
continuation lines, ``\\t \\n \\r \\f \\uXXXX`` escapes. Values are taken literally, without
interpolation: ``${property.X}`` stays ``${property.X}`` (flashpipe up to 3.5.0 expanded it to
empty, issue engswee/flashpipe#43).
"""

from __future__ import annotations

from datetime import datetime, timezone

_SPECIAL = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f",
            "=": "\\=", ":": "\\:", "#": "\\#", "!": "\\!"}


def escape(text: str, *, key: bool) -> str:
    """Escape a key (every space) or a value (a leading space) as ``Properties.store`` does."""
    out = []
    for i, ch in enumerate(text):
        if ch == " " and (key or i == 0):
            out.append("\\ ")
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ord(ch) < 0x20 or ord(ch) > 0x7E:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def date_line(epoch_ms: int) -> str:
    """``#Thu Jan 08 09:51:18 UTC 2026`` (``java.util.Date.toString`` in UTC)."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
    return "#" + moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def store(pairs: list[tuple[str, str]], epoch_ms: int, comment: str | None = None) -> bytes:
    """A properties file: optional comment line, date line, then ``key=value`` lines (LF)."""
    lines = ([f"#{comment}"] if comment else []) + [date_line(epoch_ms)]
    lines += [f"{escape(k, key=True)}={escape(v, key=False)}" for k, v in pairs]
    return ("\n".join(lines) + "\n").encode("ascii")


def load(text: str) -> dict[str, str]:
    """Read a properties file into an ordered dict (a later key wins, as in Java)."""
    result: dict[str, str] = {}
    for line in _logical_lines(text):
        if not line.strip(" \t\f"):
            continue
        key, value = _split(line)
        result[_unescape(key)] = _unescape(value)
    return result


def _logical_lines(text: str) -> list[str]:
    """Lines without comments, continuation lines (odd number of trailing ``\\``) joined."""
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


def _split(line: str) -> tuple[str, str]:
    """Key and raw value: the key ends at an unescaped ``=``, ``:`` or white space; white space
    around the separator (and one ``=``/``:`` after white space) belongs to neither."""
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
    key, rest = stripped[:i], stripped[i:]
    if rest[:1] in ("=", ":"):
        rest = rest[1:]
    else:
        rest = rest.lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:]
    return key, rest.lstrip(" \t\f")


_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


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
