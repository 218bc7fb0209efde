"""Helpers of the end-to-end tests: the test home, the CLI as a subprocess, the running landscape.

A test home next to the checkout holds the repository's specs, scripts and ``config/local.yaml``
plus the fixture module of ``tests/e2e/fixtures`` (flows with the shapes the tests need), every
contract scenario of ``tests/contract/`` (with its payloads) plus the fixture scenarios, and
``groovy/target`` linked from the checkout (the built script host). ``s4amz up`` runs as a
subprocess in it, builds, deploys every package and wires the mocks; ``s4amz down`` ends the
session. Tests talk to it over HTTP only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests
import yaml

from harness.paths import REPO_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
E2E_PARAMETERS = {flow: {"E2E S4HANA Address": "${mock:s4hana}"}
                  for flow in ("S4AMZ_E2E_Forward_Event", "S4AMZ_E2E_Describe_Failure")}
E2E_JMS_MAX_RETRIES = 5


def cli(home: Path, *args: str, timeout: float = 240, check: bool = False,
        state: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m s4amz ARGS`` in the test home (a real subprocess, as a user runs it); ``state``
    is the state folder (default ``home/.s4amz``: another home can share a running landscape)."""
    env = {**os.environ, "S4AMZ_HOME": str(home), "S4AMZ_STATE_DIR": str(state or home / ".s4amz"), "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "s4amz", *args], cwd=home, env=env, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"s4amz {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def make_home(root: Path) -> Path:
    """A checkout-like folder: specs + fixture module, scripts + fixture script, config, built JVM side."""
    home = root / "home"
    (home / "groovy").mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "mappings", home / "mappings")
    shutil.copy(FIXTURES / "mappings" / "e2e-events.yaml", home / "mappings" / "e2e-events.yaml")
    shutil.copytree(REPO_ROOT / "groovy" / "scripts", home / "groovy" / "scripts")
    (home / "groovy" / "scripts" / "e2e").mkdir()
    for script in (FIXTURES / "scripts").glob("*.groovy"):
        shutil.copy(script, home / "groovy" / "scripts" / "e2e" / script.name)
    (home / "groovy" / "target").symlink_to(REPO_ROOT / "groovy" / "target", target_is_directory=True)
    shutil.copytree(REPO_ROOT / "config", home / "config")
    local = home / "config" / "local.yaml"
    data = yaml.safe_load(local.read_text(encoding="utf-8"))
    data.setdefault("parameters", {}).update(E2E_PARAMETERS)
    # the fixture flows have no retry budget of their own: the emulator's model of message expiry
    # dead-letters them after five failed deliveries (the module flows spend their budget first)
    data["emulator"]["runtime"]["jms_max_retries"] = E2E_JMS_MAX_RETRIES
    local.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    shutil.copytree(REPO_ROOT / "tests" / "contract", home / "tests" / "contract",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(FIXTURES / "scenarios", home / "tests" / "contract" / "e2e")
    return home


class Landscape:
    """The running landscape as the tests see it: URLs, credentials, and small HTTP helpers."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.refresh()

    def refresh(self) -> None:
        data = json.loads((self.home / ".s4amz" / "landscape.json").read_text())
        self.emulator = data["emulator"]["url"]
        self.mocks: dict[str, str] = data["mocks"]
        secrets = json.loads((self.home / ".s4amz" / "secrets.json").read_text())
        self.sender = ("s4amz-sender", secrets["emulator_sender_secret"])
        self.api = ("s4amz-local", secrets["emulator_client_secret"])

    # --- the flows' side --------------------------------------------------------------------
    def post_event(self, path: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(f"{self.emulator}/http{path}", json=payload, auth=self.sender, headers=headers, timeout=60)

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The emulator's /s4amz/v1 API with the tenant API client (bearer token, as the CLI does)."""
        token = requests.post(f"{self.emulator}/oauth/token", data={"grant_type": "client_credentials"},
                              auth=self.api, timeout=30).json()["access_token"]
        return requests.request(method, f"{self.emulator}/s4amz/v1{path}", headers={"Authorization": f"Bearer {token}"},
                                timeout=120, **kwargs)

    def wait_idle(self, timeout: float = 60) -> dict[str, Any]:
        response = self.control("POST", "/wait-idle", json={"timeout_s": timeout})
        assert response.status_code == 200, response.text
        return response.json()

    def api_get(self, path: str, **params: Any) -> Any:
        response = requests.get(f"{self.emulator}/api/v1/{path}", params=params, auth=self.api,
                                headers={"Accept": "application/json"}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["d"]

    def mpls(self, flow: str) -> list[dict[str, Any]]:
        """The flow's message processing logs, oldest first."""
        rows = self.api_get("MessageProcessingLogs", **{"$filter": f"IntegrationArtifact/Id eq '{flow}'"})["results"]
        return sorted(rows, key=lambda r: r["LogStart"])

    def mpl_error(self, guid: str) -> str:
        response = requests.get(f"{self.emulator}/api/v1/MessageProcessingLogs('{guid}')/ErrorInformation/$value",
                                auth=self.api, timeout=30)
        return response.text if response.status_code == 200 else ""

    # --- the mocks' side --------------------------------------------------------------------
    def mock(self, name: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.mocks[name] + path, timeout=60, **kwargs)

    def requests_to(self, name: str, path_contains: str = "") -> list[dict[str, Any]]:
        entries = self.mock(name, "GET", "/__mock__/requests").json()
        return [e for e in entries if path_contains in e["path"]]

    def reset(self) -> None:
        for name in self.mocks:
            assert self.mock(name, "POST", "/__mock__/reset").status_code == 200
