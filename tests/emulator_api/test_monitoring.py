"""Message processing logs, service endpoints and security content as the API serves them."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from tenant_builders import iflow_zip
from harness.tenant.artifact import LocalArtifact
from harness.tenant.configurations import ParameterChange
from harness.tenant.deploy import Backoff, DeployWaiter

from emulator_helpers import bearer, client_for

NOW = datetime.now(timezone.utc)


@pytest.fixture
def logs(emulator):
    """Five messages over two flows and three hours."""
    store = emulator.store
    made = {}
    for name, flow, status, hours_ago, correlation in (
            ("a1", "Flow_A", "COMPLETED", 3, "c-1"), ("a2", "Flow_A", "FAILED", 2, "c-2"),
            ("a3", "Flow_A", "RETRY", 1, "c-3"), ("b1", "Flow_B", "COMPLETED", 1, "c-4"),
            ("b2", "Flow_B", "ESCALATED", 0.5, "c-5")):
        started = NOW - timedelta(hours=hours_ago)
        guid = store.mpl_begin(flow, correlation, "S4HANA", {"SAP_ApplicationID": name}, started=started)
        store.mpl_step(guid, "StartEvent_2", "Start", "HTTPS", started, started + timedelta(milliseconds=3), "COMPLETED", None)
        store.mpl_step(guid, "CallActivity_1", "Map order", "GroovyScript", started + timedelta(milliseconds=3),
                       started + timedelta(milliseconds=40), "FAILED" if status == "FAILED" else "COMPLETED",
                       "java.lang.Exception: SKU MZ-FG-X unknown" if status == "FAILED" else "ok")
        if status == "FAILED":
            store.mpl_attach(guid, "request payload", "application/json", '{"order": "4711"}')
        store.mpl_end(guid, status, "HTTP 500: SKU MZ-FG-X unknown" if status in ("FAILED", "ESCALATED") else None)
        made[name] = guid
    return made


def test_filter_by_flow_status_window_and_correlation(client, logs):
    assert {m.guid for m in client.logs.query(flow="Flow_A")} == {logs["a1"], logs["a2"], logs["a3"]}
    assert [m.guid for m in client.logs.query(flow="Flow_A", status="FAILED")] == [logs["a2"]]
    window = client.logs.query(since=NOW - timedelta(minutes=90))
    assert {m.guid for m in window} == {logs["a3"], logs["b1"], logs["b2"]}
    assert [m.guid for m in client.logs.query(correlation_id="c-4")] == [logs["b1"]]
    newest_first = client.logs.query()
    assert [m.guid for m in newest_first][0] == logs["b2"]


def test_error_text_attachments_and_step_trace(client, emulator, logs):
    assert client.logs.error_text(logs["a2"]) == "HTTP 500: SKU MZ-FG-X unknown"
    assert client.logs.error_text(logs["a1"]) == ""
    attachments = client.logs.attachments(logs["a2"])
    assert [(a.name, a.content_type) for a in attachments] == [("request payload", "application/json")]
    assert client.logs.attachment_content(attachments[0].id) == b'{"order": "4711"}'
    runs = client.session.get_collection(f"MessageProcessingLogs('{logs['a2']}')/Runs")
    steps = client.session.get_collection(f"MessageProcessingLogRuns('{runs[0]['Id']}')/RunSteps")
    assert [(s["ModelStepId"], s["Activity"], s["Status"]) for s in steps] == \
        [("StartEvent_2", "HTTPS", "COMPLETED"), ("CallActivity_1", "GroovyScript", "FAILED")]
    assert steps[1]["Error"] == "java.lang.Exception: SKU MZ-FG-X unknown"


def test_mpl_shape_on_the_wire(emulator, logs):
    d = requests.get(emulator.api_url + f"/MessageProcessingLogs('{logs['a2']}')", headers=bearer(emulator)).json()["d"]
    assert d["Status"] == "FAILED" and d["CorrelationId"] == "c-2" and d["IntegrationArtifact"]["Id"] == "Flow_A"
    assert d["LogStart"].startswith("/Date(") and d["ErrorInformation"]["__deferred"]["uri"].endswith("/ErrorInformation")
    count = requests.get(emulator.api_url + "/MessageProcessingLogs/$count?$filter=Status%20eq%20'COMPLETED'",
                         headers=bearer(emulator))
    assert count.text == "2"


def test_paging_with_next_links_and_inlinecount(make_emulator):
    emulator = make_emulator("paged.db", page_size=2)
    for i in range(5):
        guid = emulator.store.mpl_begin("Flow_P", f"p-{i}", None, None)
        emulator.store.mpl_end(guid, "COMPLETED")
    first = requests.get(emulator.api_url + "/MessageProcessingLogs?$inlinecount=allpages&$orderby=LogStart",
                         headers=bearer(emulator)).json()["d"]
    assert len(first["results"]) == 2 and first["__count"] == "5" and "$skiptoken=2" in first["__next"]
    client = client_for(emulator)
    assert sorted(m.correlation_id for m in client.logs.query(flow="Flow_P")) == [f"p-{i}" for i in range(5)]
    top = requests.get(emulator.api_url + "/MessageProcessingLogs?$top=3", headers=bearer(emulator)).json()["d"]
    assert len(top["results"]) == 2 and "$top=1" in top["__next"]


def test_mpl_sink_rejects_unknown_status_and_unknown_ids(emulator):
    guid = emulator.store.mpl_begin("Flow_A", None, None, None)
    with pytest.raises(ValueError, match="unknown MPL status 'DONE'"):
        emulator.store.mpl_end(guid, "DONE", None)
    with pytest.raises(KeyError):
        emulator.store.mpl_step("nope", "s", "n", "c", time.time(), time.time(), "COMPLETED", None)


def test_service_endpoints_list_started_https_senders_with_configured_addresses(client, emulator):
    client.packages.create({"Id": "PKG", "Name": "P"})
    client.integration.create(LocalArtifact.from_zip(iflow_zip("Flow_A"), "Flow_A.zip"), "PKG")
    client.configurations.update_one(ParameterChange("Flow_A", "Sender Address", "/orders/create"))
    assert client.endpoints.list() == []                     # not deployed yet
    waiter = DeployWaiter(client.deploys, client.runtime, backoff=Backoff(0.02, 1.5, 0.1))
    assert waiter.wait("Flow_A", "1.0.0", client.deploys.deploy("Flow_A"), time.monotonic() + 10).ok
    (endpoint,) = client.endpoints.for_artifact("Flow_A")
    assert endpoint.protocol == "REST" and endpoint.id == "Flow_A$endpointAddress=/orders/create"
    assert endpoint.entry_points[0].url == f"{emulator.url}/http/orders/create"
    assert client.endpoints.list(protocol="SOAP") == []


def test_security_content_lists_names_and_never_secrets(client, emulator):
    emulator.store.security_put("UserCredentials", "S4HANA_CPI", {"user": "S4AMZ_CPI", "password": "pw-123"})
    emulator.store.security_put("OAuth2ClientCredentials", "Amazon_LWA",
                                {"token_url": "http://lwa/token", "client_id": "cid", "client_secret": "cs-456"})
    emulator.store.security_put("SecureParameters", "Refresh", {"value": "rt-789"})
    names = client.security.snapshot()
    assert names.by_kind == {"UserCredentials": {"S4HANA_CPI"}, "OAuth2ClientCredentials": {"Amazon_LWA"},
                             "SecureParameters": {"Refresh"}}
    headers = bearer(emulator)
    everything = "".join(requests.get(emulator.api_url + path, headers=headers).text for path in (
        "/UserCredentials", "/UserCredentials('S4HANA_CPI')", "/OAuth2ClientCredentials",
        "/OAuth2ClientCredentials('Amazon_LWA')", "/SecureParameters", "/SecureParameters('Refresh')"))
    assert "pw-123" not in everything and "cs-456" not in everything and "rt-789" not in everything
    detail = requests.get(emulator.api_url + "/UserCredentials('S4HANA_CPI')", headers=headers).json()["d"]
    assert detail["User"] == "S4AMZ_CPI" and "Password" not in detail


def test_security_content_can_be_created_and_deleted(emulator):
    headers = bearer(emulator)
    created = requests.post(emulator.api_url + "/UserCredentials", headers=headers,
                            json={"Name": "New_Cred", "Kind": "default", "User": "u", "Password": "p"})
    assert created.status_code == 201 and "Password" not in created.json()["d"]
    duplicate = requests.post(emulator.api_url + "/UserCredentials", headers=headers,
                              json={"Name": "New_Cred", "User": "u", "Password": "p"})
    assert duplicate.status_code == 409
    incomplete = requests.post(emulator.api_url + "/OAuth2ClientCredentials", headers=headers, json={"Name": "X"})
    assert incomplete.status_code == 400 and "TokenServiceUrl" in incomplete.text
    assert requests.delete(emulator.api_url + "/UserCredentials('New_Cred')", headers=headers).status_code == 200
    assert emulator.store.security_get("UserCredentials", "New_Cred") is None
    keystore = requests.get(emulator.api_url + "/KeystoreEntries", headers=headers).json()["d"]["results"]
    assert keystore[0]["Alias"] == "sap_cloudintegrationcertificate"
    assert keystore[0]["Hexalias"] == "sap_cloudintegrationcertificate".encode().hex()
