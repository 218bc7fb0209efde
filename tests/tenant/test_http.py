"""The shared session: JSON envelope, paging, CSRF, retries only where safe, SAP error text."""

from __future__ import annotations

import pytest
import requests
import responses

from harness.tenant.errors import AuthError, NotFound, TenantError
from harness.tenant.http import TenantSession

from tenant_helpers import API, TOKEN_URL

pytestmark = pytest.mark.usefixtures("token_endpoint")


def _calls(method: str, prefix: str) -> list:
    return [c for c in responses.calls if c.request.method == method and c.request.url.startswith(prefix)]


@responses.activate
def test_json_accept_bearer_and_d_unwrapped(session):
    responses.add(responses.GET, f"{API}/IntegrationPackages('P')", json={"d": {"Id": "P"}})
    assert session.get_json("IntegrationPackages('P')") == {"Id": "P"}
    request = _calls("GET", API)[0].request
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == "Bearer tok-1"
    assert "X-CSRF-Token" not in request.headers


@responses.activate
def test_paging_follows_next_links_until_the_last_page(session):
    responses.add(responses.GET, f"{API}/MessageProcessingLogs",
                  json={"d": {"results": [{"n": 1}, {"n": 2}],
                              "__next": f"{API}/MessageProcessingLogs?$skiptoken=2"}},
                  match=[responses.matchers.query_string_matcher("")])
    responses.add(responses.GET, f"{API}/MessageProcessingLogs?$skiptoken=2",
                  json={"d": {"results": [{"n": 3}], "__next": "MessageProcessingLogs?$skiptoken=3"}})
    responses.add(responses.GET, f"{API}/MessageProcessingLogs?$skiptoken=3", json={"d": {"results": [{"n": 4}]}})
    assert [r["n"] for r in session.get_collection("MessageProcessingLogs")] == [1, 2, 3, 4]


@responses.activate
def test_filter_spaces_are_sent_as_percent_20_not_plus(session):
    responses.add(responses.GET, f"{API}/IntegrationRuntimeArtifacts", json={"d": {"results": []}})
    session.get_collection("IntegrationRuntimeArtifacts", {"$filter": "Status eq 'ERROR'"})
    url = _calls("GET", API)[0].request.url
    assert "$filter=Status%20eq%20'ERROR'" in url and "+" not in url


@responses.activate
def test_bearer_write_refused_for_csrf_fetches_once_and_retries(session):
    responses.add(responses.POST, f"{API}/IntegrationPackages", status=403,
                  headers={"X-CSRF-Token": "Required"}, body="CSRF token validation failed")
    responses.add(responses.POST, f"{API}/IntegrationPackages", status=201, json={"d": {"Id": "P"}})
    responses.add(responses.GET, f"{API}/", headers={"X-CSRF-Token": "tok-csrf"}, json={"d": {}})
    session.request("POST", "IntegrationPackages", json={"d": {"Id": "P"}}, ok=(201,))
    posts = _calls("POST", API)
    assert len(posts) == 2
    assert "X-CSRF-Token" not in posts[0].request.headers
    assert posts[1].request.headers["X-CSRF-Token"] == "tok-csrf"
    fetch = [c for c in responses.calls if c.request.url == f"{API}/"][0].request
    assert fetch.headers["X-CSRF-Token"] == "Fetch"


@responses.activate
def test_csrf_refusal_twice_is_an_error_not_a_loop(session):
    for _ in range(3):
        responses.add(responses.POST, f"{API}/IntegrationPackages", status=403,
                      headers={"X-CSRF-Token": "Required"}, body="CSRF token validation failed")
    responses.add(responses.GET, f"{API}/", headers={"X-CSRF-Token": "t"}, json={})
    with pytest.raises(TenantError, match="CSRF token validation failed"):
        session.request("POST", "IntegrationPackages", json={}, ok=(201,))
    assert len(_calls("POST", API)) == 2


@responses.activate
def test_basic_auth_fetches_csrf_once_per_session_not_per_write(clock):
    session = TenantSession.basic(API, "user", "pw", sleep=clock.sleep)
    responses.add(responses.GET, f"{API}/", headers={"X-CSRF-Token": "abc"}, json={})
    responses.add(responses.PUT, f"{API}/IntegrationPackages('P')", status=202)
    for _ in range(3):
        session.request("PUT", "IntegrationPackages('P')", json={})
    assert len([c for c in responses.calls if c.request.url == f"{API}/"]) == 1
    assert all(c.request.headers["X-CSRF-Token"] == "abc" for c in _calls("PUT", API))


@responses.activate
def test_429_is_retried_after_the_retry_after_seconds(session, clock):
    responses.add(responses.POST, f"{API}/DeployIntegrationDesigntimeArtifact", status=429,
                  headers={"Retry-After": "7"}, json={"error": {"message": {"value": "Too many requests"}}})
    responses.add(responses.POST, f"{API}/DeployIntegrationDesigntimeArtifact", status=202, body="task-1")
    response = session.request("POST", "DeployIntegrationDesigntimeArtifact", ok=(202,))
    assert response.text == "task-1"
    assert clock.sleeps == [7.0]


@responses.activate
def test_500_on_a_post_is_never_retried(session, clock):
    responses.add(responses.POST, f"{API}/IntegrationDesigntimeArtifacts", status=500,
                  json={"error": {"code": "Internal Server Error",
                                  "message": {"lang": "en", "value": "Bundle could not be parsed"}}})
    with pytest.raises(TenantError) as caught:
        session.request("POST", "IntegrationDesigntimeArtifacts", json={}, ok=(201,))
    assert caught.value.text == "Bundle could not be parsed"
    assert caught.value.status == 500
    assert len(_calls("POST", API)) == 1 and clock.sleeps == []


@responses.activate
def test_502_on_a_post_is_not_retried_but_503_with_retry_after_is(session, clock):
    responses.add(responses.POST, f"{API}/A", status=502, body="bad gateway")
    with pytest.raises(TenantError):
        session.request("POST", "A")
    responses.add(responses.POST, f"{API}/B", status=503, headers={"Retry-After": "2"}, body="busy")
    responses.add(responses.POST, f"{API}/B", status=202)
    session.request("POST", "B")
    assert len(_calls("POST", f"{API}/A")) == 1
    assert len(_calls("POST", f"{API}/B")) == 2


@responses.activate
def test_get_is_retried_on_502_503_504_with_backoff(session, clock):
    for status in (502, 503, 504):
        responses.add(responses.GET, f"{API}/X", status=status)
    responses.add(responses.GET, f"{API}/X", json={"d": {"ok": True}})
    assert session.get_json("X") == {"ok": True}
    assert len(clock.sleeps) == 3
    assert clock.sleeps[0] < clock.sleeps[2]          # exponential: 0.5*2^0 .. 0.5*2^2, jittered


@responses.activate
def test_get_retries_are_bounded(session, clock):
    for _ in range(10):
        responses.add(responses.GET, f"{API}/X", status=503, body="down")
    with pytest.raises(TenantError, match="down"):
        session.get_json("X")
    assert len(_calls("GET", API)) == session.max_attempts


@responses.activate
def test_connection_error_retried_on_get_not_on_post(session, clock):
    responses.add(responses.GET, f"{API}/X", body=requests.ConnectionError("reset"))
    responses.add(responses.GET, f"{API}/X", json={"d": {}})
    assert session.get_json("X") == {}
    responses.add(responses.POST, f"{API}/Y", body=requests.ConnectionError("reset"))
    with pytest.raises(TenantError, match="no answer from the tenant"):
        session.request("POST", "Y")
    assert len(_calls("POST", API)) == 1


@responses.activate
def test_401_on_bearer_drops_the_token_and_retries_once(session, tokens):
    responses.add(responses.POST, TOKEN_URL, json={"access_token": "tok-2", "expires_in": 3600})
    responses.add(responses.GET, f"{API}/X", status=401, body="token expired")
    responses.add(responses.GET, f"{API}/X", json={"d": {"v": 1}})
    assert session.get_json("X") == {"v": 1}
    gets = _calls("GET", API)
    assert gets[0].request.headers["Authorization"] == "Bearer tok-1"
    assert gets[1].request.headers["Authorization"] == "Bearer tok-2"
    responses.add(responses.GET, f"{API}/Z", status=401, body="no")
    responses.add(responses.GET, f"{API}/Z", status=401, body="still no")
    with pytest.raises(AuthError):
        session.get_json("Z")


@responses.activate
def test_not_found_includes_the_new_non_404_answer(session):
    responses.add(responses.GET, f"{API}/IntegrationRuntimeArtifacts('A')", status=404,
                  json={"error": {"message": {"value": "Artifact not found"}}})
    responses.add(responses.GET, f"{API}/IntegrationRuntimeArtifacts('B')", status=500,
                  json={"error": {"message": {"value": "Requested entity could not be found."}}})
    assert session.get_optional("IntegrationRuntimeArtifacts('A')") is None
    assert session.get_optional("IntegrationRuntimeArtifacts('B')") is None
    with pytest.raises(NotFound):
        session.get_json("IntegrationRuntimeArtifacts('A')")


@responses.activate
def test_xml_and_plain_error_bodies_are_surfaced_verbatim(session):
    responses.add(responses.GET, f"{API}/X", status=400, content_type="application/xml",
                  body='<?xml version="1.0"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">'
                       '<code>400</code><message xml:lang="en">Invalid key predicate</message></error>')
    responses.add(responses.GET, f"{API}/Y", status=400, body="plain words")
    with pytest.raises(TenantError) as x:
        session.get_json("X")
    with pytest.raises(TenantError) as y:
        session.get_json("Y")
    assert x.value.text == "Invalid key predicate"
    assert y.value.text == "plain words"
    assert "HTTP 400" in str(x.value) and f"{API}/X" in str(x.value)
