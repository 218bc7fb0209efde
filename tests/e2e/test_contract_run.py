"""`s4amz test` against the running landscape: the session's run of the whole suite (every scenario
of the repository and the e2e fixture scenarios, see conftest.contract_run) passes, is recorded for
promotion and reported as JUnit XML and HTML; a scenario with wrong expectations fails with each
failed assertion explained; the tenant path skips what only the emulator offers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lxml import etree

from e2e_landscape import FIXTURES, Landscape, cli


def _cases(report: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(report)).getroot()
    assert root.tag == "testsuites"
    return {case.get("name"): case for case in root.iter("testcase")}


def test_the_whole_suite_passes_is_reported_and_recorded(landscape: Landscape, contract_run):
    run = contract_run.process
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-3000:]
    # the landscape was running and current: nothing to redeploy before the run
    assert "landscape local is current: nothing redeployed" in run.stdout
    cases = _cases(landscape.home / "reports" / "contract-local.xml")
    assert "An event posted over HTTPS is queued and forwarded to S/4HANA" in cases
    assert "A message failing five times becomes a dead letter and completes once replayed" in cases
    modules = {c.get("classname") for c in cases.values()}
    assert {"contract.examples", "contract.fulfillment", "contract.fulfillment-updates", "contract.e2e"} <= modules
    assert not [n for n, c in cases.items() if c.find("failure") is not None or c.find("error") is not None]
    suite = etree.parse(str(landscape.home / "reports" / "contract-local.xml")).getroot().find("testsuite")
    assert int(suite.get("tests")) == len(cases) and suite.get("failures") == "0"
    # the parameter the scenario changed is back
    values = landscape.api_get("IntegrationDesigntimeArtifacts(Id='S4AMZ_E2E_Forward_Event',Version='active')/Configurations")
    address = next(v for v in values["results"] if v["ParameterKey"] == "E2E S4HANA Address")["ParameterValue"]
    assert address == landscape.mocks["s4hana"]
    # recorded for promotion: every artifact of dist/ with its exact zip hash
    records = [json.loads(line) for line in (landscape.home / "runs.jsonl").read_text().splitlines()]
    assert records[-1]["passed"] is True and records[-1]["env"] == "local"
    from harness.tenant.artifact import load_dist

    built = {a.id: {"version": a.version, "sha256": a.sha256} for a in load_dist(landscape.home / "dist")}
    assert records[-1]["artifacts"] == built
    html = (landscape.home / "reports" / "contract-local.html").read_text()
    assert "S4AMZ_E2E_Forward_Event" in html and "Calls the mocks received" in html
    secrets = json.loads((landscape.home / ".s4amz" / "secrets.json").read_text()).values()
    for secret in secrets:
        assert secret not in html and secret not in (landscape.home / "reports" / "contract-local.xml").read_text()
    assert "module" in run.stdout and "scenario" in run.stdout and "passed" in run.stdout


def test_wrong_expectations_fail_with_every_assertion_explained(landscape: Landscape):
    landscape.wait_idle()
    run = cli(landscape.home, "test", str(FIXTURES / "failing"), "--report-dir", "failing-reports")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "run not recorded for promotion" in run.stdout
    case = _cases(landscape.home / "failing-reports" / "contract-local.xml")["A scenario whose expectations are wrong on purpose"]
    failure = case.find("failure")
    assert failure is not None and "check(s) failed" in failure.get("message")
    text = failure.text
    assert "expects-the-wrong-things.yaml:8 (then.mpls[0]): MPLs of S4AMZ_E2E_Forward_Event with status FAILED" in text
    assert "expected: exactly 1\n  actual:   0" in text and "COMPLETED" in text          # the MPLs it found
    assert "query $format" in text and 'equals "xml"' in text and 'actual:   "json"' in text
    assert "GET /sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder('5000001')?$format=json -> 200" in text
    assert "s4hana_soap state: $.replication.endpoint" in text


def test_a_scenario_only_the_tenant_may_run_is_skipped_with_its_reason(landscape: Landscape, tmp_path: Path):
    scenario = tmp_path / "tenant-only.yaml"
    scenario.write_text("name: Tenant only\nruns_on: [tenant]\nwhen:\n  - sleep_s: 0\n")
    run = cli(landscape.home, "test", str(scenario), "--report-dir", str(tmp_path))
    assert run.returncode == 0
    skipped = _cases(tmp_path / "contract-local.xml")["Tenant only"].find("skipped")
    assert skipped is not None and "runs_on: ['tenant'] (this target is the emulator)" in skipped.get("message")


TENANT_LIKE = """
kind: tenant
tenant:
  auth: oauth2
  api_url: ${emulator:url}/api/v1
  token_url: ${emulator:url}/oauth/token
  client_id: s4amz-local
  client_secret: ${secret:emulator_client_secret}
deploy: {poll: {initial: 0.1, factor: 1.5, cap: 1}}
contract:
  mocks: {s4hana: "${mock:s4hana}", s4hana_soap: "${mock:s4hana_soap}", bwp: "${mock:bwp}", lwa: "${mock:lwa}"}
  sender: {auth: basic, client_id: s4amz-sender, client_secret: "${secret:emulator_sender_secret}"}
  quiet_s: 1
"""


def test_the_tenant_path_against_the_emulator_seen_as_a_tenant(landscape: Landscape, tmp_path: Path):
    """A `kind: tenant` environment pointing at the emulator's API: MPLs and endpoints come through
    the tenant API, `wait: idle` polls the logs, emulator-only scenarios are skipped with the reason.

    Its own home (config, the built dist/ of the test home, the scenarios of
    ``fixtures/tenant-path``) shares the running landscape, so the repository's scenarios run only
    once per session (in ``contract_run``) while this run is still a whole-suite run that is recorded."""
    landscape.wait_idle()
    home = tmp_path / "tenant-home"
    shutil.copytree(landscape.home / "config", home / "config")
    (home / "config" / "tenantlike.yaml").write_text(TENANT_LIKE)
    (home / "dist").symlink_to(landscape.home / "dist", target_is_directory=True)
    shutil.copytree(FIXTURES / "tenant-path", home / "tests" / "contract" / "tenant-path")
    run = cli(home, "test", "--env", "tenantlike", "--report-dir", str(tmp_path), state=landscape.home / ".s4amz")
    assert run.returncode == 0, run.stdout + run.stderr
    cases = _cases(tmp_path / "contract-tenantlike.xml")
    skipped = {name: case.find("skipped").get("message") for name, case in cases.items() if case.find("skipped") is not None}
    assert "timer S4AMZ_Replicate_Sales_Orders_Timer: fire" in skipped["A timer is fired only on the emulator"]
    assert skipped["Queue expectations need the emulator"].startswith("queue expectations")
    assert "replay the messages of queue S4AMZ_E2E_PARKED into S4AMZ_E2E_EVENTS" in \
        skipped["A queue replay needs the emulator"]
    ran = [name for name, case in cases.items() if case.find("skipped") is None]
    assert sorted(ran) == ["An event goes through both fixture flows, seen through the tenant API",
                           "The event endpoint refuses callers without credentials or without the sender role"]
    assert not [n for n in ran if cases[n].find("failure") is not None or cases[n].find("error") is not None]
    assert "recorded the run (passed)" in run.stdout
