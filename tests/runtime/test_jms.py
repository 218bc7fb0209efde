"""HTTPS -> JMS queue -> consumer flow -> receiver: delivery, retries, dead letters, restarts."""

from __future__ import annotations

import json

from harness.emulator.runtime import COMPLETED, FAILED, RETRY

from builder import FlowBuilder, http_receiver, https_sender, jms_receiver, jms_sender
from runtime_helpers import post


def producer_zip() -> bytes:
    b = FlowBuilder("Producer", allowed_headers="X-Order")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    cm = p.content_modifier(headers=[{"Action": "Create", "Type": "constant", "Value": "web", "Name": "channel"}])
    p.chain(start, cm, end)
    b.sender(start, https_sender("/orders"))
    b.receiver(end, jms_receiver("ORDERS"))
    return b.zip()


def consumer_zip(url: str) -> bytes:
    b = FlowBuilder("Consumer")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    call = p.request_reply(http_receiver(url + "/fulfil", request_headers="channel|X-Order"))
    p.chain(start, call, end)
    b.sender(start, jms_sender("ORDERS", interval="1", max_interval="5", exponential=True))
    return b.zip()


def test_https_event_reaches_receiver_through_jms(make_runtime, receiver, sink):
    runtime = make_runtime()
    runtime.deploy("Producer", "1", producer_zip())
    runtime.deploy("Consumer", "1", consumer_zip(receiver.url))
    runtime.start()
    status, _, _ = post(runtime, "/http/orders", json.dumps({"id": 1}), {"Content-Type": "application/json",
                                                                         "X-Order": "A-1"})
    assert status == 200
    sink.wait_for(lambda rs: any(r.artifact_id == "Consumer" and r.status == COMPLETED for r in rs))
    calls = receiver.calls("POST")
    assert len(calls) == 1
    assert calls[0].path == "/fulfil"
    assert json.loads(calls[0].body) == {"id": 1}
    assert calls[0].headers.get("Channel") == "web" and calls[0].headers.get("X-Order") == "A-1"
    producer = sink.for_flow("Producer")[0]
    consumer = sink.for_flow("Consumer")[0]
    assert consumer.correlation_id == producer.correlation_id
    runtime.wait_idle()


def test_receiver_503_then_success_is_redelivered(make_runtime, receiver, sink):
    runtime = make_runtime()
    receiver.fail(503, times=2)
    runtime.deploy("Producer", "1", producer_zip())
    runtime.deploy("Consumer", "1", consumer_zip(receiver.url))
    runtime.start()
    post(runtime, "/http/orders", "{}")
    records = sink.wait_for(lambda rs: any(r.artifact_id == "Consumer" and r.status == COMPLETED for r in rs))
    consumer = sorted((r for r in records if r.artifact_id == "Consumer"), key=lambda r: r.begun)
    assert [r.status for r in consumer] == [RETRY, RETRY, COMPLETED]
    assert "statusCode: 503" in consumer[0].error_text
    assert [c.status for c in receiver.calls("POST")] == [503, 503, 200]
    runtime.wait_idle()
    assert "ORDERS" not in runtime.queues()


def test_receiver_failing_for_good_ends_in_dead_letter_queue(make_runtime, receiver, sink):
    runtime = make_runtime(jms_max_retries=3)
    receiver.fail(500)
    runtime.deploy("Producer", "1", producer_zip())
    runtime.deploy("Consumer", "1", consumer_zip(receiver.url))
    runtime.start()
    post(runtime, "/http/orders", '{"id": 9}')
    records = sink.wait_for(lambda rs: any(r.artifact_id == "Consumer" and r.status == FAILED for r in rs))
    consumer = sorted((r for r in records if r.artifact_id == "Consumer"), key=lambda r: r.begun)
    assert [r.status for r in consumer] == [RETRY, RETRY, FAILED]
    final = consumer[-1]
    assert "moved to the dead-letter queue of ORDERS" in final.error_text
    assert "HTTP operation failed invoking" in final.error_text and "statusCode: 500" in final.error_text
    dead = runtime.dead_letters("ORDERS")
    assert len(dead) == 1 and json.loads(dead[0].body) == {"id": 9}
    assert "statusCode: 500" in dead[0].last_error and dead[0].retries == 3
    assert len(receiver.calls("POST")) == 3


def test_sapjmsretries_header_and_exponential_backoff(make_runtime, receiver, sink):
    runtime = make_runtime()
    runtime.deploy("Consumer", "1", consumer_zip(receiver.url))
    sender = runtime.flows["Consumer"].senders[0]
    assert [sender.delay_seconds(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]
    receiver.fail(503, times=1)
    runtime.broker.enqueue("ORDERS", b"{}", {"n": "1"}, {})
    runtime.start()
    sink.wait_for(lambda rs: any(r.status == COMPLETED for r in rs))
    calls = receiver.calls("POST")
    assert [c.status for c in calls] == [503, 200]
    # SAPJMSRetries is internal: it steers the flow but never reaches a receiver
    assert not any(k.lower() == "sapjmsretries" for c in calls for k in c.headers)


def test_restart_loses_no_queued_message(tmp_path, receiver, sink):
    from harness.emulator.runtime import InMemoryMplSink, Runtime

    state = tmp_path / "state"
    first = Runtime(state, InMemoryMplSink(), time_scale=0.001)
    first.deploy("Producer", "1", producer_zip())
    for n in range(3):
        assert post(first, "/http/orders", json.dumps({"n": n}))[0] == 200
    leased = first.broker.lease("ORDERS")            # one message in flight when the process dies
    assert leased is not None
    first.close()

    second = Runtime(state, sink, time_scale=0.001)
    second.deploy("Consumer", "1", consumer_zip(receiver.url))
    second.start()
    try:
        sink.wait_for(lambda rs: sum(r.status == COMPLETED for r in rs) == 3)
        bodies = sorted(json.loads(c.body)["n"] for c in receiver.calls("POST"))
        assert bodies == [0, 1, 2]
        second.wait_idle()
    finally:
        second.close()


def test_exception_subprocess_steers_retries_with_sapjmsretries(make_runtime, receiver, sink):
    """The accelerator's pattern: after N retries the flow parks the message itself."""
    b = FlowBuilder("Retrying")
    lip = b.process("Retry handling", local=True)
    ls, gw = lip.start(), lip.router()
    park = lip.send(jms_receiver("PARKED"))
    le, rethrow = lip.end(), lip.error_end()
    lip.chain(ls, gw)
    lip.route(gw, park, "${header.SAPJMSRetries} >= '2'", name="park")
    lip.route(gw, rethrow, None, default=True)
    lip.chain(park, le)
    p = b.process()
    start, end = p.message_start(), p.message_end()
    call = p.request_reply(http_receiver(receiver.url + "/x"))
    p.chain(start, call, end)
    sub = p.exception_subprocess()
    es, pc, se = sub.error_start(), sub.process_call(lip.id), sub.message_end()
    sub.chain(es, pc, se)
    b.sender(start, jms_sender("IN"))
    receiver.fail(500)
    runtime = make_runtime()
    runtime.deploy("Retrying", "1", b.zip())
    runtime.broker.enqueue("IN", b"payload", {}, {})
    runtime.start()
    records = sink.wait_for(lambda rs: any(r.status == COMPLETED for r in rs))
    assert [r.status for r in sorted(records, key=lambda r: r.begun)] == [RETRY, RETRY, COMPLETED]
    parked = runtime.broker.messages("PARKED")
    assert len(parked) == 1 and parked[0].body == b"payload"


def test_move_messages_replays_dead_letters_and_parked_messages(make_runtime, receiver, sink):
    """The monitor's *Move*: dead letters back to their queue, a flow's parked messages back to the
    queue of the flow that parked them (or to a named queue); all or nothing; retry count reset."""
    runtime = make_runtime(jms_max_retries=2)
    receiver.fail(500, times=2)
    runtime.deploy("Consumer", "1", consumer_zip(receiver.url))
    runtime.start()
    runtime.broker.enqueue("ORDERS", b'{"n": 1}', {}, {}, producer="Producer")
    sink.wait_for(lambda rs: any(r.status == FAILED for r in rs))
    [dead] = runtime.dead_letters("ORDERS")
    parked = runtime.broker.enqueue("ORDERS_DLQ", b'{"n": 2}', {"S4AMZ_ParkReason": "budget spent"}, {},
                                    producer="Consumer")
    foreign = runtime.broker.enqueue("ORDERS_PARKED", b'{"n": 3}', {}, {}, producer="Producer")
    with_reason = runtime.queue_messages("ORDERS_DLQ")[0]
    assert with_reason.headers["S4AMZ_ParkReason"] == "budget spent" and with_reason.status == "queued"

    try:
        runtime.move_messages("ORDERS_DLQ", ids=[parked, 999])
        raise AssertionError("an unknown id must refuse the whole move")
    except KeyError as exc:
        assert "no message 999 waiting in queue ORDERS_DLQ" in str(exc)
    assert [m.id for m in runtime.queue_messages("ORDERS_DLQ")] == [parked]          # nothing moved
    try:
        runtime.move_messages("ORDERS_PARKED")
        raise AssertionError("a message whose producer consumes no queue needs a target")
    except ValueError as exc:
        assert f"message {foreign} of queue ORDERS_PARKED: name the queue to move it to" in str(exc)

    # the receiver is healthy again: every waiting message goes through once moved
    assert runtime.move_messages("ORDERS") == [{"id": dead.id, "from": "ORDERS", "to": "ORDERS"}]
    assert runtime.move_messages("ORDERS_DLQ") == [{"id": parked, "from": "ORDERS_DLQ", "to": "ORDERS"}]
    assert runtime.move_messages("ORDERS_PARKED", to="ORDERS") == [{"id": foreign, "from": "ORDERS_PARKED",
                                                                    "to": "ORDERS"}]
    sink.wait_for(lambda rs: sum(r.status == COMPLETED for r in rs) == 3)
    runtime.wait_idle()
    assert sorted(json.loads(c.body)["n"] for c in receiver.calls("POST") if c.status == 200) == [1, 2, 3]
    assert runtime.queues() == {} and runtime.dead_letters() == []


def test_move_takes_only_what_waits_for_a_person_from_a_consumed_queue(make_runtime, receiver):
    runtime = make_runtime()
    runtime.deploy("Consumer", "1", consumer_zip(receiver.url))          # deployed, consumer not started
    queued = runtime.broker.enqueue("ORDERS", b"{}", {}, {})
    assert runtime.move_messages("ORDERS") == []                          # its consumer will deliver it
    assert runtime.move_messages("ORDERS", to="ELSEWHERE", ids=[queued]) == [
        {"id": queued, "from": "ORDERS", "to": "ELSEWHERE"}]               # named, it moves
    assert [m.queue for m in runtime.broker.messages()] == ["ELSEWHERE"]
