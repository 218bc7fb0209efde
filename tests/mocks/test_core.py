"""The shared mock mechanics: journal, faults, control endpoints, loopback serving."""

from __future__ import annotations

import pytest
import requests
from werkzeug.routing import Rule

from harness.mocks.core import Fault, MockService, json_response, serve
from harness.mocks.core.service import ServiceError


class Teapot(ServiceError):
    status = 418


class Echo(MockService):
    name = "echo"

    def __init__(self) -> None:
        self.calls = 0
        super().__init__()

    def routes(self) -> list[Rule]:
        return [Rule("/hello", endpoint=self.hello, methods=["GET", "POST"]),
                Rule("/teapot", endpoint=self.teapot)]

    def hello(self, request):
        self.calls += 1
        return json_response({"calls": self.calls})

    def teapot(self, request):
        raise Teapot("short and stout")

    def state(self):
        return {"calls": self.calls}

    def reset(self):
        self.calls = 0


@pytest.fixture()
def echo():
    service = Echo()
    server = serve(service)
    yield service, server.url
    server.stop()


def test_journal_records_requests_with_status(echo):
    _, url = echo
    requests.post(url + "/hello?x=1", data="payload")
    requests.get(url + "/missing")
    entries = requests.get(url + "/__mock__/requests").json()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/hello", 200), ("GET", "/missing", 404)]
    assert entries[0]["body"] == "payload" and entries[0]["query_string"] == "x=1"
    assert requests.get(url + "/__mock__/requests?method=GET").json()[0]["path"] == "/missing"


def test_fault_on_nth_call_with_retry_after_then_recovers(echo):
    _, url = echo
    requests.post(url + "/__mock__/faults", json={"status": 429, "retry_after": 3, "nth": [2]})
    first, second, third = (requests.get(url + "/hello") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (200, 429, 200)
    assert second.headers["Retry-After"] == "3"
    assert third.json() == {"calls": 2}  # the faulted call never reached the model


def test_times_caps_a_fault_and_drop_closes_the_connection(echo):
    _, url = echo
    requests.post(url + "/__mock__/faults", json=[{"drop": True, "times": 1, "path": "hello"}])
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/hello", timeout=5)
    assert requests.get(url + "/hello").status_code == 200


def test_reset_clears_state_journal_and_faults(echo):
    service, url = echo
    requests.post(url + "/__mock__/faults", json={"status": 500, "path": "never"})
    requests.get(url + "/hello")
    assert requests.get(url + "/__mock__/state").json() == {"calls": 1}
    requests.post(url + "/__mock__/reset")
    assert service.calls == 0
    assert requests.get(url + "/__mock__/requests").json() == []
    assert requests.get(url + "/__mock__/faults").json() == []


def test_service_errors_use_their_own_status(echo):
    _, url = echo
    response = requests.get(url + "/teapot")
    assert response.status_code == 418 and response.json() == {"error": "short and stout"}


@pytest.mark.parametrize("rule, message", [
    ({"bogus": 1}, "unknown fault field"),
    ({"rate": 0.5}, "needs 'status', 'drop' or 'delay_ms'"),
    ({"status": 200}, "must be an HTTP error status"),
    ({"status": 500, "rate": 2}, "'rate' must be between 0 and 1"),
])
def test_bad_fault_rules_are_rejected_with_the_field(rule, message):
    with pytest.raises(ValueError, match=message):
        Fault.from_json(rule)


def test_bad_fault_rule_over_http_is_a_400(echo):
    _, url = echo
    response = requests.post(url + "/__mock__/faults", json={"status": 99})
    assert response.status_code == 400 and "400..599" in response.json()["error"]


def test_journal_redacts_credentials_in_headers_and_token_bodies(echo):
    _, url = echo
    requests.post(url + "/hello", headers={"Authorization": "Basic dXNlcjpzZWNyZXQ=",
                                           "x-amz-access-token": "Atza|token"},
                  data={"grant_type": "refresh_token", "refresh_token": "Atzr|r", "client_secret": "s3"})
    requests.post(url + "/hello", json={"client_secret": "s3", "code": "DM01"},
                  headers={"X-CSRF-Token": "Fetch"})
    first, second = requests.get(url + "/__mock__/requests").json()
    headers = {k.lower(): v for k, v in first["headers"].items()}
    assert headers["authorization"] == "Basic ***"
    assert headers["x-amz-access-token"] == "***"
    assert "grant_type=refresh_token" in first["body"]
    assert "Atzr" not in first["body"] and "s3" not in first["body"]
    assert second["body"] == '{"client_secret": "***", "code": "DM01"}'
    assert {k.lower(): v for k, v in second["headers"].items()}["x-csrf-token"] == "Fetch"
