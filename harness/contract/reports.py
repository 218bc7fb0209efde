"""Reports of a run: JUnit XML (one test case per scenario), a readable HTML page, a console table.

Everything written passes through the target's masker: no secret value, token or credential
header reaches a report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rich.console import Console
from rich.table import Table

from harness.contract.results import ERROR, FAILED, PASSED, SKIPPED, ScenarioResult, SuiteResult

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STYLES = {PASSED: "green", FAILED: "red", ERROR: "red", SKIPPED: "yellow"}


def _clean(text: str) -> str:
    """Text safe for XML 1.0 (control characters removed)."""
    return _INVALID_XML.sub("", text or "")


def write_junit(suite: SuiteResult, path: Path, mask: Callable[[str], str] = str) -> Path:
    """JUnit XML: ``testsuites/testsuite/testcase`` with ``failure``, ``error`` or ``skipped``."""
    root = ET.Element("testsuites", name="s4amz contract", tests=str(len(suite.results) + len(suite.invalid)),
                      failures=str(suite.count(FAILED)), errors=str(suite.count(ERROR) + len(suite.invalid)),
                      skipped=str(suite.count(SKIPPED)), time=f"{suite.seconds:.3f}")
    element = ET.SubElement(root, "testsuite", name=f"contract.{suite.env}", hostname=suite.target,
                            tests=root.get("tests", "0"), failures=root.get("failures", "0"),
                            errors=root.get("errors", "0"), skipped=root.get("skipped", "0"),
                            time=f"{suite.seconds:.3f}", timestamp=suite.started.strftime("%Y-%m-%dT%H:%M:%S"))
    for result in suite.results:
        case = ET.SubElement(element, "testcase", classname=f"contract.{result.scenario.module}",
                             name=_clean(result.scenario.name), file=str(result.scenario.path),
                             time=f"{result.seconds:.3f}")
        if result.outcome == FAILED:
            count = len(result.failures)
            failure = ET.SubElement(case, "failure", message=_clean(mask(
                f"{count} check(s) failed: " + "; ".join(c.what for c in result.failures[:3]) if count else result.reason)),
                type="AssertionError")
            failure.text = _clean(mask(result.failure_text()))
        elif result.outcome == ERROR:
            error = ET.SubElement(case, "error", message=_clean(mask(result.reason.splitlines()[0] if result.reason else "error")),
                                  type="ScenarioError")
            error.text = _clean(mask(result.failure_text()))
        elif result.outcome == SKIPPED:
            ET.SubElement(case, "skipped", message=_clean(mask(result.reason)))
        out = ET.SubElement(case, "system-out")
        out.text = _clean(mask(_steps_text(result)))
    for invalid in suite.invalid:
        first = invalid.problems[0] if invalid.problems else None
        case = ET.SubElement(element, "testcase", classname="contract.invalid",
                             name=_clean(first.file if first else "scenario"), time="0")
        error = ET.SubElement(case, "error", message="invalid scenario file", type="ScenarioError")
        error.text = _clean(str(invalid))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _steps_text(result: ScenarioResult) -> str:
    lines = [f"[{s.phase}] {'ok ' if s.ok else 'FAILED '}{s.label} ({s.seconds:.2f} s) {s.detail}".rstrip()
             for s in result.steps]
    lines += [f"MPL {m.flow} {m.status} {m.guid}" + (f": {m.error}" if m.error else "") for m in result.mpls]
    lines += [r.line for r in result.requests]
    return "\n".join(lines)


def write_html(suite: SuiteResult, path: Path, mask: Callable[[str], str] = str) -> Path:
    """The readable report (jinja2, autoescaped)."""
    environment = Environment(loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
                              autoescape=select_autoescape(["html", "j2"]))
    html = environment.get_template("report.html.j2").render(suite=suite, mask=lambda text: mask(text or ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def summary_table(suite: SuiteResult) -> Table:
    """module, scenario, result, time: the table ``s4amz test`` and ``s4amz demo`` print."""
    table = Table(title=f"contract suite on {suite.env} ({suite.target}): {suite.summary()} in {suite.seconds:.1f} s")
    for column in ("module", "scenario", "result", "time"):
        table.add_column(column, overflow="fold", justify="right" if column == "time" else "left")
    for result in suite.results:
        style = STYLES.get(result.outcome, "")
        table.add_row(result.scenario.module, result.scenario.name, f"[{style}]{result.outcome}[/{style}]",
                      f"{result.seconds:.2f} s")
    return table


def print_failures(out: Console, suite: SuiteResult, mask: Callable[[str], str] = str) -> None:
    """Each failed or erroneous scenario with its failure text; each invalid file with its problems."""
    for invalid in suite.invalid:
        out.print("[red]invalid scenario[/red]")
        out.print(str(invalid), markup=False, highlight=False)
    for result in suite.results:
        if result.outcome in (FAILED, ERROR):
            out.print(f"[red]{result.outcome.upper()}[/red] {result.scenario.module} / {result.scenario.name} "
                      f"({result.scenario.path})", highlight=False)
            out.print(mask(result.failure_text()), markup=False, highlight=False)
