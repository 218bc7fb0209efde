"""The "Amazon fulfillment updates" flows running in the emulator's runtime, against the Buy with
Prime and S/4HANA mocks on loopback.

Until the contract runner (`s4amz test`) exists this is how the module's behaviour is exercised:
the packages are built from mappings/ into a temporary folder, deployed into a ``Runtime`` with the
parameters, credentials and value mappings a tenant would have, and the Buy with Prime mock posts its
events through a webhook subscription to the intake flow's HTTPS endpoint (a loopback bridge in
front of ``Runtime.handle_http``, with the sender's Basic logon), exactly as Amazon would.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml
from werkzeug.wrappers import Request, Response

from generator.build import build_all
from harness.emulator.runtime import InMemoryMplSink, Runtime
from harness.emulator.runtime_port import Principal, SecurityMaterial
from harness.mocks.bwp import create as create_bwp
from harness.mocks.core import serve
from harness.mocks.s4hana import S4HanaOData
from harness.paths import repo_root
from harness.scripthost import ValueMapping

MODULE_FLOWS = ("S4AMZ_Receive_Delivery_Events", "S4AMZ_Dispatch_Delivery_Events", "S4AMZ_Package_In_Transit",
                "S4AMZ_Package_Milestone", "S4AMZ_Package_Cancelled")
ENDPOINT = "/http/s4amz/bwp/delivery-events"
SENDER = ("s4amz-sender", "sender-secret")
S4_USER = ("S4AMZ_CPI", "s4-password")
BWP_CLIENT = ("s4amz-local-bwp", "bwp-secret")
DLV = "/sap/opu/odata/sap/API_OUTBOUND_DELIVERY_SRV;v=0002"
SO = "/sap/opu/odata/sap/API_SALES_ORDER_SRV"
EVENT_QUEUE, PARKING_QUEUE, DLQ = ("S4AMZ_BwP_Delivery_Events", "S4AMZ_BwP_Delivery_Events_Parked",
                                   "S4AMZ_BwP_Delivery_Events_DLQ")
INSPECT = "X-S4AMZ-Test-Inspection"   # the test's own reads, left out of the flows' calls
_systems = itertools.count(1)


def build_packages(target: Path) -> dict[str, bytes]:
    """Build every spec of the repository into ``target``; the zip of each artifact by id."""
    root = repo_root()
    shutil.copytree(root / "mappings", target / "mappings")
    shutil.copytree(root / "groovy" / "scripts", target / "groovy" / "scripts")
    build_all(target)
    return {p.stem: p.read_bytes() for p in (target / "dist").glob("*.zip")}


def module_value_mappings() -> list[ValueMapping]:
    """The value mappings of every module spec (what the deployed value mapping artifact holds)."""
    entries = []
    for spec in sorted((repo_root() / "mappings").glob("*.yaml")):
        data = yaml.safe_load(spec.read_text(encoding="utf-8")) or {}
        for group in data.get("value_maps") or []:
            for source, target in group["values"].items():
                entries.append(ValueMapping(group["source"]["agency"], group["source"]["schema"], str(source),
                                            group["target"]["agency"], group["target"]["schema"], str(target)))
    return entries


class _Bridge:
    """``/http/...`` on loopback: Basic logon of the emulator's runtime callers, then the runtime."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        principal = None
        auth = request.authorization
        if auth is not None and auth.type == "basic" and (auth.username, auth.password) == SENDER:
            principal = Principal(SENDER[0], frozenset({"ESBMessaging.send"}))
        status, headers, body = self.runtime.handle_http(request.method, request.full_path.rstrip("?"),
                                                         dict(request.headers), request.get_data(), principal)
        return Response(body, status=status, headers=headers)(environ, start_response)


@dataclass
class Landscape:
    """Mocks, runtime and the deployed module; helpers to drive and inspect them."""

    packages: dict[str, bytes]
    state_dir: Path
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)
    flows: tuple[str, ...] = MODULE_FLOWS

    def __post_init__(self) -> None:
        self.bwp_service = create_bwp({"clients": [{"client_id": BWP_CLIENT[0], "client_secret": BWP_CLIENT[1]}],
                                       "retry_delays": [0.1, 0.2]})
        self.s4_service = S4HanaOData({"system": f"UPD{next(_systems)}", "user": S4_USER[0], "password": S4_USER[1]})
        self._servers = [serve(self.bwp_service), serve(self.s4_service)]
        self.bwp, self.s4 = self._servers[0].url, self._servers[1].url
        self.sink = InMemoryMplSink()
        self.runtime = Runtime(self.state_dir, self.sink, time_scale=0.001, jms_max_retries=8)
        self._servers.append(serve(_Bridge(self.runtime)))
        self.endpoint = self._servers[-1].url + ENDPOINT
        security = SecurityMaterial(
            user_credentials={"S4HANA_Technical_User": {"user": S4_USER[0], "password": S4_USER[1]}},
            oauth2_credentials={"BuyWithPrime_API": {"token_url": self.bwp + "/token", "client_id": BWP_CLIENT[0],
                                                     "client_secret": BWP_CLIENT[1]}})
        common = {"S4HANA Address": self.s4, "S4HANA Proxy Type": "default", "Amazon BwP Address": self.bwp + "/graphql",
                  "Amazon BwP Target ID": self.bwp_service.seed.business_product_id, "Max Retries": "3"}
        mappings = module_value_mappings()
        for flow in self.flows:
            wanted = {**common, **self.parameters.get(flow, {})}
            declared = _parameter_names(self.packages[flow])
            self.runtime.deploy(flow, "1.0.0", self.packages[flow], {k: v for k, v in wanted.items() if k in declared},
                                mappings, security)
        self.runtime.start()
        self.subscribe()

    # --- driving -------------------------------------------------------------------------------------
    def subscribe(self, form: str = "webhook") -> None:
        """Buy with Prime posts package events to the intake endpoint (as a subscription would)."""
        response = requests.post(self.bwp + "/__mock__/subscriptions", json={
            "url": self.endpoint, "form": form, "auth": {"basic": {"username": SENDER[0], "password": SENDER[1]}},
            "event_types": ["PACKAGE_DELIVERY_IN_TRANSIT", "PACKAGE_TRACKER_MILESTONE_CHANGED", "PACKAGE_DELIVERED",
                            "PACKAGE_DELIVERY_CANCELLED"]}, timeout=10)
        assert response.status_code == 201, response.text

    def unsubscribe(self) -> None:
        assert requests.delete(self.bwp + "/__mock__/subscriptions", timeout=10).status_code == 200

    def webhook_detail(self, event: dict[str, Any]) -> dict[str, Any]:
        """The webhook body of an event from the mock's state (its event id doubles as the key)."""
        return {"idempotencyKey": event["eventId"], "eventDescriptor": event["eventType"],
                "resources": [event["resource"]], "eventId": event["eventId"], "apiVersion": "2024-11-01",
                "eventTime": event["time"], "data": event["data"]}

    def create_order(self, sales_order: str, lines: list[tuple[str, int, str]]) -> str:
        """A started Buy with Prime order for an S/4HANA sales order (aliases as the create flow sets them)."""
        token = requests.post(self.bwp + "/token", data={"grant_type": "client_credentials", "client_id": BWP_CLIENT[0],
                                                          "client_secret": BWP_CLIENT[1]}, timeout=10).json()["access_token"]
        offer = {"details": {"id": "5060887210", "deliveryPreviewId": "SIP-8676502-0261200", "deliveryProvider": "AMAZON",
                             "deliveryTerms": {"isPrimeEligible": True, "deliverySpeed": "STANDARD"}}}
        data = {"lineItems": [{"product": {"identifier": {"sku": sku}, "title": sku,
                                           "price": {"amount": 25.0, "currencyCode": "USD"}},
                               "amount": {"value": units}, "selectedDeliveryOffer": offer,
                               "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": f"{sales_order}-{item}"}]}
                              for sku, units, item in lines],
                "recipient": {"deliveryAddress": {"name": "Jane Doe", "streetAddress": "410 Terry Ave N",
                                                  "locality": "Seattle", "region": "WA", "countryCode": "US",
                                                  "postalCode": "98109"}},
                "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": sales_order}], "desiredExecutionState": "STARTED"}
        response = requests.post(self.bwp + "/graphql", json={
            "query": "mutation C($input: CreateOrderInput!) { createOrder(input: $input) { order { id } } }",
            "variables": {"input": data}}, headers={"Authorization": f"Bearer {token}", "x-api-version": "2024-11-01",
                                                   "x-api-target-id": self.bwp_service.seed.business_product_id}, timeout=10)
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]["createOrder"]["order"]["id"]

    def advance(self, order: str, step: str, **args: Any) -> dict[str, Any]:
        response = requests.post(f"{self.bwp}/__mock__/orders/{order}/advance", json={"step": step, **args}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def post_event(self, body: bytes | str | dict, *, auth: tuple[str, str] | None = SENDER,
                   content_type: str = "application/json") -> requests.Response:
        data = json.dumps(body) if isinstance(body, dict) else body
        return requests.post(self.endpoint, data=data, auth=auth, headers={"Content-Type": content_type}, timeout=10)

    def fault(self, mock: str, **rule: Any) -> None:
        url = self.s4 if mock == "s4hana" else self.bwp
        assert requests.post(url + "/__mock__/faults", json=rule, timeout=10).status_code in (200, 201)

    def clear_faults(self) -> None:
        for url in (self.s4, self.bwp):
            assert requests.delete(url + "/__mock__/faults", timeout=10).status_code in (200, 204)

    def move(self, source: str, target: str | None = None) -> list[dict]:
        """Move every waiting message of a queue (what the tenant's queue monitor does on "Move")."""
        return self.runtime.move_messages(source, target)

    def settle(self, timeout: float = 30.0) -> None:
        """Until Buy with Prime delivered its events and the runtime is idle (queues drained)."""
        deadline = time.monotonic() + timeout
        while True:
            answer = requests.post(self.bwp + "/__mock__/deliveries/wait", params={"timeout_s": timeout}, timeout=timeout + 5)
            assert answer.status_code == 200, f"event deliveries not settled: {answer.text}"
            self.runtime.wait_idle(timeout=max(0.5, deadline - time.monotonic()))
            if not self.bwp_state()["deliveries"] or not any(
                    d["status"] == "pending" for d in self.bwp_state()["deliveries"]):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"not settled: queues {self.runtime.queues()}")

    # --- inspecting ----------------------------------------------------------------------------------
    def bwp_state(self) -> dict[str, Any]:
        return requests.get(self.bwp + "/__mock__/state", timeout=10).json()

    def s4_requests(self) -> list[dict[str, Any]]:
        return requests.get(self.s4 + "/__mock__/requests", timeout=10).json()

    def s4_calls(self, *, method: str | None = None, contains: str = "") -> list[tuple[str, str, int]]:
        """(method, path without the service root, status) of the S/4HANA calls, $metadata and token fetches left out."""
        out = []
        for r in self.s4_requests():
            path = r["path"].split(";v=0002")[-1].replace("/sap/opu/odata/sap/API_SALES_ORDER_SRV", "")
            headers = {k.lower(): v for k, v in (r.get("headers") or {}).items()}
            if path.endswith("/$metadata") or headers.get("x-csrf-token") == "Fetch" or path in ("", "/") \
                    or INSPECT.lower() in headers:
                continue
            if (method is None or r["method"] == method) and contains in path:
                out.append((r["method"], path, r["status"]))
        return out

    def s4_get(self, path: str) -> Any:
        response = requests.get(self.s4 + path, params={"$format": "json"}, auth=S4_USER, timeout=10,
                                headers={INSPECT: "1"})
        assert response.status_code == 200, response.text
        return response.json()["d"]

    def deliveries(self, sales_order: str) -> list[dict[str, Any]]:
        """The outbound deliveries referencing a sales order, with items and texts."""
        items = self.s4_get(f"{DLV}/A_OutbDeliveryItem?$filter=ReferenceSDDocument%20eq%20'{sales_order}'")["results"]
        numbers = sorted({i["DeliveryDocument"] for i in items})
        return [self.s4_get(f"{DLV}/A_OutbDeliveryHeader('{n}')?$expand=to_DeliveryDocumentItem,to_DeliveryDocumentText")
                for n in numbers]

    def sales_order_items(self, sales_order: str) -> dict[str, dict[str, Any]]:
        return {i["SalesOrderItem"]: i for i in self.s4_get(f"{SO}/A_SalesOrder('{sales_order}')/to_Item")["results"]}

    def mpls(self, flow: str) -> list[str]:
        return [r.status for r in sorted(self.sink.for_flow(flow), key=lambda r: r.begun)]

    def records(self, flow: str):
        return sorted(self.sink.for_flow(flow), key=lambda r: r.begun)

    def queue(self, name: str, status: str = "dead") -> list:
        return self.runtime.broker.messages(name, status) if status else self.runtime.broker.messages(name)

    def close(self) -> None:
        self.runtime.close()
        for server in self._servers:
            server.stop()
        self.bwp_service.close()


def texts(delivery: dict[str, Any]) -> dict[str, str]:
    return {t["TextElement"]: t["TextElementText"] for t in delivery["to_DeliveryDocumentText"]["results"]}


def _parameter_names(zip_bytes: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        text = archive.read("src/main/resources/parameters.prop").decode("latin-1")
    names = set()
    for line in text.splitlines():
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].replace("\\ ", " ").replace("\\", ""))
    return names


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
