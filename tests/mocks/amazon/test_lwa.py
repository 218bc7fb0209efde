"""Login with Amazon token endpoint: grants, body encodings, and the errors LWA returns."""

from __future__ import annotations

import pytest
import requests

from amazon_support import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

TOKEN = "/auth/o2/token"


def _post(url, **kwargs):
    return requests.post(url + TOKEN, timeout=10, **kwargs)


def test_refresh_grant_form_body_issues_one_hour_bearer_token(lwa_mock):
    response = _post(lwa_mock.url, data={"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN,
                                         "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    body = response.json()
    assert response.status_code == 200
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["access_token"].startswith("Atza|") and len(body["access_token"]) <= 2048
    assert "scope" not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_json_body_is_accepted_like_amazons_java_sdk_sends_it(lwa_mock):
    response = _post(lwa_mock.url, json={"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN,
                                         "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200 and response.json()["access_token"].startswith("Atza|")


def test_client_credentials_grant_returns_the_scope(lwa_mock):
    response = _post(lwa_mock.url, data={"grant_type": "client_credentials", "scope": "sellingpartnerapi::notifications",
                                         "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200
    assert response.json()["scope"] == "sellingpartnerapi::notifications"


@pytest.mark.parametrize("params, status, error, text", [
    ({"grant_type": "refresh_token", "refresh_token": "Atzr|unknown"}, 400, "invalid_grant",
     "The request has an invalid grant parameter : refresh_token"),
    ({"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN, "client_secret": "wrong"}, 401,
     "invalid_client", "Client authentication failed"),
    ({"grant_type": "authorization_code", "code": "x"}, 400, "unsupported_grant_type", "authorization_code"),
    ({"grant_type": "refresh_token"}, 400, "invalid_request", "missing a required parameter : refresh_token"),
    ({"grant_type": "client_credentials"}, 400, "invalid_request", "parameter : scope"),
    ({"grant_type": "client_credentials", "scope": "sellingpartnerapi::everything"}, 400, "invalid_scope", "unknown scope"),
    ({"refresh_token": REFRESH_TOKEN}, 400, "invalid_request", "grant_type"),
])
def test_lwa_errors(lwa_mock, params, status, error, text):
    data = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **params}
    response = _post(lwa_mock.url, data=data)
    assert response.status_code == status
    assert response.json()["error"] == error and text in response.json()["error_description"]


def test_other_content_types_are_rejected(lwa_mock):
    response = _post(lwa_mock.url, data="grant_type=refresh_token", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400 and "Content-Type" in response.json()["error_description"]


def test_revoked_refresh_token_gives_invalid_grant_with_the_revocation_hint(lwa_mock):
    assert lwa_mock.control("POST", "/__mock__/revoke", json={"refresh_token": REFRESH_TOKEN}).status_code == 200
    response = _post(lwa_mock.url, data={"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN,
                                         "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 400
    assert "User may have revoked" in response.json()["error_description"]
    lwa_mock.control("POST", "/__mock__/reset")
    again = _post(lwa_mock.url, data={"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN,
                                      "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert again.status_code == 200


def test_injected_throttle_and_outage_use_oauth_error_bodies(lwa_mock):
    lwa_mock.control("POST", "/__mock__/faults", json=[{"status": 429, "retry_after": 2, "times": 1},
                                                        {"status": 503, "times": 1}])
    first = _post(lwa_mock.url, data={})
    second = _post(lwa_mock.url, data={})
    assert (first.status_code, first.json()["error"], first.headers["Retry-After"]) == (429, "temporarily_unavailable", "2")
    assert (second.status_code, second.json()["error"]) == (503, "server_error")


def test_state_never_shows_secrets(lwa_mock, access_token):
    state = lwa_mock.control("GET", "/__mock__/state").text
    assert CLIENT_SECRET not in state and REFRESH_TOKEN not in state and access_token not in state
    assert lwa_mock.control("GET", "/__mock__/state").json()["access_tokens_issued"] == 1
