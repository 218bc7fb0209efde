"""A mock's clock: real time plus an offset that tests move forward.

Everything in a mock that expires or progresses with time (tokens, pagination tokens, reports,
pending cancellations) reads this clock, so a test can make an hour pass without waiting::

    POST /__mock__/clock {"advance": 3600}     move forward an hour
    GET  /__mock__/clock                       {"now": "2026-...Z", "offset": 3600.0}
    POST /__mock__/clock {"reset": true}       back to real time

A service adds the route with ``clock_rule(self.clock, on_change)``; ``on_change`` runs after every
move (for instance to process what became due).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response


class Clock:
    """Wall-clock time shifted by an adjustable offset (seconds)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0

    @property
    def offset(self) -> float:
        """How far this clock runs ahead of real time, in seconds."""
        with self._lock:
            return self._offset

    def now(self) -> float:
        """Seconds since the epoch, as the mock sees it."""
        return time.time() + self.offset

    def utcnow(self) -> datetime:
        """The mock's current time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move the clock forward (never backward: tokens issued must not become younger)."""
        if seconds < 0:
            raise ValueError(f"'advance' must be zero or positive seconds, got {seconds}")
        with self._lock:
            self._offset += seconds

    def reset(self) -> None:
        """Return to real time."""
        with self._lock:
            self._offset = 0.0


def iso(moment: float | datetime) -> str:
    """ISO 8601 UTC with a ``Z`` suffix and whole seconds (the form Amazon's APIs return)."""
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, tz=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def clock_rule(clock: Clock, on_change: Callable[[], None] | None = None) -> Rule:
    """The ``/__mock__/clock`` control route for ``clock``."""

    def endpoint(request: Request) -> Response:
        from harness.mocks.core.service import json_response

        if request.method == "POST":
            payload: Any = request.get_json(force=True, silent=True)
            if not isinstance(payload, dict) or not ({"advance", "reset"} & set(payload)):
                raise ValueError('POST /__mock__/clock expects {"advance": seconds} or {"reset": true}')
            if payload.get("reset"):
                clock.reset()
            if "advance" in payload:
                try:
                    seconds = float(payload["advance"])
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"'advance' must be a number of seconds, got {payload['advance']!r}") from exc
                clock.advance(seconds)
            if on_change is not None:
                on_change()
        return json_response({"now": iso(clock.now()), "offset": clock.offset})

    return Rule("/__mock__/clock", endpoint=endpoint, methods=["GET", "POST"])
