"""What the emulated tenant checks in an uploaded or deployed zip.

Structural checks a tenant makes on upload (a zip, a MANIFEST, ``Bundle-SymbolicName`` equal to
the artifact id, a bundle type matching the resource) always run. On top, the generator's lint
(``generator.lint.lint_zip``): any finding of severity ``error`` rejects the upload or the deploy,
with the findings' text as the tenant's error. When the generator's lint is not importable the
emulator says so once and applies the structural checks only.
"""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

from lxml import etree

from harness.emulator.runtime_port import ValueMapEntry
from harness.tenant.artifact import API_KINDS, LocalArtifact
from harness.tenant.errors import ArtifactError

log = logging.getLogger(__name__)
_warned = False


def structural_errors(data: bytes, artifact_id: str | None, kind: str) -> tuple[LocalArtifact | None, list[str]]:
    """Parse the zip as the tenant would; return the artifact and any errors."""
    try:
        artifact = LocalArtifact.from_zip(data, artifact_id or "upload", expected_id=artifact_id)
    except ArtifactError as exc:
        return None, [str(exc)]
    expected = {v: k for k, v in API_KINDS.items()}[kind]
    if artifact.bundle_type != expected:
        return artifact, [f"{artifact.id}: SAP-BundleType is {artifact.bundle_type}, but it was sent to "
                          f"{kind}DesigntimeArtifacts (expected {expected})"]
    return artifact, []


def lint_errors(data: bytes, name: str) -> list[str]:
    """Error findings of the generator's lint, as text lines (empty when clean or unavailable)."""
    global _warned
    try:
        from generator.lint import lint_zip  # the generator's seam (docs/ARCHITECTURE.md)
    except ImportError:
        if not _warned:
            log.warning("generator.lint is not available: the emulator applies structural checks only")
            _warned = True
        return []
    try:
        findings: list[Any] = lint_zip(data, name)
    except Exception as exc:  # noqa: BLE001 - a crashing lint must reject, never pass silently
        return [f"{name}: lint could not check the package: {type(exc).__name__}: {exc}"]
    errors = []
    for finding in findings:
        if str(getattr(finding, "severity", "")).lower() != "error":
            continue
        where = ":".join(str(x) for x in (getattr(finding, "file", ""), getattr(finding, "element_id", "")) if x)
        errors.append(f"{where + ': ' if where else ''}{finding.message} [{getattr(finding, 'rule', 'lint')}]")
    return errors


def check(data: bytes, artifact_id: str | None, kind: str, lint: bool = True) -> tuple[LocalArtifact | None, list[str]]:
    """Structural checks, then (unless ``lint`` is off) the generator's lint; artifact and errors."""
    artifact, errors = structural_errors(data, artifact_id, kind)
    if errors or not lint:
        return artifact, errors
    assert artifact is not None
    return artifact, lint_errors(data, f"{artifact.id}.zip")


def value_mapping_pairs(artifact_id: str, data: bytes) -> list[ValueMapEntry]:
    """The pairs of a value mapping artifact's ``value_mapping.xml`` (first entry -> each other entry)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "value_mapping.xml" not in archive.namelist():
            return []
        root = etree.fromstring(archive.read("value_mapping.xml"))
    pairs = []
    for group in root.iter("group"):
        entries = [(e.findtext("agency") or "", e.findtext("schema") or "", e.findtext("value") or "",
                    e.get("isDefault") == "true") for e in group.iter("entry")]
        if len(entries) < 2:
            continue
        src = entries[0]
        for tgt in entries[1:]:
            pairs.append(ValueMapEntry(artifact_id, src[0], src[1], src[2], tgt[0], tgt[1], tgt[2],
                                       src[3] or tgt[3]))
    return pairs
