"""Spec files: load (with line numbers) and validate against the JSON Schemas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from generator.spec import validation
from generator.spec.loader import Document, load


@dataclass(frozen=True)
class PackageSpec:
    """``mappings/package.yaml``: the integration package and the build date."""

    id: str
    name: str
    version: str
    vendor: str
    short_text: str
    description: str
    modified_ms: int
    value_mapping_id: str
    value_mapping_name: str
    value_mapping_version: str
    value_mapping_description: str
    path: Path


def load_package(path: Path) -> PackageSpec:
    """Load and validate ``package.yaml``."""
    doc = load(path)
    validation.validate(doc, validation.package_schema())
    pkg = doc.data["package"]
    modified = datetime.fromisoformat(doc.data["modified"].replace("Z", "+00:00"))
    modified_ms = int(round(modified.astimezone(timezone.utc).timestamp() * 1000))
    vm = doc.data.get("value_mapping") or {}
    return PackageSpec(
        id=pkg["id"], name=pkg["name"], version=pkg["version"], vendor=pkg["vendor"],
        short_text=pkg.get("short_text", pkg["name"]), description=pkg.get("description", ""),
        modified_ms=modified_ms,
        value_mapping_id=vm.get("id", f"{pkg['id']}_Value_Mappings"),
        value_mapping_name=vm.get("name", f"{pkg['name']} value mappings"),
        value_mapping_version=vm.get("version", pkg["version"]),
        value_mapping_description=vm.get("description", ""), path=path)


def load_module(path: Path) -> Document:
    """Load and validate one module spec; its ``module`` must match the file name."""
    doc = load(path)
    validation.validate(doc, validation.module_schema())
    if doc.data["module"] != path.stem:
        raise doc.error(("module",), f"expected {path.stem!r} (the file name), got {doc.data['module']!r}")
    return doc


__all__ = ["Document", "PackageSpec", "load_module", "load_package"]
