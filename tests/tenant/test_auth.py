"""OAuth2 client credentials: service keys, caching, refresh before expiry, error text."""

from __future__ import annotations

import base64

import pytest
import responses

from harness.tenant.auth import ServiceKey, TokenSource
from harness.tenant.errors import AuthError

from tenant_helpers import TOKEN_URL


def test_service_key_in_the_oauth_wrapper_gives_the_api_root():
    key = ServiceKey.from_json({"oauth": {"url": "https://t.example.com/", "tokenurl": TOKEN_URL,
                                          "clientid": "sb-x", "clientsecret": "s"}})
    assert key.api_url == "https://t.example.com/api/v1"
    assert key.token_url == TOKEN_URL


def test_service_key_names_what_is_missing():
    with pytest.raises(AuthError, match="missing tokenurl"):
        ServiceKey.from_json({"oauth": {"url": "https://t", "clientid": "x", "clientsecret": "y"}})
    with pytest.raises(AuthError, match="neither clientsecret nor certificate"):
        ServiceKey.from_json({"url": "https://t", "tokenurl": TOKEN_URL, "clientid": "x"})
    with pytest.raises(AuthError, match="not valid JSON"):
        ServiceKey.from_json("{nope", source="key.json")


@responses.activate
def test_token_is_fetched_with_basic_client_auth_and_cached(tokens, clock):
    responses.add(responses.POST, TOKEN_URL, json={"access_token": "tok-1", "expires_in": 3600})
    assert tokens.token() == "tok-1"
    assert tokens.token() == "tok-1"
    assert len(responses.calls) == 1
    call = responses.calls[0].request
    assert call.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert "grant_type=client_credentials" in call.body


@responses.activate
def test_token_is_refreshed_before_it_expires(tokens, clock):
    responses.add(responses.POST, TOKEN_URL, json={"access_token": "tok-1", "expires_in": 300})
    responses.add(responses.POST, TOKEN_URL, json={"access_token": "tok-2", "expires_in": 300})
    assert tokens.token() == "tok-1"
    clock.now += 230          # 70 s left: still outside the 60 s leeway
    assert tokens.token() == "tok-1"
    clock.now += 20           # 50 s left: inside the leeway, refresh now rather than fail mid-deploy
    assert tokens.token() == "tok-2"
    assert tokens.fetches == 2


@responses.activate
def test_token_error_carries_the_oauth_error_text(tokens):
    responses.add(responses.POST, TOKEN_URL, status=401,
                  json={"error": "unauthorized", "error_description": "Bad credentials"})
    with pytest.raises(AuthError) as caught:
        tokens.token()
    assert caught.value.text == "unauthorized: Bad credentials"
    assert caught.value.status == 401


@responses.activate
def test_certificate_key_sends_client_id_in_the_form_not_basic(tmp_path):
    responses.add(responses.POST, TOKEN_URL, json={"access_token": "cert-tok", "expires_in": 3600})
    source = TokenSource(TOKEN_URL, "sb-cert", certificate="-----BEGIN CERTIFICATE-----\nx\n",
                         key="-----BEGIN PRIVATE KEY-----\ny\n")
    assert source.token() == "cert-tok"
    request = responses.calls[0].request
    assert "Authorization" not in request.headers
    assert "client_id=sb-cert" in request.body
