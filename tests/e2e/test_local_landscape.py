"""`s4amz up` / `s4amz down` as subprocesses: the generated packages deploy and start in the emulator,
both verbs are idempotent, a dead emulator is recovered by the next `up`, and `s4amz test` redeploys
what changed in the checkout before it runs scenarios."""

from __future__ import annotations

import io
import json
import os
import signal
import time
import zipfile

import requests

from e2e_landscape import FIXTURES, Landscape, cli


def test_up_deploys_every_generated_package_and_they_start(landscape: Landscape):
    artifacts = {a["Id"]: a for a in landscape.api_get("IntegrationRuntimeArtifacts")["results"]}
    built = sorted(p.stem for p in (landscape.home / "dist").glob("*.zip"))
    assert built and sorted(artifacts) == built
    assert {a["Status"] for a in artifacts.values()} == {"STARTED"}
    for name in ("S4AMZ_Create_Fulfillment_Order", "S4AMZ_Replicate_Sales_Orders_SOAP",
                 "S4AMZ_Replicate_Sales_Orders_Timer", "S4AMZ_Value_Mappings", "S4AMZ_E2E_Forward_Event"):
        assert name in artifacts
    flows = {f["id"]: f for f in landscape.control("GET", "/flows").json()["flows"]}
    assert flows["S4AMZ_E2E_Forward_Event"]["senders"] == [{"kind": "jms", "address": None, "queue": "S4AMZ_E2E_EVENTS"}]
    assert flows["S4AMZ_Replicate_Sales_Orders_Timer"]["timer"] is True
    endpoints = landscape.api_get("ServiceEndpoints", **{"$expand": "EntryPoints"})["results"]
    urls = {e["EntryPoints"]["results"][0]["Url"] for e in endpoints}
    assert f"{landscape.emulator}/cxf/s4amz/sales-order-replication" in urls
    assert f"{landscape.emulator}/http/s4amz/e2e/events" in urls
    # the output names every endpoint; the S/4HANA SOAP mock was told where the replication flow listens
    assert "mock s4hana_soap" in landscape.up_output and "wired s4hana_soap" in landscape.up_output  # type: ignore[attr-defined]
    replication = landscape.mock("s4hana_soap", "GET", "/__mock__/replication").json()
    assert replication["endpoint"] == f"{landscape.emulator}/cxf/s4amz/sales-order-replication"
    assert replication["password"] == "***"


def test_up_again_is_idempotent_and_changes_nothing(landscape: Landscape):
    again = cli(landscape.home, "up", check=True)
    assert "mocks: already running" in again.stdout and "emulator: already running" in again.stdout
    assert "unchanged" in again.stdout and "> deploy" not in again.stdout
    assert json.loads((landscape.home / ".s4amz" / "landscape.json").read_text())["emulator"]["url"] == landscape.emulator


def test_a_killed_emulator_is_restarted_by_up_with_its_deployments(landscape: Landscape):
    pid = json.loads((landscape.home / ".s4amz" / "emulator.pid").read_text())["pid"]
    os.killpg(pid, signal.SIGKILL)                      # a crash: stale pid file and landscape entry stay
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    began = time.monotonic()
    again = cli(landscape.home, "up", check=True)
    assert "emulator: started" in again.stdout and "mocks: already running" in again.stdout
    assert time.monotonic() - began < 60
    landscape.refresh()
    statuses = {a["Id"]: a["Status"] for a in landscape.api_get("IntegrationRuntimeArtifacts")["results"]}
    assert set(statuses.values()) == {"STARTED"}                 # restored from the emulator's database
    replication = landscape.mock("s4hana_soap", "GET", "/__mock__/replication").json()
    assert replication["endpoint"].startswith(landscape.emulator)  # wired again to the new port


def test_down_stops_both_and_is_idempotent_then_up_recovers(landscape: Landscape):
    home = landscape.home
    first = cli(home, "down", check=True)
    assert "emulator: stopped" in first.stdout and "mocks: stopped" in first.stdout
    assert not (home / ".s4amz" / "landscape.json").exists()
    assert not (home / ".s4amz" / "mocks.pid").exists() and not (home / ".s4amz" / "emulator.pid").exists()
    second = cli(home, "down", check=True)
    assert "was not running" in second.stdout and "were not running" in second.stdout
    cli(home, "up", check=True)
    landscape.refresh()
    assert {a["Status"] for a in landscape.api_get("IntegrationRuntimeArtifacts")["results"]} == {"STARTED"}


def test_s4amz_test_redeploys_what_changed_in_the_checkout_first(landscape: Landscape):
    """A running landscape is brought up to date before scenarios run: a spec edited after `up`
    is built and only its artifact is redeployed (one line says so); a second run finds nothing."""
    spec = landscape.home / "mappings" / "e2e-events.yaml"
    original = spec.read_text(encoding="utf-8")
    scenario = str(FIXTURES / "scenarios" / "event-through-the-queue.yaml")
    try:
        spec.write_text(original.replace("E2E-Channel: https\n", "E2E-Channel: https-edited\n"), encoding="utf-8")
        run = cli(landscape.home, "test", scenario, "--report-dir", "refresh-reports")
        assert run.returncode == 0, run.stdout + run.stderr
        assert "built " in run.stdout
        assert "landscape local brought up to date: redeployed S4AMZ_E2E_Receive_Event (changed)" in run.stdout
        deployed = requests.get(f"{landscape.emulator}/api/v1/IntegrationDesigntimeArtifacts(Id='S4AMZ_E2E_Receive_Event',"
                                "Version='active')/$value", auth=landscape.api, timeout=60)
        with zipfile.ZipFile(io.BytesIO(deployed.content)) as archive:
            iflw = next(archive.read(n) for n in archive.namelist() if n.endswith(".iflw"))
        assert b"https-edited" in iflw
        runtime = landscape.api_get("IntegrationRuntimeArtifacts('S4AMZ_E2E_Receive_Event')")
        assert runtime["Status"] == "STARTED"
        again = cli(landscape.home, "test", scenario, "--report-dir", "refresh-reports")
        assert "landscape local is current: nothing redeployed" in again.stdout and "built " not in again.stdout
    finally:
        spec.write_text(original, encoding="utf-8")
        back = cli(landscape.home, "test", scenario, "--report-dir", "refresh-reports")
        assert "redeployed S4AMZ_E2E_Receive_Event (changed)" in back.stdout, back.stdout + back.stderr
