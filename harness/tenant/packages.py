"""IntegrationPackages: list, read, create, update, delete, and the artifacts inside one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.tenant import odata
from harness.tenant.http import TenantSession

# Fields a package create/update may carry (Mode is set by the tenant and must be left out).
WRITABLE_FIELDS = ("Id", "Name", "Description", "ShortText", "Version", "Vendor", "SupportedPlatform",
                   "Products", "Keywords", "Countries", "Industries", "LineOfBusiness")


@dataclass(frozen=True)
class IntegrationPackage:
    """A package as the tenant reports it."""

    id: str
    name: str
    version: str
    short_text: str = ""
    description: str = ""
    vendor: str = ""
    mode: str = ""

    @classmethod
    def from_odata(cls, d: dict[str, Any]) -> "IntegrationPackage":
        """Build from a ``d`` entity."""
        return cls(id=d["Id"], name=d.get("Name") or "", version=d.get("Version") or "",
                   short_text=d.get("ShortText") or "", description=d.get("Description") or "",
                   vendor=d.get("Vendor") or "", mode=d.get("Mode") or "")


@dataclass(frozen=True)
class ArtifactRef:
    """An artifact listed in a package. ``Version == 'Active'`` there means it is a draft."""

    id: str
    name: str
    version: str
    kind: str

    @property
    def is_draft(self) -> bool:
        """True when the artifact has unsaved changes on the tenant."""
        return self.version.lower() == "active"


class PackagesClient:
    """``/IntegrationPackages``."""

    def __init__(self, session: TenantSession) -> None:
        self.session = session

    def list(self) -> list[IntegrationPackage]:
        """All packages (every page)."""
        return [IntegrationPackage.from_odata(d) for d in self.session.get_collection("IntegrationPackages")]

    def get(self, package_id: str) -> IntegrationPackage | None:
        """One package, or None if it does not exist."""
        d = self.session.get_optional("IntegrationPackages" + odata.key(_=package_id))
        return IntegrationPackage.from_odata(d) if d else None

    def create(self, fields: dict[str, Any]) -> None:
        """Create a package (201). ``fields`` uses the API's names (Id, Name, ShortText, ...)."""
        body = {k: v for k, v in fields.items() if k in WRITABLE_FIELDS}
        body.setdefault("ShortText", body.get("Name") or body["Id"])
        body.setdefault("Version", "1.0.0")
        self.session.request("POST", "IntegrationPackages", json={"d": body}, ok=(201,))

    def update(self, package_id: str, fields: dict[str, Any]) -> None:
        """Replace a package's descriptive fields (202)."""
        body = {k: v for k, v in fields.items() if k in WRITABLE_FIELDS}
        self.session.request("PUT", "IntegrationPackages" + odata.key(_=package_id), json={"d": body},
                             ok=(200, 202, 204))

    def delete(self, package_id: str) -> None:
        """Delete a package (202)."""
        self.session.request("DELETE", "IntegrationPackages" + odata.key(_=package_id), ok=(200, 202, 204))

    def artifacts(self, package_id: str, kinds: tuple[str, ...] = ("Integration", "ValueMapping")) -> list[ArtifactRef]:
        """The artifacts of the given kinds in a package."""
        refs = []
        for kind in kinds:
            path = f"IntegrationPackages{odata.key(_=package_id)}/{kind}DesigntimeArtifacts"
            for d in self.session.get_collection(path):
                refs.append(ArtifactRef(d["Id"], d.get("Name") or "", d.get("Version") or "", kind))
        return refs
