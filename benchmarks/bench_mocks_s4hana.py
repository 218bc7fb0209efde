"""S/4HANA mock throughput over loopback HTTP, and the cost of seeding and of growth.

Prints requests per second and milliseconds per request for the calls flows make most (read one
sales order in JSON and Atom, a filtered and expanded query, a deep insert, a function-import
chain, a $batch changeset), then the same read after 500 more orders to show how the store grows,
and the time and peak memory of seeding one system.

    .venv/bin/python benchmarks/bench_mocks_s4hana.py
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.mocks.core import serve  # noqa: E402
from harness.mocks.s4hana import S4HanaOData  # noqa: E402
from harness.mocks.s4hana.models import S4System  # noqa: E402

USER, PASSWORD = "BENCH", "bench"
ORDER = {"SalesOrderType": "OR1", "SalesOrganization": "1710", "DistributionChannel": "10", "OrganizationDivision": "00",
         "SoldToParty": "17100010", "PurchaseOrderByCustomer": "BENCH",
         "to_Text": [{"Language": "EN", "LongTextID": "0001", "LongText": "BENCH"}],
         "to_Item": [{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}, {"Material": "MZ-FG-C900", "RequestedQuantity": "1"}]}
BATCH = ("--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
         "--c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
         "POST A_MaterialDocumentHeader HTTP/1.1\r\nContent-Type: application/json\r\nAccept: application/json\r\n\r\n"
         '{"GoodsMovementCode":"05","to_MaterialDocumentItem":[{"Material":"MZ-FG-H100","Plant":"1710",'
         '"StorageLocation":"171A","GoodsMovementType":"561","QuantityInEntryUnit":"1"}]}\r\n'
         "--c--\r\n--b--\r\n").encode()


def measure(name: str, count: int, call: Callable[[], requests.Response], expected: int) -> None:
    call()  # warm up
    start = time.perf_counter()
    for _ in range(count):
        response = call()
        assert response.status_code == expected, response.text[:300]
    elapsed = time.perf_counter() - start
    print(f"{name:<46} {count / elapsed:8.1f} req/s {1000 * elapsed / count:8.2f} ms/req")


def main() -> None:
    start = time.perf_counter()
    S4System("BENCH-SEED")
    seconds = time.perf_counter() - start
    tracemalloc.start()
    S4System("BENCH-SEED-MEMORY")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{'seed one system':<46} {seconds * 1000:8.1f} ms   peak {peak / 1e6:6.1f} MB")

    server = serve(S4HanaOData({"system": "BENCH", "user": USER, "password": PASSWORD}))
    session = requests.Session()
    session.auth = (USER, PASSWORD)
    base = server.url + "/sap/opu/odata/sap/"
    so, dlv, mdoc = base + "API_SALES_ORDER_SRV/", base + "API_OUTBOUND_DELIVERY_SRV;v=2/", base + "API_MATERIAL_DOCUMENT_SRV/"
    token = session.head(so, headers={"X-CSRF-Token": "Fetch"}).headers["x-csrf-token"]
    json_h = {"Accept": "application/json", "X-CSRF-Token": token}
    try:
        measure("GET sales order (JSON)", 300, lambda: session.get(so + "A_SalesOrder('5000001')", headers=json_h), 200)
        measure("GET sales order (Atom)", 300, lambda: session.get(so + "A_SalesOrder('5000001')"), 200)
        query = so + "A_SalesOrder?$filter=SoldToParty eq '17100010' and OverallDeliveryStatus ne 'C'&$expand=to_Item,to_Partner"
        measure("GET $filter + $expand (JSON)", 200, lambda: session.get(query, headers=json_h), 200)
        measure("POST deep insert sales order", 100, lambda: session.post(so + "A_SalesOrder", json=ORDER, headers=json_h), 201)

        def ship() -> requests.Response:
            order = session.post(so + "A_SalesOrder", json=ORDER, headers=json_h).json()["d"]["SalesOrder"]
            created = session.post(dlv + "A_OutbDeliveryHeader", headers=json_h, json={"to_DeliveryDocumentItem": [
                {"ReferenceSDDocument": order, "ReferenceSDDocumentItem": "10"}]})
            number = created.json()["d"]["DeliveryDocument"]
            session.post(dlv + f"PickAllItems?DeliveryDocument='{number}'", headers={**json_h, "If-Match": "*"})
            return session.post(dlv + f"PostGoodsIssue?DeliveryDocument='{number}'", headers={**json_h, "If-Match": "*"})
        measure("order + delivery + pick + goods issue (5 calls)", 40, ship, 200)
        measure("$batch changeset (material document)", 100, lambda: session.post(
            mdoc + "$batch", data=BATCH, headers={"X-CSRF-Token": token, "Content-Type": "multipart/mixed; boundary=b"}), 202)
        for _ in range(500):
            session.post(so + "A_SalesOrder", json=ORDER, headers=json_h)
        measure("GET sales order (JSON) after +500 orders", 300,
                lambda: session.get(so + "A_SalesOrder('5000001')", headers=json_h), 200)
        measure("GET $filter + $expand after +500 orders", 50, lambda: session.get(query, headers=json_h), 200)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
