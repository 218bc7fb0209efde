"""IntegrationRuntimeArtifacts: status, version, error information, undeploy."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from harness.tenant import odata
from harness.tenant.http import TenantSession

FINAL_STATUSES = frozenset({"STARTED", "ERROR"})


@dataclass(frozen=True)
class RuntimeArtifact:
    """A deployed artifact: ``Status`` is STARTING, STARTED, STOPPING or ERROR."""

    id: str
    version: str
    name: str
    type: str
    status: str
    deployed_by: str = ""
    deployed_on: datetime | None = None

    @classmethod
    def from_odata(cls, d: dict[str, Any]) -> "RuntimeArtifact":
        """Build from a ``d`` entity."""
        return cls(id=d["Id"], version=d.get("Version") or "", name=d.get("Name") or "",
                   type=d.get("Type") or "", status=d.get("Status") or "",
                   deployed_by=d.get("DeployedBy") or "", deployed_on=odata.parse_date(d.get("DeployedOn")))


class RuntimeClient:
    """``/IntegrationRuntimeArtifacts``."""

    def __init__(self, session: TenantSession, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.session = session
        self.sleep = sleep
        self.clock = clock

    def get(self, artifact_id: str) -> RuntimeArtifact | None:
        """The runtime artifact, or None when it is not deployed."""
        d = self.session.get_optional("IntegrationRuntimeArtifacts" + odata.key(_=artifact_id))
        return RuntimeArtifact.from_odata(d) if d else None

    def list(self, status: str | None = None) -> list[RuntimeArtifact]:
        """Every deployed artifact, optionally only those in one status."""
        params = {"$filter": f"Status eq {odata.literal(status)}"} if status else None
        return [RuntimeArtifact.from_odata(d)
                for d in self.session.get_collection("IntegrationRuntimeArtifacts", params)]

    def error_information(self, artifact_id: str, wait: float = 30.0, interval: float = 2.0) -> str:
        """The reason an artifact is in ERROR.

        The tenant may answer 204 for a while after the status turns ERROR; this asks again until
        ``wait`` seconds have passed, then reports that no detail was given.
        """
        path = "IntegrationRuntimeArtifacts" + odata.key(_=artifact_id) + "/ErrorInformation/$value"
        give_up = self.clock() + wait
        while True:
            response = self.session.request("GET", path, ok=(200, 204))
            if response.status_code == 200 and response.content.strip():
                return error_information_text(response.text)
            if self.clock() >= give_up:
                return "the tenant reported ERROR but gave no error information"
            self.sleep(interval)

    def undeploy(self, artifact_id: str) -> None:
        """Remove the artifact from the runtime (202). Never used to force a redeploy."""
        self.session.request("DELETE", "IntegrationRuntimeArtifacts" + odata.key(_=artifact_id),
                             ok=(200, 202, 204))


def error_information_text(body: str) -> str:
    """``{"parameter": ["<message>", ...]}`` -> the messages; any other body verbatim."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body.strip()
    if isinstance(payload, dict):
        params = payload.get("parameter")
        if isinstance(params, list) and params:
            return "; ".join(str(p) for p in params)
        text = odata.error_text(payload)
        if text:
            return text
    return body.strip()
