"""The local landscape end to end: `s4amz up` (cold and warm), messages per second through
HTTPS sender -> JMS queue -> flow -> HTTP call to the S/4HANA mock, and a contract-suite run.

    .venv/bin/python benchmarks/bench_e2e.py [messages]

Runs in a temporary test home built like tests/e2e's (the repository's specs plus the e2e fixture
flows); needs `make groovy`. One run on a noisy 2-core machine: quote ratios, not absolutes.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from e2e_landscape import Landscape, cli, make_home  # noqa: E402


def timed(label: str, action) -> float:
    began = time.perf_counter()
    action()
    seconds = time.perf_counter() - began
    print(f"{label:<58} {seconds:8.2f} s")
    return seconds


def main(messages: int = 200) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = make_home(Path(folder))
        cold = timed("s4amz up, cold (build + start + deploy all)", lambda: cli(home, "up", check=True))
        try:
            warm = timed("s4amz up, warm (everything running)", lambda: cli(home, "up", check=True))
            landscape = Landscape(home)
            landscape.wait_idle()
            landscape.reset()
            latencies: list[float] = []

            def post(n: int) -> None:
                began = time.perf_counter()
                answer = landscape.post_event("/s4amz/e2e/events", {"salesOrder": "5000001", "n": n})
                latencies.append(time.perf_counter() - began)
                assert answer.status_code == 200, answer.text

            post(-1)                                                  # warm the path once
            landscape.wait_idle()
            landscape.reset()
            began = time.perf_counter()
            with ThreadPoolExecutor(max_workers=4) as pool:
                list(pool.map(post, range(messages)))
            accepted = time.perf_counter() - began
            landscape.wait_idle(timeout=600)
            total = time.perf_counter() - began
            calls = len(landscape.requests_to("s4hana", "A_SalesOrder"))
            assert calls == messages, f"the mock saw {calls} calls for {messages} messages"
            latencies.sort()
            print(f"{'messages through HTTPS -> JMS -> flow -> S/4HANA mock':<58} {messages:8d}")
            print(f"{'  accepted by the HTTPS sender (4 clients)':<58} {messages / accepted:8.1f} msg/s")
            print(f"{'  delivered end to end (queue drained)':<58} {messages / total:8.1f} msg/s")
            print(f"{'  HTTPS sender answer p50 / p95':<58} {statistics.median(latencies) * 1000:6.1f} / "
                  f"{latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms")
            timed("s4amz test (whole suite: tests/contract + e2e fixtures)",
                  lambda: cli(home, "test", "tests/contract", "--report-dir", str(Path(folder) / "r")))
            print(f"{'ratio cold up / warm up':<58} {cold / warm:8.1f}x")
        finally:
            cli(home, "down")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
