"""A contract scenario as the runner uses it (``docs/contract.md``): steps and expectations.

The loader builds these from a validated YAML file; every object keeps the line it came from so
a failure can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGETS = ("emulator", "tenant")
STEP_KINDS = ("mock", "flow", "timer", "wait", "sleep_s", "parameters", "replay")
EMULATOR_ONLY_STEPS = ("timer", "replay")


@dataclass(frozen=True)
class Where:
    """A place in a scenario file."""

    file: Path
    line: int | None
    field: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f" ({self.field})" if self.field else "") if self.line else str(self.file)


@dataclass
class Payload:
    """A body to send: JSON, text, or a file relative to the scenario."""

    json: Any = None
    text: str | None = None
    file: Path | None = None
    has_json: bool = False

    def content(self) -> tuple[bytes, str | None]:
        """The bytes and the content type they imply (None: let the step decide)."""
        import json as _json

        if self.has_json:
            return _json.dumps(self.json).encode("utf-8"), "application/json"
        if self.file is not None:
            data = self.file.read_bytes()
            suffix = self.file.suffix.lower()
            kind = {".json": "application/json", ".xml": "text/xml", ".txt": "text/plain"}.get(suffix)
            return data, kind
        if self.text is not None:
            return self.text.encode("utf-8"), None
        return b"", None


@dataclass
class Step:
    """One ``given`` or ``when`` step; ``kind`` is its key (mock, flow, timer, wait, sleep_s, parameters, replay)."""

    kind: str
    where: Where
    raw: dict[str, Any]
    payload: Payload | None = None

    @property
    def label(self) -> str:
        """A short human description of the step."""
        r = self.raw
        if self.kind == "mock":
            parts = [f"mock {r['mock']}"]
            if r.get("faults"):
                parts.append(f"{len(r['faults'])} fault rule(s)")
            if r.get("call"):
                parts.append(r["call"])
            return ": ".join(parts)
        if self.kind == "flow":
            return f"flow {r['flow']}: {r.get('method', 'POST')}" + (f" (auth {r['auth']})" if r.get("auth") else "")
        if self.kind == "timer":
            return f"timer {r['timer']}: fire"
        if self.kind == "wait":
            return "wait until idle"
        if self.kind == "sleep_s":
            return f"sleep {r['sleep_s']} s"
        if self.kind == "parameters":
            return "parameters: " + ", ".join(f"{a}.{k}" for a, v in r["parameters"].items() for k in v)
        if self.kind == "replay":
            spec = r["replay"]
            if isinstance(spec, dict) and spec.get("queue") and not spec.get("flow"):
                return f"replay the messages of queue {spec['queue']}" + (f" into {spec['to']}" if spec.get("to") else "")
            target = spec if isinstance(spec, str) else ", ".join(f"{k} {v}" for k, v in spec.items())
            return f"replay dead letters of {target}"
        return self.kind


@dataclass
class Limit:
    """``count`` (exact) or ``min``/``max``; by default at least one."""

    count: int | None = None
    min: int | None = None
    max: int | None = None

    @classmethod
    def of(cls, raw: dict[str, Any], default_min: int | None = 1) -> "Limit":
        limit = cls(raw.get("count"), raw.get("min"), raw.get("max"))
        if limit.count is None and limit.min is None and limit.max is None:
            limit.min = default_min
        return limit

    def holds(self, n: int) -> bool:
        if self.count is not None and n != self.count:
            return False
        if self.min is not None and n < self.min:
            return False
        return not (self.max is not None and n > self.max)

    def __str__(self) -> str:
        if self.count is not None:
            return f"exactly {self.count}"
        parts = []
        if self.min is not None:
            parts.append(f"at least {self.min}")
        if self.max is not None:
            parts.append(f"at most {self.max}")
        return " and ".join(parts) or "any number"


@dataclass
class MplExpectation:
    flow: str
    status: str | None
    limit: Limit
    error_contains: str | None
    where: Where


@dataclass
class RequestExpectation:
    mock: str
    method: str | None
    path: str | None
    path_contains: str | None
    limit: Limit
    filters: dict[str, Any]
    body: dict[str, Any]
    headers: dict[str, Any]
    query: dict[str, Any]
    status: Any
    has_status: bool
    where: Where


@dataclass
class StateExpectation:
    mock: str
    resource: str | None
    assertions: dict[str, Any]
    where: Where


@dataclass
class QueueExpectation:
    """``dead_letter`` (queue/flow/reason filters) or one queue's depth, counting what the scenario added."""

    queue: str | None
    dead_letter: bool
    limit: Limit
    flow: str | None
    reason_contains: str | None
    where: Where


@dataclass
class Then:
    mpls: list[MplExpectation] = field(default_factory=list)
    requests: list[RequestExpectation] = field(default_factory=list)
    state: list[StateExpectation] = field(default_factory=list)
    queues: list[QueueExpectation] = field(default_factory=list)


@dataclass
class Scenario:
    """One scenario file."""

    path: Path
    module: str
    name: str
    description: str
    tags: list[str]
    runs_on: list[str]
    timeout_s: float
    reset: bool
    given: list[Step]
    when: list[Step]
    then: Then
    explicit_runs_on: bool = False

    @property
    def emulator_only_reason(self) -> str | None:
        """Why the scenario cannot run on a real tenant, or None."""
        if self.runs_on == ["emulator"]:
            return "runs_on: [emulator]"
        for step in self.given + self.when:
            if step.kind in EMULATOR_ONLY_STEPS:
                return f"{step.label} ({step.where}) is emulator-only"
        if self.then.queues:
            return f"queue expectations ({self.then.queues[0].where}) are emulator-only"
        return None

    @property
    def id(self) -> str:
        """``module/file-stem``: stable across runs, used as the JUnit test case name's prefix."""
        return f"{self.module}/{self.path.stem}"
