"""Business behaviour: the calls SAP's accelerator makes, asserted as final state in the system."""

from __future__ import annotations

from typing import Any

import requests

DLV = "API_OUTBOUND_DELIVERY_SRV;v=2"
SO = "API_SALES_ORDER_SRV"
RET = "API_CUSTOMER_RETURN_SRV"
RDLV1 = "API_CUSTOMER_RETURNS_DELIVERY_SRV"
RDLV2 = "API_CUSTOMER_RETURNS_DELIVERY_SRV;v=2"
MDOC = "API_MATERIAL_DOCUMENT_SRV"


def stock(s4: Any, material: str, stock_type: str = "01") -> str:
    client = s4.client("API_MATERIAL_STOCK_SRV")
    rows = client.d(client.get("A_MatlStkInAcctMod", params={
        "$filter": f"Material eq '{material}' and StorageLocation eq '171A' and InventoryStockType eq '{stock_type}'"}))
    return rows["results"][0]["MatlWrhsStkQtyInMatlBaseUnit"] if rows["results"] else "none"


def create_delivery(s4: Any, order: str, items: list[tuple[str, str]]) -> tuple[str, Any]:
    client = s4.client(DLV)
    response = client.post("A_OutbDeliveryHeader", {"DeliveryDocument": "", "to_DeliveryDocumentItem": {"results": [
        {"DeliveryDocument": "", "ReferenceSDDocument": order, "ReferenceSDDocumentItem": item,
         "ActualDeliveryQuantity": quantity, "DeliveryQuantityUnit": "PC"} for item, quantity in items]}})
    return client.d(response)["DeliveryDocument"] if response.status_code == 201 else "", response


def action(s4: Any, name: str, delivery: str, etag: str | None = None, **params: str) -> requests.Response:
    client = s4.client(DLV)
    query = "&".join([f"DeliveryDocument='{delivery}'"] + [f"{k}={v}" for k, v in params.items()])
    if etag is None:
        etag = client.etag(f"A_OutbDeliveryHeader(DeliveryDocument='{delivery}')?$select=DeliveryDocument")
    return client.post(f"{name}?{query}", etag=etag)


def test_fulfillment_delivery_pick_and_goods_issue(s4: Any) -> None:
    """Receive Package Delivery Fulfillment: create with reference, pick, confirm, post goods issue."""
    delivery, response = create_delivery(s4, "5000001", [("10", "1"), ("20", "2")])
    assert delivery == "80000103", response.text
    header = s4.client(DLV).d(response)
    assert header["DeliveryVersion"] == "0001" and header["OverallGoodsMovementStatus"] == "A"
    assert header["ShipToParty"] == "17100010" and header["DeliveryDocumentType"] == "LF"
    items = header["to_DeliveryDocumentItem"]["results"]
    assert [(i["DeliveryDocumentItem"], i["Material"], i["StorageLocation"]) for i in items] == [
        ("000010", "MZ-FG-C900", "171A"), ("000020", "MZ-FG-H100", "171A")]
    order = s4.client(SO).d(s4.client(SO).get("A_SalesOrder('5000001')"))
    assert order["OverallDeliveryStatus"] == "C" and order["OverallSDProcessStatus"] == "B"

    issue_too_early = action(s4, "PostGoodsIssue", delivery)
    assert issue_too_early.status_code == 400 and "Picking of item 000010" in issue_too_early.text
    assert action(s4, "PickAllItems", delivery).status_code == 200
    assert action(s4, "ConfirmPickingAllItems", delivery).status_code == 200
    issued = action(s4, "PostGoodsIssue", delivery)
    assert issued.status_code == 200 and issued.json() == {"d": {"results": []}}

    client = s4.client(DLV)
    header = client.d(client.get(f"A_OutbDeliveryHeader('{delivery}')"))
    assert header["OverallGoodsMovementStatus"] == "C" and header["OverallPickingStatus"] == "C"
    assert header["DeliveryVersion"] == "0004" and header["ActualGoodsMovementDate"].startswith("/Date(")
    assert stock(s4, "MZ-FG-C900") == "118.00000000000000" and stock(s4, "MZ-FG-H100") == "494.00000000000000"
    movements = [i for i in s4.rows(MDOC, "A_MaterialDocumentItem") if i.get("Delivery") == delivery]
    assert {(m["GoodsMovementType"], m["Material"], m["QuantityInEntryUnit"]) for m in movements} == {
        ("601", "MZ-FG-C900", "1.000"), ("601", "MZ-FG-H100", "2.000")}
    again = action(s4, "PostGoodsIssue", delivery)
    assert again.status_code == 400 and "already been posted for goods movement" in again.text
    flow = s4.client(SO).d(s4.client(SO).get("A_SalesOrder('5000001')/to_SubsequentProcFlowDoc"))["results"]
    assert {(f["SubsequentDocument"], f["SubsequentDocumentCategory"]) for f in flow} >= {(delivery, "J")}


def test_function_imports_need_the_delivery_etag(s4: Any) -> None:
    delivery, _ = create_delivery(s4, "5000006", [("10", "2")])
    client = s4.client(DLV)
    missing = client.post(f"PickAllItems?DeliveryDocument='{delivery}'")
    assert missing.status_code == 428
    etag = client.etag(f"A_OutbDeliveryHeader('{delivery}')")
    assert etag == 'W/"\'0001\'"'
    assert action(s4, "PickAllItems", delivery, etag=etag).status_code == 200
    stale = action(s4, "PostGoodsIssue", delivery, etag=etag)
    assert stale.status_code == 412
    assert client.get(f"PickAllItems?DeliveryDocument='{delivery}'").status_code == 405
    unknown = client.post("PickAllItems?DeliveryDocument='99999999'", etag="*")
    assert unknown.status_code == 404
    bad_literal = client.post(f"PickAllItems?DeliveryDocument={delivery}", etag="*")
    assert bad_literal.status_code == 400 and "DeliveryDocument" in bad_literal.text


def test_goods_issue_fails_without_stock_and_changes_nothing(s4: Any) -> None:
    delivery, response = create_delivery(s4, "5000006", [("10", "2")])   # R100: 3 in stock
    assert response.status_code == 201
    requests.post(s4.odata_url + "/__mock__/actions/set_stock", json={"material": "MZ-FG-R100", "quantity": 1})
    assert action(s4, "PickAllItems", delivery).status_code == 200
    issued = action(s4, "PostGoodsIssue", delivery)
    assert issued.status_code == 400 and issued.json()["error"]["code"] == "M7/021"
    header = s4.client(DLV).d(s4.client(DLV).get(f"A_OutbDeliveryHeader('{delivery}')"))
    assert header["OverallGoodsMovementStatus"] == "A" and stock(s4, "MZ-FG-R100") == "1.00000000000000"


def test_delivery_rules_block_rejection_and_over_delivery(s4: Any) -> None:
    blocked = create_delivery(s4, "5000002", [("10", "1")])[1]
    assert blocked.status_code == 400 and "blocked for delivery" in blocked.text
    rejected = create_delivery(s4, "5000003", [("20", "1")])[1]
    assert rejected.status_code == 400 and "is rejected" in rejected.text
    over = create_delivery(s4, "5000006", [("10", "3")])[1]
    assert over.status_code == 400 and "exceeds the open quantity 2" in over.text
    assert create_delivery(s4, "5000004", [("10", "1")])[1].status_code == 400   # delivered in full
    no_items = s4.client(DLV).post("A_OutbDeliveryHeader", {"ShippingPoint": "1710"})
    assert no_items.status_code == 400 and "with reference to a sales order" in no_items.text
    s4.action("remove_delivery_block", sales_order="5000002")
    assert create_delivery(s4, "5000002", [("10", "1")])[1].status_code == 201


def test_cancel_flow_reject_item_after_zero_picking(s4: Any) -> None:
    """Receive Package Delivery Cancel: picking quantity 0, then reject the order item."""
    delivery, _ = create_delivery(s4, "5000001", [("10", "1"), ("20", "2")])
    so = s4.client(SO)
    too_early = so.patch("A_SalesOrderItem(SalesOrder='5000001',SalesOrderItem='20')", {"SalesDocumentRjcnReason": "Z1"})
    assert too_early.status_code == 400 and "delivered in full" in too_early.text
    response = action(s4, "SetPickingQuantityWithBaseQuantity", delivery, ActualDeliveredQtyInBaseUnit="0.00M",
                      BaseUnit="'PC'", DeliveryDocumentItem="'000020'")
    assert response.status_code == 200, response.text
    assert so.patch("A_SalesOrderItem(SalesOrder='5000001',SalesOrderItem='20')",
                    {"SalesDocumentRjcnReason": "Z1"}).status_code == 204
    order = so.d(so.get("A_SalesOrder('5000001')?$expand=to_Item"))
    assert order["OverallSDDocumentRejectionSts"] == "B" and order["TotalNetAmount"] == "1200.000"
    item = order["to_Item"]["results"][1]
    assert item["SalesDocumentRjcnReason"] == "Z1" and item["SDProcessStatus"] == "C"
    assert action(s4, "PickAllItems", delivery).status_code == 200
    assert action(s4, "PostGoodsIssue", delivery).status_code == 200
    assert stock(s4, "MZ-FG-H100") == "496.00000000000000"          # only item 10 left the warehouse


def test_delivery_header_dates_and_texts(s4: Any) -> None:
    delivery, _ = create_delivery(s4, "5000006", [("10", "2")])
    client = s4.client(DLV)
    path = f"A_OutbDeliveryHeader('{delivery}')"
    changed = client.patch(path, {"DeliveryDate": "/Date(1767225600000)/", "DeliveryTime": "PT14H30M00S"},
                           etag=client.etag(path))
    assert changed.status_code == 204
    header = client.d(client.get(path))
    assert header["DeliveryDate"] == "/Date(1767225600000)/" and header["DeliveryTime"] == "PT14H30M00S"
    ignored = client.patch(path, {"OverallGoodsMovementStatus": "C"}, etag=client.etag(path))
    assert ignored.status_code == 204 and "cannot be changed" in ignored.headers["sap-message"]
    assert client.d(client.get(path))["OverallGoodsMovementStatus"] == "A"
    text = client.post("A_OutbDeliveryHeaderText", {"DeliveryDocument": delivery, "TextElement": "TX04",
                                                    "Language": "EN", "TextElementText": "TBA123456789"})
    assert client.d(text)["TextElementDescription"] == "Shipment Tracking"
    texts = client.d(client.get(f"{path}/to_DeliveryDocumentText"))["results"]
    assert [t["TextElementText"] for t in texts] == ["TBA123456789"]
    orphan = client.post("A_OutbDeliveryHeaderText", {"DeliveryDocument": "81111111", "TextElement": "TX04"})
    assert orphan.status_code == 400


def test_stock_read_as_sap_reads_it(s4: Any) -> None:
    client = s4.client("API_MATERIAL_STOCK_SRV")
    rows = client.d(client.get("A_MatlStkInAcctMod", params={
        "$select": "Material,MaterialBaseUnit,MatlWrhsStkQtyInMatlBaseUnit",
        "$filter": "(Material eq 'MZ-FG-C900' or Material eq 'MZ-FG-B200') and Plant eq '1710' and "
                   "StorageLocation eq '171A' and InventoryStockType eq '01' and SDDocument eq ''"}))["results"]
    assert {(r["Material"], r["MatlWrhsStkQtyInMatlBaseUnit"]) for r in rows} == {
        ("MZ-FG-C900", "119.00000000000000"), ("MZ-FG-B200", "0.00000000000000")}
    assert set(rows[0]) == {"__metadata", "Material", "MaterialBaseUnit", "MatlWrhsStkQtyInMatlBaseUnit"}


def test_material_document_post_and_cancel(s4: Any) -> None:
    client = s4.client(MDOC)
    created = client.d(client.post("A_MaterialDocumentHeader", {
        "GoodsMovementCode": "05", "PostingDate": "2026-01-31T00:00:00",
        "to_MaterialDocumentItem": [{"Material": "MZ-FG-B200", "Plant": "1710", "StorageLocation": "171A",
                                     "GoodsMovementType": "561", "QuantityInEntryUnit": "12"}]}))
    assert created["MaterialDocumentYear"] == "2026" and stock(s4, "MZ-FG-B200") == "12.00000000000000"
    item = created["to_MaterialDocumentItem"]["results"][0]
    assert item["MaterialBaseUnit"] == "PC" and item["DebitCreditCode"] == "S" and item["InventoryStockType"] == "01"
    bad_code = client.post("A_MaterialDocumentHeader", {"GoodsMovementCode": "99", "to_MaterialDocumentItem": []})
    assert bad_code.status_code == 400 and "Goods movement code 99" in bad_code.text
    cancel = client.post(f"Cancel?MaterialDocumentYear='2026'&MaterialDocument='{created['MaterialDocument']}'")
    reversal = client.d(cancel)
    assert reversal["GoodsMovementCode"] == "06" and stock(s4, "MZ-FG-B200") == "0.00000000000000"
    twice = client.post(f"Cancel?MaterialDocumentYear='2026'&MaterialDocument='{created['MaterialDocument']}'")
    assert twice.status_code == 400 and "already been cancelled" in twice.text


def test_customer_return_returns_delivery_and_goods_receipt(s4: Any) -> None:
    """Sync Return Updates from Amazon: return with texts, returns delivery, PostGoodsReceipt on ;v=2."""
    ret = s4.client(RET)
    created = ret.d(ret.post("A_CustomerReturn", {
        "CustomerReturnType": "RE", "SalesOrganization": "1710", "DistributionChannel": "10",
        "OrganizationDivision": "00", "SoldToParty": "17100010", "SDDocumentReason": "009",
        "ReferenceSDDocument": "5000005",
        "to_Item": {"results": [{"ReferenceSDDocument": "5000005", "ReferenceSDDocumentItem": "20",
                                 "RequestedQuantity": "1", "ReturnReason": "101"}]},
        "to_Text": {"results": [{"Language": "EN", "LongTextID": "0001", "LongText": "AMZ-RETURN-1"}]}}))
    number = created["CustomerReturn"]
    assert number == "60000101" and created["HeaderBillingBlockReason"] == "08"
    assert created["to_Item"]["results"][0]["Material"] == "MZ-FG-H100"
    assert created["TotalNetAmount"] == "59.900"
    too_many = ret.post("A_CustomerReturn", {
        "CustomerReturnType": "RE", "SalesOrganization": "1710", "DistributionChannel": "10",
        "OrganizationDivision": "00", "SoldToParty": "17100010",
        "to_Item": [{"ReferenceSDDocument": "5000005", "ReferenceSDDocumentItem": "20", "RequestedQuantity": "1"}]})
    assert too_many.status_code == 400 and "exceeds the referenced quantity 0" in too_many.text
    text_path = f"A_CustomerReturnText(CustomerReturn='{number}',Language='EN',LongTextID='0001')"
    assert ret.patch(text_path, {"LongText": "AMZ-RETURN-1 graded"}).status_code == 204

    rdlv = s4.client(RDLV1)
    delivery = rdlv.d(rdlv.post("A_ReturnsDeliveryHeader", {"to_DeliveryDocumentItem": {"results": [
        {"ReferenceSDDocument": number, "ReferenceSDDocumentItem": "10", "ActualDeliveryQuantity": "1",
         "DeliveryQuantityUnit": "PC"}]}}))["DeliveryDocument"]
    v2 = s4.client(RDLV2)
    path = f"A_ReturnsDeliveryHeader('{delivery}')?$select=DeliveryDocument,OverallGoodsMovementStatus"
    assert v2.d(v2.get(path))["OverallGoodsMovementStatus"] == "A"
    received = v2.post(f"PostGoodsReceipt?DeliveryDocument='{delivery}'", etag=v2.etag(path))
    assert received.status_code == 200, received.text
    assert v2.d(v2.get(path))["OverallGoodsMovementStatus"] == "C"
    assert stock(s4, "MZ-FG-H100", "07") == "1.00000000000000"
    item = ret.d(ret.get(f"A_CustomerReturnItem(CustomerReturn='{number}',CustomerReturnItem='10')"))
    assert item["ReturnsMaterialHasBeenReceived"] == "X"
    assert ret.patch(f"A_CustomerReturn('{number}')", {"HeaderBillingBlockReason": ""}).status_code == 428
    etag = ret.etag(f"A_CustomerReturn('{number}')")
    assert ret.patch(f"A_CustomerReturn('{number}')", {"HeaderBillingBlockReason": ""}, etag=etag).status_code == 204


def test_control_actions(s4: Any) -> None:
    assert set(requests.get(s4.odata_url + "/__mock__/actions").json()) >= {"bill", "change", "deliver", "reject_item"}
    shipped = s4.action("ship", sales_order="5000006")
    header = s4.client(DLV).d(s4.client(DLV).get(f"A_OutbDeliveryHeader('{shipped['delivery']}')"))
    assert header["OverallGoodsMovementStatus"] == "C"
    billed = s4.action("bill", document="5000006")
    invoice = s4.client("API_BILLING_DOCUMENT_SRV").d(
        s4.client("API_BILLING_DOCUMENT_SRV").get(f"A_BillingDocument('{billed['billing_documents'][0]}')"))
    assert invoice["BillingDocumentType"] == "F2" and invoice["TotalNetAmount"] == "1300.000"
    s4.action("reject_item", sales_order="5000001", item="20", reason="Z2")
    s4.action("change", service=SO, entity_set="A_SalesOrder", key={"SalesOrder": "5000001"},
              values={"DeliveryBlockReason": "02"})
    order = s4.client(SO).d(s4.client(SO).get("A_SalesOrder('5000001')"))
    assert order["DeliveryBlockReason"] == "02" and order["OverallSDDocumentRejectionSts"] == "B"
    unknown = requests.post(s4.odata_url + "/__mock__/actions/fly", json={})
    assert unknown.status_code == 404 and "known:" in unknown.json()["error"]
    incomplete = requests.post(s4.odata_url + "/__mock__/actions/reject_item", json={"sales_order": "5000001"})
    assert incomplete.status_code == 400 and "missing field 'item'" in incomplete.json()["error"]
    events = requests.get(s4.odata_url + "/__mock__/state").json()["events"]
    assert any(e["event"] == "goods_issue" and e["delivery"] == shipped["delivery"] for e in events)


def test_reset_returns_to_the_seed(s4: Any) -> None:
    s4.action("ship", sales_order="5000006")
    assert len(s4.rows("API_OUTBOUND_DELIVERY_SRV", "A_OutbDeliveryHeader")) == 3
    requests.post(s4.odata_url + "/__mock__/reset")
    assert len(s4.rows("API_OUTBOUND_DELIVERY_SRV", "A_OutbDeliveryHeader")) == 2
    assert requests.get(s4.odata_url + "/__mock__/state").json()["number_ranges"]["outbound_delivery"] == 80000103
