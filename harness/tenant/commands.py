"""What the tenant verbs do (``s4amz deploy|status|undeploy|logs|promote``), apart from argparse.

Each function prints to a console and returns the exit code: 0 success, 1 a tenant-side failure
(deploy failed, promotion refused, artifact not started), 2 bad input (environment file, missing
artifacts, unreadable zips, tenant unreachable before anything changed).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from rich.console import Console

from harness.config import ConfigError, load_environment
from harness.paths import repo_root
from harness.tenant import console as ui
from harness.tenant.errors import ArtifactError, TenantError
from harness.tenant.promotion import PromotionRefused, promote
from harness.tenant.rollout import DeployOptions, Rollout
from harness.tenant.workspace import Workspace, build_if_needed

INPUT_ERRORS = (ConfigError, ArtifactError, ValueError)


def _guard(out: Console, action: Callable[[], int]) -> int:
    try:
        return action()
    except PromotionRefused as exc:
        out.print("[red]promotion refused[/red]")
        for reason in exc.reasons:
            out.print(f"  {reason}", markup=False)
        return 1
    except INPUT_ERRORS as exc:
        out.print("[red]error:[/red] ", end="")
        out.print(str(exc), markup=False)
        return 2
    except TenantError as exc:
        out.print("[red]tenant error:[/red] ", end="")
        out.print(str(exc), markup=False)
        return 1


def _build(out: Console, dist: Path | None, build: bool) -> Path:
    root = repo_root()
    target = dist or root / "dist"
    if build:
        from generator.errors import BuildError, SpecError

        try:
            message = build_if_needed(root, target)
        except (BuildError, SpecError) as exc:
            raise ValueError(f"build failed:\n{exc}") from exc
        if message:
            out.print(f"[dim]·[/dim] {message}")
    return target


def deploy(env_name: str, *, only: list[str] | None = None, dry_run: bool = False, prune: bool = False,
           dist: Path | None = None, build: bool = True, deadline_s: float | None = None,
           parallel: int | None = None, out: Console | None = None) -> int:
    """``s4amz deploy``: plan, print, then (unless dry-run) apply and wait."""
    out = out or ui.console()

    def action() -> int:
        if prune and only:
            raise ValueError("--prune removes artifacts missing from dist/; it cannot be combined with --only")
        workspace = Workspace.open(env_name, _build(out, dist, build and dist is None))
        every = workspace.artifacts()
        artifacts = workspace.artifacts(only)
        options = DeployOptions.from_environment(workspace.env, dry_run=dry_run, prune=prune,
                                                 deadline_s=deadline_s, parallel=parallel)
        rollout = Rollout(workspace.client, workspace.env, options, ui.RichProgress(out))
        report = rollout.run(artifacts, workspace.package(), all_local_ids={a.id for a in every},
                             on_plan=lambda plan, maps: ui.print_plan(out, plan, env_name, maps))
        if report.plan.errors:
            out.print(f"[red]nothing changed on {env_name}: fix the errors above[/red]")
            return 2
        if dry_run:
            out.print(f"dry run: nothing changed on {env_name}")
            return 0
        ui.print_results(out, report)
        if not report.ok:
            out.print(f"[red]{len(report.failures)} artifact(s) failed on {env_name}[/red]")
            return 1
        out.print(f"[green]{env_name} is up to date[/green]")
        return 0

    return _guard(out, action)


def status(env_name: str, *, only: list[str] | None = None, dist: Path | None = None,
           out: Console | None = None) -> int:
    """``s4amz status``: local version vs design-time and runtime on the tenant."""
    out = out or ui.console()

    def action() -> int:
        workspace = Workspace.open(env_name, dist)
        rows, bad = [], 0
        for artifact in workspace.artifacts(only):
            designtime = workspace.client.designtime(artifact.api_kind).get(artifact.id)
            runtime = workspace.client.runtime.get(artifact.id)
            state = "in sync"
            if designtime is None:
                state = "not uploaded"
            elif runtime is None:
                state = "not deployed"
            elif runtime.status != "STARTED":
                state = runtime.status
            elif runtime.version != artifact.version:
                state = "runtime version differs"
            bad += state != "in sync"
            rows.append((artifact.id, artifact.version, designtime.version if designtime else "-",
                         f"{runtime.status} {runtime.version}" if runtime else "-", state))
        out.print(ui.table(f"{env_name}: {workspace.client.session.api_url}",
                           ("artifact", "local", "design time", "runtime", "state"), rows))
        failed = [r for r in workspace.client.runtime.list() if r.status == "ERROR"]
        for runtime in failed:
            text = workspace.client.runtime.error_information(runtime.id, wait=0)
            out.print(f"[red]ERROR[/red] {runtime.id}: ", end="")
            out.print(text, markup=False)
        return 1 if bad or failed else 0

    return _guard(out, action)


def undeploy(env_name: str, ids: list[str], *, all_: bool = False, dist: Path | None = None,
             out: Console | None = None) -> int:
    """``s4amz undeploy``: remove artifacts from the runtime (design time is kept)."""
    out = out or ui.console()

    def action() -> int:
        workspace = Workspace.open(env_name, dist)
        if not ids and not all_:
            raise ValueError("name the artifacts to undeploy, or pass --all for every artifact in dist/")
        targets = ids or [a.id for a in workspace.artifacts()]
        failed = 0
        for artifact_id in targets:
            if workspace.client.runtime.get(artifact_id) is None:
                out.print(f"-      {artifact_id}: not deployed")
                continue
            try:
                workspace.client.runtime.undeploy(artifact_id)
                out.print(f"[green]ok[/green]     {artifact_id}: undeployed")
            except TenantError as exc:
                failed += 1
                out.print(f"[red]FAILED[/red] {artifact_id}: ", end="")
                out.print(exc.text, markup=False)
        return 1 if failed else 0

    return _guard(out, action)


def logs(env_name: str, *, flow: str | None = None, failed: bool = False, since_minutes: float | None = 60,
         correlation_id: str | None = None, limit: int = 50, out: Console | None = None) -> int:
    """``s4amz logs``: message processing logs, failed ones with their error text."""
    out = out or ui.console()

    def action() -> int:
        workspace = Workspace.open(env_name)
        since = datetime.now(timezone.utc) - timedelta(minutes=since_minutes) if since_minutes else None
        entries = workspace.client.logs.query(flow=flow, status="FAILED" if failed else None, since=since,
                                              correlation_id=correlation_id, top=limit)
        rows = [(e.log_start.strftime("%Y-%m-%d %H:%M:%S") if e.log_start else "", e.artifact_id, e.status,
                 e.correlation_id, e.guid) for e in entries]
        out.print(ui.table(f"message processing logs on {env_name}", ("start (UTC)", "flow", "status",
                                                                         "correlation id", "message guid"), rows))
        for entry in entries:
            if entry.status in ("FAILED", "ESCALATED", "RETRY"):
                text = workspace.client.logs.error_text(entry.guid)
                if text:
                    out.print(f"[red]{entry.status}[/red] {entry.artifact_id} {entry.guid}: ", end="")
                    out.print(text, markup=False)
        if not entries:
            out.print("no messages match")
        return 0

    return _guard(out, action)


def promote_command(source: str, target: str, *, only: list[str] | None = None, dist: Path | None = None,
                    records: list[Path] | None = None, dry_run: bool = False, record_file: Path | None = None,
                    out: Console | None = None) -> int:
    """``s4amz promote --from SRC --to DST``."""
    out = out or ui.console()

    def action() -> int:
        if source == target:
            raise ValueError("--from and --to name the same environment")
        source_env = load_environment(source)        # only its name and records matter: no call to it
        target_ws = Workspace.open(target, dist)
        candidates = target_ws.artifacts(only)
        report = promote(candidates, source_env, target_ws.env, target_ws.client, target_ws.package(),
                         record_files=records, dry_run=dry_run, progress=ui.RichProgress(out),
                         promotion_record_file=record_file,
                         all_local_ids={a.id for a in target_ws.artifacts()},
                         on_plan=lambda plan, maps: _show_promotion_plan(out, plan, maps, candidates, source, target))
        if report.rollout.plan.errors:
            out.print(f"[red]nothing changed on {target}: fix the errors above[/red]")
            return 2
        if dry_run:
            out.print(f"dry run: nothing changed on {target}")
            return 0
        ui.print_results(out, report.rollout)
        for artifact_id, problem in sorted(report.smoke.items()):
            out.print(f"[red]smoke check failed[/red] {artifact_id}: ", end="")
            out.print(problem, markup=False)
        if report.record:
            out.print(f"promotion record: {report.record}")
        if not report.ok:
            return 1
        out.print(f"[green]promoted {len(report.artifacts)} artifact(s) from {source} to {target}[/green]")
        return 0

    return _guard(out, action)


def _show_promotion_plan(out: Console, plan, maps, artifacts, source: str, target: str) -> None:
    for artifact in artifacts:
        out.print(f"tested on {source}: {artifact.id} {artifact.version} sha256 {artifact.sha256[:12]}")
    ui.print_plan(out, plan, target, maps)
