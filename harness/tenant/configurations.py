"""Externalized parameters (``Configurations``): read, and write many in one ``$batch``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

from harness.tenant import batch, odata
from harness.tenant.errors import TenantError
from harness.tenant.http import TenantSession, response_text


@dataclass(frozen=True)
class Configuration:
    """One externalized parameter: key, current value, data type (``xsd:string``, ...)."""

    key: str
    value: str
    data_type: str


@dataclass(frozen=True)
class ParameterChange:
    """A value to set on one artifact's parameter."""

    artifact_id: str
    key: str
    value: str
    data_type: str = "xsd:string"


def _artifact(artifact_id: str, version: str) -> str:
    return "IntegrationDesigntimeArtifacts" + odata.key(Id=artifact_id, Version=version)


def _link(artifact_id: str, version: str, parameter: str) -> str:
    # Keys are percent-encoded (spaces are common: 'Log Event Title'); Piper does not, flashpipe does.
    return f"{_artifact(artifact_id, version)}/$links/Configurations({quote(odata.literal(parameter), safe=chr(39))})"


class ConfigurationsClient:
    """``IntegrationDesigntimeArtifacts(...)/Configurations`` and the ``$batch`` endpoint."""

    def __init__(self, session: TenantSession) -> None:
        self.session = session

    def list(self, artifact_id: str, version: str = "active") -> list[Configuration]:
        """All parameters of an artifact with their current values."""
        rows = self.session.get_collection(f"{_artifact(artifact_id, version)}/Configurations")
        return [Configuration(r["ParameterKey"], r.get("ParameterValue") or "", r.get("DataType") or "xsd:string")
                for r in rows]

    def values(self, artifact_id: str, version: str = "active") -> dict[str, str]:
        """Parameter key -> current value."""
        return {c.key: c.value for c in self.list(artifact_id, version)}

    def update_one(self, change: ParameterChange, version: str = "active") -> None:
        """One ``PUT .../$links/Configurations('<key>')`` (202)."""
        self.session.request("PUT", _link(change.artifact_id, version, change.key),
                             json={"ParameterValue": change.value, "DataType": change.data_type},
                             ok=(200, 202, 204))

    def update(self, changes: list[ParameterChange], version: str = "active") -> dict[str, str]:
        """Apply every change in **one** ``$batch`` call, one changeset per artifact.

        A changeset is all-or-nothing on the tenant, so failures are per artifact: the result maps
        each failed artifact id to the tenant's text (empty when everything was applied). A batch
        the tenant refuses as a whole raises TenantError.
        """
        if not changes:
            return {}
        by_artifact: dict[str, list[ParameterChange]] = {}
        for change in changes:
            by_artifact.setdefault(change.artifact_id, []).append(change)
        changesets = [[batch.Operation("PUT", _link(artifact_id, version, c.key),
                                       {"ParameterKey": c.key, "ParameterValue": c.value, "DataType": c.data_type})
                       for c in items] for artifact_id, items in by_artifact.items()]
        content_type, body = batch.build(changesets)
        response = self.session.request("POST", "$batch", data=body, headers={"Content-Type": content_type},
                                        ok=(200, 202))
        try:
            parts = batch.parse(response.headers.get("Content-Type", ""), response.content)
        except ValueError as exc:
            raise TenantError(f"$batch answer unreadable ({exc}): {response_text(response)[:300]}") from exc
        if not parts:
            raise TenantError(f"$batch answered without parts: {response_text(response)[:300]}")
        names = list(by_artifact)
        failures: dict[str, str] = {}
        for part in parts:
            if part.status >= 400:
                try:
                    text = odata.error_text(part.json()) or part.body
                except ValueError:
                    text = part.body
                owner = names[part.changeset - 1] if part.changeset and part.changeset <= len(names) else "$batch"
                failures[owner] = (failures[owner] + "; " if owner in failures else "") + f"HTTP {part.status}: {text}"
        return failures


def changes_for(desired: Mapping[str, str], current: Mapping[str, str], types: Mapping[str, str],
                artifact_id: str) -> list[ParameterChange]:
    """The changes that make ``current`` hold ``desired`` (keys not in ``desired`` are left alone)."""
    return [ParameterChange(artifact_id, key, value, types.get(key, "xsd:string"))
            for key, value in desired.items() if current.get(key) != value]
