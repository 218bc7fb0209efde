"""ServiceEndpoints: the URLs of deployed HTTPS / SOAP senders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.tenant import odata
from harness.tenant.http import TenantSession


@dataclass(frozen=True)
class EntryPoint:
    """One URL of an endpoint."""

    name: str
    url: str
    type: str


@dataclass(frozen=True)
class ServiceEndpoint:
    """A deployed sender endpoint. ``id`` is ``<artifact id>$endpointAddress=<address>``."""

    id: str
    name: str
    protocol: str
    entry_points: tuple[EntryPoint, ...]

    @property
    def artifact_id(self) -> str:
        """The artifact that serves this endpoint."""
        return self.id.split("$endpointAddress=")[0]

    @classmethod
    def from_odata(cls, d: dict[str, Any]) -> "ServiceEndpoint":
        """Build from a ``d`` entity with expanded EntryPoints."""
        raw = d.get("EntryPoints") or []
        rows = odata.unwrap({"d": raw}) if isinstance(raw, dict) else raw
        points = tuple(EntryPoint(p.get("Name") or "", p.get("Url") or "", p.get("Type") or "")
                       for p in rows if isinstance(p, dict))
        return cls(id=d.get("Id") or "", name=d.get("Name") or "", protocol=d.get("Protocol") or "",
                   entry_points=points)


class EndpointsClient:
    """``/ServiceEndpoints``."""

    def __init__(self, session: TenantSession) -> None:
        self.session = session

    def list(self, protocol: str | None = None) -> list[ServiceEndpoint]:
        """Every endpoint with its entry points (optionally only one protocol: REST, SOAP, ...)."""
        params: dict[str, Any] = {"$expand": "EntryPoints"}
        if protocol:
            params["$filter"] = f"Protocol eq {odata.literal(protocol)}"
        return [ServiceEndpoint.from_odata(d) for d in self.session.get_collection("ServiceEndpoints", params)]

    def for_artifact(self, artifact_id: str) -> list[ServiceEndpoint]:
        """The endpoints of one artifact, matched by the Id prefix (not by Name, as Piper does)."""
        return [e for e in self.list() if e.artifact_id == artifact_id]
