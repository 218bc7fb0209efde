"""Lint iFlow packages like cpilint: one small rule per concern, findings as data.

``lint_path`` takes an artifact folder, a zip, or a folder holding several of either;
``lint_zip`` takes zip bytes (the emulator calls it on every upload and rejects on any error).
"""

from __future__ import annotations

from pathlib import Path

from generator.lint.artifact import ArtifactView, LintOptions
from generator.lint.findings import Finding
from generator.lint.rules import RULES
from generator.package.artifact import read_dir, read_zip

__all__ = ["Finding", "LintOptions", "lint_files", "lint_path", "lint_zip", "errors"]


def lint_files(files: dict[str, bytes], name: str, options: LintOptions | None = None) -> list[Finding]:
    """Lint one artifact given as ``path -> bytes``."""
    view = ArtifactView(name, files, options or LintOptions())
    findings: list[Finding] = []
    for rule in RULES:
        if rule.applies(view):
            findings.extend(rule.check(view))
    return findings


def lint_zip(data: bytes, name: str, options: LintOptions | None = None) -> list[Finding]:
    """Lint a zipped artifact (an upload)."""
    try:
        files = read_zip(data)
    except Exception as exc:  # zipfile raises several types for corrupt data
        return [Finding("zip", "error", name, None, f"not a readable zip archive: {exc}")]
    return lint_files(files, name, options)


def lint_path(path: Path, options: LintOptions | None = None) -> list[Finding]:
    """Lint an artifact folder or zip, or every artifact folder and zip below a folder."""
    path = Path(path)
    if path.is_file():
        return lint_zip(path.read_bytes(), path.name, options)
    if (path / "META-INF" / "MANIFEST.MF").is_file():
        return lint_files(read_dir(path), path.name, options)
    findings: list[Finding] = []
    targets = sorted({p.parent.parent for p in path.rglob("META-INF/MANIFEST.MF")} | set(path.rglob("*.zip")))
    if not targets:
        return [Finding("no-artifact", "error", str(path), None,
                        "no artifact found (a folder with META-INF/MANIFEST.MF, or a .zip)")]
    for target in targets:
        rel = target.relative_to(path).as_posix()
        if target.is_file():
            findings.extend(lint_zip(target.read_bytes(), rel, options))
        else:
            findings.extend(lint_files(read_dir(target), rel, options))
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    """The findings of severity ``error``."""
    return [f for f in findings if f.severity == "error"]
