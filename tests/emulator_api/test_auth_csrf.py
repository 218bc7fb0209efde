"""The emulated tenant authenticates and checks CSRF the way a tenant does."""

from __future__ import annotations

import requests

from tenant_builders import iflow_zip
from harness.tenant.artifact import LocalArtifact

from emulator_helpers import CLIENT, bearer, client_for


def test_token_endpoint_issues_bearer_tokens_for_known_clients(emulator):
    good = requests.post(emulator.token_url + "?grant_type=client_credentials", auth=CLIENT)
    assert good.status_code == 200
    body = good.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 43199 and body["access_token"]
    form = requests.post(emulator.token_url, data={"grant_type": "client_credentials", "client_id": CLIENT[0],
                                                   "client_secret": CLIENT[1]})
    assert form.status_code == 200


def test_token_endpoint_refuses_bad_clients_and_grants(emulator):
    bad = requests.post(emulator.token_url, data={"grant_type": "client_credentials"}, auth=(CLIENT[0], "wrong"))
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    grant = requests.post(emulator.token_url, data={"grant_type": "password"}, auth=CLIENT)
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"


def test_api_requires_credentials(emulator):
    answer = requests.get(emulator.api_url + "/IntegrationPackages", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert answer.json()["error"]["message"]["value"].startswith("Unauthorized")
    stale = requests.get(emulator.api_url + "/IntegrationPackages", headers={"Authorization": "Bearer nope"})
    assert stale.status_code == 401


def test_bearer_writes_need_no_csrf(emulator):
    answer = requests.post(emulator.api_url + "/IntegrationPackages", headers=bearer(emulator),
                           json={"d": {"Id": "P1", "Name": "P1"}})
    assert answer.status_code == 201, answer.text


def test_basic_writes_need_the_session_csrf_token(emulator):
    plain = requests.post(emulator.api_url + "/IntegrationPackages", auth=CLIENT, json={"Id": "P2", "Name": "P2"})
    assert plain.status_code == 403
    assert plain.headers["X-CSRF-Token"] == "Required"
    assert plain.json()["error"]["message"]["value"] == "CSRF token validation failed"
    session = requests.Session()
    fetched = session.get(emulator.api_url + "/", auth=CLIENT, headers={"X-CSRF-Token": "Fetch"})
    token = fetched.headers["X-CSRF-Token"]
    assert fetched.status_code == 200 and "JSESSIONID" in session.cookies
    wrong_session = requests.post(emulator.api_url + "/IntegrationPackages", auth=CLIENT,
                                  headers={"X-CSRF-Token": token}, json={"Id": "P2", "Name": "P2"})
    assert wrong_session.status_code == 403           # the token is bound to the session cookie
    ok = session.post(emulator.api_url + "/IntegrationPackages", auth=CLIENT, headers={"X-CSRF-Token": token},
                      json={"Id": "P2", "Name": "P2"})
    assert ok.status_code == 201, ok.text


def test_the_client_handles_basic_csrf_by_itself(emulator):
    client = client_for(emulator, basic=True)
    client.packages.create({"Id": "P3", "Name": "P3"})
    client.integration.create(LocalArtifact.from_zip(iflow_zip("Flow_B"), "Flow_B.zip"), "P3")
    fetches = [e for e in emulator.app.journal if e[:2] == ("GET", "/api/v1/")]
    assert len(fetches) == 1                           # once per session, not once per write


def test_strict_tenant_refusing_bearer_writes_without_csrf_is_handled_by_the_client(make_emulator):
    strict = make_emulator("strict.db", csrf_with_bearer=True)
    client = client_for(strict)
    client.packages.create({"Id": "P4", "Name": "P4"})
    assert client.packages.get("P4") is not None
    statuses = [(m, p, s) for m, p, s in strict.app.journal if p == "/api/v1/IntegrationPackages" and m == "POST"]
    assert [s for *_, s in statuses] == [403, 201]     # refused, fetched a token, retried once


def test_restart_forgets_tokens_and_the_client_recovers(make_emulator, tmp_path):
    first = make_emulator("restart.db")
    client = client_for(first)
    client.packages.create({"Id": "P5", "Name": "P5"})
    first.auth.expire_all()                            # what a restart does to issued tokens
    assert client.packages.get("P5") is not None
    assert client.session.auth.source.fetches == 2


def test_roles_are_enforced(make_emulator):
    emulator = make_emulator("roles.db", clients=[{"client_id": "monitor", "client_secret": "m",
                                                   "roles": ["MonitoringDataRead"]}])
    token = requests.post(emulator.token_url, data={"grant_type": "client_credentials"}, auth=("monitor", "m")).json()
    headers = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"}
    assert requests.get(emulator.api_url + "/IntegrationRuntimeArtifacts", headers=headers).status_code == 200
    denied = requests.post(emulator.api_url + "/IntegrationPackages", headers=headers, json={"Id": "X", "Name": "X"})
    assert denied.status_code == 403 and "WorkspacePackagesEdit" in denied.json()["error"]["message"]["value"]
