"""The "Fulfill with Amazon" packages running in-process: built from the specs, deployed into the
emulator's runtime with the local landscape's mocks (Buy with Prime, S/4HANA OData and SOAP) on
loopback, with the credentials and value mappings a tenant would hold.

For the module's pytest checks that need more than a scenario file can say (extension points with
flows of their own, the parked-order record); the scenarios themselves run with ``s4amz test``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import requests

from harness.config import load_environment, local_secret
from harness.emulator.runtime import InMemoryMplSink, Runtime
from harness.emulator.runtime_port import Principal, SecurityMaterial
from harness.emulator.validation import value_mapping_pairs
from harness.mocks import landscape as mock_landscape
from harness.mocks.s4hana_soap.envelope import wrap
from harness.mocks.s4hana_soap.replication import build_sales_order_replication
from harness.paths import REPO_ROOT
from harness.tenant.artifact import load_dist

SENDER = Principal("s4amz-sender", frozenset({"ESBMessaging.send"}))
TARGET_ID = "bp-s4amz-local-0001"
ORDER = {"SalesOrderType": "OR1", "SalesOrganization": "1710", "DistributionChannel": "10",
         "OrganizationDivision": "00", "SoldToParty": "17100010"}


def build_packages(home: Path) -> list:
    """Build mappings/ and groovy/scripts/ of the checkout in ``home``; the artifacts of this module."""
    from generator.build import build_all

    shutil.copytree(REPO_ROOT / "mappings", home / "mappings")
    shutil.copytree(REPO_ROOT / "groovy" / "scripts", home / "groovy" / "scripts")
    build_all(home)
    return load_dist(home / "dist")


class FulfillmentWorld:
    """Mocks on loopback and a runtime with every package of the product deployed."""

    def __init__(self, state: Path, artifacts: list, extra: list[tuple[str, bytes]] = ()) -> None:
        env = load_environment("local", landscape={})
        self.mocks = mock_landscape.start(env, only=["bwp", "s4hana", "s4hana_soap"])
        self.urls = self.mocks.urls
        self.sink = InMemoryMplSink()
        self.runtime = Runtime(state, self.sink, time_scale=0.001)     # expiry model: far beyond Max Retries
        mappings = [e for a in artifacts if a.bundle_type == "ValueMapping" for e in value_mapping_pairs(a.id, a.content)]
        security = SecurityMaterial(
            user_credentials={"S4HANA_Technical_User": {"user": "S4AMZ_CPI", "password": local_secret("s4hana_password")}},
            oauth2_credentials={"BuyWithPrime_API": {"token_url": self.urls["bwp"] + "/token",
                                                     "client_id": "s4amz-local-bwp",
                                                     "client_secret": local_secret("bwp_client_secret")}})
        self.configuration = {"S4HANA Address": self.urls["s4hana"], "Amazon BwP Address": self.urls["bwp"] + "/graphql",
                              "Amazon BwP Target ID": TARGET_ID, "Max Retries": "3"}
        self.mappings, self.security = mappings, security
        try:
            for artifact in artifacts:
                if artifact.bundle_type == "IntegrationFlow":
                    self.deploy(artifact.id, artifact.content)
            for artifact_id, content in extra:
                self.runtime.deploy(artifact_id, "1.0.0", content, {}, mappings, security)
            self.runtime.start()
        except Exception:
            self.close()
            raise

    def deploy(self, artifact_id: str, content: bytes, **parameters: str) -> None:
        """(Re)deploy a package with the landscape's addresses and ``parameters`` on top."""
        known = {k: v for k, v in self.configuration.items()}
        self.runtime.deploy(artifact_id, "1.0.0", content, {**known, **parameters}, self.mappings, self.security)

    # --- S/4HANA ------------------------------------------------------------------------------
    def create_order(self, items: list[dict[str, Any]], **header: Any) -> str:
        response = requests.post(self.urls["s4hana"] + "/__mock__/actions/create_sales_order",
                                 json={"order": {**ORDER, **header, "to_Item": {"results": items}}}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()["sales_order"]

    def replicate(self, *orders: str) -> int:
        """S/4HANA sends SalesOrderBulkReplication for the orders to the SOAP flow; the HTTP status."""
        system = self.mocks.services["s4hana_soap"].system  # type: ignore[attr-defined]
        _, element = build_sales_order_replication(system, list(orders))
        status, _, _ = self.runtime.handle_http("POST", "/cxf/s4amz/sales-order-replication",
                                                {"Content-Type": "text/xml"}, wrap(element), SENDER)
        return status

    def texts(self, entity_set: str, order: str) -> dict[str, str]:
        rows = requests.get(f"{self.urls['s4hana']}/__mock__/state/API_SALES_ORDER_SRV/{entity_set}", timeout=30).json()
        return {"/".join(str(r[k]) for k in ("SalesOrderItem", "LongTextID") if k in r): r["LongText"]
                for r in rows["tables"].get("API_SALES_ORDER_SRV", {}).get(entity_set, []) if r["SalesOrder"] == order}

    # --- Buy with Prime -------------------------------------------------------------------------
    def bwp_orders(self) -> dict[str, Any]:
        return requests.get(self.urls["bwp"] + "/__mock__/state", timeout=30).json()["orders"]

    def bwp_requests(self, contains: str) -> list[dict[str, Any]]:
        import json

        entries = requests.get(self.urls["bwp"] + "/__mock__/requests", timeout=30).json()
        return [json.loads(e["body"]) for e in entries if e["path"] == "/graphql" and contains in e["body"]]

    # --- the runtime ----------------------------------------------------------------------------
    def idle(self) -> None:
        state = self.runtime.wait_idle(60)
        assert state["idle"], state

    def mpls(self, artifact_id: str) -> list:
        return self.sink.for_flow(artifact_id)

    def close(self) -> None:
        self.runtime.close()
        self.mocks.stop()
