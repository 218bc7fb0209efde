"""`s4amz up` / `s4amz down` as subprocesses: the generated packages deploy and start in the emulator,
both verbs are idempotent, and a dead emulator is recovered by the next `up`."""

from __future__ import annotations

import json
import os
import signal
import time

from e2e_landscape import Landscape, cli


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
