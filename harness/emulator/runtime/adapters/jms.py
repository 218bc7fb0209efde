"""JMS sender (1.0-1.4) consuming a persistent queue, and JMS receiver (1.0-1.6) enqueuing.

The consumer leases one message at a time, runs the flow with the ``SAPJMSRetries`` header (the
number of earlier failed deliveries), deletes the message on success and, on failure, redelivers
it after ``RetryInterval`` minutes (doubled per retry with ``ExponentialBackoff``, capped at
``MaxRetryInterval``), all multiplied by the runtime's time scale. The tenant retries until the
message expires; as a model of that expiry the emulator moves a message to the dead-letter list
after ``Runtime.jms_max_retries`` failed deliveries, with the last error as the reason. A flow that
needs a retry budget enforces its own (``SAPJMSRetries`` against a parameter, then a JMS receiver
to its dead-letter queue). Failed attempts that will be retried end their MPL in status RETRY.
"""

from __future__ import annotations

import threading
import time

from ..context import RunContext
from ..exchange import Exchange, Headers
from ..mpl import FAILED, RETRY
from ..registry import ADAPTERS
from .. import simple
from .base import ReceiverAdapter, SenderAdapter


def _minutes(value: str, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@ADAPTERS.register(("JMS", "Sender"))
class JmsSender(SenderAdapter):
    title = "JMS sender"
    kind = "jms"
    min_version = "1.0"
    max_version = "1.4"

    def compile(self) -> None:
        self.queue = self.prop("QueueName_inbound")
        if not self.queue:
            raise self.fail("QueueName_inbound is empty")
        self.retry_interval = _minutes(self.prop("RetryInterval", "1"), 1.0)
        self.max_interval = _minutes(self.prop("MaxRetryInterval", "60"), 60.0)
        self.exponential = self.flag("ExponentialBackoff")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.busy = threading.Event()

    def delay_seconds(self, retries: int) -> float:
        """Seconds (tenant time) before delivery number ``retries + 1``."""
        minutes = self.retry_interval
        if self.exponential:
            minutes = self.retry_interval * (2 ** max(0, retries - 1))
        return min(minutes, self.max_interval) * 60.0

    def start_consumer(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=f"jms:{self.queue}", daemon=True)
        self._thread.start()

    def stop_consumer(self) -> None:
        self._stop.set()
        self.flow.runtime.broker.wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        self._thread = None

    def _loop(self) -> None:
        broker = self.flow.runtime.broker
        while not self._stop.is_set():
            message = broker.lease(self.queue)
            if message is None:
                due = broker.next_due(self.queue)
                wait = 0.5 if due is None else max(0.001, min(0.5, due - time.time()))
                broker.wait(wait)
                continue
            if self._stop.is_set():
                broker.release(message.id)
                break
            self.busy.set()
            try:
                self.deliver(message)
            finally:
                self.busy.clear()

    def deliver(self, message) -> None:
        """Run the flow for one leased message and settle it."""
        runtime = self.flow.runtime
        headers = Headers(message.headers)
        headers["SAPJMSRetries"] = message.retries
        headers["JMSMessageID"] = f"ID:{message.id}"
        properties = dict(message.properties)
        if message.producer:
            properties.setdefault("SAP_IntegrationFlowID", message.producer)
        ex = Exchange(body=message.body, headers=headers, properties=properties)
        max_retries = runtime.jms_max_retries

        def on_failure(error_text: str) -> tuple[str, str]:
            if message.retries + 1 >= max_retries:
                reason = (f"{error_text} (delivery {message.retries + 1} of {max_retries}: the message "
                          f"was moved to the dead-letter queue of {self.queue})")
                runtime.broker.dead_letter(message.id, runtime.masker(error_text))
                return FAILED, reason
            delay = self.delay_seconds(message.retries + 1)
            runtime.broker.retry(message.id, delay * runtime.time_scale, runtime.masker(error_text))
            return RETRY, f"{error_text} (delivery {message.retries + 1}; next retry in {delay:.0f} s tenant time)"

        outcome = runtime.execute(self.flow, self.process, self.start, ex, sender=f"JMS:{self.queue}",
                                  on_failure=on_failure)
        if outcome.error is None:
            runtime.broker.ack(message.id)


@ADAPTERS.register(("JMS", "Receiver"))
class JmsReceiver(ReceiverAdapter):
    """Puts the message on a queue (headers always, properties when TransferExchangeProperties)."""

    title = "JMS receiver"
    min_version = "1.0"
    max_version = "1.6"

    def compile(self) -> None:
        if not self.prop("QueueName_outbound"):
            raise self.fail("QueueName_outbound is empty")

    def request(self, ex: Exchange, ctx: RunContext) -> None:
        queue = simple.interpolate(self.prop("QueueName_outbound"), ex, ctx)
        properties = dict(ex.properties) if self.flag("TransferExchangeProperties") else {}
        headers = {k: v for k, v in ex.headers.items() if k.lower() not in ("sapjmsretries", "jmsmessageid")}
        headers["SAP_MplCorrelationId"] = ctx.correlation_id
        self.flow.runtime.broker.enqueue(queue, ex.body, headers, properties, producer=self.flow.artifact_id)

    def send(self, ex: Exchange, ctx: RunContext) -> None:
        self.request(ex, ctx)
