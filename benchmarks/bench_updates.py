"""Amazon fulfillment updates: how fast package events become S/4HANA deliveries.

In process: the module's five flows in the emulator's runtime, the Buy with Prime and S/4HANA mocks
on loopback (tests/contract/fulfillment-updates/updates_landscape.py). N sales orders are created in
S/4HANA and Buy with Prime, then Amazon ships them all: N PACKAGE_DELIVERY_IN_TRANSIT events go
through intake -> queue -> dispatcher -> in-transit flow (delivery, picking, goods issue, texts).

Prints the intake's answer time (what Amazon waits for), the end-to-end events per second with the
one JMS consumer the dispatcher has, and the S/4HANA and Buy with Prime calls per event.
Usage: ``.venv/bin/python benchmarks/bench_updates.py [events]`` (default 30). On a noisy 2-core
machine, quote ratios from one run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "contract" / "fulfillment-updates"))

from updates_landscape import Landscape, build_packages  # noqa: E402


def _sales_order(world: Landscape) -> str:
    answer = requests.post(world.s4 + "/__mock__/actions/create_sales_order", timeout=30, json={"order": {
        "SalesOrderType": "OR1", "SalesOrganization": "1710", "DistributionChannel": "10",
        "OrganizationDivision": "00", "SoldToParty": "17100010",
        "to_Item": {"results": [{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}]}}})
    answer.raise_for_status()
    body = answer.json()
    return str(body.get("SalesOrder") or body.get("sales_order") or body["d"]["SalesOrder"])


def main(events: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        packages = build_packages(Path(tmp) / "build")
        world = Landscape(packages, Path(tmp) / "state")
        try:
            world.unsubscribe()
            orders = []
            for _ in range(events):
                sales_order = _sales_order(world)
                orders.append(world.create_order(sales_order, [("H100-HELMET", 1, "10")]))
            s4_before, bwp_before = len(world.s4_requests()), len(requests.get(world.bwp + "/__mock__/requests").json())
            for order in orders:
                world.advance(order, "in_transit")
            bodies = [world.webhook_detail(e) for e in world.bwp_state()["events"]
                      if e["eventType"] == "PACKAGE_DELIVERY_IN_TRANSIT"]
            answers = []
            began = time.perf_counter()
            for body in bodies:
                started = time.perf_counter()
                response = world.post_event(body)
                answers.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 202, response.text
            world.runtime.wait_idle(timeout=600)
            elapsed = time.perf_counter() - began
            done = [r for r in world.records("S4AMZ_Package_In_Transit") if r.status == "COMPLETED"]
            assert len(done) == events, [r.status for r in world.records("S4AMZ_Dispatch_Delivery_Events")]
            s4_calls = len(world.s4_requests()) - s4_before
            bwp_calls = len(requests.get(world.bwp + "/__mock__/requests").json()) - bwp_before
            answers.sort()
            print(f"events: {events} in-transit events, one delivery each (goods issue and 3 texts)")
            print(f"intake answer (202): p50 {statistics.median(answers):.1f} ms, "
                  f"p99 {answers[min(len(answers) - 1, int(len(answers) * 0.99))]:.1f} ms")
            print(f"end to end: {elapsed:.2f} s, {events / elapsed:.1f} events/s, {elapsed / events * 1000:.0f} ms per event "
                  "(one dispatcher consumer)")
            print(f"calls per event: S/4HANA {s4_calls / events:.1f} (incl. $metadata and CSRF fetches), "
                  f"Buy with Prime {bwp_calls / events:.1f} (incl. token)")
        finally:
            world.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
