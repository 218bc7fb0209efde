"""Deploying: trigger by TaskId, then wait for BuildAndDeployStatus and the runtime, one deadline.

The wait does what neither flashpipe nor Piper does on its own (FACTS §0.2, §2.8):

1. poll ``BuildAndDeployStatus(TaskId=...)`` until it leaves ``DEPLOYING`` (``FAIL`` and
   ``FAIL_ON_LICENSE_ERROR`` end the wait with the runtime's error information);
2. then poll ``IntegrationRuntimeArtifacts('<id>')`` until ``STARTED`` **with the runtime version
   equal to the design-time version**; ``ERROR`` ends with the error information; an artifact that
   is still not deployed (404) when the deadline passes is a failure, never a success.

Polling backs off exponentially with jitter, and every artifact shares one overall deadline.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Callable

from harness.tenant import odata
from harness.tenant.errors import DeployFailed, TenantError
from harness.tenant.http import TenantSession
from harness.tenant.runtime import RuntimeClient

TASK_FAILURES = frozenset({"FAIL", "FAIL_ON_LICENSE_ERROR"})


@dataclass(frozen=True)
class Backoff:
    """Poll intervals: ``initial`` growing by ``factor`` up to ``cap``, each jittered by ±``jitter``."""

    initial: float = 2.0
    factor: float = 1.5
    cap: float = 15.0
    jitter: float = 0.2

    def delays(self, rng: random.Random):
        """An endless sequence of delays."""
        delay = self.initial
        while True:
            yield max(0.0, delay * (1 + self.jitter * (2 * rng.random() - 1)))
            delay = min(self.cap, delay * self.factor)


@dataclass(frozen=True)
class DeployOutcome:
    """How one artifact's deploy ended."""

    artifact_id: str
    ok: bool
    status: str
    version: str
    error: str = ""


class DeployClient:
    """``Deploy{Kind}DesigntimeArtifact`` and ``BuildAndDeployStatus``."""

    def __init__(self, session: TenantSession) -> None:
        self.session = session

    def deploy(self, artifact_id: str, kind: str = "Integration", version: str = "active") -> str:
        """Trigger a deploy (202) and return the TaskId (empty when the tenant gives none)."""
        response = self.session.request("POST", f"Deploy{kind}DesigntimeArtifact",
                                        params={"Id": odata.literal(artifact_id), "Version": odata.literal(version)},
                                        ok=(200, 202))
        return parse_task_id(response.text)

    def build_status(self, task_id: str) -> str:
        """``DEPLOYING``, ``SUCCESS``, ``FAIL`` or ``FAIL_ON_LICENSE_ERROR``."""
        d = self.session.get_json("BuildAndDeployStatus" + odata.key(TaskId=task_id))
        return str(d.get("Status") or "")


def parse_task_id(body: str) -> str:
    """The TaskId from a deploy answer: plain text, quoted, or JSON-wrapped (read defensively)."""
    text = body.strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return text.strip('"')
    if isinstance(payload, str):
        return payload
    inner = odata.unwrap(payload)
    if isinstance(inner, dict):
        for key in ("TaskId", "DeployIntegrationDesigntimeArtifact", "Id"):
            if inner.get(key):
                return str(inner[key])
    return ""


class DeployWaiter:
    """Waits for deploys to finish against one shared deadline."""

    def __init__(self, deploys: DeployClient, runtime: RuntimeClient, *, backoff: Backoff = Backoff(),
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, error_wait: float = 30.0) -> None:
        self.deploys = deploys
        self.runtime = runtime
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.error_wait = error_wait

    def wait(self, artifact_id: str, version: str, task_id: str, deadline: float,
             on_status: Callable[[str], None] | None = None) -> DeployOutcome:
        """Wait until ``artifact_id`` runs ``version`` or fails; ``deadline`` is a ``clock()`` value."""
        report = on_status or (lambda status: None)
        delays = self.backoff.delays(self.rng)
        try:
            if task_id:
                status = self._wait_task(task_id, deadline, delays, report)
                if status in TASK_FAILURES:
                    reason = self.runtime.error_information(artifact_id, wait=self._error_wait(deadline))
                    return DeployOutcome(artifact_id, False, status, version, reason)
                if status == "DEPLOYING":
                    return DeployOutcome(artifact_id, False, status, version,
                                         f"build still DEPLOYING at the deadline (task {task_id})")
            return self._wait_runtime(artifact_id, version, deadline, delays, report)
        except TenantError as exc:
            return DeployOutcome(artifact_id, False, "CALL_FAILED", version, str(exc))

    def _error_wait(self, deadline: float) -> float:
        return max(0.0, min(self.error_wait, deadline - self.clock()))

    def _pause(self, delays, deadline: float) -> bool:
        remaining = deadline - self.clock()
        if remaining <= 0:
            return False
        self.sleep(min(next(delays), remaining))
        return True

    def _wait_task(self, task_id: str, deadline: float, delays, report) -> str:
        while True:
            status = self.deploys.build_status(task_id)
            report(f"build {status}")
            if status != "DEPLOYING" or not self._pause(delays, deadline):
                return status

    def _wait_runtime(self, artifact_id: str, version: str, deadline: float, delays, report) -> DeployOutcome:
        last = "NOT_DEPLOYED"
        seen_version = ""
        while True:
            artifact = self.runtime.get(artifact_id)
            if artifact is None:
                last = "NOT_DEPLOYED"
            else:
                last, seen_version = artifact.status, artifact.version
                if artifact.status == "ERROR" and artifact.version == version:
                    reason = self.runtime.error_information(artifact_id, wait=self._error_wait(deadline))
                    return DeployOutcome(artifact_id, False, "ERROR", version, reason)
                if artifact.status == "STARTED" and artifact.version == version:
                    return DeployOutcome(artifact_id, True, "STARTED", version)
            report(f"runtime {last}" + (f" {seen_version}" if seen_version else ""))
            if not self._pause(delays, deadline):
                break
        if last == "NOT_DEPLOYED":
            reason = "the artifact never appeared in the runtime before the deadline (NOT_DEPLOYED)"
        elif seen_version != version:
            reason = (f"runtime runs version {seen_version} ({last}), not the design-time version "
                      f"{version}, at the deadline")
        else:
            reason = f"runtime status remained {last} at the deadline"
        return DeployOutcome(artifact_id, False, last, version, reason)


def raise_for(outcome: DeployOutcome) -> None:
    """Raise DeployFailed for a failed outcome."""
    if not outcome.ok:
        raise DeployFailed(outcome.artifact_id, outcome.error, status=outcome.status)
