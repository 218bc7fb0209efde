"""Amazon mocks benchmark: requests per second through a real loopback server for the calls the
flows make most (LWA token, SP-API inventory page and MCF order read, BwP createOrder and order
query), the share of that time spent on contract checks, and event delivery latency.

Run: .venv/bin/python benchmarks/bench_mocks_amazon.py [--calls 300]
This machine has 2 noisy cores: compare ratios within one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from typing import Any, Callable

import requests
from werkzeug.wrappers import Request, Response

from harness.mocks import bwp, lwa, spapi
from harness.mocks.bwp.events import parse_subscription
from harness.mocks.core import serve
from harness.mocks.spapi import contract

KEY = "bench-key"
SUMMARIES = "/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER&details=true"
CREATE = """mutation($in: CreateOrderInput!) { createOrder(input: $in) { order { id packageInformation { summary { state } } } } }"""
QUERY = """query($id: String!) { order(orderIdentifier: {orderId: $id}) { id lineItems { id amount { value } }
  packageInformation { details { state packageTracker { milestones { status { code } } } } } } }"""


def rate(label: str, calls: int, action: Callable[[int], Any]) -> float:
    started = time.perf_counter()
    for n in range(calls):
        action(n)
    elapsed = time.perf_counter() - started
    print(f"{label:<46} {calls / elapsed:8.0f} req/s  ({elapsed / calls * 1000:.2f} ms/req)")
    return calls / elapsed


def order(n: int) -> dict[str, Any]:
    return {"lineItems": [{"product": {"identifier": {"sku": "H100-HELMET"}},
                           "amount": {"value": 1},
                           "selectedDeliveryOffer": {"details": {"id": "o", "deliveryPreviewId": "p",
                                                                 "deliveryProvider": "AMAZON",
                                                                 "deliveryTerms": {"isPrimeEligible": True}}}}],
            "recipient": {"deliveryAddress": {"streetAddress": "1 Main St", "countryCode": "US"}},
            "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": f"B{n}"}], "desiredExecutionState": "STARTED"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    calls = parser.parse_args().calls
    lwa_service = lwa.create({"token_key": KEY, "clients": [{"client_id": "c", "client_secret": "s",
                                                               "refresh_tokens": ["Atzr|r"]}]})
    sp_service = spapi.create({"token_key": KEY, "throttle": False})
    bwp_service = bwp.create({"clients": [{"client_id": "b", "client_secret": "s"}]})
    servers = [serve(lwa_service), serve(sp_service), serve(bwp_service)]
    lwa_url, sp_url, bwp_url = (s.url for s in servers)
    session = requests.Session()
    form = {"grant_type": "refresh_token", "refresh_token": "Atzr|r", "client_id": "c", "client_secret": "s"}
    try:
        rate("LWA token (refresh grant)", calls, lambda n: session.post(lwa_url + "/auth/o2/token", data=form))
        token = session.post(lwa_url + "/auth/o2/token", data=form).json()["access_token"]
        headers = {"x-amz-access-token": token}
        checked = rate("SP-API getInventorySummaries, details", calls,
                       lambda n: session.get(sp_url + SUMMARIES, headers=headers))
        original = contract.response_problems
        contract.response_problems = lambda *a, **k: []  # type: ignore[assignment]
        unchecked = rate("  same, response contract check off", calls,
                         lambda n: session.get(sp_url + SUMMARIES, headers=headers))
        contract.response_problems = original  # type: ignore[assignment]
        print(f"{'  response check share of a request':<46} {max(0.0, 1 - checked / unchecked):8.0%}")
        body = {"sellerFulfillmentOrderId": "BENCH-1", "displayableOrderId": "1", "displayableOrderDate": "2026-07-01T00:00:00Z",
                "displayableOrderComment": "x", "shippingSpeedCategory": "Standard",
                "destinationAddress": {"name": "J", "addressLine1": "1", "city": "Seattle", "postalCode": "98109",
                                       "countryCode": "US"},
                "items": [{"sellerSku": "H100-HELMET", "sellerFulfillmentOrderItemId": "1", "quantity": 1}]}
        session.post(sp_url + "/fba/outbound/2020-07-01/fulfillmentOrders", json=body, headers=headers)
        rate("SP-API getFulfillmentOrder", calls,
             lambda n: session.get(sp_url + "/fba/outbound/2020-07-01/fulfillmentOrders/BENCH-1", headers=headers))
        bwp_token = session.post(bwp_url + "/token", data={"grant_type": "client_credentials"}, auth=("b", "s")).json()["access_token"]
        gql = {"Authorization": f"Bearer {bwp_token}", "x-api-version": "2024-11-01", "x-api-target-id": "bp-s4amz-local-0001"}
        bwp_service.backend.products["4471950005"].buyable = 10 ** 9
        ids: list[str] = []
        rate("BwP createOrder (GraphQL, validated)", calls, lambda n: ids.append(session.post(
            bwp_url + "/graphql", json={"query": CREATE, "variables": {"in": order(n)}}, headers=gql).json()
            ["data"]["createOrder"]["order"]["id"]))
        rate("BwP order query (GraphQL, validated)", calls, lambda n: session.post(
            bwp_url + "/graphql", json={"query": QUERY, "variables": {"id": ids[n % len(ids)]}}, headers=gql))
        latency(bwp_service, ids, min(calls, 100))
    finally:
        for server in servers:
            server.stop()
        bwp_service.close()


def latency(service: Any, ids: list[str], events: int) -> None:
    arrivals: dict[str, float] = {}
    done = threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        payload = Request(environ).get_json(force=True)
        arrivals[payload["detail"]["resources"][0]] = time.perf_counter()
        if len(arrivals) >= events:
            done.set()
        return Response("ok")(environ, start_response)

    receiver = serve(app)
    try:
        service.events.subscribe(parse_subscription({"url": receiver.url, "event_types": ["PACKAGE_DELIVERY_IN_TRANSIT"]}))
        sent: dict[str, float] = {}
        for order_id in ids[:events]:
            with service.lock:
                the_order = service.backend.orders[order_id]
                service.backend.advance(the_order, "in_transit", {})
                resource = service.events.events[-1]["resource"]
            sent[resource] = time.perf_counter()
        done.wait(30)
        waits = sorted((arrivals[r] - sent[r]) * 1000 for r in sent if r in arrivals)
        print(f"{'BwP event delivery latency (median / p95)':<46} {statistics.median(waits):6.1f} / "
              f"{waits[int(len(waits) * 0.95) - 1]:.1f} ms over {len(waits)} events")
    finally:
        receiver.stop()


if __name__ == "__main__":
    main()
