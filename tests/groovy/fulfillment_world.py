"""Real responses for the fulfillment-updates scripts: the Buy with Prime and S/4HANA mocks run
in-process (werkzeug test clients, no sockets), so every script is fed exactly what the mocks serve
and every request a script builds is sent to them."""

from __future__ import annotations

import base64
import itertools
import json
from typing import Any

from werkzeug.test import Client

from harness.mocks.bwp import create as create_bwp
from harness.mocks.s4hana import S4HanaOData

DLV = "/sap/opu/odata/sap/API_OUTBOUND_DELIVERY_SRV;v=0002"
SO = "/sap/opu/odata/sap/API_SALES_ORDER_SRV"
_systems = itertools.count(1)


def order_line(sku: str, units: int, alias: str | None) -> dict[str, Any]:
    """A createOrder line fulfilled by Amazon, with the S/4HANA item as its EXTERNAL_ID alias."""
    line: dict[str, Any] = {
        "product": {"identifier": {"sku": sku}, "title": sku, "price": {"amount": 25.0, "currencyCode": "USD"}},
        "amount": {"value": units},
        "selectedDeliveryOffer": {"details": {"id": "5060887210", "deliveryPreviewId": "SIP-8676502-0261200",
                                              "deliveryProvider": "AMAZON",
                                              "deliveryTerms": {"isPrimeEligible": True, "deliverySpeed": "STANDARD"}}}}
    if alias:
        line["aliases"] = [{"aliasType": "EXTERNAL_ID", "aliasId": alias}]
    return line


class BwpWorld:
    """A Buy with Prime mock with a token, GraphQL calls and control steps."""

    def __init__(self) -> None:
        self.service = create_bwp({"clients": [{"client_id": "tests", "client_secret": "tests-secret"}]})
        self.client = Client(self.service)
        token = self.client.post("/token", data={"grant_type": "client_credentials", "client_id": "tests",
                                                 "client_secret": "tests-secret"}).get_json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}", "x-api-version": "2024-11-01",
                        "x-api-target-id": self.service.seed.business_product_id}

    def graphql(self, body: str | bytes | dict[str, Any]) -> str:
        """POST a GraphQL request body (as a script built it); the response text."""
        payload = json.loads(body) if isinstance(body, (str, bytes)) else body
        response = self.client.post("/graphql", json=payload, headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True)

    def create_order(self, sales_order: str, lines: list[tuple[str, int, str | None]],
                     order_alias: bool = True) -> str:
        data = {"lineItems": [order_line(sku, units, alias) for sku, units, alias in lines],
                "recipient": {"deliveryAddress": {"name": "Jane Doe", "streetAddress": "410 Terry Ave N",
                                                  "locality": "Seattle", "region": "WA", "countryCode": "US",
                                                  "postalCode": "98109"}},
                "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": sales_order}] if order_alias else
                [{"aliasType": "EXTERNAL_DISPLAY_ID", "aliasId": f"WEB-{sales_order}"}],
                "desiredExecutionState": "STARTED"}
        text = self.graphql({"query": "mutation C($input: CreateOrderInput!) { createOrder(input: $input) { order { id } } }",
                             "variables": {"input": data}})
        body = json.loads(text)
        assert not body.get("errors"), body
        return body["data"]["createOrder"]["order"]["id"]

    def advance(self, order_id: str, step: str, **args: Any) -> dict[str, Any]:
        response = self.client.post(f"/__mock__/orders/{order_id}/advance", json={"step": step, **args})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()


class S4World:
    """An S/4HANA OData mock on its seed (Basic logon, CSRF off: the scripts are under test, not the adapter)."""

    def __init__(self) -> None:
        self.service = S4HanaOData({"system": f"FUPD{next(_systems)}", "user": "U", "password": "P", "csrf": False})
        self.client = Client(self.service)
        self.auth = {"Authorization": "Basic " + base64.b64encode(b"U:P").decode(), "Accept": "application/json"}

    def get(self, path: str) -> tuple[str, dict[str, str]]:
        response = self.client.get(path, headers=self.auth)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True), dict(response.headers)

    def send(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        response = self.client.open(path, method=method, json=body, headers={**self.auth, **headers})
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.get_json(silent=True)

    def create_delivery(self, sales_order: str, items: dict[str, str]) -> str:
        body = {"to_DeliveryDocumentItem": {"results": [
            {"ReferenceSDDocument": sales_order, "ReferenceSDDocumentItem": item, "ActualDeliveryQuantity": quantity}
            for item, quantity in items.items()]}}
        return self.send("POST", f"{DLV}/A_OutbDeliveryHeader", body)["d"]["DeliveryDocument"]

    def header(self, delivery: str) -> tuple[str, dict[str, str]]:
        return self.get(f"{DLV}/A_OutbDeliveryHeader('{delivery}')?$expand=to_DeliveryDocumentItem&$format=json")

    def etag(self, delivery: str) -> str:
        return self.header(delivery)[1]["ETag"]

    def patch_header(self, delivery: str, values: dict[str, Any]) -> None:
        self.send("PATCH", f"{DLV}/A_OutbDeliveryHeader('{delivery}')", values, **{"If-Match": self.etag(delivery)})

    def action(self, delivery: str, function: str, query: str | None = None) -> None:
        query = query or f"DeliveryDocument='{delivery}'"
        self.send("POST", f"{DLV}/{function}?{query}", None, **{"If-Match": self.etag(delivery)})
