"""Build time: the product's specs, then synthetic modules of 1x and 10x as many flows.

Prints the time to build every package in mappings/ (render, lint, zip, write), and the time per
flow for synthetic flows at 1x and 10x the product's flow count, so the growth can be read off:
a ratio near 1.0 means the build grows linearly with the number of flows.

    .venv/bin/python benchmarks/bench_build.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build_all  # noqa: E402

PACKAGE = """\
package: {id: Bench_Package, name: Bench package, version: 1.0.0, vendor: bench}
modified: "2026-01-01T00:00:00Z"
"""
FLOW = """\
  - id: Bench_Flow_{n}
    name: Bench flow {n}
    sender:
      https: {{address: "/bench/{n}"}}
    steps:
      - set: Prepare
        properties: {{order: {{xpath: /Order/Id}}, host: "{{{{Backend Host}}}}"}}
      - script: Map
        file: echo
      - call: Call backend
        to: Backend
        http: {{query: "id=${{property.order}}"}}
      - route: Outcome
        when:
          - name: Failed
            if: "${{property.status}} != 'OK'"
            steps:
              - error: Failed
          - name: Retry
            if: "${{property.retry}} = 'true'"
            steps:
              - process: Retry
                call: retry
        otherwise: {{name: OK}}
      - datastore: Remember
        operation: put
        store: Bench
        entry_id: "${{property.order}}"
      - json_to_xml: To XML
    on_error:
      steps:
        - script: Log
          file: echo
    processes:
      retry:
        name: Retry
        steps:
          - set: Mark
            properties: {{retried: "true"}}
"""


def synthetic_root(flows: int) -> Path:
    """A repository with one module of ``flows`` flows."""
    root = Path(tempfile.mkdtemp(prefix="bench-build-"))
    (root / "mappings").mkdir()
    (root / "mappings" / "package.yaml").write_text(PACKAGE)
    head = ("module: bench\nparameters:\n  Backend Host: https://backend.example\nreceivers:\n"
            "  Backend:\n    http: {address: \"{{Backend Host}}/api\", method: GET}\nflows:\n")
    (root / "mappings" / "bench.yaml").write_text(head + "".join(FLOW.format(n=i) for i in range(flows)))
    scripts = root / "groovy" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "echo.groovy").write_text("def Message processData(Message message) { message }\n")
    return root


def timed_build(root: Path, repeat: int) -> float:
    """Best wall time of ``repeat`` full builds (each from a clean output folder)."""
    best = float("inf")
    for _ in range(repeat):
        for out in ("iflows", "dist"):
            shutil.rmtree(root / out, ignore_errors=True)
        start = time.perf_counter()
        build_all(root)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    product = Path(tempfile.mkdtemp(prefix="bench-product-"))
    shutil.copytree(ROOT / "mappings", product / "mappings")
    shutil.copytree(ROOT / "groovy" / "scripts", product / "groovy" / "scripts")
    result = build_all(product)
    flows = sum(1 for a in result.artifacts if a.kind == "IntegrationFlow")
    product_time = timed_build(product, 5)
    print(f"product: {len(result.artifacts)} artifacts ({flows} iFlows) built in "
          f"{product_time * 1000:.0f} ms")
    small, large = synthetic_root(flows * 1), synthetic_root(flows * 10)
    t1, t10 = timed_build(small, 5), timed_build(large, 3)
    per1, per10 = t1 / flows, t10 / (flows * 10)
    print(f"synthetic 1x : {flows:4d} flows in {t1 * 1000:7.0f} ms = {per1 * 1000:6.1f} ms per flow")
    print(f"synthetic 10x: {flows * 10:4d} flows in {t10 * 1000:7.0f} ms = {per10 * 1000:6.1f} ms per flow")
    print(f"growth: time per flow at 10x / at 1x = {per10 / per1:.2f} (1.00 = linear)")
    for path in (product, small, large):
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    main()
