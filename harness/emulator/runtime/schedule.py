"""The Timer start event's schedule: run once, or Quartz cron expressions with a time zone.

``scheduleKey`` is a table; ``schedule1`` ... ``scheduleN`` hold ``fireNow=true`` (run once at
deploy), ``simple.repeat=NONE`` (run once) or a Quartz cron with ``+`` for spaces, each followed
by ``&trigger.timeZone=<zone>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .tables import table_dict

_NAMES = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9,
    "OCT": 10, "NOV": 11, "DEC": 12, "SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7,
}


def _field(text: str, low: int, high: int) -> set[int] | None:
    """Values of one cron field; None means any (``*`` or ``?``)."""
    text = text.strip().upper()
    if text in ("*", "?"):
        return None
    values: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", ""):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = int(_NAMES.get(a, a)), int(_NAMES.get(b, b))
        else:
            start = int(_NAMES.get(part, part))
            end = high if "/" in text else start
        values.update(range(start, end + 1, step))
    return {v for v in values if low <= v <= high}


@dataclass
class Cron:
    """A Quartz cron: seconds minutes hours day-of-month month day-of-week [year]."""

    expression: str
    zone: ZoneInfo | timezone

    def __post_init__(self) -> None:
        fields = self.expression.split()
        if len(fields) not in (6, 7):
            raise ValueError(f"a Quartz cron has 6 or 7 fields: {self.expression!r}")
        self.seconds = _field(fields[0], 0, 59)
        self.minutes = _field(fields[1], 0, 59)
        self.hours = _field(fields[2], 0, 23)
        self.days = _field(fields[3], 1, 31)
        self.months = _field(fields[4], 1, 12)
        self.weekdays = _field(fields[5], 1, 7)
        self.years = _field(fields[6], 1970, 2199) if len(fields) == 7 else None

    @staticmethod
    def _ok(values: set[int] | None, value: int) -> bool:
        return values is None or value in values

    def next_after(self, moment: datetime) -> datetime | None:
        """The first firing strictly after ``moment`` (within a year), or None."""
        local = moment.astimezone(self.zone).replace(microsecond=0)
        minute = local.replace(second=0)
        first = True
        for _ in range(366 * 24 * 60):
            quartz_dow = (minute.isoweekday() % 7) + 1
            if (self._ok(self.years, minute.year) and self._ok(self.months, minute.month)
                    and self._ok(self.days, minute.day) and self._ok(self.weekdays, quartz_dow)
                    and self._ok(self.hours, minute.hour) and self._ok(self.minutes, minute.minute)):
                seconds = sorted(self.seconds) if self.seconds is not None else list(range(60))
                for second in seconds:
                    candidate = minute.replace(second=second)
                    if not first or candidate > local:
                        return candidate.astimezone(timezone.utc)
            minute += timedelta(minutes=1)
            first = False
        return None


@dataclass
class Schedule:
    """Parsed ``scheduleKey``: whether it runs once, and its cron triggers."""

    once: bool
    crons: list[Cron]

    def next_after(self, moment: datetime) -> datetime | None:
        times = [t for t in (c.next_after(moment) for c in self.crons) if t is not None]
        return min(times) if times else None


def _zone(name: str) -> ZoneInfo | timezone:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def parse_schedule(text: str) -> Schedule:
    """Parse a ``scheduleKey`` table; raise ValueError naming what is wrong."""
    table = table_dict(text)
    count = int(table.get("noOfSchedules") or 1)
    once = False
    crons = []
    for index in range(1, count + 1):
        entry = table.get(f"schedule{index}", "")
        expression, _, rest = entry.partition("&")
        zone = "UTC"
        for item in rest.split("&"):
            key, _, value = item.partition("=")
            if key == "trigger.timeZone" and value:
                zone = value
        if expression in ("fireNow=true", "simple.repeat=NONE") or not expression:
            once = True
        else:
            crons.append(Cron(expression.replace("+", " "), _zone(zone)))
    return Schedule(once=once, crons=crons)
