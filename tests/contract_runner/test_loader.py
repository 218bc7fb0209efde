"""Scenario files: the documented format loads; a bad one fails naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.contract import discover, load_all, load_scenario
from harness.contract.loader import ScenarioError
from harness.paths import REPO_ROOT

from runner_fakes import scenario

CONTRACT = REPO_ROOT / "tests" / "contract"
DOC_EXAMPLE = """
name: Order with discount and tax becomes one Buy with Prime order
description: optional prose shown in the report
tags: [fulfillment, smoke]
runs_on: [emulator, tenant]
timeout_s: 60
given:
  - mock: s4hana
    call: POST /__mock__/sales-orders/5000001/delivery-block
    json: {block: "01"}
  - mock: bwp
    faults: [{status: 429, times: 2, path: graphql}]
  - parameters:
      S4AMZ_Create_Fulfillment_Order: {Delivery Speed: EXPEDITED}
when:
  - mock: s4hana_soap
    call: POST /__mock__/replicate
    json: {salesOrder: "5000001"}
  - flow: S4AMZ_Receive_Delivery_Events
    post: {json: {a: 1}}
    auth: sender
    expect_status: 202
  - timer: S4AMZ_Replicate_Sales_Orders_Timer
  - wait: idle
  - sleep_s: 1
then:
  mpls:
    - flow: S4AMZ_Create_Fulfillment_Order
      status: COMPLETED
      count: 1
      error_contains: "ItemDoesNotExist"
  requests:
    - mock: bwp
      method: POST
      path: /graphql
      count: 1
      where: {"$.query": {contains: createOrder}}
      body:
        "$.variables.input.aliases[0].aliasId": "5000001"
        "$.variables.input.desiredExecutionState": STARTED
        "$.variables.input.lineItems": {length: 2}
  state:
    - mock: s4hana
      "$.A_SalesOrderText[?(@.SalesOrder == '5000001')].LongText": {matches: "^\\\\d{3}-"}
  queues:
    dead_letter: {count: 0}
"""


def test_the_example_of_docs_contract_md_loads_as_documented(tmp_path: Path):
    loaded = scenario(tmp_path, DOC_EXAMPLE)
    assert loaded.module == "module" and loaded.tags == ["fulfillment", "smoke"] and loaded.timeout_s == 60
    assert [s.kind for s in loaded.given] == ["mock", "mock", "parameters"]
    assert [s.kind for s in loaded.when] == ["mock", "flow", "timer", "wait", "sleep_s"]
    assert loaded.when[1].payload.content() == (b'{"a": 1}', "application/json")
    assert loaded.then.mpls[0].limit.count == 1 and loaded.then.mpls[0].error_contains == "ItemDoesNotExist"
    request = loaded.then.requests[0]
    assert request.filters == {"$.query": {"contains": "createOrder"}} and len(request.body) == 3
    assert loaded.then.queues[0].dead_letter and loaded.then.queues[0].limit.count == 0
    assert loaded.emulator_only_reason and "timer" in loaded.emulator_only_reason
    assert str(loaded.then.mpls[0].where).endswith("scenario.yaml:28 (then.mpls[0])")


def test_every_scenario_in_the_repository_is_valid():
    scenarios, invalid = load_all([], CONTRACT)
    assert not invalid, "\n".join(str(e) for e in invalid)
    assert any(s.module == "examples" for s in scenarios)


@pytest.mark.parametrize("text, expected", [
    ("name: x\nwhen:\n  - flow: F\n    posts: {json: 1}\n",
     "scenario.yaml:4: when[0].posts: unknown key(s) 'posts' (allowed: auth, content_type, expect_body, expect_status, flow, "),
    ("name: x\nwhen:\n  - flow: F\n    timer: T\n",
     "scenario.yaml:3: when[0]: a step needs exactly one of mock, flow, timer, wait, sleep_s, parameters, replay (found flow, timer)"),
    ("name: x\nwhen:\n  - wait: idle\nthen:\n  mpls:\n    - flow: F\n      status: DONE\n",
     "scenario.yaml:7: then.mpls[0].status: 'DONE' is not one of ['COMPLETED', 'FAILED', 'RETRY', 'ESCALATED'"),
    ("name: x\nthen: {}\n", "scenario.yaml:1: 'when' is required"),
    ("name: x\nwhen:\n  - wait: idle\nthen:\n  requests:\n    - mock: bwp\n      body: {\"$.a\": {containz: 1}}\n",
     "scenario.yaml:7: then.requests[0].body.$.a: "),
    ("name: x\nwhen:\n  - wait: idle\nthen:\n  requests:\n    - mock: bwp\n      body: {\"$.a[\": 1}\n",
     "scenario.yaml:7: then.requests[0].body.$.a[: invalid JSONPath"),
    ("name: x\nwhen:\n  - wait: idle\nthen:\n  state:\n    - mock: bwp\n      \"$.a\": {matches: \"(\"}\n",
     "scenario.yaml:7: then.state[0].$.a.matches: invalid regular expression"),
    ("name: x\nwhen:\n  - flow: F\n    post: {file: data/missing.json}\n",
     "scenario.yaml:4: when[0].post.file: no such file"),
    ("name: x\nwhen:\n  - wait: idle\nthen:\n  requests:\n    - {mock: bwp, path: /a, path_contains: a}\n",
     "scenario.yaml:6: then.requests[0]: give either 'path' or 'path_contains', not both"),
    ("name: x\nwhen:\n  - mock: bwp\n", "scenario.yaml:3: when[0]: a mock step needs 'call' ('METHOD /path') or 'faults'"),
    ("name: x\nwhen:\n  - mock: bwp\n    call: FETCH /x\n", "scenario.yaml:4: when[0].call: 'FETCH /x' does not match"),
    ("name: x\nwhen: [\n", "scenario.yaml:3: invalid YAML"),
    ("name: x\nname: y\nwhen:\n  - wait: idle\n", "scenario.yaml:2: name: duplicate key"),
    ("name: x\nwhen:\n  - wait: idle\nthen:\n  requests:\n    - mock: bwp\n      body: {\"a.b\": 1}\n",
     "scenario.yaml:7: then.requests[0].body: key 'a.b' must be a JSONPath ($...) or an XPath (/...)"),
])
def test_a_bad_scenario_names_file_line_and_field(tmp_path: Path, text: str, expected: str):
    with pytest.raises(ScenarioError) as caught:
        scenario(tmp_path, text)
    message = str(caught.value)
    assert expected in message, message
    assert str(tmp_path) in message


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path):
    text = "name: x\nwhen:\n  - flow: F\n    auth: root\n  - sleep_s: -1\nthen:\n  mpls:\n    - {status: COMPLETED}\n"
    with pytest.raises(ScenarioError) as caught:
        scenario(tmp_path, text)
    lines = str(caught.value).splitlines()
    assert any(":4: when[0].auth: 'root' is not one of" in line for line in lines)
    assert any(":5: when[1].sleep_s: -1 is less than the minimum of 0" in line for line in lines)
    assert any(":8: then.mpls[0]: 'flow' is required" in line for line in lines)


def test_discovery_skips_data_folders_and_load_all_keeps_going_after_a_bad_file(tmp_path: Path):
    root = tmp_path / "contract"
    (root / "m" / "data").mkdir(parents=True)
    (root / "m" / "good.yaml").write_text("name: good\nwhen:\n  - wait: idle\n")
    (root / "m" / "bad.yaml").write_text("name: bad\n")
    (root / "m" / "data" / "payload.yaml").write_text("not: a scenario\n")
    assert [p.name for p in discover([], root)] == ["bad.yaml", "good.yaml"]
    scenarios, invalid = load_all([], root)
    assert [s.name for s in scenarios] == ["good"] and len(invalid) == 1 and "bad.yaml" in str(invalid[0])
    with pytest.raises(ScenarioError, match="no such scenario file or folder"):
        discover([tmp_path / "nowhere"], root)


def test_a_payload_file_is_read_relative_to_the_scenario(tmp_path: Path):
    folder = tmp_path / "contract" / "module" / "data"
    folder.mkdir(parents=True)
    (folder / "event.json").write_text('{"id": 1}')
    loaded = scenario(tmp_path, "name: x\nwhen:\n  - flow: F\n    post: {file: data/event.json}\n")
    assert loaded.when[0].payload.content() == (b'{"id": 1}', "application/json")
    assert load_scenario(loaded.path, tmp_path / "contract").name == "x"
