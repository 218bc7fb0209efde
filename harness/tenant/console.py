"""Terminal output for the tenant commands: the plan, a deploy progress bar, results, tables."""

from __future__ import annotations

import threading
from typing import Iterable

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from harness.tenant.plan import Plan
from harness.tenant.rollout import RolloutReport
from harness.tenant.valuemappings import ReconcileResult


def console(stderr: bool = False) -> Console:
    """A console that degrades to plain text when not a terminal (CI logs)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


class RichProgress:
    """Implements :class:`harness.tenant.rollout.Progress` with one bar per deploy."""

    def __init__(self, out: Console) -> None:
        self.out = out
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}
        self._lock = threading.Lock()

    def message(self, text: str) -> None:
        """A step of the rollout."""
        self.out.print(f"[dim]·[/dim] {text}")

    def start_deploys(self, ids: list[str]) -> None:
        """Show a bar per artifact."""
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.fields[artifact]}", style="bold"),
                                  BarColumn(), TextColumn("{task.fields[state]}"), TimeElapsedColumn(),
                                  console=self.out, transient=False)
        self._progress.start()
        for artifact_id in ids:
            self._tasks[artifact_id] = self._progress.add_task("", total=3, artifact=artifact_id, state="queued")

    def deploy_status(self, artifact_id: str, status: str) -> None:
        """Advance a bar: triggered -> build -> runtime."""
        with self._lock:
            if self._progress is None or artifact_id not in self._tasks:
                return
            step = 1 if status == "triggered" else 2 if status.startswith("build") else 2.5
            self._progress.update(self._tasks[artifact_id], completed=step, state=status)

    def deploy_done(self, artifact_id: str, ok: bool, text: str) -> None:
        """Finish a bar; stop the display when all are done."""
        with self._lock:
            if self._progress is None or artifact_id not in self._tasks:
                return
            state = "[green]STARTED[/green]" if ok else "[red]FAILED[/red]"
            self._progress.update(self._tasks[artifact_id], completed=3, state=state)
            if all(self._progress.tasks[t].completed >= 3 for t in self._tasks.values()):
                self._progress.stop()
                self._progress = None


def print_plan(out: Console, plan: Plan, env: str, value_maps: ReconcileResult | None = None) -> None:
    """The plan, one line per change."""
    out.print(f"[bold]plan for {env}[/bold]")
    for line in plan.lines():
        style = "red" if "x error" in line else "yellow" if "! warning" in line else None
        out.print(line, style=style, markup=False)
    if value_maps is not None:
        for artifact_id, schema, src, tgt in value_maps.added:
            out.print(f"  + valmap  {artifact_id}: {schema.label()}: {src} -> {tgt}", markup=False)
        for artifact_id, schema, src, old, new in value_maps.updated:
            out.print(f"  ~ valmap  {artifact_id}: {schema.label()}: {src}: {old} -> {new}", markup=False)


def print_results(out: Console, report: RolloutReport) -> None:
    """Each artifact's end state; failures with the tenant's text."""
    for result in report.results:
        if result.ok:
            out.print(f"[green]ok[/green]     {result.id}: {result.status}")
        else:
            out.print(f"[red]FAILED[/red] {result.id}: {result.status}: ", end="")
            out.print(result.error, markup=False)


def table(title: str, columns: Iterable[str], rows: Iterable[Iterable[object]]) -> Table:
    """A simple table."""
    result = Table(title=title, show_lines=False)
    for column in columns:
        result.add_column(column, overflow="fold")
    for row in rows:
        result.add_row(*("" if v is None else str(v) for v in row))
    return result
