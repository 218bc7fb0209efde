"""Helpers for the S/4HANA mock tests (a module with its own name, so test modules import it safely):
the test logon, an OData client that fetches its CSRF token like the OData adapter, the landscape
handle, a receiver record and a sales order body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from harness.mocks.s4hana import S4HanaOData
from harness.mocks.s4hana_soap import S4HanaSoap

USER, PASSWORD = "S4AMZ_CPI", "test-password"
OAUTH = ("s4amz-cpi", "oauth-secret")


class OData:
    """A client for one service root: Basic logon, session cookies and the CSRF token."""

    def __init__(self, base: str, service: str, fmt: str = "json") -> None:
        self.root = f"{base}/sap/opu/odata/sap/{service}/"
        self.session = requests.Session()
        self.session.auth = (USER, PASSWORD)
        self.accept = "application/json" if fmt == "json" else "application/atom+xml"
        self.token = ""

    def fetch_token(self) -> str:
        """``X-CSRF-Token: Fetch`` on the service root, as the OData adapter does first."""
        response = self.session.head(self.root, headers={"X-CSRF-Token": "Fetch"})
        assert response.status_code == 200, response.text
        self.token = response.headers["x-csrf-token"]
        return self.token

    def get(self, path: str, **kw: Any) -> requests.Response:
        headers = {"Accept": self.accept, **kw.pop("headers", {})}
        return self.session.get(self.root + path, headers=headers, **kw)

    def write(self, method: str, path: str, body: Any = None, etag: str | None = None, **kw: Any) -> requests.Response:
        if not self.token:
            self.fetch_token()
        headers = {"Accept": self.accept, "X-CSRF-Token": self.token, **kw.pop("headers", {})}
        if etag is not None:
            headers["If-Match"] = etag
        if isinstance(body, (dict, list)):
            kw["json"] = body
        elif body is not None:
            kw["data"] = body
        return self.session.request(method, self.root + path, headers=headers, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.write("POST", path, body, **kw)

    def patch(self, path: str, body: Any, etag: str | None = None, **kw: Any) -> requests.Response:
        return self.write("PATCH", path, body, etag, **kw)

    def etag(self, path: str) -> str:
        """Read an entity's ETag (``$select`` of the key, like SAP's "Read_etag" channels)."""
        response = self.get(path)
        assert response.status_code == 200, response.text
        return response.headers["ETag"]

    def d(self, response: requests.Response) -> Any:
        """The ``d`` member of a JSON answer (asserting a 2xx status)."""
        assert 200 <= response.status_code < 300, f"{response.status_code}: {response.text}"
        return response.json()["d"]


@dataclass
class Landscape:
    """Both S/4HANA mocks over one system."""

    odata: S4HanaOData
    soap: S4HanaSoap
    odata_url: str
    soap_url: str
    clients: dict[str, OData] = field(default_factory=dict)

    def client(self, service: str, fmt: str = "json") -> OData:
        """A client for a service root (e.g. ``API_OUTBOUND_DELIVERY_SRV;v=0002``)."""
        key = f"{service}|{fmt}"
        if key not in self.clients:
            self.clients[key] = OData(self.odata_url, service, fmt)
        return self.clients[key]

    def action(self, name: str, **payload: Any) -> dict[str, Any]:
        """Run a control action and return its JSON (asserting success)."""
        response = requests.post(f"{self.odata_url}/__mock__/actions/{name}", json=payload)
        assert response.status_code == 200, response.text
        return response.json()

    def rows(self, service: str, entity_set: str) -> list[dict[str, Any]]:
        """Full rows of an entity set from ``/__mock__/state``."""
        state = requests.get(f"{self.odata_url}/__mock__/state/{service}/{entity_set}").json()
        return state["tables"].get(service, {}).get(entity_set, [])


@dataclass
class Receiver:
    """A loopback HTTP endpoint standing in for a Cloud Integration SOAP sender channel."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200


SALES_ORDER = {
    "SalesOrderType": "OR1", "SalesOrganization": "1710", "DistributionChannel": "10", "OrganizationDivision": "00",
    "SoldToParty": "17100010", "PurchaseOrderByCustomer": "AMZ-TEST-1",
    "to_Partner": {"results": [{"PartnerFunction": "SH", "Customer": "17100001"}]},
    "to_Text": {"results": [{"Language": "EN", "LongTextID": "0001", "LongText": "AMZ-TEST-1"}]},
    "to_Item": {"results": [
        {"Material": "MZ-FG-C900", "RequestedQuantity": "2", "RequestedQuantityUnit": "PC",
         "to_PricingElement": {"results": [{"ConditionType": "PPR0", "ConditionRateValue": "1100.00",
                                            "ConditionCurrency": "USD"}]}},
        {"Material": "MZ-FG-H100", "RequestedQuantity": "3"}]},
}
