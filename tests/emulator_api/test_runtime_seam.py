"""The seam with the real interpreter: generated packages deploy into it through the tenant API,
their senders are published, and runtime endpoints reach it (it checks the caller itself)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import requests

from harness.emulator.api.context import Settings
from harness.emulator.server import Emulator
from harness.paths import REPO_ROOT
from harness.tenant.artifact import load_dist
from harness.tenant.deploy import Backoff, DeployWaiter

from emulator_helpers import CLIENT, client_for

runtime_module = pytest.importorskip("harness.emulator.runtime")
build = pytest.importorskip("generator.build")


def test_generated_packages_start_in_the_real_runtime(tmp_path: Path):
    specs = REPO_ROOT / "mappings"
    if not [p for p in specs.glob("*.yaml") if p.name != "package.yaml"]:
        pytest.skip("no module specs in mappings/ yet")
    root = tmp_path / "home"
    shutil.copytree(specs, root / "mappings")
    if (REPO_ROOT / "groovy" / "scripts").is_dir():
        shutil.copytree(REPO_ROOT / "groovy" / "scripts", root / "groovy" / "scripts")
    build.build_all(root)
    artifacts = load_dist(root / "dist")
    emulator = Emulator.create(tmp_path / "seam.db", client=CLIENT, settings=Settings(lint="upload"),
                               runtime=lambda store: runtime_module.Runtime(tmp_path / "runtime", store, time_scale=0.001),
                               deploy_latency=0.01).start()
    try:
        client = client_for(emulator)
        client.packages.create({"Id": "PKG", "Name": "Package"})
        for artifact in artifacts:
            client.designtime(artifact.api_kind).create(artifact, "PKG")
            for alias in artifact.credential_aliases():
                emulator.store.security_put("UserCredentials", alias, {"user": "u", "password": "p"})
        waiter = DeployWaiter(client.deploys, client.runtime, backoff=Backoff(0.05, 1.5, 0.3), error_wait=2)
        for artifact in artifacts:
            outcome = waiter.wait(artifact.id, artifact.version, client.deploys.deploy(artifact.id, artifact.api_kind),
                                  time.monotonic() + 30)
            assert outcome.ok, f"{artifact.id}: {outcome.status}: {outcome.error}"
        senders = [e for e in client.endpoints.list() if e.entry_points]
        for endpoint in senders:
            answer = requests.post(endpoint.entry_points[0].url, data=b"<x/>")
            assert answer.status_code == 401                  # the runtime, not the emulator's 503
    finally:
        emulator.stop()
