"""Fault injection: answer with 429/5xx, answer slowly, or drop the connection.

A fault matches requests by method and path pattern and fires either on chosen call numbers
(``nth``, counted over matching requests), at a rate (0..1, from a seeded random generator so runs
repeat), or always; ``times`` caps how often it fires. Examples, as posted to ``/__mock__/faults``::

    {"status": 503, "times": 2}                          first two matching calls fail
    {"status": 429, "retry_after": 1, "path": "graphql"} throttle GraphQL calls
    {"nth": [3], "drop": true}                           drop the third call's connection
    {"delay_ms": 1500, "rate": 0.5}                      half of the calls are slow
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Fault:
    """One fault rule."""

    status: int | None = None
    body: Any = None
    retry_after: float | None = None
    delay_ms: int = 0
    drop: bool = False
    method: str | None = None
    path: str | None = None
    nth: list[int] = field(default_factory=list)
    rate: float | None = None
    times: int | None = None
    seen: int = 0
    fired: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Fault":
        """Validate a posted rule; raise ValueError naming the bad field."""
        allowed = {"status", "body", "retry_after", "delay_ms", "drop", "method", "path", "nth",
                   "rate", "times"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault field(s) {sorted(unknown)}; expected some of {sorted(allowed)}")
        fault = cls(**data)
        if fault.status is None and not fault.drop and not fault.delay_ms:
            raise ValueError("a fault needs 'status', 'drop' or 'delay_ms'")
        if fault.status is not None and not 400 <= int(fault.status) <= 599:
            raise ValueError(f"'status' must be an HTTP error status 400..599, got {fault.status}")
        if fault.rate is not None and not 0 <= float(fault.rate) <= 1:
            raise ValueError(f"'rate' must be between 0 and 1, got {fault.rate}")
        if fault.path is not None:
            re.compile(fault.path)
        if isinstance(fault.nth, int):
            fault.nth = [fault.nth]
        return fault

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request (before counting)."""
        if self.method and self.method.upper() != method.upper():
            return False
        return not self.path or re.search(self.path, path) is not None

    def to_json(self) -> dict[str, Any]:
        """The rule with its counters."""
        return asdict(self)


class FaultPlan:
    """The active fault rules of one mock."""

    def __init__(self, seed: int = 4711) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._random = random.Random(seed)

    def add(self, fault: Fault) -> None:
        """Activate a rule."""
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._faults.clear()

    def rules(self) -> list[Fault]:
        """The active rules."""
        with self._lock:
            return list(self._faults)

    def pick(self, method: str, path: str) -> Fault | None:
        """The rule that fires for this request, if any (counters advance)."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                fault.seen += 1
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                if fault.nth:
                    fires = fault.seen in fault.nth
                elif fault.rate is not None:
                    fires = self._random.random() < fault.rate
                else:
                    fires = True
                if fires:
                    fault.fired += 1
                    return fault
            return None
