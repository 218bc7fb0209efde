"""The `then` checks on fabricated MPLs, requests, states and dead letters: each fails when it should
and says what it expected, what it found, and which request or MPL it looked at."""

from __future__ import annotations

from pathlib import Path

from harness.contract.assertions import check_mpls, check_queues, check_requests, check_state

from runner_fakes import mpl, request, scenario

THEN = """
name: checks
when:
  - wait: idle
then:
  mpls:
    - {flow: Create, status: COMPLETED, count: 1}
    - {flow: Create, status: RETRY, min: 1, max: 2}
    - {flow: Forward, status: FAILED, error_contains: "dead-letter", count: 1}
    - {flow: Other}
  requests:
    - mock: bwp
      method: POST
      path: /graphql
      where: {"$.query": {contains: createOrder}}
      count: 1
      body: {"$.variables.id": "5000001"}
      headers: {x-api-version: "2024-11-01", Authorization: {matches: "^Bearer "}}
      status: 200
    - mock: s4hana
      path_contains: A_SalesOrder
      query: {$format: json}
      min: 1
  state:
    - mock: s4hana
      "$.orders[?(@.id == 'A')].state": OPEN
      "$.orders": {length: 2}
  queues:
    dead_letter: {flow: Forward, reason_contains: "500", count: 1}
    EVENTS: {count: 0}
"""


def test_mpl_checks_count_by_flow_status_and_error_text(tmp_path: Path):
    then = scenario(tmp_path, THEN).then
    logs = [mpl("Create", "RETRY", guid="1"), mpl("Create", "COMPLETED", guid="2"),
            mpl("Forward", "FAILED", "statusCode: 500 (moved to the dead-letter queue of EVENTS)", guid="3")]
    checks = check_mpls(then.mpls, logs)
    assert [c.ok for c in checks] == [True, True, True, False]
    assert checks[3].expected == "at least 1" and checks[3].actual == "0"
    assert "no MPL of this flow" in checks[3].context and "Create COMPLETED" in checks[3].context
    bad = check_mpls(then.mpls, [mpl("Create", "COMPLETED", guid="2"), mpl("Create", "COMPLETED", guid="4"),
                                 mpl("Forward", "FAILED", "statusCode: 503", guid="5")])
    assert [c.ok for c in bad] == [False, False, False, False]
    assert bad[0].actual == "2" and "MPL 4 Create COMPLETED" in bad[0].context
    assert "whose error contains 'dead-letter'" in bad[2].what and "statusCode: 503" in bad[2].context


def test_request_checks_filter_count_and_assert_every_match(tmp_path: Path):
    then = scenario(tmp_path, THEN).then
    good = {"bwp": [request("POST", "/graphql", '{"query": "query { order }"}', seq=1),
                    request("POST", "/graphql", '{"query": "mutation { createOrder }", "variables": {"id": "5000001"}}',
                            seq=2, headers={"X-Api-Version": "2024-11-01", "Authorization": "Bearer abc"})],
            "s4hana": [request("GET", "/sap/A_SalesOrder('1')", query="$format=json")]}
    assert all(c.ok for c in check_requests(then.requests, good))
    wrong = {"bwp": [request("POST", "/graphql", '{"query": "mutation { createOrder }", "variables": {"id": "5000002"}}',
                             status=500, headers={"x-api-version": "2023-01-01"})],
             "s4hana": [request("GET", "/sap/A_SalesOrder('1')", query="$format=xml")]}
    failed = {c.what: c for c in check_requests(then.requests, wrong, mask=lambda t: t.replace("5000002", "****"))
              if not c.ok}
    body = next(c for what, c in failed.items() if what.endswith("body $.variables.id"))
    assert body.expected == 'equals "5000001"' and body.actual == '"****"'          # masked
    assert "bwp: POST /graphql -> 500" in body.context and "body: " in body.context
    assert next(c for w, c in failed.items() if w.endswith("header x-api-version")).actual == '"2023-01-01"'
    assert next(c for w, c in failed.items() if w.endswith("header Authorization")).actual == "nothing selected"
    assert next(c for w, c in failed.items() if w.endswith("answered status")).actual == "500"
    assert next(c for w, c in failed.items() if w.endswith("query $format")).actual == '"xml"'
    none = check_requests(then.requests, {"bwp": [request("POST", "/graphql", '{"query": "query { x }"}')], "s4hana": []})
    assert [c.ok for c in none] == [False, False]
    assert "requests received by bwp:\nbwp: POST /graphql -> 200" in none[0].context
    assert none[1].context == "s4hana received no request"


def test_state_checks_read_the_mock_state_and_a_missing_mock_is_a_failure(tmp_path: Path):
    then = scenario(tmp_path, THEN).then
    checks = check_state(then.state, lambda mock, resource: {"orders": [{"id": "A", "state": "OPEN"}, {"id": "B"}]})
    assert [c.ok for c in checks] == [True, True]
    checks = check_state(then.state, lambda mock, resource: {"orders": [{"id": "A", "state": "SHIPPED"}]})
    assert [c.ok for c in checks] == [False, False] and checks[0].actual == '"SHIPPED"'

    def unreachable(mock, resource):
        raise ConnectionError("refused")
    assert check_state(then.state, unreachable)[0].actual == "refused"


def test_queue_checks_count_only_what_the_scenario_added(tmp_path: Path):
    then = scenario(tmp_path, THEN).then
    dead = [{"id": 1, "queue": "EVENTS", "consumer": "Forward", "reason": "statusCode: 500"},
            {"id": 2, "queue": "EVENTS", "consumer": "Forward", "reason": "statusCode: 500"}]
    checks = check_queues(then.queues, {1}, dead, {"EVENTS": 3}, {"EVENTS": 3})
    assert [c.ok for c in checks] == [True, True]
    checks = check_queues(then.queues, set(), dead, {"EVENTS": 0}, {"EVENTS": 1})
    assert [c.ok for c in checks] == [False, False]
    assert checks[0].actual == "2" and "dead letter 2 on EVENTS (Forward): statusCode: 500" in checks[0].context
    assert checks[1].context == "depth before 0, after 1"
