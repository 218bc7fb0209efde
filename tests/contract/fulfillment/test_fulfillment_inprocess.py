"""The module's packages running in-process against the mocks: the extension points SAP's flows
offer (pre-exit and post-exit of the central create, custom handling of parked orders) called with
a merchant's own flows, and the parked-order record. The business scenarios are the YAML files of
this folder, run by `s4amz test --module fulfillment`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest
import requests

from fulfill_inprocess import FulfillmentWorld, build_packages

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list:
    """The product's packages, and the test extension flows built next to them (their own home)."""
    from generator.build import build_all
    from harness.tenant.artifact import load_dist

    home = tmp_path_factory.mktemp("fulfillment-home")
    product = build_packages(home)
    extensions = home / "extensions"
    shutil.copytree(home / "mappings", extensions / "mappings")
    shutil.copy(HERE / "fixtures" / "test-fulfillment-extensions.yaml", extensions / "mappings")
    shutil.copytree(home / "groovy" / "scripts", extensions / "groovy" / "scripts")
    (extensions / "groovy" / "scripts" / "test").mkdir()
    shutil.copy(HERE / "fixtures" / "testPreExitExpedite.groovy", extensions / "groovy" / "scripts" / "test")
    build_all(extensions)
    test_flows = [a for a in load_dist(extensions / "dist") if a.id.startswith("TEST_")]
    assert len(test_flows) == 3
    return [product, test_flows]


@pytest.fixture
def world(packages, tmp_path) -> Iterator[FulfillmentWorld]:
    if not (Path(__file__).resolve().parents[3] / "groovy" / "target" / "lib" / "s4amz-script-host.jar").is_file():
        pytest.skip("the Groovy script host is not built: run `make groovy`")
    product, tests = packages
    running = FulfillmentWorld(tmp_path / "state", product, [(a.id, a.content) for a in tests])
    yield running
    running.close()


def _artifact(packages, artifact_id: str):
    return next(a for a in packages[0] if a.id == artifact_id)


def test_pre_exit_changes_the_order_and_post_exit_gets_the_result(world, packages) -> None:
    world.deploy("S4AMZ_Create_Fulfillment_Order", _artifact(packages, "S4AMZ_Create_Fulfillment_Order").content,
                 **{"Pre-Exit Enabled": "true", "Post-Exit Enabled": "true"})
    order = world.create_order([{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}], PurchaseOrderByCustomer="RUSH-7")
    assert world.replicate(order) == 200
    world.idle()
    created = world.bwp_requests("createOrder")
    assert len(created) == 1
    terms = created[0]["variables"]["input"]["lineItems"][0]["selectedDeliveryOffer"]["details"]["deliveryTerms"]
    assert terms["deliverySpeed"] == "EXPEDITED"                      # the pre-exit's change reached Amazon
    assert [m.status for m in world.mpls("TEST_Fulfillment_Pre_Exit")] == ["COMPLETED"]
    result = world.runtime.datastore.get("TestFulfillmentExtensions", "", "post-exit")
    assert result is not None
    reply = json.loads(result.body)
    assert reply["salesOrder"] == order and reply["amazonOrderId"].startswith("322-")
    assert reply["lineItems"].startswith("10=LI-")
    assert world.texts("A_SalesOrderText", order)["0001"] == reply["amazonOrderId"]


def test_extension_points_are_off_by_default(world) -> None:
    order = world.create_order([{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}], PurchaseOrderByCustomer="RUSH-8")
    assert world.replicate(order) == 200
    world.idle()
    terms = world.bwp_requests("createOrder")[0]["variables"]["input"]["lineItems"][0]["selectedDeliveryOffer"]
    assert terms["details"]["deliveryTerms"]["deliverySpeed"] == "STANDARD"
    assert world.mpls("TEST_Fulfillment_Pre_Exit") == [] and world.mpls("TEST_Fulfillment_Post_Exit") == []


def test_parked_order_record_reaches_the_custom_error_handling(world, packages) -> None:
    world.deploy("S4AMZ_Process_Fulfillment_Order", _artifact(packages, "S4AMZ_Process_Fulfillment_Order").content,
                 **{"Custom Error Handling Enabled": "true"})
    bad = world.create_order([{"Material": "MZ-FG-H100", "RequestedQuantity": "0.5"}])
    assert world.replicate(bad) == 200
    world.idle()
    [mpl] = world.mpls("S4AMZ_Process_Fulfillment_Order")
    assert mpl.status == "ESCALATED"
    assert f"sales order {bad} item 10: items[0].quantity must be a positive whole number of units, got 0.5" in mpl.error_text
    parked = world.runtime.datastore.get("S4AMZ_ParkedOrders", "", bad)
    record = json.loads(parked.body)
    assert record["salesOrder"] == bad and record["source"] == "SOAP"
    assert record["reason"].startswith(f"sales order {bad}: bwpCreateOrderRequest:")
    assert f"<SalesOrder>{bad}</SalesOrder>" in record["request"]    # the message as it arrived, to resend
    handled = world.runtime.datastore.get("TestFulfillmentExtensions", "", "parked-order")
    assert json.loads(handled.body) == record
    assert world.bwp_requests("createOrder") == []                      # nothing half-created in Amazon
    assert world.runtime.dead_letters() == []


def test_a_fixed_order_leaves_the_parking_store(world) -> None:
    order = world.create_order([{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}])
    requests.post(world.urls["s4hana"] + "/__mock__/actions/change", timeout=30, json={
        "service": "API_SALES_ORDER_SRV", "entity_set": "A_SalesOrderPartnerAddress",
        "key": {"SalesOrder": order, "PartnerFunction": "SH", "AddressRepresentationCode": ""},
        "values": {"StreetName": ""}}).raise_for_status()
    world.replicate(order)
    world.idle()
    assert world.runtime.datastore.get("S4AMZ_ParkedOrders", "", order) is not None
    requests.post(world.urls["s4hana"] + "/__mock__/actions/change", timeout=30, json={
        "service": "API_SALES_ORDER_SRV", "entity_set": "A_SalesOrderPartnerAddress",
        "key": {"SalesOrder": order, "PartnerFunction": "SH", "AddressRepresentationCode": ""},
        "values": {"StreetName": "Terry Avenue North"}}).raise_for_status()
    world.replicate(order)
    world.idle()
    assert [m.status for m in world.mpls("S4AMZ_Process_Fulfillment_Order")] == ["ESCALATED", "COMPLETED"]
    assert world.runtime.datastore.get("S4AMZ_ParkedOrders", "", order) is None
    assert len(world.bwp_requests("createOrder")) == 1
