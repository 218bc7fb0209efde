"""The runner on an in-memory target: steps in order, mocks reset, skips with reasons, a failed step
stops the scenario, parameters always put back, evidence masked."""

from __future__ import annotations

import time
from pathlib import Path

from harness.contract.results import ERROR, FAILED, PASSED, SKIPPED
from harness.contract.runner import ScenarioRun, Selection, run_scenarios

from runner_fakes import FakeTarget, log, scenario

BASIC = """
name: basic
given:
  - mock: bwp
    faults: [{status: 503, times: 1}]
  - parameters:
      Flow_A: {Address: "http://override", Flag: true}
when:
  - flow: Flow_A
    post: {json: {id: 1}}
    expect_body: {"$.ok": true}
  - wait: idle
then:
  mpls:
    - {flow: Flow_A, status: COMPLETED, count: 1}
  requests:
    - {mock: s4hana, path: /orders/1, count: 1}
  state:
    - {mock: s4hana, "$.orders[0].state": OPEN}
"""


def test_a_scenario_runs_its_steps_in_order_and_passes(tmp_path: Path):
    target = FakeTarget()
    target.produces = [log("G1", "Flow_A", "COMPLETED")]
    target.logs = [log("OLD", "Flow_A", "COMPLETED")]                    # before the scenario: not its own
    result = ScenarioRun(target, scenario(tmp_path, BASIC)).run()
    assert result.outcome == PASSED, result.failure_text()
    kinds = [c[0] for c in target.calls]
    assert kinds == ["reset", "mock", "parameters", "flow", "idle", "idle", "restore"]
    assert target.calls[1][3] == "/__mock__/faults"
    assert target.calls[2][1] == {"Flow_A": {"Address": "http://override", "Flag": "true"}}
    assert target.calls[3][3] == b'{"id": 1}' and target.calls[3][4] == "sender"
    assert target.parameters["Flow_A"]["Address"] == "http://real"                       # put back
    assert [s.phase for s in result.steps] == ["given", "given", "when", "when", "settle", "restore"]
    assert [m.guid for m in result.mpls] == ["G1"] and result.requests[0].path == "/orders/1"


def test_a_wrong_status_stops_the_scenario_and_parameters_are_still_restored(tmp_path: Path):
    target = FakeTarget()
    target.flow_status = 500
    result = ScenarioRun(target, scenario(tmp_path, BASIC)).run()
    assert result.outcome == FAILED
    check = result.failures[0]
    assert check.section == "step" and check.expected == "a 2xx status" and check.actual == "500"
    assert "scenario.yaml:9 (when[0])" in check.text()
    assert ("idle",) not in target.calls                                  # nothing after the failed step
    assert target.calls[-1][0] == "restore" and target.parameters["Flow_A"]["Address"] == "http://real"


def test_failed_then_checks_and_a_failed_restore(tmp_path: Path):
    target = FakeTarget()
    target.produces = [log("G1", "Flow_A", "FAILED")]
    result = ScenarioRun(target, scenario(tmp_path, BASIC)).run()
    assert result.outcome == FAILED and len(result.failures) == 1
    assert result.mpls[0].error == "boom ********"                      # error text and step trace masked
    assert result.mpls[0].steps[0]["Detail"] == "Authorization: Bearer ********"
    target = FakeTarget()
    target.produces = [log("G1", "Flow_A", "COMPLETED")]
    target.fail_restore = True
    result = ScenarioRun(target, scenario(tmp_path, BASIC)).run()
    assert result.outcome == ERROR and "restoring parameters failed: tenant refused" in result.reason


def test_skips_say_why(tmp_path: Path):
    emulator_only = scenario(tmp_path, "name: t\nwhen:\n  - timer: Flow_T\n", "timer.yaml")
    tenant_only = scenario(tmp_path, "name: t\nruns_on: [tenant]\nwhen:\n  - wait: idle\n", "tenant.yaml")
    pd = scenario(tmp_path, "name: pd\nwhen:\n  - flow: PD_Flow\n", "pd.yaml")
    queues = scenario(tmp_path, "name: q\nwhen:\n  - wait: idle\nthen:\n  queues:\n    dead_letter: {count: 0}\n", "q.yaml")
    tenant = FakeTarget("tenant")
    results = {r.scenario.path.name: r for r in run_scenarios(tenant, [emulator_only, tenant_only, pd, queues]).results}
    assert results["timer.yaml"].outcome == SKIPPED and "timer Flow_T: fire (" in results["timer.yaml"].reason
    assert results["timer.yaml"].reason.endswith("is emulator-only")
    assert results["tenant.yaml"].outcome == PASSED
    assert results["pd.yaml"].outcome == SKIPPED and "ProcessDirect" in results["pd.yaml"].reason
    assert results["q.yaml"].outcome == SKIPPED and "queue expectations" in results["q.yaml"].reason
    local = run_scenarios(FakeTarget(), [tenant_only]).results[0]
    assert local.outcome == SKIPPED and local.reason == "runs_on: ['tenant'] (this target is the emulator)"


def test_reset_false_keeps_the_mocks_and_timeouts_are_errors(tmp_path: Path):
    target = FakeTarget()
    kept = scenario(tmp_path, "name: k\nreset: false\nwhen:\n  - wait: idle\n", "k.yaml")
    assert ScenarioRun(target, kept).run().outcome == PASSED and ("reset",) not in target.calls
    slow = scenario(tmp_path, "name: s\ntimeout_s: 0.2\nwhen:\n  - sleep_s: 0.3\n  - wait: idle\n", "s.yaml")
    began = time.monotonic()
    result = ScenarioRun(FakeTarget(), slow).run()
    assert result.outcome == ERROR and "timeout_s (0.2 s) is used up" in result.reason
    assert time.monotonic() - began < 1.0


def test_selection_by_tag_and_module(tmp_path: Path):
    tagged = scenario(tmp_path, "name: a\ntags: [smoke]\nwhen:\n  - wait: idle\n", "a.yaml")
    other = scenario(tmp_path, "name: b\nwhen:\n  - wait: idle\n", "b.yaml")
    assert [Selection(tags=["smoke"]).accepts(s) for s in (tagged, other)] == [True, False]
    assert [Selection(modules=["module"]).accepts(s) for s in (tagged, other)] == [True, True]
    assert not Selection(modules=["fulfillment"]).accepts(tagged)
    assert Selection(tags=["smoke"], modules=["m"]).describe() == "tag smoke, module m" and not Selection()


def test_an_unexpected_error_fails_only_its_scenario(tmp_path: Path):
    class Broken(FakeTarget):
        def wait_idle(self, timeout, since, known):
            raise KeyError("surprise")

    first = scenario(tmp_path, "name: a\nwhen:\n  - wait: idle\n", "a.yaml")
    second = scenario(tmp_path, "name: b\nwhen:\n  - sleep_s: 0\n", "b.yaml")
    target = Broken()
    suite = run_scenarios(target, [first, second])
    assert [r.outcome for r in suite.results] == [ERROR, ERROR]      # the implicit settle also waits
    assert "internal error of the runner: KeyError: 'surprise' (test_runner.py:" in suite.results[0].reason
    assert suite.summary() == "0 passed, 2 failed, 0 skipped" and not suite.ok


REPLAY = """
name: replay of a module's dead-letter queue
runs_on: [emulator]
when:
  - flow: Flow_A
    post: {json: {id: 1}}
  - replay: {queue: APP_DLQ, to: APP_IN}
"""


def test_a_queue_replay_moves_only_what_this_scenario_put_there(tmp_path: Path):
    class Target(FakeTarget):
        def call_flow(self, endpoint, **kwargs):
            self.queue_contents["APP_DLQ"].append({"id": 7, "status": "queued", "waiting": True})
            return super().call_flow(endpoint, **kwargs)

    target = Target()
    target.queue_contents = {"APP_DLQ": [{"id": 3, "status": "queued", "waiting": True},      # an earlier scenario's
                                         {"id": 5, "status": "inflight", "waiting": False}]}
    result = ScenarioRun(target, scenario(tmp_path, REPLAY)).run()
    assert result.outcome == PASSED, result.failure_text()
    assert ("move", "APP_DLQ", "APP_IN", [7]) in target.calls
    assert result.steps[-2].detail == "1 message(s) of APP_DLQ moved to APP_IN"
    assert "replay the messages of queue APP_DLQ into APP_IN" in [s.label for s in result.steps]
    tenant = FakeTarget(kind="tenant")
    skipped = ScenarioRun(tenant, scenario(tmp_path, REPLAY.replace("runs_on: [emulator]\n", ""))).run()
    assert skipped.outcome == SKIPPED and "replay the messages of queue APP_DLQ" in skipped.reason
