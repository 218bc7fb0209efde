"""The scripts of the "Amazon fulfillment updates" module, on both runtimes, fed with what the Buy
with Prime and S/4HANA mocks really serve (fulfillment_world.py), and their requests sent back to
those mocks: package query and reader, delivery lookup, delivery steps, texts, item cancellation,
failure classification and the event endpoint's reply."""

from __future__ import annotations

import json
import re

import pytest
from graphql import build_schema, parse, validate
from lxml import etree

from fulfillment_world import DLV, SO, BwpWorld, S4World
from groovy_helpers import expect_failure, validate as validate_schema
from harness.paths import repo_root
from harness.scripthost import ValueMapping

MOCK_SCHEMA = build_schema((repo_root() / "harness" / "mocks" / "bwp" / "schema.graphql").read_text(encoding="utf-8"))
CANCEL_REASONS = [
    ValueMapping("BuyWithPrime", "PackageCancellationReason", "UNFULFILLABLE", "S4HANA", "SalesDocumentRjcnReason", "Z3"),
    ValueMapping("BuyWithPrime", "PackageCancellationReason", "CUSTOMER_REQUESTED", "S4HANA", "SalesDocumentRjcnReason", "Z0"),
]


@pytest.fixture()
def bwp() -> BwpWorld:
    return BwpWorld()


@pytest.fixture()
def s4() -> S4World:
    return S4World()


def _xml(body: bytes | str) -> etree._Element:
    return etree.fromstring(body if isinstance(body, bytes) else body.encode("utf-8"))


def _package_json(run, bwp: BwpWorld, order_id: str, package_id: str) -> dict:
    query = run("bwpPackageQuery", properties={"BwpOrderId": order_id})
    assert query.exception is None, query.exception
    result = run("bwpPackageDelivery", bwp.graphql(query.body), properties={"PackageId": package_id})
    assert result.exception is None, result.exception
    return result.json()


def _two_package_order(bwp: BwpWorld, sales_order: str = "5000001") -> tuple[str, list[str]]:
    order_id = bwp.create_order(sales_order, [("C900-BIKE", 1, f"{sales_order}-10"), ("H100-HELMET", 2, f"{sales_order}-20")])
    view = bwp.advance(order_id, "split", into=2)
    return order_id, [p["id"] for p in view["packageInformation"]["details"]]


# ---- Buy with Prime: the package query and its reader ---------------------------------------------------


def test_package_query_is_valid_for_the_mock_and_finds_by_id_and_alias(run, bwp) -> None:
    order_id = bwp.create_order("5000006", [("M500-BIKE", 1, "5000006-10")])
    for properties in ({"BwpOrderId": order_id}, {"BwpAliasId": "5000006"}):
        r = run("bwpPackageQuery", properties=properties)
        assert r.exception is None, r.exception
        body = json.loads(r.body)
        assert validate(MOCK_SCHEMA, parse(body["query"])) == []
        answer = json.loads(bwp.graphql(r.body))
        assert answer["data"]["order"]["id"] == order_id, answer
    assert json.loads(run("bwpPackageQuery", properties={"BwpAliasId": "5000006", "BwpAliasType": "EXTERNAL_DISPLAY_ID"})
                      .body)["variables"]["orderIdentifier"] == {"alias": {"aliasType": "EXTERNAL_DISPLAY_ID", "aliasId": "5000006"}}
    expect_failure(run("bwpPackageQuery", properties={}), "BwpOrderId or BwpAliasId")


def test_split_shipment_gives_one_delivery_per_package(run, bwp) -> None:
    order_id, packages = _two_package_order(bwp)
    bwp.advance(order_id, "in_transit", package=1)
    first = _package_json(run, bwp, order_id, packages[0])
    second = _package_json(run, bwp, order_id, packages[1])
    for pkg in (first, second):
        validate_schema(pkg, "package-delivery")
        assert pkg["salesOrder"] == "5000001" and pkg["orderId"] == order_id
    assert [(i["salesOrderItem"], i["quantity"]) for i in first["items"]] == [("10", 1)]
    assert [(i["salesOrderItem"], i["quantity"]) for i in second["items"]] == [("20", 2)]
    assert first["state"] == "PENDING" and first["trackingNumber"] is None and first["texts"]["tracking"] is None
    assert second["state"] == "IN_TRANSIT" and re.fullmatch(r"TBA\d{12}", second["trackingNumber"])
    assert second["texts"]["tracking"] == f"{second['trackingNumber']}\nhttps://track.amazon.com/tracking/{second['trackingNumber']}"
    assert second["deliveryDate"] == second["estimatedDelivery"]["latest"][:10]
    assert second["shippedDate"] == second["latestMilestone"]["occurredAt"][:10]
    summary = second["texts"]["summary"]
    assert f"Amazon order {order_id}, package {packages[1]}: in transit" in summary
    assert f"tracking number {second['trackingNumber']}" in summary and "Items: 20 x 2" in summary
    assert {o["salesOrderItem"]: o["activeUnits"] for o in second["orderItems"]} == {"10": 1, "20": 2}


def test_delivered_package_dates_and_properties(run, bwp) -> None:
    order_id = bwp.create_order("5000003", [("C950-BIKE", 1, "5000003-10")])
    view = bwp.advance(order_id, "in_transit")
    bwp.advance(order_id, "milestone", code="OUT_FOR_DELIVERY")
    bwp.advance(order_id, "delivered")
    package_id = view["packageInformation"]["details"][0]["id"]
    query = run("bwpPackageQuery", properties={"BwpAliasId": "5000003"})
    r = run("bwpPackageDelivery", bwp.graphql(query.body), properties={"PackageId": package_id})
    pkg = r.json()
    validate_schema(pkg, "package-delivery")
    assert pkg["state"] == "DELIVERED" and pkg["deliveredAt"] and pkg["deliveryDate"] == pkg["deliveredAt"][:10]
    assert pkg["latestMilestone"]["code"] == "DELIVERED" and "Delivered: " in pkg["texts"]["summary"]
    assert "Estimated delivery" not in pkg["texts"]["summary"]
    props = r.properties
    assert (props["SalesOrder"], props["PackageId"], props["PackageState"]) == ("5000003", package_id, "DELIVERED")
    assert props["DeliveryDate"] == pkg["deliveryDate"] and props["TextPackage"] == package_id
    assert json.loads(props["PackageJson"]) == pkg


def test_package_found_by_tracking_number(run, bwp) -> None:
    order_id, packages = _two_package_order(bwp, "5000004")
    view = bwp.advance(order_id, "in_transit", package=0)
    tracking = view["packageInformation"]["details"][0]["packageTracker"]["packageTrackerIdentifier"]
    query = run("bwpPackageQuery", properties={"BwpOrderId": order_id})
    r = run("bwpPackageDelivery", bwp.graphql(query.body),
            properties={"TrackingNumber": tracking["trackingNumber"], "CarrierCode": tracking["carrierCode"]})
    assert r.json()["packageId"] == packages[0]
    expect_failure(run("bwpPackageDelivery", bwp.graphql(query.body), properties={"TrackingNumber": "TBA000"}),
                   "has no package with tracking number TBA000", packages[0])


def test_cancelled_package_counts_units_left_per_item(run, bwp) -> None:
    order_id = bwp.create_order("5000001", [("C900-BIKE", 1, "5000001-10"), ("H100-HELMET", 2, "5000001-20")])
    lines = json.loads(bwp.graphql({"query": "query Q($id: String!) { order(orderIdentifier: {orderId: $id}) { lineItems { id } } }",
                                    "variables": {"id": order_id}}))["data"]["order"]["lineItems"]
    view = bwp.advance(order_id, "split", packages=[[lines[0]["id"], {"line_item": lines[1]["id"], "quantity": 1}],
                                                   [{"line_item": lines[1]["id"], "quantity": 1}]])
    cancelled = view["packageInformation"]["details"][1]["id"]
    bwp.advance(order_id, "cancel_package", package=1, reason="UNFULFILLABLE")
    pkg = _package_json(run, bwp, order_id, cancelled)
    assert pkg["state"] == "CANCELLED" and pkg["reason"] == "UNFULFILLABLE"
    assert pkg["items"] == [{"lineItemId": lines[1]["id"], "salesOrderItem": "20", "quantity": 1}]
    assert {o["salesOrderItem"]: (o["orderedUnits"], o["cancelledUnits"], o["activeUnits"]) for o in pkg["orderItems"]} == {
        "10": (1, 0, 1), "20": (2, 1, 1)}
    assert "cancelled (unfulfillable)" in pkg["texts"]["summary"]


def test_reader_rejects_orders_it_cannot_map(run, bwp) -> None:
    no_alias = bwp.create_order("5000005", [("H100-HELMET", 1, "5000005-10")], order_alias=False)
    no_line_alias = bwp.create_order("5000002", [("M500-BIKE", 1, None)])
    foreign = bwp.create_order("5000009", [("C950-BIKE", 1, "4711-10")])
    quoted = bwp.create_order("50'01", [("H100-HELMET", 1, "50'01-10")])
    cases = [
        (no_alias, None, ["has no EXTERNAL_ID alias", "not created from an S/4HANA sales order"]),
        (no_line_alias, None, ["has no EXTERNAL_ID alias (<sales order>-<item>)"]),
        (foreign, None, ["alias '4711-10' does not name an item of sales order 5000009"]),
        (no_line_alias, "PKG-NOPE", ["has no package PKG-NOPE"]),
        (quoted, None, ["alias '50'01' is not a sales order number"]),
    ]
    for order_id, package, fragments in cases:
        query = run("bwpPackageQuery", properties={"BwpOrderId": order_id})
        response = bwp.graphql(query.body)
        package = package or json.loads(response)["data"]["order"]["packageInformation"]["details"][0]["id"]
        expect_failure(run("bwpPackageDelivery", response, properties={"PackageId": package}), *fragments)
    expect_failure(run("bwpPackageDelivery", '{"data": {"order": null}, "errors": [{"message": "x"}]}',
                       properties={"PackageId": "P"}), "the response holds no order")


def test_long_package_ids_get_a_stable_35_character_marker(run) -> None:
    long_id = "amzn1.package." + "x" * 40
    response = {"data": {"order": {
        "id": "322-L", "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": "42"}],
        "lineItems": [{"id": "L1", "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": "42-10"}], "amount": {"value": 3}}],
        "packageInformation": {"details": [{"id": long_id, "state": "PENDING", "packageInformationDetailsFor": {
            "orderLineItems": [{"lineItem": {"id": "L1"}, "amount": {"value": 3}}]}}]}}}}
    first = run("bwpPackageDelivery", response, properties={"PackageId": long_id}).json()
    again = run("bwpPackageDelivery", response, properties={"PackageId": long_id}).json()
    assert len(first["packageMarker"]) == 35 and first["packageMarker"].startswith("AMZ")
    assert first["packageMarker"] == again["packageMarker"] and first["packageId"] == long_id
    response["data"]["order"]["lineItems"][0]["amount"]["value"] = 1.5
    expect_failure(run("bwpPackageDelivery", response, properties={"PackageId": long_id}),
                   "line item L1: amount.value must be a whole number of units, got '1.5'")


# ---- S/4HANA: finding the package's delivery ------------------------------------------------------------


def _pkg(sales_order: str, items: dict[str, int], marker: str = "PKG-A") -> str:
    return json.dumps({"salesOrder": sales_order, "packageId": marker, "packageMarker": marker,
                       "items": [{"lineItemId": f"L{i}", "salesOrderItem": i, "quantity": q} for i, q in items.items()]})


def _match(run, s4: S4World, sales_order: str, package: str, **properties):
    items, _ = s4.get(f"{DLV}/A_OutbDeliveryItem?$filter=ReferenceSDDocument%20eq%20'{sales_order}'"
                      "&$select=DeliveryDocument&$format=json")
    found = run("s4OutboundDeliveryMatch", items, function="deliveryFilter")
    assert found.exception is None, found.exception
    if found.properties["DeliveryCount"] == "0":
        return found
    headers, _ = s4.get(f"{DLV}/A_OutbDeliveryHeader?$filter={found.properties['DeliveryFilter']}"
                        "&$expand=to_DeliveryDocumentItem&$format=json")
    return run("s4OutboundDeliveryMatch", headers, properties={"PackageJson": package, **properties})


def test_delivery_lookup_existing_adopted_and_new(run, s4) -> None:
    assert _match(run, s4, "5000001", _pkg("5000001", {"10": 1})).properties["DeliveryCount"] == "0"
    marked = s4.create_delivery("5000001", {"10": "1"})
    s4.patch_header(marked, {"DeliveryDocumentBySupplier": "PKG-A"})
    orphan = s4.create_delivery("5000001", {"20": "2"})
    r = _match(run, s4, "5000001", _pkg("5000001", {"10": 1}, "PKG-A"))
    assert (r.properties["DeliveryAction"], r.properties["DeliveryDocument"]) == ("EXISTING", marked)
    assert r.properties["DeliveryGoodsIssued"] == "false" and r.properties["DeliverySalesOrder"] == "5000001"
    r = _match(run, s4, "5000001", _pkg("5000001", {"20": 2}, "PKG-B"))
    assert (r.properties["DeliveryAction"], r.properties["DeliveryDocument"]) == ("ADOPT", orphan)
    assert "adopted" in r.properties["DeliveryMatchInfo"]
    r = _match(run, s4, "5000001", _pkg("5000001", {"20": 1}, "PKG-C"))   # other quantities: not this package's
    assert (r.properties["DeliveryAction"], r.properties.get("DeliveryDocument")) == ("CREATE", None)
    s4.patch_header(orphan, {"DeliveryDocumentBySupplier": "PKG-Z"})
    assert _match(run, s4, "5000001", _pkg("5000001", {"20": 2}, "PKG-B")).properties["DeliveryAction"] == "CREATE"


def test_delivery_lookup_by_tracking_number_and_field_names(run, s4) -> None:
    delivery = s4.create_delivery("5000006", {"10": "2"})
    s4.patch_header(delivery, {"BillOfLading": "TBA123", "MeansOfTransport": "PKG-T"})
    headers, _ = s4.get(f"{DLV}/A_OutbDeliveryHeader?$filter=BillOfLading%20eq%20'TBA123'"
                        "&$expand=to_DeliveryDocumentItem&$format=json")
    r = run("s4OutboundDeliveryMatch", headers, properties={"MatchBy": "TRACKING", "TrackingNumber": "TBA123"})
    assert (r.properties["DeliveryAction"], r.properties["DeliveryDocument"], r.properties["DeliverySalesOrder"]) == (
        "EXISTING", delivery, "5000006")
    r = run("s4OutboundDeliveryMatch", headers, properties={"MatchBy": "TRACKING", "TrackingNumber": "TBA999"})
    assert r.properties["DeliveryAction"] == "NONE"
    r = run("s4OutboundDeliveryMatch", headers, properties={"PackageJson": _pkg("5000006", {"10": 2}, "PKG-T"),
                                                            "PackageIdField": "MeansOfTransport"})
    assert (r.properties["DeliveryAction"], r.properties["DeliveryMarker"]) == ("EXISTING", "PKG-T")
    expect_failure(run("s4OutboundDeliveryMatch", headers, properties={"MatchBy": "TRACKING"}), "TrackingNumber is required")
    expect_failure(run("s4OutboundDeliveryMatch", headers, properties={}), "PackageJson")
    expect_failure(run("s4OutboundDeliveryMatch", '{"d": {}}', properties={"PackageJson": _pkg("1", {"10": 1})}),
                   "must be an OData collection")
    expect_failure(run("s4OutboundDeliveryMatch", '{"d": {"results": [{"DeliveryDocument": "8 0"}]}}',
                       function="deliveryFilter"), "'8 0' is not a delivery number")


# ---- S/4HANA: delivery steps decided on the state just read ----------------------------------------------


def _step(run, s4: S4World, delivery: str, step: str, **properties):
    body, headers = s4.header(delivery)
    result = run("s4OutboundDeliveryStep", body, headers={"ETag": headers["ETag"]},
                 properties={"S4Step": step, **properties})
    assert result.exception is None, result.exception
    return result


def _apply(s4: S4World, delivery: str, result) -> None:
    """What the flow's OData receiver does with the step's decision."""
    props = result.properties
    if props["S4Call"] == "FUNCTION":
        s4.send("POST", f"{DLV}/{props['S4Function']}?{props['S4FunctionQuery']}", None,
                **{"If-Match": result.headers["If-Match"]})
    elif props["S4Call"] == "PATCH":
        element = _xml(result.body)[0]
        s4.send("PATCH", f"{DLV}/A_OutbDeliveryHeader('{delivery}')", {c.tag: c.text for c in element},
                **{"If-Match": result.headers["If-Match"]})


def test_steps_run_once_each_and_then_skip(run, s4) -> None:
    delivery = s4.create_delivery("5000001", {"10": "1", "20": "2"})
    header = {"PackageMarker": "PKG-1", "TrackingNumber": "TBA555", "DeliveryDate": "2026-02-03",
              "DeliveryTime": "14:05:00", "ShippedDate": "2026-01-30", "ShippedTime": "08:00:00"}
    r = _step(run, s4, delivery, "HEADER", **header)
    assert r.properties["S4Call"] == "PATCH" and r.headers["If-Match"] == r.properties["S4ETag"]
    fields = {c.tag: c.text for c in _xml(r.body)[0]}
    assert fields == {"DeliveryDocumentBySupplier": "PKG-1", "BillOfLading": "TBA555",
                      "DeliveryDate": "2026-02-03T00:00:00", "DeliveryTime": "PT14H05M00S",
                      "PlannedGoodsIssueDate": "2026-01-30T00:00:00", "GoodsIssueTime": "PT08H00M00S",
                      "PickingDate": "2026-01-30T00:00:00", "PickingTime": "PT08H00M00S"}
    _apply(s4, delivery, r)
    assert _step(run, s4, delivery, "HEADER", **header).properties["S4Call"] == "SKIP"
    for step, function in (("PICK", "PickAllItems"), ("CONFIRM", "ConfirmPickingAllItems"),
                           ("GOODS_ISSUE", "PostGoodsIssue")):
        r = _step(run, s4, delivery, step)
        assert (r.properties["S4Call"], r.properties["S4Function"]) == ("FUNCTION", function)
        assert r.properties["S4FunctionQuery"] == f"DeliveryDocument='{delivery}'"
        _apply(s4, delivery, r)
        assert _step(run, s4, delivery, step).properties["S4Call"] == "SKIP"
    state = json.loads(s4.header(delivery)[0])["d"]
    assert state["OverallGoodsMovementStatus"] == "C"
    after = _step(run, s4, delivery, "HEADER", **{**header, "DeliveryDate": "2026-02-02", "ShippedDate": "2026-01-29"})
    changed = {c.tag for c in _xml(after.body)[0]}
    assert changed == {"DeliveryDate"} and after.properties["DeliveryGoodsIssued"] == "true"


def test_zero_items_of_a_cancelled_package(run, s4) -> None:
    delivery = s4.create_delivery("5000001", {"10": "1", "20": "2"})
    seen = []
    for _ in range(4):
        r = _step(run, s4, delivery, "ZERO_ITEMS")
        if r.properties["S4Call"] == "SKIP":
            break
        assert r.properties["S4Function"] == "SetPickingQuantityWithBaseQuantity" and r.properties["S4StepRepeat"] == "true"
        seen.append(r.properties["S4FunctionQuery"])
        _apply(s4, delivery, r)
    assert seen == [f"ActualDeliveredQtyInBaseUnit=0M&BaseUnit='PC'&DeliveryDocument='{delivery}'&DeliveryDocumentItem='000010'",
                    f"ActualDeliveredQtyInBaseUnit=0M&BaseUnit='PC'&DeliveryDocument='{delivery}'&DeliveryDocumentItem='000020'"]
    items = json.loads(s4.header(delivery)[0])["d"]["to_DeliveryDocumentItem"]["results"]
    assert {i["ActualDeliveryQuantity"] for i in items} == {"0.000"}


def test_step_input_errors(run, s4) -> None:
    delivery = s4.create_delivery("5000001", {"10": "1"})
    body, headers = s4.header(delivery)
    expect_failure(run("s4OutboundDeliveryStep", body, headers={"ETag": headers["ETag"]}, properties={"S4Step": "SHIP"}),
                   "S4Step must be HEADER, PICK, CONFIRM, GOODS_ISSUE or ZERO_ITEMS, got 'SHIP'")
    no_etag = json.loads(body)
    no_etag["d"]["__metadata"].pop("etag", None)
    expect_failure(run("s4OutboundDeliveryStep", no_etag, properties={"S4Step": "PICK"}), f"no ETag for delivery {delivery}")
    expect_failure(run("s4OutboundDeliveryStep", body, headers={"ETag": headers["ETag"]},
                       properties={"S4Step": "HEADER", "DeliveryDate": "03.02.2026"}), "'03.02.2026' is not a date")


# ---- S/4HANA: delivery texts -----------------------------------------------------------------------------


def test_texts_are_created_updated_or_left_alone(run, s4) -> None:
    delivery = s4.create_delivery("5000001", {"10": "1"})
    s4.send("POST", f"{DLV}/A_OutbDeliveryHeaderText", {"DeliveryDocument": delivery, "TextElement": "TX04",
                                                         "Language": "EN", "TextElementText": "old summary"})
    texts, _ = s4.get(f"{DLV}/A_OutbDeliveryHeader('{delivery}')/to_DeliveryDocumentText?$format=json")
    read = run("s4DeliveryTextRequest", texts, function="readTexts", properties={"TextLanguage": "EN"})
    assert json.loads(read.properties["DeliveryTexts"]) == {"TX04": "old summary"}
    base = {"DeliveryDocument": delivery, "TextLanguage": "EN", "DeliveryTexts": read.properties["DeliveryTexts"]}
    create = run("s4DeliveryTextRequest", function="upsert",
                 properties={**base, "TextElement": "TX03", "TextContent": "PKG-<1> & \"2\""})
    assert create.properties["S4TextOperation"] == "CREATE"
    element = _xml(create.body)
    assert element.tag == "A_OutbDeliveryHeaderText"
    assert {c.tag: c.text for c in element[0]} == {"DeliveryDocument": delivery, "TextElement": "TX03",
                                                   "Language": "EN", "TextElementText": 'PKG-<1> & "2"'}
    update = run("s4DeliveryTextRequest", function="upsert",
                 properties={**base, "TextElement": "TX04", "TextContent": "Amazon order 322-X\nin transit"})
    assert update.properties["S4TextOperation"] == "UPDATE"
    assert {c.tag for c in _xml(update.body)[0]} == {"TextElementText"}
    same = run("s4DeliveryTextRequest", function="upsert",
               properties={**base, "TextElement": "TX04", "TextContent": "old summary\r\n"})
    assert same.properties["S4TextOperation"] == "SKIP"
    off = run("s4DeliveryTextRequest", function="upsert", properties={**base, "TextElement": "", "TextContent": "x"})
    assert off.properties["S4TextOperation"] == "SKIP"
    expect_failure(run("s4DeliveryTextRequest", function="upsert",
                       properties={**base, "TextElement": "TX 4", "TextContent": "x"}), "up to 4 letters or digits")


# ---- S/4HANA: the delivery create for a package -----------------------------------------------------------


def test_delivery_create_body_for_a_package(run) -> None:
    package = {"salesOrder": "5000001", "packageId": "PKG-1",
               "items": [{"salesOrderItem": "10", "quantity": 1}, {"salesOrderItem": "20", "quantity": 2}]}
    r = run("s4OutboundDeliveryRequest", function="fromPackage", properties={"PackageJson": json.dumps(package),
                                                                             "ShippingPoint": "1710"})
    assert r.exception is None, r.exception
    root = _xml(r.body)
    header = root.find("A_OutbDeliveryHeaderType")
    assert header.findtext("ShippingPoint") == "1710"
    rows = [{c.tag: c.text for c in item} for item in header.find("to_DeliveryDocumentItem")]
    assert rows == [{"ReferenceSDDocument": "5000001", "ReferenceSDDocumentItem": "10", "ActualDeliveryQuantity": "1.000"},
                    {"ReferenceSDDocument": "5000001", "ReferenceSDDocumentItem": "20", "ActualDeliveryQuantity": "2.000"}]
    assert r.properties["DeliveryItemCount"] == 2
    package["items"][1]["quantity"] = 0
    expect_failure(run("s4OutboundDeliveryRequest", package, function="fromPackage"),
                   "items[1].quantity must be positive")


# ---- S/4HANA: sales order items of a cancelled package --------------------------------------------------


def test_cancellation_rejects_or_reduces_items_once(run, s4) -> None:
    package = json.dumps({"salesOrder": "5000001", "packageId": "PKG-C", "reason": "UNFULFILLABLE",
                          "items": [{"salesOrderItem": "10", "quantity": 1}, {"salesOrderItem": "20", "quantity": 1}],
                          "orderItems": [{"salesOrderItem": "10", "activeUnits": 0},
                                         {"salesOrderItem": "20", "activeUnits": 1}]})
    done = []
    for _ in range(4):
        items, _ = s4.get(f"{SO}/A_SalesOrder('5000001')/to_Item?$format=json")
        r = run("s4ItemCancellationRequest", items, properties={"PackageJson": package, "DefaultRejectionReason": "Z5"},
                value_mappings=CANCEL_REASONS)
        assert r.exception is None, r.exception
        if r.properties["S4Call"] == "SKIP":
            break
        fields = {c.tag: c.text for c in _xml(r.body)[0]}
        done.append((r.properties["SalesOrderItem"], fields))
        s4.send("PATCH", f"{SO}/A_SalesOrderItem(SalesOrder='5000001',SalesOrderItem='{r.properties['SalesOrderItem']}')", fields)
    assert done == [("10", {"SalesDocumentRjcnReason": "Z3"}), ("20", {"RequestedQuantity": "1.000"})]
    items = {i["SalesOrderItem"]: i for i in json.loads(s4.get(f"{SO}/A_SalesOrder('5000001')/to_Item?$format=json")[0])["d"]["results"]}
    assert items["10"]["SalesDocumentRjcnReason"] == "Z3" and items["20"]["RequestedQuantity"] == "1.000"


def test_cancellation_reason_falls_back_and_errors_name_the_item(run, s4) -> None:
    items, _ = s4.get(f"{SO}/A_SalesOrder('5000006')/to_Item?$format=json")
    package = {"salesOrder": "5000006", "packageId": "PKG-U", "reason": "UNDELIVERABLE",
               "items": [{"salesOrderItem": "10", "quantity": 2}], "orderItems": [{"salesOrderItem": "10", "activeUnits": 0}]}
    r = run("s4ItemCancellationRequest", items, properties={"PackageJson": json.dumps(package), "DefaultRejectionReason": "Z5"},
            value_mappings=CANCEL_REASONS)
    assert r.properties["RejectionReason"] == "Z5" and "reason Z5" in r.properties["S4StepInfo"]
    expect_failure(run("s4ItemCancellationRequest", items, properties={"PackageJson": json.dumps(package)}),
                   "no rejection reason for Amazon reason 'UNDELIVERABLE'")
    package["items"][0]["salesOrderItem"] = "90"
    expect_failure(run("s4ItemCancellationRequest", items, properties={"PackageJson": json.dumps(package),
                                                                       "DefaultRejectionReason": "Z5"}),
                   "sales order 5000006 has no item 90")


# ---- failures and replies -----------------------------------------------------------------------------------

ODATA_412 = ("com.sap.gateway.core.ip.component.odata.exception.OsciException: Precondition Failed : 412 : "
             "HTTP/1.1 412 Precondition Failed : The ETag does not match")


@pytest.mark.parametrize(("caught", "headers", "kind", "status"), [
    (ODATA_412, {}, "CONFLICT", "412"),
    ("org.apache.camel.component.ahc.AhcOperationFailedException: HTTP operation failed invoking "
     "http://s4/x with statusCode: 503", {}, "TECHNICAL", "503"),
    ("java.lang.IllegalArgumentException: bwpPackageDelivery: order 322-X has no package P", {}, "BUSINESS", None),
    ("com.sap.gateway.core.ip.component.odata.exception.OsciException: Bad Request : 400 : HTTP/1.1 400 Bad Request : "
     "Item 10 of sales document 5000001 is rejected", {}, "BUSINESS", "400"),
    ("java.net.ConnectException: Connection refused", {}, "TECHNICAL", None),
    ("com.sap.it.rt.emulator.Error: the message reached the error end event X", {"CamelHttpResponseCode": "404"},
     "BUSINESS", "404"),
])
def test_failure_kinds(run, caught, headers, kind, status) -> None:
    r = run("eventFailureReason", properties={"CamelExceptionCaught": caught}, headers=headers)
    assert r.exception is None, r.exception
    assert (r.properties["FailureKind"], r.properties.get("FailureStatus")) == (kind, status)
    assert r.properties["FailureRetryable"] == str(kind != "BUSINESS").lower()
    assert caught.split(": ", 1)[1][:30] in r.properties["FailureReason"]


def test_conflicts_are_counted_and_the_retry_budget_is_left_to_the_flow(run) -> None:
    r = run("eventFailureReason", properties={"CamelExceptionCaught": ODATA_412, "ConflictCount": "2"})
    assert r.properties["ConflictCount"] == "3"
    # the dispatcher's router compares SAPJMSRetries with Max Retries; the script only classifies
    late = run("eventFailureReason", properties={"CamelExceptionCaught": "java.net.SocketTimeoutException: Read timed out"},
               headers={"SAPJMSRetries": 9})
    assert late.properties["FailureKind"] == "TECHNICAL"
    assert not {"FailureAction", "FailureAttempt"} & set(late.properties)


def test_failure_reason_from_exception_objects(run) -> None:
    caught_type = pytest.importorskip("harness.scripthost").__dict__.get("CaughtException")
    if caught_type is None:
        pytest.skip("the script host does not rebuild exception objects yet")
    error = caught_type("org.apache.camel.component.ahc.AhcOperationFailedException",
                        "HTTP operation failed invoking http://s4/x with statusCode: 400", status_code=400,
                        response_body=json.dumps({"error": {"code": "VL/248", "message": {"lang": "en",
                                                  "value": "Item 10 of sales document 5000003 is rejected"}}}))
    r = run("eventFailureReason", properties={"CamelExceptionCaught": error})
    assert r.exception is None, r.exception
    assert (r.properties["FailureKind"], r.properties["FailureStatus"]) == ("BUSINESS", "400")
    assert "VL/248 Item 10 of sales document 5000003 is rejected" in r.properties["FailureReason"]
    osci = caught_type("com.sap.gateway.core.ip.component.odata.exception.OsciException", ODATA_412.split(": ", 1)[1])
    assert run("eventFailureReason", properties={"CamelExceptionCaught": osci}).properties["FailureKind"] == "CONFLICT"


def test_event_reply(run) -> None:
    r = run("bwpEventReply", properties={"ReplyStatus": "400", "ReplyOutcome": "rejected", "EventType": "X",
                                         "ReplyReason": 'body is not JSON: "{oops"'})
    assert r.headers["CamelHttpResponseCode"] == 400 and r.headers["Content-Type"] == "application/json"
    assert json.loads(r.body) == {"outcome": "rejected", "eventType": "X", "reason": 'body is not JSON: "{oops"'}
    accepted = run("bwpEventReply", properties={"IdempotencyKey": "k-1"})
    assert accepted.headers["CamelHttpResponseCode"] == 202 and json.loads(accepted.body) == {
        "outcome": "accepted", "idempotencyKey": "k-1"}
    expect_failure(run("bwpEventReply", properties={"ReplyStatus": "2xx"}), "ReplyStatus must be an HTTP status code")
