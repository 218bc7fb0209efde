"""Waiting for a deploy: TaskId first, then STARTED at the design-time version, one deadline."""

from __future__ import annotations

import random

import pytest
import responses

from harness.tenant.client import TenantClient
from harness.tenant.deploy import Backoff, DeployWaiter

from tenant_helpers import API

pytestmark = pytest.mark.usefixtures("token_endpoint")
TASK = f"{API}/BuildAndDeployStatus(TaskId='t1')"
RUNTIME = f"{API}/IntegrationRuntimeArtifacts('A')"
ERROR = f"{RUNTIME}/ErrorInformation/$value"


@pytest.fixture
def waiter(session, clock) -> DeployWaiter:
    client = TenantClient(session)
    client.runtime.sleep, client.runtime.clock = clock.sleep, clock
    return DeployWaiter(client.deploys, client.runtime, backoff=Backoff(1, 2, 8, 0.2), clock=clock,
                        sleep=clock.sleep, rng=random.Random(7), error_wait=10)


def _task(*statuses: str) -> None:
    for status in statuses:
        responses.add(responses.GET, TASK, json={"d": {"TaskId": "t1", "Status": status}})


def _runtime(*states: tuple[str, str] | None) -> None:
    for state in states:
        if state is None:
            responses.add(responses.GET, RUNTIME, status=404, json={"error": {"message": {"value": "not found"}}})
        else:
            responses.add(responses.GET, RUNTIME, json={"d": {"Id": "A", "Status": state[0], "Version": state[1]}})


@responses.activate
def test_success_after_build_and_start(waiter, clock):
    _task("DEPLOYING", "DEPLOYING", "SUCCESS")
    _runtime(("STARTING", "1.0.1"), ("STARTED", "1.0.1"))
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 60)
    assert outcome.ok and outcome.status == "STARTED"


@responses.activate
def test_old_version_started_is_not_taken_for_the_new_one(waiter, clock):
    _task("SUCCESS")
    _runtime(("STARTED", "1.0.0"), ("STARTED", "1.0.0"), ("STARTED", "1.0.1"))
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 60)
    assert outcome.ok
    assert len([c for c in responses.calls if c.request.url == RUNTIME]) == 3


@responses.activate
def test_build_fail_ends_with_the_runtime_error_information(waiter, clock):
    _task("DEPLOYING", "FAIL")
    responses.add(responses.GET, ERROR, json={"parameter": ["Validation of the artifact failed: [HTTPS] address missing"]})
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 60)
    assert not outcome.ok and outcome.status == "FAIL"
    assert outcome.error == "Validation of the artifact failed: [HTTPS] address missing"


@responses.activate
def test_runtime_error_waits_for_its_information_through_204(waiter, clock):
    _task("SUCCESS")
    _runtime(("STARTING", "1.0.1"), ("ERROR", "1.0.1"))
    responses.add(responses.GET, ERROR, status=204)
    responses.add(responses.GET, ERROR, json={"parameter": ["Could not resolve credential S4HANA_CPI"]})
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 60)
    assert (outcome.ok, outcome.status, outcome.error) == (False, "ERROR", "Could not resolve credential S4HANA_CPI")


@responses.activate
def test_runtime_version_mismatch_past_the_deadline_fails(waiter, clock):
    _task("SUCCESS")
    _runtime(("STARTED", "1.0.0"))
    start = clock()
    outcome = waiter.wait("A", "1.0.1", "t1", start + 30)
    assert not outcome.ok
    assert "runtime runs version 1.0.0 (STARTED), not the design-time version 1.0.1" in outcome.error
    assert clock() - start == pytest.approx(30)          # waited exactly to the deadline, not past it


@responses.activate
def test_not_deployed_past_the_deadline_is_a_failure_not_a_success(waiter, clock):
    _task("SUCCESS")
    _runtime(None)
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 20)
    assert not outcome.ok and outcome.status == "NOT_DEPLOYED"
    assert "never appeared in the runtime" in outcome.error


@responses.activate
def test_build_still_deploying_at_the_deadline(waiter, clock):
    _task("DEPLOYING")
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 15)
    assert not outcome.ok and "still DEPLOYING" in outcome.error


@responses.activate
def test_stuck_in_starting(waiter, clock):
    _task("SUCCESS")
    _runtime(("STARTING", "1.0.1"))
    outcome = waiter.wait("A", "1.0.1", "t1", clock() + 25)
    assert not outcome.ok and outcome.error == "runtime status remained STARTING at the deadline"


@responses.activate
def test_without_task_id_the_runtime_is_polled_directly(waiter, clock):
    _runtime(("STARTED", "2.0.0"))
    assert waiter.wait("A", "2.0.0", "", clock() + 5).ok
    assert not [c for c in responses.calls if "BuildAndDeployStatus" in c.request.url]


def test_backoff_grows_caps_and_jitters():
    delays = Backoff(1, 2, 8, 0.2).delays(random.Random(3))
    values = [next(delays) for _ in range(8)]
    assert 0.8 <= values[0] <= 1.2
    assert 1.6 <= values[1] <= 2.4
    assert all(6.4 <= v <= 9.6 for v in values[4:])      # capped at 8 ± 20 %
    assert len(set(values[4:])) > 1                      # jittered, not lock-step
