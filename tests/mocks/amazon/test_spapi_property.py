"""Property-based run of the SP-API mock against Amazon's real models (schemathesis + hypothesis).

For every operation the mock serves, schemathesis generates requests from the **real** model
(positive and negative cases), sends them with a valid LWA token, and checks each answer against
the real model: declared status code, content type, response schema, header types, no 5xx.
Generated ids rarely exist, so half of the cases are steered onto resources created beforehand
(orders in every state, shipped packages, reports, documents) and onto valid SKUs and
marketplaces, so success bodies are checked as well as errors. Bounded: a few hundred examples.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from harness.mocks.spapi.contract import Operation, contracts
from harness.mocks.spapi.contract import operations as operations_of_ours

pytestmark = [pytest.mark.reference, pytest.mark.slow]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
POSITIVE_EXAMPLES = 16
NEGATIVE_EXAMPLES = 6
ORDERS = "/fba/outbound/2020-07-01/fulfillmentOrders"


def _order_body(order_id: str, sku: str = "H100-HELMET", action: str = "Ship") -> dict[str, Any]:
    return {"marketplaceId": "ATVPDKIKX0DER", "sellerFulfillmentOrderId": order_id, "displayableOrderId": order_id,
            "displayableOrderDate": "2026-07-01T09:30:00Z", "displayableOrderComment": "property run",
            "shippingSpeedCategory": "Standard", "fulfillmentAction": action,
            "destinationAddress": {"name": "Jane Doe", "addressLine1": "410 Terry Ave N", "city": "Seattle",
                                   "stateOrRegion": "WA", "postalCode": "98109", "countryCode": "US"},
            "items": [{"sellerSku": sku, "sellerFulfillmentOrderItemId": "1", "quantity": 1}]}


@pytest.fixture()
def world(spapi_mock, sp) -> dict[str, list[Any]]:
    """Resources in many states for steered cases to hit."""
    spapi_mock.control("POST", "/__mock__/throttle", json={"enabled": False})
    known: dict[str, list[Any]] = {"sellerFulfillmentOrderId": [], "packageNumber": [], "reportId": [],
                                   "reportDocumentId": []}
    for n, target in enumerate(["Received", "Planning", "Processing", "Complete", "Cancelled", "hold"]):
        order_id = f"PBT-{n}"
        assert sp("POST", ORDERS, json=_order_body(order_id, action="Hold" if target == "hold" else "Ship")).status_code == 200
        if target not in ("Received", "hold"):
            spapi_mock.control("POST", f"/__mock__/fulfillment-orders/{order_id}/advance", json={"to": target})
        known["sellerFulfillmentOrderId"].append(order_id)
    shipped = sp("GET", f"{ORDERS}/PBT-3").json()["payload"]["fulfillmentShipments"][0]
    known["packageNumber"].append(shipped["fulfillmentShipmentPackage"][0]["packageNumber"])
    sp("PUT", f"{ORDERS}/PBT-3/return", json={"items": [{"sellerReturnItemId": "R1", "sellerFulfillmentOrderItemId": "1",
                                                          "amazonShipmentId": shipped["amazonShipmentId"],
                                                          "returnReasonCode": "CR-DEFECTIVE"}]})
    spapi_mock.control("POST", "/__mock__/fulfillment-orders/PBT-3/advance", json={"step": "deliver"})
    reports = sp("GET", "/reports/2021-06-30/reports",
                 params={"reportTypes": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"}).json()["reports"]
    known["reportId"] += [r["reportId"] for r in reports]
    known["reportDocumentId"] += [r["reportDocumentId"] for r in reports]
    created = sp("POST", "/reports/2021-06-30/reports", json={"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
                                                              "marketplaceIds": ["ATVPDKIKX0DER"]})
    known["reportId"].append(created.json()["reportId"])
    return known


def _prune(document: dict[str, Any], schema: dict[str, Any], value: Any) -> Any:
    """Drop the properties our contract does not declare (the real models allow any extra ones)."""
    while "$ref" in schema:
        schema = document["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    if isinstance(value, dict) and schema.get("type") == "object" and "properties" in schema:
        return {k: _prune(document, schema["properties"][k], v) for k, v in value.items() if k in schema["properties"]}
    if isinstance(value, list) and schema.get("type") == "array":
        return [_prune(document, schema.get("items", {}), v) for v in value]
    return value


def _steer(case: Any, draw: Any, known: dict[str, list[Any]], operation: Operation) -> None:
    """Point half of the generated cases at existing resources and valid identifiers."""
    if not draw(st.booleans()):
        return
    for name in list(case.path_parameters or {}):
        if known.get(name):
            case.path_parameters[name] = draw(st.sampled_from(known[name]))
    query = case.query if isinstance(case.query, dict) else None
    if query is not None:
        for name in ("nextToken", "startDateTime", "createdSince", "createdUntil"):
            query.pop(name, None)
        if "packageNumber" in query and known["packageNumber"]:
            query["packageNumber"] = draw(st.sampled_from(known["packageNumber"]))
        for name in ("marketplaceIds", "granularityId", "marketplaceId"):
            if name in query:
                query[name] = ["ATVPDKIKX0DER"] if isinstance(query[name], list) else "ATVPDKIKX0DER"
        if "sellerSku" in query:
            query["sellerSku"] = draw(st.sampled_from(["C900-BIKE", "H100-HELMET", "B200-BOTTLE"]))
        if "sellerSkus" in query:
            query["sellerSkus"] = ["C900-BIKE", "M500-BIKE"]
        if "sellerFulfillmentOrderId" in query:
            query.pop("sellerFulfillmentOrderId")
        if "reportTypes" in query:
            query["reportTypes"] = ["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"]
    if operation.body and isinstance(case.body, dict):
        body = _prune(contracts()[operation.api].document, {"$ref": f"#/definitions/{operation.body}"}, case.body)
        if "marketplaceId" in body:
            body["marketplaceId"] = "ATVPDKIKX0DER"
        if "marketplaceIds" in body:
            body["marketplaceIds"] = ["ATVPDKIKX0DER"]
        if "reportType" in body:
            body["reportType"] = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"
            body.pop("dataStartTime", None)
        for index, item in enumerate(body.get("items") or []):
            if "sellerSku" in item:
                item["sellerSku"] = "H100-HELMET"
            if "quantity" in item:
                item["quantity"] = 1
            if "sellerFulfillmentOrderItemId" in item and "sellerReturnItemId" not in item:
                item["sellerFulfillmentOrderItemId"] = str(index)
        if isinstance(body.get("items"), list):
            body["items"] = body["items"][:5]
        for key in ("destinationAddress", "address"):
            if isinstance(body.get(key), dict):
                body[key].update(countryCode="US", city="Seattle")
        if body.get("shippingSpeedCategory") == "ScheduledDelivery":
            body["shippingSpeedCategory"] = "Standard"
        case.body = body


def _operations(reference: Path) -> list[tuple[str, Any]]:
    chosen = []
    for contract in contracts().values():
        model = json.loads((reference / "amazon" / contract.model).read_text(encoding="utf-8"))
        schema = schemathesis.openapi.from_dict(model).include(operation_id=list(contract.operations))
        chosen += [(contract.model, result.ok()) for result in schema.get_all_operations()]
    return chosen


def test_mock_answers_conform_to_the_real_models(reference, spapi_mock, access_token, world):
    operations = _operations(reference)
    assert len(operations) == sum(len(c.operations) for c in contracts().values())
    session = requests.Session()
    headers = {"x-amz-access-token": access_token}
    seen: Counter[tuple[str, int]] = Counter()
    unsatisfiable: list[str] = []
    for _model, operation in operations:
        ours = next(op for op in operations_of_ours() if op.name == operation.definition.raw["operationId"])
        for mode, examples in ((GenerationMode.POSITIVE, POSITIVE_EXAMPLES), (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):

            @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
            def run(case: Any, data: Any) -> None:
                if mode is GenerationMode.POSITIVE:
                    _steer(case, data.draw, world, ours)
                response = case.call(base_url=spapi_mock.url, session=session, headers=headers)
                seen[(operation.label, response.status_code)] += 1
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # nothing in this operation's model can be made invalid (e.g. one free string path)
                assert mode is GenerationMode.NEGATIVE, operation.label
                unsatisfiable.append(operation.label)
    assert len(unsatisfiable) < len(operations) // 2, unsatisfiable
    assert spapi_mock.control("GET", "/__mock__/state").json()["contract_violations"] == []
    successes = {label for (label, status), _ in seen.items() if status < 300}
    # success bodies were checked for the operations that read state
    for label in ("GET /fba/inventory/v1/summaries", "POST /fba/outbound/2020-07-01/fulfillmentOrders",
                  "POST /fba/outbound/2020-07-01/fulfillmentOrders/preview", "POST /reports/2021-06-30/reports", "GET /fba/outbound/2020-07-01/fulfillmentOrders/{sellerFulfillmentOrderId}",
                  "GET /fba/outbound/2020-07-01/tracking", "GET /reports/2021-06-30/reports/{reportId}",
                  "GET /reports/2021-06-30/documents/{reportDocumentId}", "GET /fba/outbound/2020-07-01/fulfillmentOrders"):
        assert label in successes, f"no successful {label} among {sorted(seen.items())}"
    assert sum(seen.values()) >= 200
