"""The embedded local landscape: mocks and emulator in the background, every package deployed.

``s4amz up`` and ``s4amz down`` are thin over :func:`up` and :func:`down`; ``s4amz test`` and
``s4amz demo`` call :func:`ensure_up`, and ``s4amz test`` then :func:`refresh` on a landscape that
was already running, so it never runs stale packages. The two background processes are the ones ``s4amz mocks up``
and ``s4amz emulator start`` manage (:class:`harness.daemon.Daemon` named ``mocks`` and
``emulator``), so every verb sees the same landscape, and both write their URLs into
``.s4amz/landscape.json``.

``up`` is idempotent and recovers from a stale state: what runs is kept, what died (a pid file of
a dead process, an entry in ``landscape.json`` nobody serves) is cleaned up and started again.
When the mocks had to be (re)started on new ports while the emulator kept running, the emulator
is restarted too, so its security material points at the new mock URLs. After the deploy the
environment's ``wiring:`` mock calls tell the mocks where the flows listen (what an S/4HANA
administrator configures for outbound SOAP).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from rich.console import Console

from harness.config import ConfigError, Environment, landscape_path, load_environment, read_landscape
from harness.daemon import Daemon, DaemonError, DaemonInfo
from harness.emulator import process as emulator_process
from harness.paths import state_dir
from harness.tenant import commands

MOCKS = "mocks"


class LandscapeError(Exception):
    """The local landscape could not be brought up (the message says which part and why)."""


@dataclass
class Landscape:
    """The running local landscape."""

    env: str
    emulator_url: str
    mocks: dict[str, str]
    started: list[str] = field(default_factory=list)     # what this call had to start

    @property
    def api_url(self) -> str:
        return self.emulator_url + "/api/v1"


def _env(env_name: str) -> Environment:
    env = load_environment(env_name)
    kind = env.get("kind", "emulator")
    if kind != "emulator":
        raise ConfigError(f"{env.path}: kind is {kind!r}: `s4amz up` runs the embedded landscape (kind: emulator); "
                          f"for a real tenant use `s4amz deploy --env {env_name}`")
    return env


def _mocks_running(env_name: str) -> DaemonInfo | None:
    info = Daemon(MOCKS).status()
    if info is None:
        return None
    if not info.ready:
        return None
    running_env = info.details.get("env")
    if running_env not in (None, env_name):
        raise LandscapeError(f"the mocks run for environment {running_env!r} (pid {info.pid}); "
                             f"`s4amz down` first")
    if not _answers(next(iter((info.details.get("mocks") or {}).values()), None), "/__mock__/faults"):
        Daemon(MOCKS).stop()            # alive but not serving: treat as stale
        return None
    return info


def _emulator_running(env_name: str) -> DaemonInfo | None:
    info = emulator_process.running()
    if info is None:
        return None
    if info.details.get("env") != env_name:
        raise LandscapeError(f"the emulator runs for environment {info.details.get('env')!r} at "
                             f"{info.details.get('url')} (pid {info.pid}); `s4amz down` first")
    if not _answers(info.details.get("url"), "/__emulator__/health"):
        emulator_process.stop_running()
        return None
    return info


def _answers(base: str | None, path: str) -> bool:
    if not base:
        return False
    try:
        return requests.get(base + path, timeout=5).status_code < 500
    except requests.RequestException:
        return False


def _start_mocks(env_name: str, timeout: float) -> DaemonInfo:
    argv = [sys.executable, "-m", "s4amz", "mocks", "run", "--env", env_name]
    try:
        return Daemon(MOCKS).start(argv, timeout=timeout)
    except DaemonError as exc:
        raise LandscapeError(f"the mocks did not start: {exc}") from exc


def _start_emulator(env_name: str, timeout: float) -> DaemonInfo:
    try:
        return emulator_process.start(env_name, timeout=timeout)
    except DaemonError as exc:
        raise LandscapeError(f"the emulator did not start: {exc}") from exc


def start_processes(env_name: str = "local", *, timeout: float = 60.0) -> Landscape:
    """Start (or keep) the mocks and the emulator; no build, no deploy."""
    _env(env_name)
    started: list[str] = []
    mocks = _mocks_running(env_name)
    if mocks is None:
        mocks = _start_mocks(env_name, timeout)
        started.append("mocks")
    emulator = _emulator_running(env_name)
    if emulator is not None and "mocks" in started:
        # its security material was resolved against the previous mock URLs: restart it (deploys survive)
        emulator_process.stop_running()
        emulator = None
    if emulator is None:
        emulator = _start_emulator(env_name, timeout)
        started.append("emulator")
    return Landscape(env_name, str(emulator.details["url"]), dict(mocks.details.get("mocks") or {}), started)


def wire(env: Environment, out: Console | None = None) -> int:
    """Run the environment's ``wiring:`` mock calls (after the flows are deployed); returns how many."""
    steps = env.raw.get("wiring") or []
    if not isinstance(steps, list):
        raise ConfigError(f"{env.path}: wiring: expected a list of {{mock, call, json}}")
    mocks = read_landscape().get("mocks") or {}
    for index, raw in enumerate(steps):
        where = f"wiring[{index}]"
        step = env.resolve(raw, where)
        if not isinstance(step, dict) or not step.get("mock") or not step.get("call"):
            raise ConfigError(f"{env.path}: {where}: expected mock and call ('METHOD /path')")
        base = mocks.get(step["mock"])
        if base is None:
            raise ConfigError(f"{env.path}: {where}: mock {step['mock']!r} is not running (known: {', '.join(sorted(mocks))})")
        method, _, path = str(step["call"]).partition(" ")
        response = requests.request(method.upper(), base + path.strip(), json=step.get("json"), timeout=30)
        if response.status_code >= 300:
            raise LandscapeError(f"{where}: {step['call']} on {step['mock']} answered {response.status_code}: "
                                 f"{response.text[:300]}")
        if out is not None:
            out.print(f"[dim]·[/dim] wired {step['mock']}: {step['call']}", markup=True)
    return len(steps)


def up(env_name: str = "local", *, build: bool = True, deploy: bool = True, out: Console | None = None,
       timeout: float = 60.0) -> tuple[int, Landscape | None]:
    """Start what is missing, build if needed, deploy every package, wire the mocks.

    Returns the exit code (0 ok, 1 a part failed, 2 bad configuration) and the landscape.
    """
    out = out or Console(highlight=False, soft_wrap=True)
    began = time.monotonic()
    try:
        landscape = start_processes(env_name, timeout=timeout)
    except (ConfigError, LandscapeError) as exc:
        out.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return (2 if isinstance(exc, ConfigError) else 1), None
    for part in ("mocks", "emulator"):
        out.print(f"{part}: {'started' if part in landscape.started else 'already running'}")
    if deploy:
        code = commands.deploy(env_name, build=build, out=out)
        if code != 0:
            return code, landscape
    try:
        wire(load_environment(env_name), out)
    except (ConfigError, LandscapeError) as exc:
        out.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return 1, landscape
    print_endpoints(out, landscape)
    out.print(f"landscape {env_name} up in {time.monotonic() - began:.1f} s; `s4amz down` stops it")
    return 0, landscape


def ensure_up(env_name: str = "local", *, out: Console | None = None, build: bool = True) -> Landscape:
    """The running landscape, brought up (and deployed) first when anything is missing."""
    _env(env_name)
    mocks, emulator = _mocks_running(env_name), _emulator_running(env_name)
    if mocks is not None and emulator is not None:
        return Landscape(env_name, str(emulator.details["url"]), dict(mocks.details.get("mocks") or {}))
    code, landscape = up(env_name, build=build, out=out)
    if code != 0 or landscape is None:
        raise LandscapeError(f"`s4amz up --env {env_name}` failed (exit {code}); see the output above")
    return landscape


def refresh(env_name: str = "local") -> str:
    """Bring a running landscape up to date with the checkout; one line says what was redeployed.

    Builds ``dist/`` when a spec or script is newer, then rolls out the plan of ``s4amz deploy``
    (only what changed is uploaded, reconfigured or deployed; the rest is left alone). Raises
    :class:`LandscapeError` when the build, the plan or a deploy fails.
    """
    from generator.errors import BuildError, SpecError
    from harness.paths import repo_root
    from harness.tenant.rollout import DeployOptions, Rollout
    from harness.tenant.workspace import Workspace, build_if_needed

    root = repo_root()
    try:
        built = build_if_needed(root, root / "dist")
    except (BuildError, SpecError) as exc:
        raise LandscapeError(f"the build failed, so the landscape was not updated:\n{exc}") from exc
    workspace = Workspace.open(env_name)
    artifacts = workspace.artifacts()
    rollout = Rollout(workspace.client, workspace.env, DeployOptions.from_environment(workspace.env))
    report = rollout.run(artifacts, workspace.package(), all_local_ids={a.id for a in artifacts})
    if report.plan.errors:
        raise LandscapeError(f"the landscape {env_name} could not be brought up to date: "
                             + "; ".join(report.plan.errors))
    if not report.ok:
        raise LandscapeError(f"redeploying on {env_name} failed: "
                             + "; ".join(f"{r.id}: {r.status} {r.error}".strip() for r in report.failures))
    changed = [f"{item.id} ({_why(item)})" for item in report.plan.artifacts if not item.unchanged]
    prefix = f"{built}; " if built else ""
    if not changed:
        return f"{prefix}landscape {env_name} is current: nothing redeployed"
    return f"{prefix}landscape {env_name} brought up to date: redeployed " + ", ".join(changed)


def _why(item: Any) -> str:
    """What changed for one artifact of a rollout plan, in a word or two."""
    reasons = []
    if item.upload:
        reasons.append("new" if item.upload == "create" else "changed")
    if item.parameters:
        reasons.append("parameters")
    if item.deploy and not reasons:
        reasons.append("; ".join(item.reasons) or "not started")
    return ", ".join(reasons)


def running(env_name: str | None = None) -> Landscape | None:
    """The landscape when both parts run, else None (nothing is started)."""
    mocks = Daemon(MOCKS).status()
    emulator = emulator_process.running()
    if mocks is None or emulator is None or not mocks.ready:
        return None
    env = str(emulator.details.get("env") or "local")
    if env_name is not None and env != env_name:
        return None
    return Landscape(env, str(emulator.details.get("url")), dict(mocks.details.get("mocks") or {}))


def down(out: Console | None = None) -> int:
    """Stop the emulator and the mocks (whatever of them runs); always 0."""
    out = out or Console(highlight=False, soft_wrap=True)
    stopped_emulator = emulator_process.stop_running()
    stopped_mocks = Daemon(MOCKS).stop()
    _forget("mocks")
    if not stopped_emulator:
        _forget("emulator")
    out.print("emulator: stopped" if stopped_emulator else "emulator: was not running")
    out.print("mocks: stopped" if stopped_mocks else "mocks: were not running")
    return 0


def _forget(part: str) -> None:
    """Drop a part's entry from ``landscape.json`` (a stale one, or after a stop)."""
    import json

    path = landscape_path()
    if not path.is_file():
        return
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        path.unlink()
        return
    if part in data:
        data.pop(part)
        if data:
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        else:
            path.unlink()


def print_endpoints(out: Console, landscape: Landscape) -> None:
    """Where everything listens (secrets are named, never printed)."""
    from harness.tenant.console import table
    from harness.tenant.workspace import Workspace

    rows: list[tuple[str, str]] = [("emulator (tenant API)", landscape.api_url),
                                   ("emulator (OAuth token)", landscape.emulator_url + "/oauth/token"),
                                   ("emulator (emulator-only controls)", landscape.emulator_url + "/s4amz/v1")]
    rows += [(f"mock {name}", url) for name, url in sorted(landscape.mocks.items())]
    try:
        workspace = Workspace.open(landscape.env)
        for endpoint in workspace.client.endpoints.list():
            for point in endpoint.entry_points:
                rows.append((f"{endpoint.artifact_id} ({endpoint.protocol})", point.url))
    except Exception as exc:  # noqa: BLE001 - the listing is informative only
        rows.append(("sender endpoints", f"unavailable: {exc}"))
    out.print(table(f"local landscape ({landscape.env})", ("what", "url"), rows))
    out.print(f"senders authenticate as the emulator client in config/{landscape.env}.yaml `emulator.clients` "
              f"(secrets in {state_dir() / 'secrets.json'})")
