"""``$batch``: retrieve parts, atomic changesets (rollback on failure), Content-ID references,
and the material-document post SAP's stock flow sends in a changeset."""

from __future__ import annotations

import json
import re
from typing import Any

from harness.mocks.s4hana.batch import parse_batch, split_multipart

STOCK = "API_MATERIAL_STOCK_SRV"
MDOC = "API_MATERIAL_DOCUMENT_SRV"
SO = "API_SALES_ORDER_SRV"


def http_part(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> str:
    lines = [f"{method} {url} HTTP/1.1"]
    payload = ""
    headers = dict(headers or {})
    if body is not None:
        payload = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    headers.setdefault("Accept", "application/json")
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" + "\r\n".join(lines) + \
        "\r\n\r\n" + payload + "\r\n"


def batch_body(*parts: str | list[str]) -> tuple[str, bytes]:
    chunks = []
    for index, part in enumerate(parts):
        chunks.append("--batch_1\r\n")
        if isinstance(part, list):
            inner = "".join(f"--changeset_{index}\r\n{p}" for p in part) + f"--changeset_{index}--\r\n"
            chunks.append(f"Content-Type: multipart/mixed; boundary=changeset_{index}\r\n\r\n{inner}")
        else:
            chunks.append(part)
    chunks.append("--batch_1--\r\n")
    return "multipart/mixed; boundary=batch_1", "".join(chunks).encode()


def responses(response: Any) -> list[list[tuple[int, str]]]:
    """Statuses and bodies of a batch response: one list per part (a changeset has several)."""
    assert response.status_code == 202, response.text
    boundary = re.search(r"boundary=(\S+)", response.headers["Content-Type"]).group(1)
    result = []
    for part in split_multipart(response.content, boundary):
        head, _, rest = part.partition(b"\r\n\r\n")
        if b"multipart/mixed" in head:
            inner_boundary = re.search(rb"boundary=(\S+)", head).group(1).decode()
            result.append([_http(p.partition(b"\r\n\r\n")[2]) for p in split_multipart(rest, inner_boundary)])
        else:
            result.append([_http(rest)])
    return result


def _http(raw: bytes) -> tuple[int, str]:
    status = int(raw.split(b" ", 2)[1])
    return status, raw.partition(b"\r\n\r\n")[2].decode()


def stock(s4: Any, material: str) -> str:
    client = s4.client(STOCK)
    rows = client.d(client.get("A_MatlStkInAcctMod", params={
        "$filter": f"Material eq '{material}' and Plant eq '1710' and StorageLocation eq '171A' and "
                   "InventoryStockType eq '01' and SDDocument eq ''"}))["results"]
    return rows[0]["MatlWrhsStkQtyInMatlBaseUnit"]


def material_document(material: str, movement: str, quantity: str) -> dict[str, Any]:
    return {"GoodsMovementCode": "05", "to_MaterialDocumentItem": {"results": [{
        "Material": material, "Plant": "1710", "StorageLocation": "171A", "GoodsMovementType": movement,
        "QuantityInEntryUnit": quantity, "EntryUnit": "PC"}]}}


def test_retrieve_and_changeset_in_one_batch(s4: Any) -> None:
    client = s4.client(MDOC)
    content_type, body = batch_body(
        http_part("GET", "A_MaterialDocumentHeader?$top=1"),
        [http_part("POST", "A_MaterialDocumentHeader", material_document("MZ-FG-C900", "561", "5")),
         http_part("POST", "A_MaterialDocumentHeader", material_document("MZ-FG-M500", "711", "2"))])
    parts = responses(client.post("$batch", body, headers={"Content-Type": content_type}))
    assert [[status for status, _ in part] for part in parts] == [[200], [201, 201]]
    created = json.loads(parts[1][0][1])["d"]
    assert created["GoodsMovementCode"] == "05" and created["MaterialDocument"].startswith("49")
    assert stock(s4, "MZ-FG-C900") == "124.00000000000000"   # 119 (seed shipped 1 of 120) + 5 (561)
    assert stock(s4, "MZ-FG-M500") == "78.00000000000000"    # 80 - 2 (711)


def test_failing_changeset_is_rolled_back_completely(s4: Any) -> None:
    client = s4.client(MDOC)
    documents_before = len(s4.rows(MDOC, "A_MaterialDocumentHeader"))
    content_type, body = batch_body([
        http_part("POST", "A_MaterialDocumentHeader", material_document("MZ-FG-C900", "561", "5")),
        http_part("POST", "A_MaterialDocumentHeader", material_document("MZ-FG-R100", "711", "4"))])  # stock is 3
    parts = responses(client.post("$batch", body, headers={"Content-Type": content_type}))
    assert len(parts) == 1 and len(parts[0]) == 1          # one error response instead of the changeset
    status, text = parts[0][0]
    assert status == 400 and json.loads(text)["error"]["code"] == "M7/021"
    assert "Deficit of SL Unrestricted-use 1 PC : MZ-FG-R100 1710 171A" in text
    assert stock(s4, "MZ-FG-C900") == "119.00000000000000"   # the first post was undone
    assert len(s4.rows(MDOC, "A_MaterialDocumentHeader")) == documents_before


def test_independent_changesets_succeed_or_fail_on_their_own(s4: Any) -> None:
    client = s4.client(MDOC)
    content_type, body = batch_body(
        [http_part("POST", "A_MaterialDocumentHeader", material_document("MZ-FG-C900", "561", "1"))],
        [http_part("POST", "A_MaterialDocumentHeader", material_document("MZ-FG-C900", "999", "1"))])
    parts = responses(client.post("$batch", body, headers={"Content-Type": content_type}))
    assert [part[0][0] for part in parts] == [201, 400]
    assert "Movement type 999" in parts[1][0][1]
    assert stock(s4, "MZ-FG-C900") == "120.00000000000000"


def test_content_id_references_and_if_match_inside_a_changeset(s4: Any) -> None:
    client = s4.client(SO)
    order = {"SalesOrderType": "OR", "SalesOrganization": "1710", "DistributionChannel": "10",
             "OrganizationDivision": "00", "SoldToParty": "17100002",
             "to_Item": [{"Material": "MZ-FG-H100", "RequestedQuantity": "1"}]}
    etag = client.etag("A_SalesOrder('5000006')")
    content_type, body = batch_body([
        http_part("POST", "A_SalesOrder", order, {"Content-ID": "1"}),
        http_part("POST", "$1/to_Text", {"Language": "EN", "LongTextID": "0001", "LongText": "via content id"}),
        http_part("PATCH", "A_SalesOrder('5000006')", {"DeliveryBlockReason": "01"}, {"If-Match": etag})])
    parts = responses(client.post("$batch", body, headers={"Content-Type": content_type}))
    assert [status for status, _ in parts[0]] == [201, 201, 204]
    text = json.loads(parts[0][1][1])["d"]
    assert text["SalesOrder"] == "5000101" and text["LongText"] == "via content id"
    assert client.d(client.get("A_SalesOrder('5000006')"))["DeliveryBlockReason"] == "01"


def test_stale_etag_in_a_changeset_fails_it(s4: Any) -> None:
    client = s4.client(SO)
    stale = client.etag("A_SalesOrder('5000006')")
    client.patch("A_SalesOrder('5000006')", {"CustomerPaymentTerms": "0002"}, etag=stale)
    content_type, body = batch_body([
        http_part("POST", "A_SalesOrderText", {"SalesOrder": "5000006", "LongTextID": "Z009", "LongText": "x"}),
        http_part("PATCH", "A_SalesOrder('5000006')", {"DeliveryBlockReason": "01"}, {"If-Match": stale})])
    parts = responses(client.post("$batch", body, headers={"Content-Type": content_type}))
    assert parts[0][0][0] == 412
    assert not [t for t in s4.rows(SO, "A_SalesOrderText") if t["LongTextID"] == "Z009"]


def test_batch_needs_the_csrf_token_and_rejects_writes_outside_changesets(s4: Any) -> None:
    client = s4.client(SO)
    content_type, body = batch_body(http_part("POST", "A_SalesOrderText", {"SalesOrder": "5000006", "LongTextID": "Z1"}))
    no_token = client.session.post(client.root + "$batch", data=body, headers={"Content-Type": content_type})
    assert no_token.status_code == 403
    parts = responses(client.post("$batch", body, headers={"Content-Type": content_type}))
    assert parts[0][0][0] == 400 and "must be inside a changeset" in parts[0][0][1]
    unclosed = client.post("$batch", b"--batch_1\r\n", headers={"Content-Type": content_type})
    assert unclosed.status_code == 400 and "not closed" in unclosed.text


def test_parser_reads_lf_only_bodies_and_absolute_urls() -> None:
    body = ("--b\nContent-Type: application/http\n\nGET /sap/opu/odata/sap/X/A_Y HTTP/1.1\nAccept: application/json\n\n\n"
            "--b--\n").encode()
    [part] = parse_batch("multipart/mixed; boundary=b", body)
    assert part.method == "GET" and part.url == "/sap/opu/odata/sap/X/A_Y" and part.headers["Accept"] == "application/json"
