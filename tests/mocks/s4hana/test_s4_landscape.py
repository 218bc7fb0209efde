"""The landscape starts both S/4HANA mocks over one system, as configured in config/<env>.yaml."""

from __future__ import annotations

from pathlib import Path

import requests

from harness.config import Environment
from harness.mocks.landscape import start


def test_landscape_starts_odata_and_soap_over_one_system(tmp_path: Path) -> None:
    logon = {"system": "LANDSCAPE", "user": "S4AMZ_CPI", "password": "pw"}
    env = Environment("test", tmp_path / "test.yaml", {"mocks": {"services": {
        "s4hana": {"port": 0, **logon}, "s4hana_soap": {"port": 0, **logon}}}})
    landscape = start(env)
    try:
        odata, soap = landscape.urls["s4hana"], landscape.urls["s4hana_soap"]
        assert landscape.services["s4hana"].system is landscape.services["s4hana_soap"].system
        session = requests.Session()
        session.auth = ("S4AMZ_CPI", "pw")
        root = odata + "/sap/opu/odata/sap/API_CREDIT_MEMO_REQUEST_SRV/"
        token = session.get(root, headers={"X-CSRF-Token": "Fetch"}).headers["x-csrf-token"]
        created = session.post(root + "A_CreditMemoRequest", headers={"X-CSRF-Token": token, "Accept": "application/json"},
                               json={"CreditMemoRequestType": "CR", "ReferenceSDDocument": "90000101",
                                     "HeaderBillingBlockReason": "",
                                     "to_Item": [{"ReferenceSDDocumentItem": "10", "RequestedQuantity": "1"}]})
        number = created.json()["d"]["CreditMemoRequest"]
        envelope = f"""<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>
          <b:BDwReferenceRequest xmlns:b="http://sap.com/xi/SD-BIL"><MessageHeader>
          <CreationDateTime>2026-01-31T12:00:00Z</CreationDateTime></MessageHeader><ReferenceDocument>
          <ReferenceDocument>{number}</ReferenceDocument></ReferenceDocument></b:BDwReferenceRequest></e:Body></e:Envelope>"""
        assert session.post(soap + "/sap/bc/srt/scs_ext/sap/bdwreferencerequest_in", data=envelope).status_code == 202
        billing = session.get(odata + "/sap/opu/odata/sap/API_BILLING_DOCUMENT_SRV/A_BillingDocument"
                              "?$filter=BillingDocumentType eq 'G2'&$format=json").json()["d"]["results"]
        assert [b["SoldToParty"] for b in billing] == ["17100010"]
    finally:
        landscape.stop()
