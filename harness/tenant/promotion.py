"""Two-phase promotion: put on the target exactly the bytes that passed the contract suite.

For every artifact to promote, the latest contract run on the source environment that covered its
exact (id, version, sha256) must have passed; otherwise the whole promotion is refused before
anything on the target changes. The bytes sent are the recorded blob (or the ``dist/`` zip with
the same hash). The target's own parameters, value mappings and security material names apply,
the deploy waits for STARTED at the promoted version, a smoke check follows, and a promotion
record is written either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from harness.config import Environment
from harness.tenant import records
from harness.tenant.artifact import LocalArtifact
from harness.tenant.client import TenantClient
from harness.tenant.errors import TenantError
from harness.tenant.plan import Plan
from harness.tenant.rollout import DeployOptions, Progress, Rollout, RolloutReport
from harness.tenant.valuemappings import ReconcileResult


class PromotionRefused(Exception):
    """The promotion may not happen; ``reasons`` says why for each artifact."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("promotion refused:\n  " + "\n  ".join(reasons))


@dataclass
class PromotionReport:
    """What a promotion did."""

    source: str
    target: str
    artifacts: list[LocalArtifact]
    rollout: RolloutReport
    smoke: dict[str, str] = field(default_factory=dict)
    record: Path | None = None

    @property
    def ok(self) -> bool:
        """True when everything deployed and every smoke check passed."""
        return self.rollout.ok and not self.smoke


def select(candidates: list[LocalArtifact], source: str, record_files: list[Path]) -> list[LocalArtifact]:
    """The artifacts to promote, as the exact tested bytes; raise PromotionRefused otherwise."""
    runs = records.load_runs(source, record_files)
    reasons: list[str] = []
    chosen: list[LocalArtifact] = []
    for artifact in candidates:
        verdict = records.verdict(runs, source, artifact.id, artifact.version, artifact.sha256)
        if not verdict.ok:
            reasons.append(verdict.reason)
            continue
        blob = records.load_blob(artifact.sha256)
        if blob is not None and blob != artifact.content:
            reasons.append(f"{artifact.id}: stored bytes for sha256 {artifact.sha256[:12]} do not match")
            continue
        chosen.append(artifact)
    if not candidates:
        reasons.append("no artifacts to promote")
    if reasons:
        raise PromotionRefused(reasons)
    return chosen


def smoke_check(client: TenantClient, artifacts: list[LocalArtifact]) -> dict[str, str]:
    """Each promoted artifact runs its version; each HTTPS/SOAP sender is published as an endpoint.

    Returns artifact id -> problem (empty when all is well).
    """
    problems: dict[str, str] = {}
    try:
        endpoints = {e.artifact_id for e in client.endpoints.list()}
    except TenantError as exc:
        return {a.id: f"ServiceEndpoints unreadable: {exc.text}" for a in artifacts}
    for artifact in artifacts:
        runtime = client.runtime.get(artifact.id)
        if runtime is None or runtime.status != "STARTED" or runtime.version != artifact.version:
            seen = "not deployed" if runtime is None else f"{runtime.status} {runtime.version}"
            problems[artifact.id] = f"runtime is {seen}, expected STARTED {artifact.version}"
        elif artifact.senders and artifact.id not in endpoints:
            problems[artifact.id] = "its sender endpoint is not listed in ServiceEndpoints"
    return problems


def promote(candidates: list[LocalArtifact], source: Environment, target: Environment, client: TenantClient,
            package: dict[str, Any], *, record_files: list[Path] | None = None, dry_run: bool = False,
            options: DeployOptions | None = None, progress: Progress | None = None,
            promotion_record_file: Path | None = None, all_local_ids: set[str] | None = None,
            on_plan: Callable[[Plan, ReconcileResult], None] | None = None) -> PromotionReport:
    """Promote ``candidates`` from ``source`` to ``target`` (whose tenant ``client`` talks to)."""
    chosen = select(candidates, source.name, list(record_files or []))
    options = options or DeployOptions.from_environment(target)
    options.dry_run = dry_run
    options.prune = False
    rollout = Rollout(client, target, options, progress)
    outcome = rollout.run(chosen, package, all_local_ids=all_local_ids, on_plan=on_plan)
    report = PromotionReport(source.name, target.name, chosen, outcome)
    if dry_run or outcome.plan.errors:
        return report
    deployed_ok = [a for a in chosen if any(r.id == a.id and r.ok for r in outcome.results)]
    report.smoke = smoke_check(client, deployed_ok)
    results = {r.id: r for r in outcome.results}
    entries = {}
    for artifact in chosen:
        result = results.get(artifact.id)
        entries[artifact.id] = {
            "version": artifact.version, "sha256": artifact.sha256,
            "status": result.status if result else "NOT_RUN", "error": result.error if result else "",
            "smoke": report.smoke.get(artifact.id, "ok"),
        }
    report.record = records.write_promotion_record(source.name, target.name, entries, report.ok,
                                                   promotion_record_file)
    return report
