"""Wall time to deploy N artifacts in parallel against the emulator, as a ratio to one by one.

Each deploy costs ``--latency`` seconds inside the emulated tenant (its build and start), as a real
tenant's deploys take tens of seconds; the client triggers them all and waits under one deadline.
Both runs do the full rollout (package, uploads, parameters, validation, deploy, wait) into a
fresh emulated tenant. The artifacts are small fixture iFlows (tests/tenant/tenant_builders.py).

    .venv/bin/python benchmarks/bench_deploy.py [--count 20] [--latency 1.0]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tenant"))

from harness.config import Environment  # noqa: E402
from harness.emulator.api.context import Settings  # noqa: E402
from harness.emulator.server import Emulator  # noqa: E402
from harness.tenant.artifact import LocalArtifact  # noqa: E402
from harness.tenant.auth import TokenSource  # noqa: E402
from harness.tenant.client import TenantClient  # noqa: E402
from harness.tenant.deploy import Backoff  # noqa: E402
from harness.tenant.http import TenantSession  # noqa: E402
from harness.tenant.rollout import DeployOptions, Rollout  # noqa: E402
from tenant_builders import iflow_zip  # noqa: E402

CLIENT = ("bench", "bench-secret")


def run(work: Path, name: str, artifacts: list[LocalArtifact], latency: float, parallel: int) -> tuple[float, int]:
    """One full rollout into a fresh emulated tenant; returns (seconds, artifacts started)."""
    emulator = Emulator.create(work / f"{name}.db", client=CLIENT, settings=Settings(lint="off"),
                               deploy_latency=latency, deploy_workers=max(parallel, 1)).start()
    try:
        for alias in {a for artifact in artifacts for a in artifact.credential_aliases()}:
            emulator.store.security_put("UserCredentials", alias, {"user": "u", "password": "p"})
        client = TenantClient(TenantSession.oauth(emulator.api_url, TokenSource(emulator.token_url, *CLIENT)))
        env = Environment(name=name, path=work / f"{name}.yaml", raw={})
        options = DeployOptions(deadline_s=max(60.0, latency * len(artifacts) * 3), parallel=parallel,
                                backoff=Backoff(0.05, 1.5, 0.25))
        started = time.perf_counter()
        report = Rollout(client, env, options).run(artifacts, {"Id": "BENCH", "Name": "Bench"})
        elapsed = time.perf_counter() - started
        if not report.ok:
            raise SystemExit(f"rollout failed: {report.plan.errors or [r.error for r in report.failures]}")
        return elapsed, sum(r.status == "STARTED" for r in report.results)
    finally:
        emulator.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="artifacts to deploy (default 20)")
    parser.add_argument("--latency", type=float, default=1.0, help="seconds each deploy takes in the tenant")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["S4AMZ_STATE_DIR"] = str(work / "state")
        artifacts = [LocalArtifact.from_zip(iflow_zip(f"Bench_Flow_{i:02d}"), f"Bench_Flow_{i:02d}.zip")
                     for i in range(args.count)]
        parallel, started_p = run(work, "parallel", artifacts, args.latency, args.count)
        serial, started_s = run(work, "serial", artifacts, args.latency, 1)
    print(f"deploy {args.count} artifacts, {args.latency:g} s build+start latency each (emulator)")
    print(f"  parallel (one deadline, {args.count} waits at once): {parallel:7.2f} s  ({started_p} STARTED)")
    print(f"  one by one:                                 {serial:7.2f} s  ({started_s} STARTED)")
    print(f"  ratio parallel / one by one: {parallel / serial:.3f}  (speed-up x{serial / parallel:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
