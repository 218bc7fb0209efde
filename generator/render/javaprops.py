"""``java.util.Properties.store`` formatting: the ``#date`` line and the escapes it writes."""

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
    """Read a properties file (enough of the format for what ``store`` and tenants write)."""
    result: dict[str, str] = {}
    logical = ""
    for raw in text.splitlines():
        line = raw.lstrip() if not logical else raw.lstrip()
        if not logical and (not line or line[0] in "#!"):
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            logical += line[:-1]
            continue
        logical += line
        key, value = _split(logical)
        result[_unescape(key)] = _unescape(value)
        logical = ""
    return result


def _split(line: str) -> tuple[str, str]:
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "=: \t":
            key = line[:i]
            rest = line[i:].lstrip(" \t")
            if rest[:1] in ("=", ":") and ch in " \t":
                rest = rest[1:].lstrip(" \t")
            elif ch in "=:":
                rest = line[i + 1:].lstrip(" \t")
            return key, rest
        i += 1
    return line, ""


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and i + 5 < len(text):
                out.append(chr(int(text[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
