"""Buy with Prime events: subscriptions, envelopes, and delivery with retries.

Events are thin (FACTS §13.5): an EventBridge envelope ``{version, id, detail-type, source,
account, time, region, resources, detail}`` whose ``detail`` holds ``idempotencyKey,
eventDescriptor, resources, eventId, apiVersion, subscriptionId, eventTime, data``; a webhook
receives exactly the ``detail`` object. Each event goes to every subscription whose event types
include it.

Subscriptions come from settings (``subscriptions``), from ``POST /__mock__/subscriptions``
(``{"url", "form": "eventbridge"|"webhook", "event_types": [...], "auth": {"basic": {"username",
"password"}} | {"bearer": "token"}}``) or from the GraphQL ``createEventSubscription`` mutation
(webhook destinations are delivered; EventBridge destinations cannot be reached from here, so
their events are only recorded). A delivery that fails (connection error or non-2xx answer) is
retried after each of ``retry_delays`` seconds, then parked as ``failed`` with the last reason;
``/__mock__/state`` lists every delivery and ``POST /__mock__/deliveries/retry`` queues the failed
ones again.
"""

from __future__ import annotations

import base64
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from harness.mocks.core.clock import Clock, iso

API_VERSION = "2024-11-01"
EVENT_TYPES = (
    "BUYABILITY_CHANGED", "INVENTORY_CHANGED", "PACKAGE_DELIVERED", "PACKAGE_DELIVERY_CANCELLED",
    "PACKAGE_DELIVERY_IN_TRANSIT", "PACKAGE_TRACKER_MILESTONE_CHANGED",
    "PERSONAL_DATA_DELETION_TASK_COMPLETED", "PERSONAL_DATA_DELETION_TASK_FAILED",
    "PERSONAL_DATA_RETRIEVAL_TASK_COMPLETED", "PERSONAL_DATA_RETRIEVAL_TASK_FAILED",
    "REFUND_REQUESTED", "REFUND_COMPLETED", "RETURN_STARTED", "RETURN_PACKAGE_IN_TRANSIT",
    "RETURN_PACKAGE_DELIVERED", "RETURN_PACKAGE_DELIVERY_FAILED", "RETURN_ITEM_GRADED", "RETURN_COMPLETED",
)
FORMS = ("eventbridge", "webhook")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


@dataclass
class Subscription:
    """Where events go."""

    subscription_id: str
    form: str
    url: str | None
    event_types: tuple[str, ...] | None = None  # None: every event
    auth: dict[str, Any] | None = None
    origin: str = "control"
    destination: dict[str, Any] = field(default_factory=dict)

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types

    def to_json(self) -> dict[str, Any]:
        return {"subscriptionId": self.subscription_id, "form": self.form, "url": self.url,
                "eventTypes": list(self.event_types) if self.event_types else None, "origin": self.origin,
                "auth": sorted(self.auth) if self.auth else None}


@dataclass
class Delivery:
    """One event on its way to one subscription."""

    delivery_id: str
    event_id: str
    event_type: str
    subscription_id: str
    url: str | None
    body: dict[str, Any]
    headers: dict[str, str]
    status: str = "pending"  # pending | delivered | failed | recorded (no URL to post to)
    attempts: int = 0
    next_attempt: float = 0.0
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"deliveryId": self.delivery_id, "eventId": self.event_id, "eventType": self.event_type,
                "subscriptionId": self.subscription_id, "url": self.url, "status": self.status,
                "attempts": self.attempts, "lastStatus": self.last_status, "lastError": self.last_error,
                "deliveredAt": self.delivered_at}


def parse_subscription(data: Any, origin: str = "control") -> Subscription:
    """A subscription from a control request or settings; ValueError names the bad field."""
    if not isinstance(data, dict):
        raise ValueError("a subscription is a JSON object with 'url' and 'form'")
    allowed = {"url", "form", "event_types", "auth", "subscription_id"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"unknown subscription field(s) {sorted(unknown)}; expected some of {sorted(allowed)}")
    url = data.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        raise ValueError(f"'url' must be an http(s) URL, got {url!r}")
    form = data.get("form", "eventbridge")
    if form not in FORMS:
        raise ValueError(f"'form' must be one of {FORMS}, got {form!r}")
    types = data.get("event_types")
    if types is not None:
        if not isinstance(types, list) or not types:
            raise ValueError("'event_types' must be a non-empty list of event types")
        bad = [t for t in types if t not in EVENT_TYPES]
        if bad:
            raise ValueError(f"unknown event type(s) {bad}; expected some of {list(EVENT_TYPES)}")
    auth = data.get("auth")
    if auth is not None:
        basic = auth.get("basic") if isinstance(auth, dict) else None
        if not (isinstance(auth, dict) and len(auth) == 1 and (
                (isinstance(basic, dict) and {"username", "password"} <= set(basic))
                or isinstance(auth.get("bearer"), str))):
            raise ValueError("'auth' must be {\"basic\": {\"username\", \"password\"}} or {\"bearer\": \"<token>\"}")
    return Subscription(str(data.get("subscription_id") or f"sub-{uuid.uuid4()}"), form, url,
                        tuple(types) if types else None, auth, origin)


def check_eventbridge_destination(destination: dict[str, Any]) -> None:
    """Raise ValueError when an EventBridge region fails the documented regex validation."""
    if not _REGION.match(destination.get("region", "")):
        raise ValueError(f"invalid region {destination.get('region')!r}")


class EventBus:
    """Publishes events to subscriptions and delivers them in the background."""

    def __init__(self, clock: Clock, business_product_id: str, account: str, source_name: str,
                 retry_delays: list[float] | None = None, timeout: float = 5.0) -> None:
        self.clock = clock
        self.business_product_id = business_product_id
        self.account = account
        self.source = f"aws.partner/buywithprime/{source_name}"
        self.retry_delays = list(retry_delays if retry_delays is not None else [0.2, 0.5, 1.0, 2.0])
        self.timeout = timeout
        self.subscriptions: dict[str, Subscription] = {}
        self.events: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._session = requests.Session()

    # --- subscriptions ----------------------------------------------------------------------------
    def subscribe(self, subscription: Subscription) -> Subscription:
        with self._cond:
            self.subscriptions[subscription.subscription_id] = subscription
        return subscription

    def unsubscribe(self, subscription_id: str) -> bool:
        with self._cond:
            return self.subscriptions.pop(subscription_id, None) is not None

    # --- publishing --------------------------------------------------------------------------------
    def resource(self, *parts: str) -> str:
        """``businessProduct/<bp>/...``."""
        return "/".join(("businessProduct", self.business_product_id, *parts))

    def publish(self, event_type: str, resource: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record an event and queue a delivery to every interested subscription."""
        now = iso(self.clock.now())
        event_id = str(uuid.uuid4())
        base_detail = {"idempotencyKey": str(uuid.uuid4()), "eventDescriptor": event_type, "resources": [resource],
                       "eventId": event_id, "apiVersion": API_VERSION, "eventTime": now, "data": data or {}}
        record: dict[str, Any] = {"eventId": event_id, "eventType": event_type, "resource": resource, "time": now,
                  "data": data or {}, "subscriptions": []}
        with self._cond:
            self.events.append(record)
            for sub in list(self.subscriptions.values()):
                if not sub.wants(event_type):
                    continue
                detail = dict(base_detail, subscriptionId=sub.subscription_id)
                body = detail if sub.form == "webhook" else {
                    "version": "0", "id": str(uuid.uuid4()), "detail-type": event_type, "source": self.source,
                    "account": self.account, "time": now, "region": "us-east-1", "resources": [resource],
                    "detail": detail}
                headers = {"Content-Type": "application/json"}
                if sub.auth and "basic" in sub.auth:
                    pair = f"{sub.auth['basic']['username']}:{sub.auth['basic']['password']}".encode("utf-8")
                    headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
                elif sub.auth and "bearer" in sub.auth:
                    headers["Authorization"] = f"Bearer {sub.auth['bearer']}"
                delivery = Delivery(f"dlv-{uuid.uuid4()}", event_id, event_type, sub.subscription_id, sub.url,
                                    body, headers, status="pending" if sub.url else "recorded")
                self.deliveries.append(delivery)
                record["subscriptions"].append(sub.subscription_id)
            self._cond.notify_all()
        if any(d.status == "pending" for d in self.deliveries):
            self._ensure_worker()
        return record

    def retry_failed(self) -> int:
        """Queue every parked delivery again; return how many."""
        with self._cond:
            failed = [d for d in self.deliveries if d.status == "failed"]
            for delivery in failed:
                delivery.status, delivery.next_attempt = "pending", 0.0
            self._cond.notify_all()
        if failed:
            self._ensure_worker()
        return len(failed)

    def wait_settled(self, timeout: float) -> bool:
        """Block until no delivery is pending (each delivered, failed or recorded); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while any(d.status == "pending" for d in self.deliveries):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))
        return True

    def pending(self) -> int:
        with self._cond:
            return sum(1 for d in self.deliveries if d.status == "pending")

    # --- delivery worker -----------------------------------------------------------------------------
    def _ensure_worker(self) -> None:
        with self._cond:
            if self._closed or (self._thread is not None and self._thread.is_alive()):
                return
            self._thread = threading.Thread(target=self._run, name="bwp-event-delivery", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                now = time.monotonic()
                due = [d for d in self.deliveries if d.status == "pending" and d.next_attempt <= now]
                if not due:
                    waits = [d.next_attempt - now for d in self.deliveries if d.status == "pending"]
                    if not waits:
                        self._cond.wait(timeout=1.0)
                        if not any(d.status == "pending" for d in self.deliveries):
                            self._thread = None
                            return
                        continue
                    self._cond.wait(timeout=max(0.01, min(waits)))
                    continue
            for delivery in due:
                self._attempt(delivery)

    def _attempt(self, delivery: Delivery) -> None:
        assert delivery.url is not None
        status: int | None = None
        error: str | None = None
        try:
            response = self._session.post(delivery.url, json=delivery.body, headers=delivery.headers,
                                          timeout=self.timeout)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}: {response.text[:200]}"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        with self._cond:
            delivery.attempts += 1
            delivery.last_status, delivery.last_error = status, error
            if error is None:
                delivery.status, delivery.delivered_at = "delivered", iso(self.clock.now())
            elif delivery.attempts > len(self.retry_delays):
                delivery.status = "failed"
            else:
                delivery.next_attempt = time.monotonic() + self.retry_delays[delivery.attempts - 1]
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the worker (pending deliveries stay pending)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.timeout + 1)
        self._session.close()

    def clear(self) -> None:
        """Forget events and deliveries (subscriptions are kept by the caller's reset)."""
        with self._cond:
            self.events.clear()
            self.deliveries.clear()

    def state(self) -> dict[str, Any]:
        with self._cond:
            return {"subscriptions": [s.to_json() for s in self.subscriptions.values()],
                    "events": list(self.events), "deliveries": [d.to_json() for d in self.deliveries]}
