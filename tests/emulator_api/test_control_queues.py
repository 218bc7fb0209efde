"""The emulator's ``/s4amz/v1`` queue controls: the messages of a queue, and *Move* between queues
(what ``s4amz replay --queue`` and the contract step ``replay: {queue, to}`` use)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from emulator_helpers import bearer

runtime_module = pytest.importorskip("harness.emulator.runtime")


@pytest.fixture
def running(make_emulator, tmp_path: Path):
    emulator = make_emulator(runtime=lambda store: runtime_module.Runtime(tmp_path / "runtime", store, time_scale=0.001))
    return emulator, emulator.runtime


def _control(emulator, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{emulator.url}/s4amz/v1{path}", headers=bearer(emulator), timeout=30, **kwargs)


def test_queue_messages_list_status_reason_and_masked_headers(running) -> None:
    emulator, runtime = running
    runtime.broker.enqueue("S4AMZ_X_DLQ", b"<Order/>", {"S4AMZ_ParkReason": "retry 3 of 3 failed: 503",
                                                         "Authorization": "Basic c2VjcmV0"}, {}, producer="Flow_A")
    answer = _control(emulator, "GET", "/queues/S4AMZ_X_DLQ/messages")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["queue"] == "S4AMZ_X_DLQ" and body["consumer"] is None
    [message] = body["messages"]
    assert (message["status"], message["producer"], message["retries"]) == ("queued", "Flow_A", 0)
    assert message["reason"] == "retry 3 of 3 failed: 503" and message["size"] == len(b"<Order/>")
    assert message["headers"]["Authorization"] == "********"
    assert requests.get(f"{emulator.url}/s4amz/v1/queues/S4AMZ_X_DLQ/messages", timeout=30).status_code == 401


def test_move_all_or_by_id_and_its_errors(running) -> None:
    emulator, runtime = running
    first = runtime.broker.enqueue("PARKED", b"1", {}, {}, producer="Intake")
    second = runtime.broker.enqueue("PARKED", b"2", {}, {}, producer="Intake")

    unknown = _control(emulator, "POST", "/queues/PARKED/move", json={"ids": [first, 424242], "to": "IN"})
    assert unknown.status_code == 404 and "no message 424242 waiting in queue PARKED" in unknown.text
    no_target = _control(emulator, "POST", "/queues/PARKED/move", json={})
    assert no_target.status_code == 400 and "name the queue to move it to" in no_target.text
    bad = _control(emulator, "POST", "/queues/PARKED/move", json={"ids": "all"})
    assert bad.status_code == 400 and 'expected a JSON body like' in bad.json()["error"]["message"]["value"]
    assert len(runtime.queue_messages("PARKED")) == 2                      # every refusal moved nothing

    one = _control(emulator, "POST", "/queues/PARKED/move", json={"ids": [second], "to": "IN"})
    assert one.status_code == 200 and one.json() == {"moved": [{"id": second, "from": "PARKED", "to": "IN"}]}
    rest = _control(emulator, "POST", "/queues/PARKED/move", json={"to": "IN"})
    assert rest.json() == {"moved": [{"id": first, "from": "PARKED", "to": "IN"}]}
    assert [m.body for m in runtime.queue_messages("IN")] == [b"1", b"2"] and runtime.queue_messages("PARKED") == []
    assert _control(emulator, "GET", "/queues/PARKED/move").status_code == 405
