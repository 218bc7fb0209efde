"""Script host benchmark: per-call cost of the long-lived host against a JVM per call, and
throughput and peak heap of the FBA inventory mapping over a 100,000-SKU payload next to a bare
JsonSlurper parse of the same payload, on Groovy 2.4 and 4.0.

Run: .venv/bin/python benchmarks/bench_scripthost.py [--calls 2000] [--skus 100000]
This machine has 2 noisy cores: compare ratios within one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time

from harness.scripthost import ScriptHost, ScriptMessage, scripts_dir

SMALL = ("benchSmall.groovy", """import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

def Message processData(Message message) {
    def order = new JsonSlurper().parse(message.getBody(Reader))
    def writer = new StringWriter()
    new MarkupBuilder(writer).Order(id: order.id) {
        order.items.each { i -> Item(sku: i.sku, qty: i.qty) }
    }
    message.setHeader('items', order.items.size())
    message.setProperty('orderId', order.id)
    message.setBody(writer.toString())
    return message
}
""")

BARE_PARSE = ("benchBareParse.groovy", """import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def parsed = new JsonSlurper().parse(message.getBody(Reader))
    message.setProperty('count', parsed.payload.inventorySummaries.size())
    message.setBody('')
    return message
}
""")

SMALL_BODY = json.dumps({"id": "12345", "items": [{"sku": f"SAP-MAT-{i}", "qty": i} for i in range(5)]})


def inventory_payload(skus: int) -> tuple[str, str]:
    rng = random.Random(11)
    summaries = []
    for i in range(skus):
        fulfillable = rng.randint(0, 500)
        summaries.append({
            "asin": f"B0{i:08d}", "fnSku": f"X00{i:07d}", "sellerSku": f"SAP-MAT-{i:06d}", "condition": "NewItem",
            "productName": f"Product {i} – größe M", "lastUpdatedTime": "2026-07-01T10:15:00Z",
            "totalQuantity": fulfillable + 5, "stores": [],
            "inventoryDetails": {"fulfillableQuantity": fulfillable, "inboundWorkingQuantity": 0,
                                 "inboundShippedQuantity": 3, "inboundReceivingQuantity": 2,
                                 "reservedQuantity": {"totalReservedQuantity": 0}},
        })
    payload = json.dumps({"pagination": {}, "payload": {"granularity": {"granularityType": "Marketplace",
                                                                        "granularityId": "ATVPDKIKX0DER"},
                                                        "inventorySummaries": summaries}})
    stock = json.dumps({"stock": [{"sku": f"SAP-MAT-{i:06d}", "quantity": str(s["inventoryDetails"]["fulfillableQuantity"]
                                                                              + (i % 3 == 0)), "unit": "PC"}
                                  for i, s in enumerate(summaries)]})
    return payload, stock


def per_call(version: str, calls: int, fresh_jvms: int) -> dict:
    host = ScriptHost.shared(version)
    message = ScriptMessage(body=SMALL_BODY)
    host.run(SMALL, message=message)  # compile and warm
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        result = host.run(SMALL, message=message)
        times.append((time.perf_counter() - start) * 1000)
        assert result.exception is None
    times.sort()
    per_jvm = []
    for _ in range(fresh_jvms):
        start = time.perf_counter()
        with ScriptHost(version) as one:
            assert one.run(SMALL, message=message).exception is None
        per_jvm.append((time.perf_counter() - start) * 1000)
    return {
        "mean": statistics.fmean(times), "p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99)],
        "jvm_per_call": statistics.fmean(per_jvm), "jvm_per_call_min": min(per_jvm),
    }


def mapping(version: str, payload: str, stock: str, rounds: int = 3) -> dict:
    os.environ["S4AMZ_SCRIPTHOST_XMX"] = os.environ.get("BENCH_XMX", "3g")
    mapping_script = scripts_dir() / "amz" / "fbaInventoryToStockAdjustment.groovy"
    out = {}
    with ScriptHost(version, call_timeout=900) as host:
        for label, script, props in (("bare JsonSlurper parse", BARE_PARSE, {}),
                                     ("fbaInventoryToStockAdjustment", mapping_script, {"S4Stock": stock})):
            figures = []
            for _ in range(rounds):
                host.stats(gc=True, reset_peak=True)
                base = host.stats()["heapUsed"]
                start = time.perf_counter()
                result = host.run(script, message=ScriptMessage(body=payload.encode(), properties=props))
                wall = (time.perf_counter() - start) * 1000
                assert result.exception is None, result.exception
                peak = host.stats()["heapPeak"]
                figures.append({"run_ms": result.run_ms, "wall_ms": wall, "peak_mb": (peak - base) / 2**20,
                                "alloc_mb": result.allocated_bytes / 2**20,
                                "out": result.properties.get("StockAdjustmentCount", result.properties.get("count"))})
            out[label] = figures[-1]  # warm round
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--fresh-jvms", type=int, default=5)
    parser.add_argument("--skus", type=int, default=100_000)
    args = parser.parse_args()

    print(f"== per-call cost: small JSON->XML mapping, {args.calls} calls on one host vs {args.fresh_jvms} fresh JVMs")
    print(f"{'runtime':8} {'host mean':>10} {'p50':>8} {'p99':>8} {'JVM/call':>10} {'min':>8} {'ratio':>8}")
    for version in ("2.4", "4.0"):
        f = per_call(version, args.calls, args.fresh_jvms)
        print(f"{version:8} {f['mean']:8.2f}ms {f['p50']:6.2f}ms {f['p99']:6.2f}ms {f['jvm_per_call']:8.0f}ms "
              f"{f['jvm_per_call_min']:6.0f}ms {f['jvm_per_call'] / f['mean']:7.0f}x")
    ScriptHost.close_all()

    payload, stock = inventory_payload(args.skus)
    print(f"\n== {args.skus:,} SKUs: payload {len(payload) / 2**20:.1f} MB, S/4 stock property {len(stock) / 2**20:.1f} MB "
          "(warm round of 3; peak = heap peak above the post-GC baseline)")
    print(f"{'runtime':8} {'script':32} {'run':>9} {'SKU/s':>10} {'peak heap':>10} {'allocated':>10} {'out':>7}")
    for version in ("2.4", "4.0"):
        for label, f in mapping(version, payload, stock).items():
            rate = args.skus / (f["run_ms"] / 1000)
            print(f"{version:8} {label:32} {f['run_ms']:7.0f}ms {rate:10,.0f} {f['peak_mb']:8.0f}MB "
                  f"{f['alloc_mb']:8.0f}MB {f['out']:>7}")


if __name__ == "__main__":
    main()
