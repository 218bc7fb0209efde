"""Fulfill with Amazon end to end, in-process: sales orders per second from S/4HANA's replication
message to a Buy with Prime order with its ids written back, and what each order costs in calls.

The module's packages are built from the specs and run in the emulator's runtime against the mocks
on loopback (HTTP, the Groovy script host, the JMS queue, MPLs): one SalesOrderBulkReplication with
N orders (two lines each) is posted to the SOAP flow, then the clock runs until the queue is empty.
Usage: ``.venv/bin/python benchmarks/bench_fulfillment.py [orders]``. On a noisy 2-core machine,
quote ratios from one run; the tenant's own speed differs (network latency dominates there).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "contract" / "fulfillment"))

import requests  # noqa: E402

from fulfill_inprocess import FulfillmentWorld, build_packages  # noqa: E402

ITEMS = [{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}, {"Material": "MZ-FG-C900", "RequestedQuantity": "1"}]


def calls(world: FulfillmentWorld, mock: str) -> int:
    return len(requests.get(world.urls[mock] + "/__mock__/requests", timeout=30).json())


def main(orders: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        artifacts = build_packages(Path(tmp) / "home")
        world = FulfillmentWorld(Path(tmp) / "state", artifacts)
        ready = time.perf_counter() - began
        try:
            requests.post(world.urls["bwp"] + "/__mock__/inventory/H100-HELMET", json={"buyable": 10 * orders + 10}, timeout=30)
            requests.post(world.urls["bwp"] + "/__mock__/inventory/C900-BIKE", json={"buyable": 10 * orders + 10}, timeout=30)
            warm = world.create_order(ITEMS)                       # JVM, compiled scripts, tokens, metadata
            world.replicate(warm)
            world.idle()
            numbers = [world.create_order(ITEMS) for _ in range(orders)]
            s4_before, bwp_before = calls(world, "s4hana"), calls(world, "bwp")
            start = time.perf_counter()
            assert world.replicate(*numbers) == 200
            world.idle()
            seconds = time.perf_counter() - start
            created = [o for o in world.bwp_orders().values()
                       if any(a["aliasId"] in numbers for a in o["aliases"] if a["aliasType"] == "EXTERNAL_ID")]
            statuses = [m.status for m in world.mpls("S4AMZ_Process_Fulfillment_Order")]
            assert len(created) == orders, f"{len(created)} of {orders} orders created"
            assert statuses.count("COMPLETED") == orders + 1, statuses
            s4_calls, bwp_calls = calls(world, "s4hana") - s4_before, calls(world, "bwp") - bwp_before
        finally:
            world.close()
    print(f"build + deploy of the module's packages: {ready:.1f} s")
    print(f"{orders} orders (2 lines each) from one replication message to Amazon and back: {seconds:.2f} s")
    print(f"  {orders / seconds:.1f} orders/s, {1000 * seconds / orders:.0f} ms per order (one JMS consumer)")
    print(f"  per order: {s4_calls / orders:.1f} S/4HANA calls (reads, CSRF, 3 text writes), "
          f"{bwp_calls / orders:.1f} Buy with Prime calls (token cached: query, createOrder)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
