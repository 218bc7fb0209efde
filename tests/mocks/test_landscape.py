"""The landscape of Amazon mocks from config/local.yaml, and `s4amz mocks up|status|down`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.config import landscape_path, load_environment, local_secret
from harness.daemon import Daemon, DaemonError
from harness.mocks import landscape

AMAZON = ["bwp", "lwa", "spapi"]  # sorted
SUMMARIES = "/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER"


@pytest.fixture()
def state(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("S4AMZ_STATE_DIR", str(tmp_path))
    return tmp_path


def _local_token(lwa_url: str) -> str:
    env = load_environment("local", landscape={})
    client = env.get("mocks.services.lwa")["clients"][0]
    response = requests.post(lwa_url + "/auth/o2/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": client["refresh_tokens"][0]["token"],
        "client_id": client["client_id"], "client_secret": client["client_secret"]})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_local_landscape_wires_lwa_tokens_into_sp_api(state):
    running = landscape.start(load_environment("local", landscape={}), only=AMAZON)
    try:
        assert sorted(running.urls) == AMAZON
        token = _local_token(running.urls["lwa"])
        assert requests.get(running.urls["spapi"] + SUMMARIES, headers={"x-amz-access-token": token},
                            timeout=10).status_code == 200
        bwp_token = requests.post(running.urls["bwp"] + "/token", timeout=10, data={
            "grant_type": "client_credentials", "client_id": "s4amz-local-bwp",
            "client_secret": local_secret("bwp_client_secret")}).json()["access_token"]
        answer = requests.post(running.urls["bwp"] + "/graphql", timeout=10, json={"query": "{ products { edges { cursor } } }"},
                               headers={"Authorization": f"Bearer {bwp_token}", "x-api-version": "2024-11-01",
                                        "x-api-target-id": "bp-s4amz-local-0001"})
        assert answer.status_code == 200 and len(answer.json()["data"]["products"]["edges"]) == 6
        running.write(landscape_path())
        assert json.loads(landscape_path().read_text())["mocks"] == running.urls
        secrets_file = (state / "secrets.json").read_text()
        assert "lwa_client_secret" in secrets_file and oct((state / "secrets.json").stat().st_mode)[-3:] == "600"
    finally:
        running.stop()


def _cli(*args: str, state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "s4amz", "mocks", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "S4AMZ_STATE_DIR": str(state)})


def test_mocks_up_status_down(state):
    up = _cli("up", "--only", ",".join(AMAZON), state=state)
    try:
        assert up.returncode == 0, up.stderr
        urls = json.loads((state / "landscape.json").read_text())["mocks"]
        assert sorted(urls) == AMAZON and all(f"  {name}" in up.stdout for name in AMAZON)
        status = _cli("status", "--json", state=state)
        info = json.loads(status.stdout)
        assert status.returncode == 0 and info["ready"] and info["details"]["mocks"] == urls
        assert requests.post(urls["lwa"] + "/auth/o2/token", data={}, timeout=10).status_code == 400
        again = _cli("up", state=state)
        assert again.returncode == 1 and "already running" in again.stderr
    finally:
        down = _cli("down", state=state)
    assert down.returncode == 0 and "mocks stopped" in down.stdout
    assert not (state / "landscape.json").exists() and not (state / "mocks.pid").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(urls["lwa"] + "/__mock__/state", timeout=2)
    assert _cli("status", state=state).returncode == 1


def test_up_reports_a_broken_configuration_with_the_log(state):
    failed = _cli("up", "--env", "nonexistent", state=state)
    assert failed.returncode == 1
    assert "exited with code 2" in failed.stderr and "no environment 'nonexistent'" in failed.stderr


def test_stale_pid_file_is_detected_and_removed(state):
    daemon = Daemon("probe", state)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    daemon.pid_file.write_text(json.dumps({"pid": dead.pid, "argv": ["x"], "started": "then"}))
    assert daemon.status() is None and not daemon.pid_file.exists()
    recycled = {"pid": os.getpid(), "argv": ["x"], "started": "then", "start_ticks": 1}
    daemon.pid_file.write_text(json.dumps(recycled))
    assert daemon.status() is None  # our pid, but not the process that wrote the file
    assert daemon.stop() is False


def test_daemon_that_never_becomes_ready_is_stopped(state):
    daemon = Daemon("sleepy", state)
    with pytest.raises(DaemonError, match="not ready within 1 s"):
        daemon.start([sys.executable, "-c", "import time; print('sleeping', flush=True); time.sleep(60)"], timeout=1)
    assert daemon.status() is None
    assert "sleeping" in daemon.log_tail()
