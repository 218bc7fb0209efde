"""Fixtures for the Amazon mocks: real servers on loopback, tokens from the LWA mock, a receiver."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pytest
import requests
from werkzeug.wrappers import Request, Response

from harness.mocks import bwp, lwa, spapi
from harness.mocks.core import serve

TOKEN_KEY = "test-token-key"
CLIENT_ID = "amzn1.application-oa2-client.test"
CLIENT_SECRET = "test-client-secret"
REFRESH_TOKEN = "Atzr|test-refresh-token"
SELLER = "A1S4AMZSELLER"
BWP_CLIENT = ("bwp-test-client", "bwp-test-secret")
TARGET = "bp-s4amz-local-0001"


@dataclass
class Running:
    """A mock service and the URL it listens on."""

    service: Any
    url: str

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.url + path, timeout=10, **kwargs)


def _serve(service: Any) -> Iterator[Running]:
    server = serve(service)
    try:
        yield Running(service, server.url)
    finally:
        server.stop()
        service.close()


def _fresh(running: Running) -> Running:
    """The shared server, back to its seeded state (requests, faults, clock and data forgotten)."""
    assert running.control("POST", "/__mock__/reset").status_code == 200
    return running


@pytest.fixture(scope="session")
def _lwa_server() -> Iterator[Running]:
    yield from _serve(lwa.create({"token_key": TOKEN_KEY, "clients": [
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
         "refresh_tokens": [{"token": REFRESH_TOKEN, "selling_partner_id": SELLER}]}]}))


@pytest.fixture(scope="session")
def _spapi_server() -> Iterator[Running]:
    yield from _serve(spapi.create({"token_key": TOKEN_KEY, "report_queue_seconds": 1,
                                    "report_processing_seconds": 1}))


@pytest.fixture(scope="session")
def _bwp_server() -> Iterator[Running]:
    yield from _serve(bwp.create({"clients": [{"client_id": BWP_CLIENT[0], "client_secret": BWP_CLIENT[1]}],
                                  "cancellation_delay": 2, "retry_delays": [0.05, 0.1]}))


@pytest.fixture()
def lwa_mock(_lwa_server: Running) -> Running:
    return _fresh(_lwa_server)


@pytest.fixture()
def spapi_mock(_spapi_server: Running) -> Running:
    return _fresh(_spapi_server)


@pytest.fixture()
def bwp_mock(_bwp_server: Running) -> Running:
    return _fresh(_bwp_server)


@pytest.fixture()
def access_token(lwa_mock: Running) -> str:
    """An LWA access token for the test seller."""
    response = requests.post(lwa_mock.url + "/auth/o2/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture()
def sp(spapi_mock: Running, access_token: str) -> "SpClient":
    return SpClient(spapi_mock.url, access_token)


class SpClient:
    """A tiny SP-API caller with the token header set."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["x-amz-access-token"] = token

    def __call__(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.url + path, timeout=10, **kwargs)


@dataclass
class Receiver:
    """An HTTP endpoint that records what it receives; it can fail the first N requests."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_first: int = 0
    status_when_failing: int = 503
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        with self.lock:
            self.calls += 1
            failing = self.calls <= self.fail_first
            if not failing:
                self.received.append({"path": request.path, "headers": dict(request.headers),
                                      "json": request.get_json(force=True, silent=True)})
        response = Response("no", status=self.status_when_failing) if failing else Response("ok")
        return response(environ, start_response)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        with self.lock:
            raise AssertionError(f"expected {count} deliveries, got {len(self.received)}: "
                                 f"{[r['json'] for r in self.received]}")

    def types(self) -> list[str]:
        """Event types received, in arrival order (envelope or webhook form)."""
        with self.lock:
            return [(r["json"].get("detail-type") or r["json"].get("eventDescriptor")) for r in self.received]


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    recv = Receiver()
    server = serve(recv.app)
    recv.url = server.url + "/events"
    try:
        yield recv
    finally:
        server.stop()


@pytest.fixture()
def bwp_token(bwp_mock: Running) -> str:
    response = requests.post(bwp_mock.url + "/token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": BWP_CLIENT[0], "client_secret": BWP_CLIENT[1]})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


class GraphQL:
    """Posts GraphQL requests with the three required headers."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}", "x-api-version": "2024-11-01", "x-api-target-id": TARGET}

    def __call__(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> requests.Response:
        return requests.post(self.url + "/graphql", json={"query": query, "variables": variables or {}},
                             headers={**self.headers, **headers}, timeout=10)

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self(query, variables)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]


@pytest.fixture()
def gql(bwp_mock: Running, bwp_token: str) -> GraphQL:
    return GraphQL(bwp_mock.url, bwp_token)


CREATE_ORDER = """
mutation Create($input: CreateOrderInput!) {
  createOrder(input: $input) {
    order { id aliases { aliasType aliasId } metadata { executionState }
            lineItems { id amount { value } product { sku } }
            packageInformation { summary { state } details { id state } } }
  }
}"""


def order_input(alias: str = "5000001", sku: str = "C900-BIKE", quantity: int = 1, started: bool = True,
                extra_lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A valid createOrder input for an Amazon-fulfilled Prime line."""
    line = {"product": {"identifier": {"sku": sku}, "title": sku, "price": {"amount": 1200.0, "currencyCode": "USD"}},
            "amount": {"value": quantity},
            "selectedDeliveryOffer": {"details": {"id": "5060887210", "deliveryPreviewId": "SIP-8676502-0261200",
                                                  "deliveryProvider": "AMAZON",
                                                  "deliveryTerms": {"isPrimeEligible": True, "deliverySpeed": "STANDARD"}}}}
    return {"lineItems": [line, *(extra_lines or [])],
            "customer": {"contact": {"emailData": {"name": "Jane Doe", "email": "jane@example.com"}}},
            "recipient": {"deliveryAddress": {"name": "Jane Doe", "streetAddress": "410 Terry Ave N",
                                              "locality": "Seattle", "region": "WA", "countryCode": "US",
                                              "postalCode": "98109"}},
            "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": alias}],
            "desiredExecutionState": "STARTED" if started else "NOT_STARTED"}
