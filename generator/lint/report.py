"""Print lint findings for a person at a terminal."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console

from generator.lint.findings import Finding

STYLE = {"error": "bold red", "warning": "yellow"}


def report(findings: list[Finding], stream: TextIO | None = None) -> None:
    """One line per finding, then a count by severity."""
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for finding in findings:
        where = f"{finding.file}#{finding.element_id}" if finding.element_id else finding.file
        console.print(f"[{STYLE[finding.severity]}]{finding.severity}[/] {where}: {finding.message} "
                      f"[dim]({finding.rule})[/]", markup=True)
    counts = Counter(f.severity for f in findings)
    console.print(f"{counts['error']} error(s), {counts['warning']} warning(s)")
