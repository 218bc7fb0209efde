"""Pure planning: what must change on a tenant to make it hold the local artifacts. No I/O here.

Content is compared **normalized**, per file (FACTS §6.3, and what flashpipe's GNU diff does):
CRLF becomes LF and trailing whitespace is dropped in text files; ``MANIFEST.MF`` continuation
lines are joined and ``Origin-*`` headers (the tenant adds and rewrites them) are ignored;
``#`` comment lines of ``.prop`` files are ignored (the ``parameters.prop`` date line); and for
``parameters.prop`` only the parameter **names** count, because values are managed through the
Configurations API and compared separately (the tenant's file holds configured values).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from typing import Mapping

from harness.tenant.artifact import MANIFEST, PARAMETERS, LocalArtifact
from harness.tenant.configurations import ParameterChange
from generator.render import javaprops

TEXT_SUFFIXES = (".MF", ".prop", ".propdef", ".iflw", ".xml", ".xsd", ".wsdl", ".edmx", ".groovy",
                 ".gsh", ".js", ".xsl", ".xslt", ".json", ".mmap", ".project", ".txt", ".csv")


def _normalize_text(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _manifest_lines(data: bytes) -> list[str]:
    joined: list[str] = []
    for line in data.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n"):
        if line.startswith(" ") and joined:
            joined[-1] += line[1:]
        elif line.strip():
            joined.append(line.rstrip())
    return [line for line in joined if not line.startswith("Origin-")]


def normalized_digests(content: bytes) -> dict[str, str]:
    """Path -> sha256 of the normalized file, for every file in an artifact zip."""
    digests: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = info.filename.lstrip("/")
            data = archive.read(info)
            if name == MANIFEST:
                lines = _manifest_lines(data)
            elif name == PARAMETERS:
                lines = sorted(javaprops.load(data.decode("latin-1")))
            elif name.endswith(TEXT_SUFFIXES) or name.rsplit("/", 1)[-1] in (".project", "metainfo.prop"):
                lines = _normalize_text(data)
                if name.endswith(".prop"):
                    lines = [line for line in lines if not line.lstrip().startswith(("#", "!"))]
            else:
                digests[name] = hashlib.sha256(data).hexdigest()
                continue
            digests[name] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return digests


def changed_files(local: Mapping[str, str], remote: Mapping[str, str]) -> list[str]:
    """Paths added, removed or different between two digest maps, sorted."""
    return sorted(p for p in set(local) | set(remote) if local.get(p) != remote.get(p))


@dataclass
class RemoteArtifact:
    """What the tenant holds for one artifact id (gathered by the caller)."""

    id: str
    exists: bool
    version: str = ""
    package_id: str = ""
    digests: dict[str, str] | None = None
    configuration: dict[str, str] = field(default_factory=dict)
    runtime_status: str | None = None
    runtime_version: str | None = None


@dataclass
class ArtifactPlan:
    """What to do with one artifact."""

    id: str
    kind: str
    version: str
    upload: str | None = None            # "create" | "update" | None
    files: list[str] = field(default_factory=list)
    parameters: list[ParameterChange] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)
    deploy: bool = False
    delete: bool = False
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    artifact: LocalArtifact | None = None

    @property
    def unchanged(self) -> bool:
        """True when nothing is done for this artifact."""
        return not (self.upload or self.parameters or self.deploy or self.delete)


@dataclass
class Plan:
    """The whole change set for one environment, printed before anything happens."""

    package_id: str
    create_package: bool = False
    artifacts: list[ArtifactPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def uploads(self) -> list[ArtifactPlan]:
        """Artifacts to create or update."""
        return [a for a in self.artifacts if a.upload]

    @property
    def parameter_changes(self) -> list[ParameterChange]:
        """Every parameter change across artifacts."""
        return [c for a in self.artifacts for c in a.parameters]

    @property
    def deploys(self) -> list[ArtifactPlan]:
        """Artifacts to deploy."""
        return [a for a in self.artifacts if a.deploy]

    @property
    def deletes(self) -> list[ArtifactPlan]:
        """Artifacts to remove (``--prune``)."""
        return [a for a in self.artifacts if a.delete]

    @property
    def empty(self) -> bool:
        """True when the tenant already matches."""
        return not self.create_package and all(a.unchanged for a in self.artifacts)

    def lines(self) -> list[str]:
        """The plan as text, one line per change."""
        out = [f"package {self.package_id}: " + ("create" if self.create_package else "exists")]
        for a in self.artifacts:
            if a.upload == "create":
                out.append(f"  + create  {a.id} {a.version}")
            elif a.upload == "update":
                shown = ", ".join(a.files[:4]) + (f" and {len(a.files) - 4} more" if len(a.files) > 4 else "")
                out.append(f"  ~ update  {a.id} {a.version} ({shown})")
            for change in a.parameters:
                before = a.previous.get(change.key)
                was = "unset" if before is None else repr(before)
                out.append(f"  = param   {a.id}: {change.key}: {was} -> {change.value!r}")
            if a.deploy:
                out.append(f"  > deploy  {a.id} {a.version} ({'; '.join(a.reasons)})")
            if a.delete:
                out.append(f"  - delete  {a.id} (not in the local artifacts; --prune)")
            for warning in a.warnings:
                out.append(f"  ! warning {a.id}: {warning}")
        unchanged = [a.id for a in self.artifacts if a.unchanged]
        if unchanged:
            out.append(f"  unchanged: {', '.join(unchanged)}")
        for error in self.errors:
            out.append(f"  x error   {error}")
        return out


def plan_artifact(local: LocalArtifact, remote: RemoteArtifact, desired: Mapping[str, str],
                  package_id: str, source: str = "environment") -> tuple[ArtifactPlan, list[str]]:
    """Plan one artifact. ``desired`` are the environment's parameter values for it.

    Returns the plan and any errors (unknown parameter names, an id owned by another package).
    """
    plan = ArtifactPlan(id=local.id, kind=local.api_kind, version=local.version, artifact=local)
    errors = []
    unknown = sorted(set(desired) - set(local.parameters))
    if unknown:
        known = ", ".join(sorted(local.parameters)) or "none"
        errors += [f"{source}: parameters.{local.id}.{key}: {local.id} has no parameter {key!r} (it has: {known})"
                   for key in unknown]
    if not remote.exists:
        plan.upload = "create"
        plan.reasons.append("new")
        expected = dict(local.parameters)
    else:
        if remote.version.lower() == "active":
            errors.append(f"{local.id} has unsaved changes (a draft) on the tenant; save or discard them in the "
                          "Web UI first, so that they are not overwritten")
        if remote.package_id and remote.package_id != package_id:
            errors.append(f"{local.id} already exists in package {remote.package_id!r}, not {package_id!r}; "
                          "artifact ids are unique on a tenant")
        plan.files = changed_files(normalized_digests(local.content), remote.digests or {})
        if plan.files:
            plan.upload = "update"
            plan.reasons.append("content changed")
            if remote.version == local.version:
                plan.warnings.append(f"content changed but Bundle-Version stays {local.version}; bump the "
                                     "version so the runtime version identifies the content")
            expected = dict(local.parameters)
        else:
            expected = dict(remote.configuration)
    if local.api_kind == "Integration":
        wanted = {**local.parameters, **desired}
        plan.previous = expected
        types = local.parameter_types
        plan.parameters = [ParameterChange(local.id, k, v, types.get(k, "xsd:string"))
                           for k, v in wanted.items() if expected.get(k) != v]
        if plan.parameters:
            plan.reasons.append("parameters changed")
    if remote.runtime_status is None:
        plan.reasons.append("not deployed")
    elif remote.runtime_version != local.version:
        plan.reasons.append(f"runtime runs {remote.runtime_version}")
    elif remote.runtime_status == "ERROR":
        plan.reasons.append("runtime in ERROR")
    plan.deploy = bool(plan.reasons)
    return plan, errors


def plan_deploy(locals_: list[LocalArtifact], remotes: Mapping[str, RemoteArtifact],
                parameters: Mapping[str, Mapping[str, str]], package_id: str, *, package_exists: bool,
                prune: list[tuple[str, str]] | None = None, source: str = "environment") -> Plan:
    """Plan a whole environment. ``prune`` lists ``(id, kind)`` of tenant artifacts to delete."""
    plan = Plan(package_id=package_id, create_package=not package_exists)
    local_ids = {a.id for a in locals_}
    for artifact_id in sorted(set(parameters) - local_ids):
        plan.errors.append(f"{source}: parameters.{artifact_id}: no local artifact {artifact_id}")
    for local in locals_:
        artifact_plan, errors = plan_artifact(local, remotes[local.id], parameters.get(local.id, {}),
                                              package_id, source)
        plan.artifacts.append(artifact_plan)
        plan.errors.extend(errors)
    for artifact_id, kind in sorted(prune or []):
        plan.artifacts.append(ArtifactPlan(id=artifact_id, kind=kind, version="", delete=True))
    return plan
