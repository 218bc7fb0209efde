"""Run CodeNarc 3.4.0 (the version SAP names) with the CPI ruleset over a folder of scripts."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import ScriptHostError
from .runtime import codenarc_jars, groovy_dir, java_executable

RULESET = "codenarc/cpi-ruleset.groovy"


@dataclass(frozen=True)
class Violation:
    """One CodeNarc finding."""

    file: str
    line: int | None
    rule: str
    priority: int
    message: str
    source: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line or '?'} [{self.rule} P{self.priority}] {self.message} | {self.source}"


def ruleset_path() -> Path:
    return groovy_dir() / RULESET


def run_codenarc(base_dir: Path, *, ruleset: Path | None = None, includes: str = "**/*.groovy",
                 max_priority: int = 3) -> list[Violation]:
    """CodeNarc's violations (priority ``<= max_priority``) for the scripts under ``base_dir``."""
    base_dir = Path(base_dir).resolve()
    ruleset = Path(ruleset or ruleset_path()).resolve()
    if not ruleset.is_file():
        raise FileNotFoundError(f"CodeNarc ruleset not found: {ruleset}")
    classpath = os.pathsep.join(str(p) for p in codenarc_jars())
    with tempfile.TemporaryDirectory(prefix="codenarc-") as tmp:
        report = Path(tmp) / "codenarc.xml"
        cmd = [java_executable(), "-Xmx512m", "-cp", classpath, "org.codenarc.CodeNarc",
               f"-basedir={base_dir}", f"-includes={includes}", f"-rulesetfiles=file:{ruleset}",
               f"-report=xml:{report}"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not report.is_file():
            raise ScriptHostError(f"CodeNarc failed (exit {proc.returncode}): {proc.stderr[-2000:] or proc.stdout[-2000:]}")
        return _parse(report, max_priority)


def _parse(report: Path, max_priority: int) -> list[Violation]:
    tree = etree.parse(str(report))
    out: list[Violation] = []
    for package in tree.iter("Package"):
        folder = package.get("path") or ""
        for file in package.iter("File"):
            name = f"{folder}/{file.get('name')}" if folder else file.get("name") or "?"
            for v in file.iter("Violation"):
                priority = int(v.get("priority") or 3)
                if priority > max_priority:
                    continue
                line = v.get("lineNumber")
                out.append(Violation(
                    file=name,
                    line=int(line) if line else None,
                    rule=v.get("ruleName") or "?",
                    priority=priority,
                    message=(v.findtext("Message") or "").strip(),
                    source=(v.findtext("SourceLine") or "").strip(),
                ))
    return out
