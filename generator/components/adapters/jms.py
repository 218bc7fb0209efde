"""JMS sender 1.4.3 and receiver 1.6.3 (adapter bundle 1.6.3): the tenant's message queues."""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.base import Field

_ACCESS = ("Non-Exclusive", "Exclusive")


class JmsSender(Adapter):
    """Consumes a persistent queue; retries with back-off, then the dead-letter queue."""

    summary = "JMS sender: consumes a tenant queue with retries"
    spec_name = "jms"
    cname = "sap:JMS"
    version = "1.4.3"
    component_type = "JMS"
    transport = "Not Applicable"
    message = "Not Applicable"
    direction = "Sender"
    protocol_version = "1.6.3"
    default_name = "JMS"
    keys = ("ComponentType", "Description", "NumberConcurrentProcesses", "MaxRetryInterval",
            "ComponentNS", "componentVersion", "useDeadLetterQueue", "ExponentialBackoff", "Name",
            "TransportProtocolVersion", "ComponentSWCVName", "system", "QueueName_inbound",
            "TransportProtocol", "RetryInterval", "cmdVariantUri", "MessageProtocol",
            "MessageProtocolVersion", "ComponentSWCVId", "AccessType", "direction")
    fields = (
        Field("QueueName_inbound", "queue", label="Queue Name", ref="plain"),
        Field("NumberConcurrentProcesses", "concurrency", "1", "integer",
              label="Number of Concurrent Processes", ref="plain"),
        Field("RetryInterval", "retry_interval", "1", "integer", label="Retry Interval (in min)",
              ref="plain"),
        Field("MaxRetryInterval", "max_retry_interval", "60", "integer",
              label="Maximum Retry Interval (in min)", ref="plain"),
        Field("ExponentialBackoff", "exponential_backoff", "1", "flag",
              label="Exponential Backoff", ref="plain"),
        Field("useDeadLetterQueue", "dead_letter_queue", "1", "flag", label="Dead-Letter Queue",
              ref="plain"),
        Field("AccessType", "access_type", "Non-Exclusive", "choice", _ACCESS, label="Access Type",
              ref="plain"),
    )

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "QueueName_inbound", "queue")


class JmsReceiver(Adapter):
    """Puts the message on a persistent queue (asynchronous)."""

    summary = "JMS receiver: enqueues the message in a tenant queue"
    spec_name = "jms"
    cname = "sap:JMS"
    version = "1.6.3"
    component_type = "JMS"
    transport = "Not Applicable"
    message = "Not Applicable"
    direction = "Receiver"
    protocol_version = "1.6.3"
    default_name = "JMS"
    keys = ("ComponentType", "Description", "ComponentNS", "componentVersion",
            "UseMessageCompression", "Name", "TransportProtocolVersion", "ComponentSWCVName",
            "QueueName_outbound", "system", "EncryptMessage", "RetentionThresholdAlerting",
            "ExpirationPeriod", "TransportProtocol", "cmdVariantUri", "TransferExchangeProperties",
            "MessageProtocol", "MessageProtocolVersion", "ComponentSWCVId", "AccessType",
            "direction")
    fields = (
        Field("QueueName_outbound", "queue", label="Queue Name", ref="plain"),
        Field("RetentionThresholdAlerting", "retention_days", "2", "integer",
              label="Retention Threshold for Alerting (in d)", ref="plain"),
        Field("ExpirationPeriod", "expiration_days", "90", "integer",
              label="Expiration Period (in d)", ref="plain"),
        Field("EncryptMessage", "encrypt", "1", "flag", label="Encrypt Stored Message",
              ref="plain"),
        Field("UseMessageCompression", "compress", "0", "flag", label="Compress Stored Message",
              ref="plain"),
        Field("TransferExchangeProperties", "transfer_properties", "0", "flag",
              label="Transfer Exchange Properties", ref="plain"),
        Field("AccessType", "access_type", "Non-Exclusive", "choice", _ACCESS, label="Access Type",
              ref="plain"),
    )

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "QueueName_outbound", "queue")
