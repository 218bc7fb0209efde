"""Build every spec in ``mappings/`` into ``iflows/<ArtifactId>/`` and ``dist/``.

``build_all(root)`` renders, lints its own output (an error stops the build), writes the unpacked
artifacts to ``iflows/`` (committed), the zips and ``package.json`` to ``dist/`` (build output).
``build_all(root, check=True)`` writes nothing and reports where ``iflows/`` differs from a fresh
build (CI runs it).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError, Problem, SpecError
from generator.lint import LintOptions, errors, lint_files
from generator.model.assemble import BuildEnv
from generator.model.module import assemble_module, merge_translations, translations
from generator.package.artifact import Artifact, read_dir
from generator.render import render_iflow, render_value_mapping
from generator.spec import PackageSpec, load_module, load_package


@dataclass
class BuiltArtifact:
    """One artifact of the build and where it went."""

    id: str
    name: str
    version: str
    kind: str
    folder: Path
    zip_path: Path
    sha256: str
    spec_file: str = ""


@dataclass
class BuildResult:
    """What ``build_all`` produced (or, with ``check``, how ``iflows/`` differs)."""

    package: PackageSpec
    artifacts: list[BuiltArtifact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    checked: bool = False

    @property
    def ok(self) -> bool:
        """True unless a check found drift."""
        return not self.drift


def script_index(root: Path) -> dict[str, Path]:
    """Script file name -> file under ``groovy/scripts/`` (names must be unique)."""
    index: dict[str, Path] = {}
    scripts = root / "groovy" / "scripts"
    for path in sorted(scripts.rglob("*.groovy")) if scripts.is_dir() else []:
        if path.name in index:
            raise BuildError(f"script file name {path.name!r} is used twice: {index[path.name]} and "
                             f"{path}; names must be unique because scripts are packaged flat")
        index[path.name] = path
    return index


def render_all(root: Path) -> tuple[PackageSpec, list[tuple[Artifact, str]], list[str]]:
    """Load, validate, assemble and render every spec (no files written)."""
    mappings = root / "mappings"
    package_file = mappings / "package.yaml"
    if not package_file.is_file():
        raise BuildError(f"{package_file} is missing (the integration package: id, name, version, vendor)")
    package = load_package(package_file)
    env = BuildEnv(script_index(root), mappings / "resources", package.modified_ms)
    artifacts: list[tuple[Artifact, str]] = []
    all_translations = []
    owners: dict[str, str] = {}
    problems: list[Problem] = []
    warnings: list[str] = []
    for spec_file in sorted(mappings.glob("*.yaml")):
        if spec_file.name == "package.yaml":
            continue
        try:
            doc = load_module(spec_file)
            iflows = assemble_module(doc, env)
            all_translations += translations(doc)
        except SpecError as exc:
            problems += exc.problems
            continue
        for iflow in iflows:
            if iflow.id in owners:
                problems.append(Problem(str(spec_file), None, "flows", f"artifact id {iflow.id!r} is "
                                        f"already used in {owners[iflow.id]}"))
                continue
            owners[iflow.id] = str(spec_file)
            warnings += [f"{spec_file}: [{iflow.id}] parameter {p.name!r} is declared but never used"
                         for p in iflow.parameters.values() if not p.used]
            artifacts.append((render_iflow(iflow), str(spec_file)))
    if problems:
        raise SpecError(problems)
    groups = merge_translations(all_translations)
    if groups:
        if package.value_mapping_id in owners:
            raise BuildError(f"value mapping id {package.value_mapping_id!r} is also an iFlow id")
        artifacts.append((render_value_mapping(
            id=package.value_mapping_id, name=package.value_mapping_name,
            version=package.value_mapping_version, description=package.value_mapping_description,
            groups=groups, modified_ms=package.modified_ms), str(package_file)))
    for artifact, spec in artifacts:
        found = errors(lint_files(artifact.files, artifact.id, LintOptions()))
        if found:
            raise BuildError(f"{spec}: [{artifact.id}] the generated artifact fails lint:\n"
                             + "\n".join(f"  {f}" for f in found))
    return package, artifacts, warnings


def build_all(root: Path, *, check: bool = False) -> BuildResult:
    """Build every spec under ``root/mappings``; with ``check``, only compare with ``iflows/``."""
    root = Path(root)
    package, artifacts, warnings = render_all(root)
    iflows, dist = root / "iflows", root / "dist"
    result = BuildResult(package, warnings=warnings, checked=check)
    produced = {a.id for a, _ in artifacts}
    if check:
        for artifact, _ in artifacts:
            result.drift += _drift(artifact, iflows / artifact.id)
        for folder in _artifact_folders(iflows):
            if folder.name not in produced:
                result.drift.append(f"iflows/{folder.name}/: not produced by any spec")
    else:
        for folder in _artifact_folders(iflows):
            if folder.name not in produced:
                shutil.rmtree(folder)
        dist.mkdir(parents=True, exist_ok=True)
        for stale in dist.glob("*.zip"):
            if stale.stem not in produced:
                stale.unlink()
    for artifact, spec in artifacts:
        data = artifact.zip_bytes()
        zip_path = dist / f"{artifact.id}.zip"
        if not check:
            artifact.write_dir(iflows / artifact.id)
            if not zip_path.is_file() or zip_path.read_bytes() != data:
                zip_path.write_bytes(data)
        result.artifacts.append(BuiltArtifact(artifact.id, artifact.name, artifact.version, artifact.kind,
                                              iflows / artifact.id, zip_path,
                                              hashlib.sha256(data).hexdigest(), spec))
    if not check:
        _write_if_changed(dist / "package.json", package_json(package, result.artifacts, artifacts))
    return result


def package_json(package: PackageSpec, built: list[BuiltArtifact],
                 artifacts: list[tuple[Artifact, str]]) -> bytes:
    """``dist/package.json``: the package for the API and the artifacts to upload into it."""
    descriptions = {a.id: a.description for a, _ in artifacts}
    doc = {
        "Id": package.id, "Name": package.name, "Description": package.description,
        "ShortText": package.short_text, "Version": package.version, "Vendor": package.vendor,
        "artifacts": [{"Id": b.id, "Name": b.name, "Version": b.version, "Type": b.kind,
                       "Description": descriptions.get(b.id, ""), "File": b.zip_path.name,
                       "Sha256": b.sha256} for b in built],
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _artifact_folders(iflows: Path) -> list[Path]:
    return sorted(p for p in iflows.iterdir() if (p / "META-INF" / "MANIFEST.MF").is_file()) \
        if iflows.is_dir() else []


def _drift(artifact: Artifact, folder: Path) -> list[str]:
    if not folder.is_dir():
        return [f"iflows/{artifact.id}/: missing (run `s4amz build`)"]
    committed = read_dir(folder)
    out = []
    for path in sorted(set(committed) | set(artifact.files)):
        if path not in committed:
            out.append(f"iflows/{artifact.id}/{path}: missing")
        elif path not in artifact.files:
            out.append(f"iflows/{artifact.id}/{path}: not produced by the spec")
        elif committed[path] != artifact.files[path]:
            out.append(f"iflows/{artifact.id}/{path}: differs from a fresh build")
    return out


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
