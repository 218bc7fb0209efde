"""Runtime throughput: messages per second through a three-step flow, and the cost of one step.

Runs in-process (``Runtime.handle_http``, no HTTP server, no receiver) so the figures are the
interpreter's own: parse, route, Content Modifier with Simple and XPath, router, converter, MPL.
Usage: ``.venv/bin/python benchmarks/bench_runtime.py [messages]``. On a noisy 2-core machine,
quote ratios from one run.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "runtime"))

from builder import FlowBuilder, https_sender  # noqa: E402

from harness.emulator.runtime import InMemoryMplSink, Runtime  # noqa: E402
from harness.emulator.runtime_port import Principal  # noqa: E402

PRINCIPAL = Principal("bench", frozenset({"ESBMessaging.send"}))
BODY = json.dumps({"order": {"id": "4711", "items": [{"sku": f"S{i}", "qty": i} for i in range(5)]}}).encode()


class NullSink(InMemoryMplSink):
    """Keeps nothing: the benchmark measures the interpreter, not the log store."""

    def mpl_step(self, *args) -> None:
        pass

    def mpl_end(self, mpl_id, status, error_text) -> None:
        self.records.pop(mpl_id, None)


def three_step_flow() -> bytes:
    b = FlowBuilder("Bench3")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    to_xml = p.generic("JsonToXmlConverter", "1.1.2", addXMLRootElement="false")
    cm = p.content_modifier(headers=[{"Action": "Create", "Type": "xpath", "Value": "/order/id", "Name": "orderId",
                                      "Datatype": "java.lang.String"}],
                            properties=[{"Action": "Create", "Type": "expression",
                                         "Value": "${header.orderId}-${date:now:yyyyMMdd}", "Name": "key"}])
    gw = p.router()
    ok = p.content_modifier(body="${property.key}", body_type="expression")
    p.chain(start, to_xml, cm, gw)
    p.route(gw, ok, "${header.orderId} != ''")
    p.route(gw, end, None, default=True)
    p.chain(ok, end)
    b.sender(start, https_sender("/bench3"))
    return b.zip()


def n_step_flow(n: int) -> bytes:
    b = FlowBuilder(f"Steps{n}")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    steps = [p.content_modifier(headers=[{"Action": "Create", "Type": "constant", "Value": "v", "Name": f"h{i}"}])
             for i in range(n)]
    p.chain(start, *steps, end)
    b.sender(start, https_sender(f"/steps{n}"))
    return b.zip()


def measure(runtime: Runtime, path: str, count: int) -> float:
    for _ in range(min(50, count)):
        runtime.handle_http("POST", path, {"Content-Type": "application/json"}, BODY, PRINCIPAL)
    started = time.perf_counter()
    for _ in range(count):
        status, _, _ = runtime.handle_http("POST", path, {"Content-Type": "application/json"}, BODY, PRINCIPAL)
        assert status == 200, status
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as state:
        runtime = Runtime(state, NullSink())
        runtime.deploy("Bench3", "1", three_step_flow())
        for n in (1, 21):
            runtime.deploy(f"Steps{n}", "1", n_step_flow(n))
        elapsed = measure(runtime, "/http/bench3", count)
        print(f"three-step flow (JSON->XML, Content Modifier with XPath + Simple, router, body): "
              f"{count / elapsed:,.0f} messages/s ({elapsed / count * 1e6:,.0f} us per message, {count} messages)")
        one = measure(runtime, "/http/steps1", count)
        many = measure(runtime, "/http/steps21", count)
        per_step = (many - one) / count / 20
        print(f"flow with 1 Content Modifier: {one / count * 1e6:,.0f} us per message "
              f"(sender, exchange, MPL begin/end, one step)")
        print(f"emulator overhead per step: {per_step * 1e6:,.1f} us "
              f"(21-step vs 1-step flow, constant-header Content Modifiers, MPL step records included)")
        runtime.close()


if __name__ == "__main__":
    main()
