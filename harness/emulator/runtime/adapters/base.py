"""Base classes of sender and receiver adapters, and the HTTP plumbing receivers share."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import requests

from ..bpmn import MessageFlow, Node, Scope
from ..context import RunContext
from ..errors import ConnectError, DeployError, ProcessingError
from ..exchange import Exchange
from ..registry import Versioned

if TYPE_CHECKING:  # pragma: no cover
    from ..flow import DeployedFlow

#: Headers that never travel to a receiver (the runtime's own, and hop-by-hop ones).
INTERNAL_PREFIXES = ("camel", "sap_", "sapjms", "jms")
HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive", "accept-encoding",
              "authorization", "cookie", "x-csrf-token", "expect", "te", "upgrade"}


class Adapter(Versioned):
    title: ClassVar[str] = ""

    def __init__(self, channel: MessageFlow, flow: "DeployedFlow") -> None:
        self.channel = channel
        self.flow = flow
        self.compile()

    def prop(self, key: str, default: str = "") -> str:
        value = self.channel.props.get(key)
        return default if value is None or value == "" else value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.channel.props.get(key)
        if value is None or value == "":
            return default
        return value.strip().lower() in ("true", "1", "yes")

    def fail(self, message: str) -> DeployError:
        return DeployError(f"{self.channel.label}: {message}")

    def compile(self) -> None:
        """Check the channel configuration at deploy time."""


class ReceiverAdapter(Adapter):
    """A receiver channel: ``request`` (Request-Reply, message end) or ``send`` (Send step)."""

    def request(self, ex: Exchange, ctx: RunContext) -> None:
        raise NotImplementedError

    def send(self, ex: Exchange, ctx: RunContext) -> None:
        """Send without using the reply (the message continues unchanged)."""
        copy = ex.copy()
        self.request(copy, ctx)


class SenderAdapter(Adapter):
    """A sender channel starting a process at ``start`` (a message start event)."""

    kind: ClassVar[str] = ""

    def __init__(self, channel: MessageFlow, flow: "DeployedFlow", start: Node, process: Scope) -> None:
        self.start = start
        self.process = process
        super().__init__(channel, flow)

    def start_consumer(self) -> None:
        """Begin background consumption (JMS); nothing for request-driven senders."""

    def stop_consumer(self) -> None:
        """End background consumption."""


def header_allowed(name: str, allow: str) -> bool:
    """Is a header in a ``|``/``,``-separated allow-list (``*`` = every non-internal header)?"""
    lowered = name.lower()
    if lowered.startswith(INTERNAL_PREFIXES) or lowered in HOP_BY_HOP:
        return False
    allow = (allow or "").strip()
    if allow == "*":
        return True
    names = {n.strip().lower() for n in allow.replace(",", "|").split("|") if n.strip()}
    return lowered in names


@dataclass
class RetryPolicy:
    """Retries of a receiver call: on connection failures and on the listed status codes."""

    attempts: int = 0
    interval_s: float = 5.0
    status_codes: frozenset[int] = frozenset()


def _retry_after(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def http_call(flow: "DeployedFlow", method: str, url: str, *, headers: dict[str, str], body: bytes | None,
              timeout: float, retry: RetryPolicy | None = None, session: requests.Session | None = None) -> requests.Response:
    """One receiver call with the adapter's retries; raises :class:`ConnectError` when unreachable."""
    session = session or flow.runtime.http
    policy = retry or RetryPolicy()
    attempt = 0
    while True:
        response = None
        error: Exception | None = None
        try:
            response = session.request(method, url, headers=headers, data=body, timeout=timeout,
                                       allow_redirects=False)
        except requests.RequestException as exc:
            error = exc
        retryable = error is not None or (response is not None and response.status_code in policy.status_codes)
        if not retryable or attempt >= policy.attempts:
            break
        attempt += 1
        wait = _retry_after(response)
        delay = min(wait, 60.0) if wait is not None else policy.interval_s
        flow.runtime.sleep(delay)
    if error is not None:
        raise ConnectError(f"Error while connecting to {url}: {type(error).__name__}: {error}")
    assert response is not None
    return response


def auth_header(flow: "DeployedFlow", method: str, alias: str) -> dict[str, str]:
    """The Authorization header for an authentication method and credential alias."""
    if method in ("", "None", "none"):
        return {}
    if method in ("Basic", "BasicAuthentication"):
        return {"Authorization": flow.runtime.security.basic_header(alias)}
    if method in ("OAuth2 Client Credentials", "OAuth2ClientCredentials"):
        return {"Authorization": flow.runtime.security.bearer_header(alias)}
    raise ProcessingError(f"authentication method {method!r} is not supported by the emulator")


SUPPORTED_AUTH = ("", "None", "Basic", "OAuth2 Client Credentials")


def check_auth(adapter: Adapter, method_key: str, alias_key: str) -> tuple[str, str]:
    method = adapter.prop(method_key, "None")
    alias = adapter.prop(alias_key)
    if method not in SUPPORTED_AUTH:
        raise adapter.fail(f"authentication {method!r} is not supported by the emulator "
                           f"(supported: None, Basic, OAuth2 Client Credentials)")
    if method in ("Basic", "OAuth2 Client Credentials") and not alias:
        raise adapter.fail(f"authentication {method} needs a credential name")
    return method, alias


def outbound_headers(ex: Exchange, allow: str) -> dict[str, str]:
    headers = {}
    for name, value in ex.headers.items():
        if value is None:
            continue
        if header_allowed(name, allow) or name.lower() == "content-type":
            headers[name] = value if isinstance(value, str) else str(value)
    return headers


def response_headers(ex: Exchange, response: requests.Response, allow: str) -> None:
    for name, value in response.headers.items():
        if header_allowed(name, allow) and name.lower() not in ("set-cookie",):
            ex.headers[name] = value
    ex.headers["CamelHttpResponseCode"] = response.status_code
    ex.headers["CamelHttpResponseText"] = response.reason or ""
    content_type = response.headers.get("Content-Type")
    if content_type:
        ex.headers["Content-Type"] = content_type


def timeout_seconds(value: str, unit_ms: bool, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    if number <= 0:
        return default
    return number / 1000 if unit_ms else number * 60
