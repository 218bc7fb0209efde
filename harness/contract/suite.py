"""``s4amz test``: select scenarios, run them on the environment's target, report, record the run.

A run of the whole suite (no ``--tag``, ``--module`` or paths) is recorded with
:func:`harness.tenant.records.record_test_run`: each artifact of ``dist/`` that runs on the target
exactly as built (same normalized content, STARTED at that version) with its version and zip
hash, and whether the run passed. ``s4amz promote`` requires such a passing run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from harness.config import Environment, load_environment
from harness.contract import reports
from harness.contract.loader import ScenarioError, load_all
from harness.contract.results import SuiteResult
from harness.contract.runner import Selection, run_scenarios
from harness.contract.targets import Target, make_target
from harness.paths import repo_root
from harness.tenant import records
from harness.tenant.artifact import load_dist
from harness.tenant.plan import normalized_digests
from harness.tenant.rollout import Rollout


def scenarios_root() -> Path:
    """Where scenarios live: ``tests/contract/`` of the checkout."""
    return repo_root() / "tests" / "contract"


@dataclass
class TestOptions:
    """What ``s4amz test`` was asked."""

    env: str = "local"
    selection: Selection = field(default_factory=Selection)
    report_dir: Path | None = None
    start_landscape: bool = True
    record: bool = True
    record_file: Path | None = None
    dist: Path | None = None


def deployed_as_built(target: Target, env: Environment, dist: Path) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Artifacts of ``dist`` that the target runs exactly as built, and notes on the others."""
    deployed: dict[str, tuple[str, str]] = {}
    notes: list[str] = []
    rollout = Rollout(target.client, env)
    for artifact in load_dist(dist):
        remote = rollout.remote_state(artifact)
        if not remote.exists:
            notes.append(f"{artifact.id}: not on {env.name}")
        elif remote.digests != normalized_digests(artifact.content):
            notes.append(f"{artifact.id}: the content on {env.name} differs from {dist.name}/ (deploy first)")
        elif remote.runtime_status != "STARTED" or remote.runtime_version != artifact.version:
            notes.append(f"{artifact.id}: runtime {remote.runtime_status or 'not deployed'} "
                         f"{remote.runtime_version or ''} (built {artifact.version})".rstrip())
        else:
            deployed[artifact.id] = (artifact.version, artifact.sha256)
    return deployed, notes


def run_tests(options: TestOptions, out: Console) -> tuple[int, SuiteResult | None]:
    """Run, report and record; returns the exit code (0 passed, 1 failures, 2 bad input) and the result."""
    env = load_environment(options.env)
    if str(env.get("kind", "tenant")) == "emulator" and options.start_landscape:
        from harness.local_landscape import ensure_up, refresh

        landscape = ensure_up(options.env, out=out)
        if not landscape.started:                    # it was running: it may hold older packages
            out.print(refresh(options.env), markup=False, highlight=False)
        env = load_environment(options.env)          # the landscape's URLs are known now
    target = make_target(env)
    root = scenarios_root()
    paths = [p if p.is_absolute() else Path.cwd() / p for p in options.selection.paths]
    if paths and all(p.resolve() == root.resolve() for p in paths):
        options.selection.paths = []               # the whole suite, named explicitly
    try:
        scenarios, invalid = load_all(paths, root)
    except ScenarioError as exc:
        out.print(str(exc), markup=False, highlight=False)
        return 2, None
    selected = [s for s in scenarios if options.selection.accepts(s)]
    out.print(f"running {len(selected)} scenario(s) on {env.name} ({target.kind})"
              + (f"; selection: {options.selection.describe()}" if options.selection else ""), highlight=False)

    def progress(result) -> None:
        style = reports.STYLES.get(result.outcome, "")
        out.print(f"  [{style}]{result.outcome:<7}[/{style}] {result.scenario.module} / {result.scenario.name} "
                  f"({result.seconds:.2f} s)", highlight=False)

    suite = run_scenarios(target, selected, selection=options.selection.describe(), on_result=progress)
    suite.invalid = invalid
    if options.record:
        _record(suite, target, env, options)
    report_dir = options.report_dir or repo_root() / "reports"
    suite.reports["junit"] = reports.write_junit(suite, report_dir / f"contract-{env.name}.xml", target.masker)
    suite.reports["html"] = reports.write_html(suite, report_dir / f"contract-{env.name}.html", target.masker)
    out.print(reports.summary_table(suite))
    reports.print_failures(out, suite, target.masker)
    if suite.record_note:
        out.print(suite.record_note, highlight=False)
    out.print(f"reports: {suite.reports['junit']} and {suite.reports['html']}", highlight=False)
    if invalid and not suite.results:
        return 2, suite
    return (0 if suite.ok else 1), suite


def _record(suite: SuiteResult, target: Target, env: Environment, options: TestOptions) -> None:
    if suite.selection or suite.invalid:
        why = f"selection: {suite.selection}" if suite.selection else "invalid scenario files"
        suite.record_note = f"run not recorded for promotion ({why}: only a run of the whole suite counts)"
        return
    dist = options.dist or repo_root() / "dist"
    try:
        deployed, notes = deployed_as_built(target, env, dist)
    except Exception as exc:  # noqa: BLE001 - the run's verdict stands; say why it is not recorded
        suite.record_note = f"run not recorded: the deployed artifacts could not be read ({exc})"
        return
    if not deployed:
        suite.record_note = "run not recorded: no artifact of dist/ runs on the target as built" + (
            f" ({'; '.join(notes)})" if notes else "")
        return
    suite.recorded = records.record_test_run(
        env.name, deployed, suite.ok, record_file=options.record_file,
        details={"scenarios": len(suite.results), "summary": suite.summary(), "target": suite.target})
    suite.record_note = (f"recorded the run ({'passed' if suite.ok else 'FAILED'}) for {len(deployed)} artifact(s) "
                         f"in {suite.recorded}") + (f"; not covered: {'; '.join(notes)}" if notes else "")
