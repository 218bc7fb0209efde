"""Security material and value mappings from an environment file; the emulator as a process."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import requests

from harness.config import ConfigError, load_environment
from harness.emulator import process
from harness.emulator.seed import seed_security, seed_value_mappings
from harness.emulator.server import from_environment
from harness.emulator.store import Store

ENV = """
tenant: {client_id: local-api, client_secret: "${secret:emulator_client_secret}"}
emulator: {lint: "off", deploy_latency_s: 0}
security:
  user_credentials:
    S4HANA_Technical_User: {user: S4AMZ_CPI, password: "${secret:s4hana_password}"}
  oauth2_credentials:
    BuyWithPrime_API: {token_url: "${mock:bwp}/token", client_id: bwp, client_secret: "${secret:bwp_secret}"}
  secure_parameters:
    Refresh_Token: "${secret:refresh}"
value_mappings:
  S4AMZ_Value_Mappings:
    - source: {agency: SAP, id: ShippingCondition}
      target: {agency: AMAZON, id: DeliverySpeed}
      values: {"01": STANDARD}
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    (root / "config").mkdir(parents=True)
    (root / "config" / "local.yaml").write_text(ENV)
    monkeypatch.setenv("S4AMZ_HOME", str(root))
    monkeypatch.setenv("S4AMZ_STATE_DIR", str(root / ".s4amz"))
    return root


def test_security_is_seeded_with_local_secrets_and_mock_entries_wait_for_the_mocks(home):
    store = Store(home / "seed.db")
    env = load_environment("local", landscape={})
    skipped = seed_security(store, env)
    assert len(skipped) == 1 and skipped[0].startswith("security.oauth2_credentials.BuyWithPrime_API")
    secrets = json.loads((home / ".s4amz" / "secrets.json").read_text())
    material = store.security_material()
    assert material.user_credentials["S4HANA_Technical_User"] == {"user": "S4AMZ_CPI", "password": secrets["s4hana_password"]}
    assert material.secure_parameters["Refresh_Token"] == secrets["refresh"]
    assert oct((home / ".s4amz" / "secrets.json").stat().st_mode)[-3:] == "600"
    pending = material.oauth2_credentials["BuyWithPrime_API"]          # deployed by name already
    assert pending["token_url"] == "${mock:bwp}/token" and pending["client_secret"] == secrets["bwp_secret"]
    seed_security(store, load_environment("local", landscape={"mocks": {"bwp": "http://127.0.0.1:9"}}))
    assert store.security_material().oauth2_credentials["BuyWithPrime_API"]["token_url"] == "http://127.0.0.1:9/token"
    assert seed_value_mappings(store, env) == 1
    assert store.valmaps("S4AMZ_Value_Mappings")[0]["tgt_value"] == "STANDARD"
    store.close()


def test_bad_security_section_is_a_clear_error(home):
    (home / "config" / "local.yaml").write_text("security:\n  passwords: {x: y}\n")
    with pytest.raises(ConfigError, match="unknown kind.s. passwords"):
        seed_security(Store(home / "bad.db"), load_environment("local", landscape={}))
    (home / "config" / "local.yaml").write_text("security:\n  user_credentials:\n    X: {user: u}\n")
    with pytest.raises(ConfigError, match="security.user_credentials.X: expected user and password"):
        seed_security(Store(home / "bad2.db"), load_environment("local", landscape={}))


def test_pending_entries_are_seeded_before_a_deploy(home):
    emulator = from_environment(load_environment("local", landscape={}))
    try:
        assert emulator.worker.before_deploy is not None
        (home / ".s4amz" / "landscape.json").write_text(json.dumps({"mocks": {"bwp": "http://127.0.0.1:7"}}))
        emulator.worker.before_deploy()
        assert emulator.store.security_get("OAuth2ClientCredentials", "BuyWithPrime_API") is not None
        assert emulator.worker.before_deploy is None          # nothing pending any more
    finally:
        emulator.stop()


def test_start_status_stop_as_a_background_process(home, capsys):
    from s4amz.cli import main

    assert main(["emulator", "start"]) == 0
    try:
        info = process.running()
        assert info and info.details["env"] == "local"
        url = info.details["url"]
        landscape = json.loads((home / ".s4amz" / "landscape.json").read_text())
        assert landscape["emulator"]["url"] == url
        assert load_environment("local").get("tenant.client_id") == "local-api"
        token = requests.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                              auth=("local-api", json.loads((home / ".s4amz" / "secrets.json").read_text())
                                    ["emulator_client_secret"]))
        assert token.status_code == 200
        assert main(["emulator", "start"]) == 0                  # idempotent: already running
        assert main(["emulator", "status"]) == 0
        assert (home / ".s4amz" / "emulator" / "local.db").is_file()
    finally:
        assert main(["emulator", "stop"]) == 0
    assert process.running() is None
    assert "emulator" not in json.loads((home / ".s4amz" / "landscape.json").read_text())
    assert main(["emulator", "status"]) == 1
    out = capsys.readouterr().out
    assert "running at http://127.0.0.1:" in out and "no emulator running" in out


def test_foreground_serve_in_a_thread_publishes_and_withdraws_its_url(home):
    stop = threading.Event()
    thread = threading.Thread(target=process.serve, args=("local",), kwargs={"port": 0, "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        landscape = home / ".s4amz" / "landscape.json"
        while time.monotonic() < deadline and not (landscape.is_file() and "emulator" in landscape.read_text()):
            time.sleep(0.05)
        url = json.loads(landscape.read_text())["emulator"]["url"]
        assert requests.get(url + "/__emulator__/health").json() == {"ok": True, "runtime": True}
    finally:
        stop.set()
        thread.join(timeout=10)
    assert "emulator" not in json.loads(landscape.read_text())
