"""What a run produced: per scenario the steps, the checks, and the evidence (MPLs, mock calls)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.contract.loader import ScenarioError
from harness.contract.model import Scenario, Where

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"


@dataclass
class Check:
    """One assertion: what was checked, what was expected, what was found, and the evidence."""

    ok: bool
    section: str                 # step | mpls | requests | state | queues
    what: str
    expected: str
    actual: str
    where: Where | None = None
    context: str = ""

    def text(self) -> str:
        """The failure text: where, what, expected, actual and the relevant request or MPL."""
        head = f"{self.where}: " if self.where else ""
        lines = [f"{head}{self.what}", f"  expected: {self.expected}", f"  actual:   {self.actual}"]
        if self.context:
            lines += ["  " + line for line in self.context.splitlines()]
        return "\n".join(lines)


@dataclass
class StepRecord:
    """A step as it ran."""

    phase: str                   # given | when | settle
    label: str
    ok: bool
    seconds: float
    detail: str = ""
    where: Where | None = None


@dataclass
class MplRecord:
    """A message processing log of the scenario, with its error text and step trace (masked)."""

    guid: str
    flow: str
    status: str
    correlation_id: str
    start: datetime | None
    end: datetime | None
    error: str = ""
    steps: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RequestRecord:
    """A call a mock received during ``when`` (masked, body cut to a readable size)."""

    mock: str
    seq: int
    method: str
    path: str
    query: str
    status: int | None
    headers: dict[str, str]
    body: str
    fault: str | None = None

    @property
    def line(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.mock}: {self.method} {self.path}{query} -> {self.status}" + (f" (injected {self.fault})" if self.fault else "")


@dataclass
class ScenarioResult:
    """One scenario's outcome."""

    scenario: Scenario
    outcome: str = PASSED
    reason: str = ""
    seconds: float = 0.0
    steps: list[StepRecord] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    mpls: list[MplRecord] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def failure_text(self) -> str:
        """Every failed check, then the reason (errors, skips)."""
        parts = [c.text() for c in self.failures]
        if self.reason:
            parts.append(self.reason)
        return "\n\n".join(parts)


@dataclass
class SuiteResult:
    """A whole run."""

    env: str
    target: str                  # emulator | tenant
    started: datetime
    seconds: float = 0.0
    results: list[ScenarioResult] = field(default_factory=list)
    invalid: list[ScenarioError] = field(default_factory=list)
    selection: str = ""          # how scenarios were selected ("" = the whole suite)
    recorded: Path | None = None
    record_note: str = ""
    reports: dict[str, Path] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def ok(self) -> bool:
        """No failure, no error, no invalid scenario file (skips are fine)."""
        return not self.invalid and all(r.outcome in (PASSED, SKIPPED) for r in self.results)

    def summary(self) -> str:
        text = (f"{self.count(PASSED)} passed, {self.count(FAILED) + self.count(ERROR)} failed, "
                f"{self.count(SKIPPED)} skipped")
        if self.invalid:
            text += f", {len(self.invalid)} invalid scenario file(s)"
        return text
