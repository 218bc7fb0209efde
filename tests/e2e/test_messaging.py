"""The issue's done-when through the running landscape: an event sent to an HTTPS sender goes through
a JMS queue into a flow that calls the S/4HANA mock; a 503 is retried; a receiver failing for good
ends in the dead-letter queue with the reason in the MPL and `s4amz replay` brings it back; a
module's parked message is moved between queues by `s4amz replay --queue`; a restart of the
emulator loses no queued message."""

from __future__ import annotations

import sqlite3
import time

import requests

from e2e_landscape import Landscape, cli

RECEIVE, FORWARD = "S4AMZ_E2E_Receive_Event", "S4AMZ_E2E_Forward_Event"
QUEUE = "S4AMZ_E2E_EVENTS"


def order_path(order: str) -> str:
    return f"/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder('{order}')"


def new_mpls(landscape: Landscape, flow: str, before: set[str]) -> list[dict]:
    return [m for m in landscape.mpls(flow) if m["MessageGuid"] not in before]


def guids(landscape: Landscape, flow: str) -> set[str]:
    return {m["MessageGuid"] for m in landscape.mpls(flow)}


def test_https_event_goes_through_jms_to_the_s4hana_mock(clean: Landscape):
    before = guids(clean, FORWARD) | guids(clean, RECEIVE)
    answer = clean.post_event("/s4amz/e2e/events", {"salesOrder": "5000001", "event": "PACKAGE_DELIVERED"})
    assert answer.status_code == 200
    clean.wait_idle()
    calls = clean.requests_to("s4hana", "A_SalesOrder")
    assert [(c["method"], c["path"], c["query_string"], c["status"]) for c in calls] == [
        ("GET", order_path("5000001"), "$format=json", 200)]
    assert calls[0]["headers"]["Authorization"].startswith("Basic ")      # the deployed S4HANA credential
    received = new_mpls(clean, RECEIVE, before)
    forwarded = new_mpls(clean, FORWARD, before)
    assert [m["Status"] for m in received] == ["COMPLETED"] and [m["Status"] for m in forwarded] == ["COMPLETED"]
    assert received[0]["CorrelationId"] == forwarded[0]["CorrelationId"]    # one message across the queue
    queue = next(q for q in clean.control("GET", "/queues").json()["queues"] if q["name"] == QUEUE)
    assert queue == {"name": QUEUE, "queued": 0, "inflight": 0, "dead": queue["dead"], "consumer": FORWARD}


def test_a_503_then_success_is_redelivered_by_the_queue(clean: Landscape):
    before = guids(clean, FORWARD)
    clean.mock("s4hana", "POST", "/__mock__/faults", json={"status": 503, "times": 1, "path": "5000003"})
    assert clean.post_event("/s4amz/e2e/events", {"salesOrder": "5000003"}).status_code == 200
    clean.wait_idle()
    assert [c["status"] for c in clean.requests_to("s4hana", "5000003")] == [503, 200]
    forwarded = new_mpls(clean, FORWARD, before)
    assert [m["Status"] for m in forwarded] == ["RETRY", "COMPLETED"]
    error = clean.mpl_error(forwarded[0]["MessageGuid"])
    assert "AhcOperationFailedException" in error and "statusCode: 503" in error and "next retry" in error


def test_failing_for_good_ends_as_dead_letter_and_replay_brings_it_back(clean: Landscape):
    before = guids(clean, FORWARD)
    dead_before = {d["id"] for d in clean.control("GET", "/dead-letters").json()["dead_letters"]}
    clean.mock("s4hana", "POST", "/__mock__/faults", json={"status": 500, "path": "5000004"})
    assert clean.post_event("/s4amz/e2e/events", {"salesOrder": "5000004"}).status_code == 200
    clean.wait_idle()
    forwarded = new_mpls(clean, FORWARD, before)
    assert [m["Status"] for m in forwarded] == ["RETRY"] * 4 + ["FAILED"]      # jms_max_retries: 5 (the e2e home)
    final = clean.mpl_error(forwarded[-1]["MessageGuid"])
    assert "statusCode: 500" in final and f"moved to the dead-letter queue of {QUEUE}" in final
    letters = [d for d in clean.control("GET", "/dead-letters", params={"flow": FORWARD}).json()["dead_letters"]
               if d["queue"] == QUEUE and d["id"] not in dead_before]
    assert len(letters) == 1
    letter = letters[0]
    assert letter["consumer"] == FORWARD and letter["producer"] == RECEIVE and letter["retries"] == 5
    assert "statusCode: 500" in letter["reason"]

    listed = cli(clean.home, "replay", "--list", "--flow", FORWARD, check=True)
    assert f"{letter['id']}  queue {QUEUE}  consumer {FORWARD}  producer {RECEIVE}  5 deliveries" in listed.stdout
    assert "reason: " in listed.stdout and "statusCode: 500" in listed.stdout
    assert cli(clean.home, "replay", "999999").returncode == 2                # an unknown id is bad input
    clean.mock("s4hana", "DELETE", "/__mock__/faults")                         # the receiver is back
    replayed = cli(clean.home, "replay", "--all", "--flow", FORWARD, check=True)
    assert f"requeued {letter['id']} to {QUEUE}" in replayed.stdout
    clean.wait_idle()
    assert new_mpls(clean, FORWARD, before)[-1]["Status"] == "COMPLETED"
    assert clean.requests_to("s4hana", "5000004")[-1]["status"] == 200
    assert not [d for d in clean.control("GET", "/dead-letters").json()["dead_letters"] if d["id"] == letter["id"]]


def test_a_restart_of_the_emulator_loses_no_queued_message(clean: Landscape):
    orders = ["5000001", "5000002", "5000005", "5000006"]
    clean.mock("s4hana", "POST", "/__mock__/faults", json={"delay_ms": 600, "path": "A_SalesOrder"})
    for order in orders:
        assert clean.post_event("/s4amz/e2e/events", {"salesOrder": order}).status_code == 200
    stopped = cli(clean.home, "emulator", "stop", check=True)               # graceful: the message in flight ends
    assert "stopped" in stopped.stdout
    database = clean.home / ".s4amz" / "emulator" / "local" / "runtime" / "jms.sqlite"
    with sqlite3.connect(database) as db:
        waiting = db.execute("SELECT COUNT(*) FROM jms_messages WHERE queue=? AND status='queued'", (QUEUE,)).fetchone()[0]
    assert waiting >= 1                                                      # still queued when the process ended
    clean.mock("s4hana", "DELETE", "/__mock__/faults")
    cli(clean.home, "up", check=True)
    clean.refresh()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        clean.wait_idle()
        seen = {c["path"] for c in clean.requests_to("s4hana", "A_SalesOrder") if c["status"] == 200}
        if all(order_path(o) in seen for o in orders):
            break
        time.sleep(0.2)
    assert {order_path(o) for o in orders} <= seen


PARKING, EVENTS = "S4AMZ_BwP_Delivery_Events_Parked", "S4AMZ_BwP_Delivery_Events"
INTAKE, DISPATCHER = "S4AMZ_Receive_Delivery_Events", "S4AMZ_Dispatch_Delivery_Events"


def _parked(landscape: Landscape, known: set[int]) -> list[dict]:
    listing = landscape.control("GET", f"/queues/{PARKING}/messages").json()
    return [m for m in listing["messages"] if m["id"] not in known]


def test_replay_moves_a_parked_message_between_queues(clean: Landscape):
    """`s4amz replay --queue`: a module's parking queue listed with each reason; a message whose
    producer consumes no queue needs --to; one parked by a queue consumer goes back to its queue."""
    known = {m["id"] for m in _parked(clean, set())}
    before = guids(clean, DISPATCHER)
    refused = requests.post(f"{clean.emulator}/http/s4amz/bwp/delivery-events", data=b"{not json", auth=clean.sender,
                            headers={"Content-Type": "application/json"}, timeout=60)
    assert refused.status_code == 400
    [parked] = _parked(clean, known)
    assert parked["producer"] == INTAKE and parked["waiting"] is True and "not JSON" in parked["reason"]

    listed = cli(clean.home, "replay", "--queue", PARKING, check=True)
    assert f"in {PARKING} on local (consumer none)" in listed.stdout
    assert f"{parked['id']}  queued  producer {INTAKE}" in listed.stdout and "reason: " in listed.stdout
    assert "nothing moved" in listed.stdout
    no_target = cli(clean.home, "replay", "--queue", PARKING, str(parked["id"]))
    assert no_target.returncode == 2 and "name the queue to move it to" in no_target.stdout
    assert cli(clean.home, "replay", "--to", EVENTS, "--all").returncode == 2     # --to needs --queue

    moved = cli(clean.home, "replay", "--queue", PARKING, "--to", EVENTS, str(parked["id"]), check=True)
    assert f"moved {parked['id']} from {PARKING} to {EVENTS}" in moved.stdout
    clean.wait_idle()
    [dispatched] = new_mpls(clean, DISPATCHER, before)          # the dispatcher cannot read it either: parked again
    assert dispatched["Status"] == "ESCALATED"
    assert "(error code ParkedForReview)" in clean.mpl_error(dispatched["MessageGuid"])
    [again] = _parked(clean, known)
    assert again["producer"] == DISPATCHER and again["id"] != parked["id"]

    inferred = cli(clean.home, "replay", "--queue", PARKING, str(again["id"]), check=True)
    assert f"moved {again['id']} from {PARKING} to {EVENTS}" in inferred.stdout   # back to the dispatcher's queue
    clean.wait_idle()
    assert [m["Status"] for m in new_mpls(clean, DISPATCHER, before)] == ["ESCALATED", "ESCALATED"]
