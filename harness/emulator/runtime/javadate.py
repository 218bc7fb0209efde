"""``java.text.SimpleDateFormat`` patterns, as Camel's ``${date:now:...}`` uses them."""

from __future__ import annotations

from datetime import datetime, timezone

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _tokens(pattern: str) -> list[tuple[str, str]]:
    """Split a pattern into ('letter-run' | 'text', value) tokens."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            if pattern[i + 1:i + 2] == "'":
                tokens.append(("text", "'"))
                i += 2
                continue
            end = pattern.find("'", i + 1)
            while end != -1 and pattern[end + 1:end + 2] == "'":
                end = pattern.find("'", end + 2)
            if end == -1:
                raise ValueError(f"unterminated quote in date pattern {pattern!r}")
            tokens.append(("text", pattern[i + 1:end].replace("''", "'")))
            i = end + 1
        elif ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            tokens.append(("field", pattern[i:j]))
            i = j
        else:
            tokens.append(("text", ch))
            i += 1
    return tokens


def _offset(dt: datetime, style: str) -> str:
    off = dt.utcoffset()
    minutes = int(off.total_seconds() // 60) if off is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    if style == "Z":
        return f"{sign}{hours:02d}{mins:02d}"
    if minutes == 0:
        return "Z"
    if style == "X":
        return f"{sign}{hours:02d}"
    if style == "XX":
        return f"{sign}{hours:02d}{mins:02d}"
    return f"{sign}{hours:02d}:{mins:02d}"


def format_java(dt: datetime, pattern: str) -> str:
    """Format ``dt`` with a SimpleDateFormat pattern (ValueError on an unknown letter)."""
    out = []
    for kind, value in _tokens(pattern):
        if kind == "text":
            out.append(value)
            continue
        letter, n = value[0], len(value)
        if letter in "yYu" and letter != "u":
            out.append(f"{dt.year % 100:02d}" if n == 2 else f"{dt.year:0{n}d}")
        elif letter == "u":
            out.append(f"{dt.isoweekday():0{n}d}")
        elif letter in "ML":
            if n >= 4:
                out.append(_MONTHS[dt.month - 1])
            elif n == 3:
                out.append(_MONTHS[dt.month - 1][:3])
            else:
                out.append(f"{dt.month:0{n}d}")
        elif letter == "d":
            out.append(f"{dt.day:0{n}d}")
        elif letter == "D":
            out.append(f"{dt.timetuple().tm_yday:0{n}d}")
        elif letter == "E":
            name = _DAYS[dt.weekday()]
            out.append(name if n >= 4 else name[:3])
        elif letter == "H":
            out.append(f"{dt.hour:0{n}d}")
        elif letter == "k":
            out.append(f"{dt.hour or 24:0{n}d}")
        elif letter == "K":
            out.append(f"{dt.hour % 12:0{n}d}")
        elif letter == "h":
            out.append(f"{(dt.hour % 12) or 12:0{n}d}")
        elif letter == "m":
            out.append(f"{dt.minute:0{n}d}")
        elif letter == "s":
            out.append(f"{dt.second:0{n}d}")
        elif letter == "S":
            millis = dt.microsecond // 1000
            out.append(f"{millis:0{max(n, 1)}d}" if n <= 3 else f"{millis:0{n}d}")
        elif letter == "a":
            out.append("AM" if dt.hour < 12 else "PM")
        elif letter == "Z":
            out.append(_offset(dt, "Z"))
        elif letter == "X":
            out.append(_offset(dt, "X" * min(n, 3)))
        elif letter == "z":
            out.append(dt.tzname() or "UTC" if n < 4 else "Coordinated Universal Time")
        elif letter == "w":
            out.append(f"{dt.isocalendar()[1]:0{n}d}")
        else:
            raise ValueError(f"illegal pattern character '{letter}' in {pattern!r}")
    return "".join(out)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
