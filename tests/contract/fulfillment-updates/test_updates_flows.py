"""The "Amazon fulfillment updates" module end to end, in process (a ``Runtime`` with the mocks on
loopback, see updates_landscape.py), for what the contract scenarios next to this file cannot say:
the exact order of S/4HANA calls, a late event after everything is done (reads only), line items
named by their random ids, and replaying a dead letter by moving it back to the event queue.

The contract scenarios (``s4amz test --module fulfillment-updates``) are the module's main proof.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from updates_landscape import DLQ, EVENT_QUEUE, Landscape, build_packages, texts

pytestmark = pytest.mark.jvm

IN_TRANSIT_CALLS = ["GET /A_OutbDeliveryItem", "POST /A_OutbDeliveryHeader", "GET /A_OutbDeliveryHeader('{d}')",
                    "PATCH /A_OutbDeliveryHeader('{d}')", "GET /A_OutbDeliveryHeader('{d}')", "POST /PickAllItems",
                    "GET /A_OutbDeliveryHeader('{d}')", "POST /ConfirmPickingAllItems",
                    "GET /A_OutbDeliveryHeader('{d}')", "POST /PostGoodsIssue",
                    "GET /A_OutbDeliveryHeader('{d}')/to_DeliveryDocumentText", "POST /A_OutbDeliveryHeaderText",
                    "POST /A_OutbDeliveryHeaderText", "POST /A_OutbDeliveryHeaderText"]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build_packages(tmp_path_factory.mktemp("updates-build"))


@pytest.fixture
def world(packages, tmp_path: Path):
    landscape = Landscape(packages, tmp_path / "state")
    yield landscape
    landscape.close()


def _calls(world: Landscape) -> list[str]:
    return [f"{m} {p}" for m, p, _ in world.s4_calls()]


def test_delivered_before_in_transit_runs_the_in_transit_work_first(world: Landscape) -> None:
    order = world.create_order("5000001", [("C900-BIKE", 1, "10"), ("H100-HELMET", 2, "20")])
    world.unsubscribe()
    world.advance(order, "in_transit")                         # this event does not arrive (yet)
    world.subscribe()
    world.advance(order, "delivered")
    world.settle()
    [delivery] = world.deliveries("5000001")
    number = delivery["DeliveryDocument"]
    assert _calls(world) == [c.format(d=number) for c in IN_TRANSIT_CALLS]
    assert delivery["OverallGoodsMovementStatus"] == "C" and "Delivered: " in texts(delivery)["TX04"]
    assert world.mpls("S4AMZ_Package_Milestone") == ["COMPLETED"]
    assert world.mpls("S4AMZ_Package_In_Transit") == ["COMPLETED"]
    # the late in-transit event finds everything done: reads only, no second delivery or goods issue
    late = world.webhook_detail(_event(world, "PACKAGE_DELIVERY_IN_TRANSIT"))
    late["eventDescriptor"] = "DELIVERY_IN_TRANSIT"                 # the name deprecated in December 2024
    assert world.post_event(late).status_code == 202
    world.settle()
    assert [c.split(" ")[0] for c in _calls(world)[len(IN_TRANSIT_CALLS):]] == ["GET"] * 7
    assert len(world.deliveries("5000001")) == 1
    assert world.mpls("S4AMZ_Dispatch_Delivery_Events") == ["COMPLETED", "COMPLETED"]
    assert world.records("S4AMZ_Package_In_Transit")[-1].status == "COMPLETED"


def test_cancelling_one_of_two_packages_reduces_the_shared_item(world: Landscape) -> None:
    order = world.create_order("5000001", [("C900-BIKE", 1, "10"), ("H100-HELMET", 2, "20")])
    lines = world.advance(order, "start")["lineItems"]
    world.advance(order, "split", packages=[[lines[0]["id"], {"line_item": lines[1]["id"], "quantity": 1}],
                                            [{"line_item": lines[1]["id"], "quantity": 1}]])
    world.advance(order, "in_transit", package=0)
    world.advance(order, "cancel_package", package=1, reason="CUSTOMER_REQUESTED")
    world.settle()
    items = world.sales_order_items("5000001")
    assert items["10"]["SalesDocumentRjcnReason"] == "" and items["20"]["SalesDocumentRjcnReason"] == ""
    assert items["20"]["RequestedQuantity"] == "1.000"                 # 2 ordered, 1 cancelled
    [delivery] = world.deliveries("5000001")
    assert delivery["OverallGoodsMovementStatus"] == "C"
    assert world.mpls("S4AMZ_Package_Cancelled") == ["COMPLETED"]


def test_stale_etag_is_read_again_and_retried_at_once(world: Landscape) -> None:
    world.fault("s4hana", status=412, times=1, path="PostGoodsIssue")
    order = world.create_order("5000006", [("M500-BIKE", 2, "10")])
    world.advance(order, "in_transit")
    world.settle()
    calls = world.s4_calls()
    gi = [i for i, (m, p, _) in enumerate(calls) if p == "/PostGoodsIssue"]
    assert [calls[i][2] for i in gi] == [412, 200]
    assert calls[gi[1] - 1][:2] == ("GET", calls[gi[0] - 1][1])         # read again between the two
    assert world.mpls("S4AMZ_Dispatch_Delivery_Events") == ["COMPLETED"]  # no JMS retry needed
    assert world.mpls("S4AMZ_Package_In_Transit") == ["COMPLETED"]
    assert world.deliveries("5000006")[0]["OverallGoodsMovementStatus"] == "C"


def test_after_the_budget_the_event_goes_to_the_dead_letter_queue(world: Landscape) -> None:
    world.fault("s4hana", status=503, path="A_OutbDeliveryItem")
    order = world.create_order("5000006", [("M500-BIKE", 2, "10")])
    world.advance(order, "in_transit")
    world.settle()
    assert world.mpls("S4AMZ_Dispatch_Delivery_Events") == ["RETRY", "RETRY", "RETRY", "ESCALATED"]
    [dead] = world.queue(DLQ, "queued")
    reason = dead.headers["S4AMZ_ParkReason"]
    assert reason.startswith("retry 3 of 3 failed: AhcOperationFailedException") and "statusCode: 503" in reason
    assert json.loads(dead.body)["eventDescriptor"] == "PACKAGE_DELIVERY_IN_TRANSIT"
    escalated = world.records("S4AMZ_Dispatch_Delivery_Events")[-1]
    assert escalated.properties["CustomStatus"] == "MaxRetriesExceeded"
    assert "(error code MaxRetriesExceeded)" in escalated.error_text and "statusCode: 503" in escalated.error_text
    assert world.runtime.dead_letters() == []              # the flow's budget, not the emulator's expiry model
    world.clear_faults()
    assert world.deliveries("5000006") == []
    # replay once S/4HANA is back: the emulator's Move, back to the queue of the flow that dead-lettered it
    assert world.move(DLQ) == [{"id": dead.id, "from": DLQ, "to": EVENT_QUEUE}]
    world.settle()
    assert world.mpls("S4AMZ_Dispatch_Delivery_Events")[-1] == "COMPLETED"
    assert world.deliveries("5000006")[0]["OverallGoodsMovementStatus"] == "C"
    assert world.queue(DLQ, "queued") == []


def _event(world: Landscape, event_type: str) -> dict:
    return next(e for e in world.bwp_state()["events"] if e["eventType"] == event_type)
