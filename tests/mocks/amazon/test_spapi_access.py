"""SP-API gatekeeping: access token, throttling with the models' usage plans, injected faults."""

from __future__ import annotations

import requests

from amazon_support import CLIENT_ID, CLIENT_SECRET

SUMMARIES = "/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER"


def test_missing_token_is_403_missing_authentication_token(spapi_mock):
    response = requests.get(spapi_mock.url + SUMMARIES, timeout=10)
    assert response.status_code == 403
    assert response.json() == {"errors": [{"code": "MissingAuthenticationToken",
                                           "message": "Access to requested resource is denied."}]}
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert response.headers["x-amzn-RequestId"]


def test_forged_token_is_403_unauthorized(spapi_mock, access_token):
    forged = access_token[:-4] + ("AAAA" if not access_token.endswith("AAAA") else "BBBB")
    response = requests.get(spapi_mock.url + SUMMARIES, headers={"x-amz-access-token": forged}, timeout=10)
    assert response.status_code == 403
    assert response.json()["errors"][0] == {"code": "Unauthorized", "message": "Access to requested resource is denied.",
                                            "details": "The access token you provided is revoked, malformed or invalid."}


def test_token_expires_after_an_hour(spapi_mock, sp):
    assert sp("GET", SUMMARIES).status_code == 200
    spapi_mock.control("POST", "/__mock__/clock", json={"advance": 3601})
    response = sp("GET", SUMMARIES)
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "Unauthorized"
    assert response.headers["x-amzn-ErrorType"] == "ExpiredTokenException"


def test_grantless_token_cannot_call_seller_operations(spapi_mock, lwa_mock):
    token = requests.post(lwa_mock.url + "/auth/o2/token", timeout=10, data={
        "grant_type": "client_credentials", "scope": "sellingpartnerapi::notifications",
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()["access_token"]
    response = requests.get(spapi_mock.url + SUMMARIES, headers={"x-amz-access-token": token}, timeout=10)
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "Unauthorized"


def test_tokens_from_another_lwa_key_are_rejected(access_token):
    from harness.mocks import spapi
    from werkzeug.test import Client

    other = Client(spapi.create({"token_key": "a-different-key"}))
    response = other.get(SUMMARIES, headers={"x-amz-access-token": access_token})
    assert response.status_code == 403 and response.json["errors"][0]["code"] == "Unauthorized"


def test_success_carries_rate_limit_header_and_request_id(sp):
    response = sp("GET", SUMMARIES)
    assert response.status_code == 200
    assert response.headers["x-amzn-RateLimit-Limit"] == "2.0"
    assert len(response.headers["x-amzn-RequestId"]) == 36


def test_burst_then_quota_exceeded_then_refill(spapi_mock, sp):
    body = {"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", "marketplaceIds": ["ATVPDKIKX0DER"]}
    statuses = [sp("POST", "/reports/2021-06-30/reports", json=body).status_code for _ in range(16)]
    assert statuses == [202] * 15 + [429]  # createReport: rate 0.0167/s, burst 15
    throttled = sp("POST", "/reports/2021-06-30/reports", json=body)
    assert throttled.status_code == 429
    assert throttled.json() == {"errors": [{"code": "QuotaExceeded",
                                            "message": "You exceeded your quota for the requested resource.",
                                            "details": ""}]}
    assert "x-amzn-RateLimit-Limit" not in throttled.headers and throttled.headers["x-amzn-RequestId"]
    # other operations have their own buckets
    assert sp("GET", SUMMARIES).status_code == 200
    spapi_mock.control("POST", "/__mock__/clock", json={"advance": 61})  # one token per minute
    assert sp("POST", "/reports/2021-06-30/reports", json=body).status_code == 202
    assert sp("POST", "/reports/2021-06-30/reports", json=body).status_code == 429


def test_small_burst_operation_throttles_on_the_third_quick_call(spapi_mock, sp):
    # getInventorySummaries: rate 2/s, burst 2. Six quick calls need three seconds to pass without
    # a 429; only the first two are certain to pass, at least one of the rest must be throttled.
    statuses = [sp("GET", SUMMARIES).status_code for _ in range(6)]
    assert statuses[:2] == [200, 200] and 429 in statuses


def test_throttling_can_be_switched_off(spapi_mock, sp):
    spapi_mock.control("POST", "/__mock__/throttle", json={"enabled": False})
    assert {sp("GET", SUMMARIES).status_code for _ in range(8)} == {200}


def test_injected_faults_use_sp_api_error_shapes(spapi_mock, sp):
    spapi_mock.control("POST", "/__mock__/faults", json=[
        {"status": 429, "times": 1}, {"status": 503, "times": 1, "retry_after": 1}, {"status": 500, "times": 1}])
    first, second, third = (sp("GET", SUMMARIES) for _ in range(3))
    assert (first.status_code, first.json()["errors"][0]["code"]) == (429, "QuotaExceeded")
    assert (second.status_code, second.json()["errors"][0]["code"], second.headers["Retry-After"]) == \
        (503, "ServiceUnavailable", "1")
    assert (third.status_code, third.json()["errors"][0]["code"]) == (500, "InternalFailure")
    assert sp("GET", SUMMARIES).status_code == 200


def test_unknown_path_and_wrong_method_answer_like_sp_api(sp):
    for method, path in (("GET", "/orders/v9/nothing"), ("DELETE", "/fba/inventory/v1/summaries")):
        response = sp(method, path)
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "MissingAuthenticationToken"


def test_every_answer_matched_the_contract(spapi_mock, sp):
    sp("GET", SUMMARIES + "&details=true")
    sp("GET", "/fba/outbound/2020-07-01/fulfillmentOrders")
    assert spapi_mock.control("GET", "/__mock__/state").json()["contract_violations"] == []
