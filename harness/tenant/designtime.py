"""Design-time artifacts (``{Kind}DesigntimeArtifacts``): read, create, update, download, validate."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from harness.tenant import odata
from harness.tenant.artifact import LocalArtifact
from harness.tenant.http import TenantSession


@dataclass(frozen=True)
class DesigntimeArtifact:
    """A design-time artifact as the tenant reports it."""

    id: str
    version: str
    package_id: str
    name: str
    kind: str

    @classmethod
    def from_odata(cls, d: dict[str, Any], kind: str) -> "DesigntimeArtifact":
        """Build from a ``d`` entity."""
        return cls(id=d["Id"], version=d.get("Version") or "", package_id=d.get("PackageId") or "",
                   name=d.get("Name") or "", kind=kind)


@dataclass(frozen=True)
class ValidationResult:
    """``ValidateIntegrationDesigntimeArtifact``: passed, or the tenant's findings."""

    passed: bool
    findings: list[dict[str, Any]] = field(default_factory=list)
    raw: str = ""

    def text(self) -> str:
        """The findings as lines (``severity: message (resource)``)."""
        if self.passed:
            return "Passed"
        if not self.findings:
            return self.raw
        return "\n".join(f"{f.get('severity', 'Error')}: {f.get('message', '')}"
                         f" ({f.get('resourceName') or f.get('sourceObject') or ''})" for f in self.findings)


def _path(kind: str, artifact_id: str, version: str = "active") -> str:
    return f"{kind}DesigntimeArtifacts" + odata.key(Id=artifact_id, Version=version)


class DesigntimeClient:
    """One artifact kind's design-time resource (``Integration`` by default)."""

    def __init__(self, session: TenantSession, kind: str = "Integration") -> None:
        self.session = session
        self.kind = kind

    def get(self, artifact_id: str, version: str = "active") -> DesigntimeArtifact | None:
        """The artifact, or None when it does not exist (the tools' cue to create it)."""
        d = self.session.get_optional(_path(self.kind, artifact_id, version))
        return DesigntimeArtifact.from_odata(d, self.kind) if d else None

    def create(self, artifact: LocalArtifact, package_id: str) -> None:
        """Upload a new artifact into a package (201)."""
        body = {"Name": artifact.name, "Id": artifact.id, "PackageId": package_id,
                "ArtifactContent": base64.b64encode(artifact.content).decode("ascii")}
        self.session.request("POST", f"{self.kind}DesigntimeArtifacts", json=body, ok=(201,))

    def update(self, artifact: LocalArtifact) -> None:
        """Replace the content of an existing artifact (200).

        Only Name and content are sent: the Id lives in the MANIFEST and must not change.
        """
        body = {"Name": artifact.name, "ArtifactContent": base64.b64encode(artifact.content).decode("ascii")}
        self.session.request("PUT", _path(self.kind, artifact.id), json=body, ok=(200, 202, 204))

    def download(self, artifact_id: str, version: str = "active") -> bytes:
        """The artifact zip (``$value``)."""
        response = self.session.request("GET", _path(self.kind, artifact_id, version) + "/$value",
                                        headers={"Accept": "application/zip"}, ok=(200,))
        return response.content

    def delete(self, artifact_id: str) -> None:
        """Delete the design-time artifact."""
        self.session.request("DELETE", _path(self.kind, artifact_id), ok=(200, 202, 204))

    def save_as_version(self, artifact_id: str, version: str) -> None:
        """``{Kind}DesigntimeArtifactSaveAsVersion`` (after a PUT)."""
        self.session.request("POST", f"{self.kind}DesigntimeArtifactSaveAsVersion",
                             params={"Id": odata.literal(artifact_id), "SaveAsVersion": odata.literal(version)},
                             ok=(200, 201, 202))

    def validate(self, artifact_id: str, version: str = "active") -> ValidationResult:
        """``ValidateIntegrationDesigntimeArtifact``: ``Checkexecutionresult: Passed`` or ``Failed[...]``."""
        response = self.session.request("POST", "ValidateIntegrationDesigntimeArtifact",
                                        params={"Id": odata.literal(artifact_id), "Version": odata.literal(version)},
                                        ok=(200, 202))
        return parse_validation(response.text)


def parse_validation(text: str) -> ValidationResult:
    """Parse the validate answer (plain text, possibly JSON-wrapped)."""
    raw = text.strip()
    try:
        wrapped = json.loads(raw)
        if isinstance(wrapped, dict):
            raw = str(odata.unwrap(wrapped).get("ValidateIntegrationDesigntimeArtifact", raw)) \
                if isinstance(odata.unwrap(wrapped), dict) else raw
        elif isinstance(wrapped, str):
            raw = wrapped
    except ValueError:
        pass
    head, _, rest = raw.partition(":")
    verdict = rest.strip() if head.strip().lower() == "checkexecutionresult" else raw
    if verdict.lower().startswith("passed"):
        return ValidationResult(True, raw=raw)
    start = verdict.find("[")
    findings: list[dict[str, Any]] = []
    if start >= 0:
        try:
            parsed = json.loads(verdict[start:])
            findings = [f for f in parsed if isinstance(f, dict)]
        except ValueError:
            findings = []
    errors = [f for f in findings if str(f.get("severity", "Error")).lower() == "error"]
    if findings and not errors:
        return ValidationResult(True, findings, raw)
    return ValidationResult(False, errors or findings, raw)
