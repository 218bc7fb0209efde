"""Bring a tenant in line with local artifacts: gather, plan, then apply (upload, configure, deploy).

Used by ``s4amz deploy`` and by promotion. The order of ``apply`` is fixed:

1. refuse on plan errors (unknown parameters, missing credentials, foreign package): nothing changes;
2. create the package when missing;
3. upload only artifacts whose normalized content changed (bytes kept by hash for promotion);
4. apply every parameter change in one ``$batch``;
5. reconcile value mappings with ``UpsertValMaps`` (never delete-then-create);
6. ``ValidateIntegrationDesigntimeArtifact`` for each flow about to be deployed;
7. trigger every deploy, then wait for all in parallel against one deadline;
8. ``--prune``: undeploy and delete artifacts no longer local.

A failure of one artifact does not stop the others; each failure keeps the tenant's text.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from harness.config import Environment
from harness.tenant import records
from harness.tenant.artifact import LocalArtifact
from harness.tenant.client import TenantClient
from harness.tenant.deploy import Backoff, DeployOutcome, DeployWaiter
from harness.tenant.errors import NotFound, TenantError
from harness.tenant.plan import ArtifactPlan, Plan, RemoteArtifact, normalized_digests, plan_deploy
from harness.tenant.valuemappings import DesiredMapping, ReconcileResult, desired_from_config


class Progress(Protocol):
    """What the rollout reports while it works (the CLI draws a progress bar from it)."""

    def message(self, text: str) -> None: ...
    def start_deploys(self, ids: list[str]) -> None: ...
    def deploy_status(self, artifact_id: str, status: str) -> None: ...
    def deploy_done(self, artifact_id: str, ok: bool, text: str) -> None: ...


class SilentProgress:
    """Reports nothing."""

    def message(self, text: str) -> None:
        pass

    def start_deploys(self, ids: list[str]) -> None:
        pass

    def deploy_status(self, artifact_id: str, status: str) -> None:
        pass

    def deploy_done(self, artifact_id: str, ok: bool, text: str) -> None:
        pass


@dataclass
class DeployOptions:
    """Knobs for one rollout."""

    dry_run: bool = False
    prune: bool = False
    deadline_s: float = 600.0
    parallel: int = 8
    backoff: Backoff = field(default_factory=Backoff)
    validate: bool = True
    error_wait_s: float = 30.0

    @classmethod
    def from_environment(cls, env: Environment, **overrides: Any) -> "DeployOptions":
        """Read ``deploy:`` (deadline_s, parallel, poll.initial/factor/cap, validate)."""
        poll = env.get("deploy.poll", {}) or {}
        options = cls(deadline_s=float(env.get("deploy.deadline_s", 600)),
                      parallel=int(env.get("deploy.parallel", 8)),
                      backoff=Backoff(float(poll.get("initial", 2.0)), float(poll.get("factor", 1.5)),
                                      float(poll.get("cap", 15.0))),
                      validate=bool(env.get("deploy.validate", True)),
                      error_wait_s=float(env.get("deploy.error_wait_s", 30)))
        for name, value in overrides.items():
            if value is not None:
                setattr(options, name, value)
        return options


@dataclass
class ArtifactResult:
    """The end state of one artifact in a rollout."""

    id: str
    ok: bool
    status: str
    error: str = ""


@dataclass
class RolloutReport:
    """What happened (or, for a dry run, what would)."""

    plan: Plan
    results: list[ArtifactResult] = field(default_factory=list)
    value_maps: ReconcileResult = field(default_factory=ReconcileResult)
    applied: bool = False

    @property
    def ok(self) -> bool:
        """True when the plan was valid and nothing failed."""
        return not self.plan.errors and all(r.ok for r in self.results)

    @property
    def failures(self) -> list[ArtifactResult]:
        """Failed artifacts."""
        return [r for r in self.results if not r.ok]


def read_package(path: Path, override: dict[str, Any] | None = None) -> dict[str, Any]:
    """The integration package fields (API names) from ``dist/package.json`` and the environment.

    Accepts the API shape (``{"d": {...}}`` or flat with ``Id``/``Name``) and lower-case keys.
    """
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
        loaded = loaded.get("d", loaded) if isinstance(loaded, dict) else {}
        data = {_api_name(k): v for k, v in loaded.items() if isinstance(v, (str, int, float))}
    for key, value in (override or {}).items():
        data[_api_name(key)] = value
    if not data.get("Id"):
        raise ValueError(f"{path}: no package Id (build first, or set package.id in the environment)")
    data.setdefault("Name", data["Id"])
    return data


def _api_name(key: str) -> str:
    special = {"id": "Id", "short_text": "ShortText", "shorttext": "ShortText", "line_of_business": "LineOfBusiness"}
    return special.get(key.lower(), key[:1].upper() + key[1:]) if key[:1].islower() else key


class Rollout:
    """Plans and applies one environment's artifacts on one tenant."""

    def __init__(self, client: TenantClient, env: Environment, options: DeployOptions | None = None,
                 progress: Progress | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.env = env
        self.options = options or DeployOptions.from_environment(env)
        self.progress = progress or SilentProgress()
        self.clock = clock
        self.sleep = sleep

    # --- gather --------------------------------------------------------------------------------
    def remote_state(self, artifact: LocalArtifact) -> RemoteArtifact:
        """What the tenant holds for one local artifact."""
        designtime = self.client.designtime(artifact.api_kind)
        found = designtime.get(artifact.id)
        runtime = self.client.runtime.get(artifact.id)
        remote = RemoteArtifact(id=artifact.id, exists=found is not None,
                                runtime_status=runtime.status if runtime else None,
                                runtime_version=runtime.version if runtime else None)
        if found is None:
            return remote
        remote.version, remote.package_id = found.version, found.package_id
        remote.digests = normalized_digests(designtime.download(artifact.id))
        if artifact.api_kind == "Integration":
            remote.configuration = self.client.configurations.values(artifact.id)
        return remote

    def parameters(self) -> dict[str, dict[str, str]]:
        """The environment's ``parameters:`` section (artifact id -> key -> value), as strings."""
        section = self.env.get("parameters", {}) or {}
        if not isinstance(section, dict):
            raise ValueError(f"{self.env.path}: parameters: expected artifact id -> key -> value")
        out: dict[str, dict[str, str]] = {}
        for artifact_id, values in section.items():
            if not isinstance(values, dict):
                raise ValueError(f"{self.env.path}: parameters.{artifact_id}: expected key -> value")
            out[str(artifact_id)] = {str(k): _text(v) for k, v in values.items()}
        return out

    def desired_value_maps(self) -> list[DesiredMapping]:
        """The environment's ``value_mappings:`` section."""
        return desired_from_config(self.env.get("value_mappings", {}), str(self.env.path))

    # --- plan ----------------------------------------------------------------------------------
    def plan(self, artifacts: list[LocalArtifact], package: dict[str, Any], *,
             all_local_ids: set[str] | None = None) -> Plan:
        """The change plan (reads the tenant, changes nothing)."""
        package_id = str(package["Id"])
        self.progress.message(f"reading {len(artifacts)} artifact(s) on {self.env.name}")
        package_exists = self.client.packages.get(package_id) is not None
        remotes = {a.id: self.remote_state(a) for a in artifacts}
        selected = {a.id for a in artifacts}
        all_ids = all_local_ids if all_local_ids is not None else selected
        parameters = self.parameters()
        source = str(self.env.path)
        unknown = sorted(set(parameters) - all_ids)
        wanted = {k: v for k, v in parameters.items() if k in selected}
        prune: list[tuple[str, str]] = []
        if self.options.prune and package_exists:
            prune = [(ref.id, ref.kind) for ref in self.client.packages.artifacts(package_id)
                     if ref.id not in all_ids]
        plan = plan_deploy(artifacts, remotes, wanted, package_id, package_exists=package_exists,
                           prune=prune, source=source)
        plan.errors[:0] = [f"{source}: parameters.{i}: no local artifact {i}" for i in unknown]
        plan.errors.extend(self._security_errors(plan))
        plan.errors.extend(self._value_map_errors(artifacts, all_ids))
        return plan

    def _security_errors(self, plan: Plan) -> list[str]:
        needed: dict[str, set[str]] = {}
        for item in plan.artifacts:
            if item.artifact is None or item.artifact.api_kind != "Integration":
                continue
            configured = {c.key: c.value for c in item.parameters}
            aliases = item.artifact.credential_aliases({**item.previous, **configured})
            if aliases:
                needed[item.id] = aliases
        if not needed:
            return []
        names = self.client.security.snapshot()
        errors = []
        for artifact_id, aliases in sorted(needed.items()):
            for alias in names.missing(aliases):
                errors.append(f"{artifact_id}: credential {alias!r} is not deployed on {self.env.name} "
                              "(create it under Monitor > Security Material with this exact name)")
        return errors

    def _value_map_errors(self, artifacts: list[LocalArtifact], all_ids: set[str]) -> list[str]:
        kinds = {a.id: a.api_kind for a in artifacts}
        errors = []
        for want in self.desired_value_maps():
            if want.artifact_id not in all_ids:
                errors.append(f"{self.env.path}: value_mappings.{want.artifact_id}: no local value mapping artifact "
                              f"{want.artifact_id}")
            elif want.artifact_id in kinds and kinds[want.artifact_id] != "ValueMapping":
                errors.append(f"{self.env.path}: value_mappings.{want.artifact_id}: {want.artifact_id} is not a "
                              "value mapping artifact")
        return errors

    # --- apply ---------------------------------------------------------------------------------
    def run(self, artifacts: list[LocalArtifact], package: dict[str, Any], *,
            all_local_ids: set[str] | None = None,
            on_plan: Callable[[Plan, ReconcileResult], None] | None = None) -> RolloutReport:
        """Plan (``on_plan`` sees it before anything changes), then, unless dry-run or the plan
        has errors, apply."""
        plan = self.plan(artifacts, package, all_local_ids=all_local_ids)
        report = RolloutReport(plan=plan)
        selected = {a.id for a in artifacts}
        value_maps = [d for d in self.desired_value_maps() if d.artifact_id in selected]
        if not plan.errors:
            report.value_maps = self._reconcile(plan, value_maps, dry=True)
        if on_plan is not None:
            on_plan(plan, report.value_maps)
        if plan.errors or self.options.dry_run:
            return report
        self.apply(plan, package, value_maps, report)
        return report

    def apply(self, plan: Plan, package: dict[str, Any], value_maps: list[DesiredMapping],
              report: RolloutReport) -> None:
        """Carry out a valid plan."""
        report.applied = True
        failed: dict[str, str] = {}
        if plan.create_package:
            self.progress.message(f"creating package {plan.package_id}")
            self.client.packages.create(package)
        for item in plan.uploads:
            assert item.artifact is not None
            records.store_blob(item.artifact.content)
            self.progress.message(f"{item.upload} {item.id} {item.version}")
            try:
                designtime = self.client.designtime(item.kind)
                if item.upload == "create":
                    designtime.create(item.artifact, plan.package_id)
                else:
                    designtime.update(item.artifact)
            except TenantError as exc:
                failed[item.id] = f"upload failed: {exc.text}"
        changes = [c for c in plan.parameter_changes if c.artifact_id not in failed]
        if changes:
            self.progress.message(f"applying {len(changes)} parameter value(s) in one $batch")
            try:
                for artifact_id, text in self.client.configurations.update(changes).items():
                    failed[artifact_id] = f"parameter update failed: {text}"
            except TenantError as exc:
                for artifact_id in {c.artifact_id for c in changes}:
                    failed[artifact_id] = f"parameter update failed: {exc.text}"
        report.value_maps = self._reconcile(plan, [v for v in value_maps if v.artifact_id not in failed],
                                            dry=False, failed=failed)
        to_deploy = [a for a in plan.deploys if a.id not in failed]
        if self.options.validate:
            for item in to_deploy:
                if item.kind != "Integration":
                    continue
                try:
                    result = self.client.integration.validate(item.id, item.version)
                except TenantError as exc:
                    failed[item.id] = f"validation call failed: {exc.text}"
                    continue
                if not result.passed:
                    failed[item.id] = f"validation failed: {result.text()}"
        outcomes = self._deploy_all([a for a in to_deploy if a.id not in failed])
        for item in plan.deletes:
            try:
                self._delete(item)
                report.results.append(ArtifactResult(item.id, True, "DELETED"))
            except TenantError as exc:
                report.results.append(ArtifactResult(item.id, False, "DELETE_FAILED", exc.text))
        for item in plan.artifacts:
            if item.delete:
                continue
            if item.id in failed:
                report.results.append(ArtifactResult(item.id, False, "FAILED", failed[item.id]))
            elif item.id in outcomes:
                o = outcomes[item.id]
                report.results.append(ArtifactResult(item.id, o.ok, o.status, o.error))
            else:
                report.results.append(ArtifactResult(item.id, True, "UNCHANGED"))

    def _reconcile(self, plan: Plan, desired: list[DesiredMapping], *, dry: bool,
                   failed: dict[str, str] | None = None) -> ReconcileResult:
        if not desired:
            return ReconcileResult()
        creating = {a.id for a in plan.uploads if a.upload == "create"}
        result = ReconcileResult()
        for want in desired:
            if dry and want.artifact_id in creating:
                result.added += [(want.artifact_id, want.schema, s, t) for s, t in want.values.items()]
                continue
            try:
                part = self.client.value_mappings.reconcile([want], dry_run=dry)
            except TenantError as exc:
                if failed is None:
                    raise
                failed[want.artifact_id] = f"value mapping update failed: {exc.text}"
                continue
            result.added += part.added
            result.updated += part.updated
            result.kept += part.kept
        if result.changed and not dry:
            self.progress.message(f"value mappings: {len(result.added)} added, {len(result.updated)} updated, "
                                  f"{len(result.kept)} kept")
        return result

    def _delete(self, item: ArtifactPlan) -> None:
        self.progress.message(f"delete {item.id}")
        if self.client.runtime.get(item.id) is not None:
            self.client.runtime.undeploy(item.id)
        try:
            self.client.designtime(item.kind or "Integration").delete(item.id)
        except NotFound:
            pass

    def _deploy_all(self, items: list[ArtifactPlan]) -> dict[str, DeployOutcome]:
        """Trigger and wait; ``parallel`` > 1 overlaps the waits under one deadline."""
        outcomes: dict[str, DeployOutcome] = {}
        if not items:
            return outcomes
        waiter = DeployWaiter(self.client.deploys, self.client.runtime, backoff=self.options.backoff,
                              clock=self.clock, sleep=self.sleep, error_wait=self.options.error_wait_s)
        self.progress.start_deploys([i.id for i in items])
        deadline = self.clock() + self.options.deadline_s

        def one(item: ArtifactPlan) -> DeployOutcome:
            try:
                task = self.client.deploys.deploy(item.id, item.kind)
            except TenantError as exc:
                return DeployOutcome(item.id, False, "TRIGGER_FAILED", item.version, exc.text)
            self.progress.deploy_status(item.id, "triggered")
            return waiter.wait(item.id, item.version, task, deadline,
                               on_status=lambda s, i=item.id: self.progress.deploy_status(i, s))

        if self.options.parallel <= 1:
            for item in items:
                outcome = one(item)
                outcomes[item.id] = outcome
                self.progress.deploy_done(item.id, outcome.ok, outcome.error or outcome.status)
            return outcomes
        tasks: dict[str, str] = {}
        for item in items:
            try:
                tasks[item.id] = self.client.deploys.deploy(item.id, item.kind)
                self.progress.deploy_status(item.id, "triggered")
            except TenantError as exc:
                outcomes[item.id] = DeployOutcome(item.id, False, "TRIGGER_FAILED", item.version, exc.text)
                self.progress.deploy_done(item.id, False, exc.text)
        waiting = [i for i in items if i.id in tasks]
        with ThreadPoolExecutor(max_workers=min(self.options.parallel, max(1, len(waiting)))) as pool:
            futures = {i.id: pool.submit(waiter.wait, i.id, i.version, tasks[i.id], deadline,
                                         lambda s, a=i.id: self.progress.deploy_status(a, s))
                       for i in waiting}
            for artifact_id, future in futures.items():
                outcome = future.result()
                outcomes[artifact_id] = outcome
                self.progress.deploy_done(artifact_id, outcome.ok, outcome.error or outcome.status)
        return outcomes


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
