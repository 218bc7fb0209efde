"""HTTPS sender (1.3-1.5) and HTTP receiver (1.4-1.17)."""

from __future__ import annotations

import fnmatch
import secrets
from typing import Any

from ..context import RunContext
from ..errors import HttpResponseError, SenderRejection
from ..exchange import Exchange, Headers
from ..registry import ADAPTERS
from .. import simple
from .base import (ReceiverAdapter, RetryPolicy, SenderAdapter, auth_header, check_auth, http_call,
                   outbound_headers, response_headers, timeout_seconds)

AHC_ERROR = "org.apache.camel.component.ahc.AhcOperationFailedException"


def principal_name(principal: Any) -> str | None:
    if principal is None:
        return None
    if isinstance(principal, dict):
        return principal.get("name")
    return getattr(principal, "name", None)


def principal_roles(principal: Any) -> set[str]:
    if principal is None:
        return set()
    roles = principal.get("roles") if isinstance(principal, dict) else getattr(principal, "roles", ())
    return set(roles or ())


class RoleBasedSender(SenderAdapter):
    """Sender adapters the tenant protects with a role (HTTPS, SOAP)."""

    def check_caller(self, principal: Any) -> None:
        if principal_name(principal) is None:
            raise SenderRejection(401, "Unauthorized: authentication is required",
                                  {"WWW-Authenticate": 'Basic realm="Cloud Integration"'})
        auth_type = self.prop("senderAuthType", "RoleBased")
        if auth_type == "RoleBased":
            role = self.prop("userRole", "ESBMessaging.send")
            if role not in principal_roles(principal):
                raise SenderRejection(403, f"Forbidden: the user {principal_name(principal)} does not "
                                           f"have the role {role} required by this endpoint")

    def check_size(self, body: bytes) -> None:
        limit = self.prop("maximumBodySize", "40")
        try:
            limit_bytes = float(limit) * 1024 * 1024
        except ValueError:
            return
        if len(body) > limit_bytes:
            raise SenderRejection(413, f"Request Entity Too Large: the body exceeds the maximum of {limit} MB")


@ADAPTERS.register(("HTTPS", "Sender"))
class HttpsSender(RoleBasedSender):
    """``/http/<urlPath>``: role check, optional CSRF protection, body-size limit."""

    title = "HTTPS sender"
    kind = "http"
    min_version = "1.3"
    max_version = "1.5"

    def compile(self) -> None:
        path = self.prop("urlPath")
        if not path:
            raise self.fail("urlPath is empty")
        self.path = "/" + path.strip().lstrip("/")
        self.csrf = self.flag("xsrfProtection")
        auth = self.prop("senderAuthType", "RoleBased")
        if auth not in ("RoleBased", "None"):
            raise self.fail(f"senderAuthType {auth!r} is not supported (RoleBased)")

    def matches(self, path: str) -> str | None:
        """The sub-path when ``path`` (below ``/http``) is served by this channel, else None."""
        if self.path.endswith("/*"):
            base = self.path[:-2]
            if path == base or path.startswith(base + "/"):
                return path[len(base):]
            return None
        if "*" in self.path:
            return "" if fnmatch.fnmatchcase(path, self.path) else None
        return "" if path.rstrip("/") == self.path.rstrip("/") else None

    def check_csrf(self, method: str, headers: Headers, principal: Any) -> dict[str, str] | None:
        """Answer a token fetch (returns the response headers) or enforce the token (raises)."""
        if not self.csrf:
            return None
        token_header = headers.get("X-CSRF-Token")
        tokens = self.flow.runtime.csrf_tokens
        user = principal_name(principal) or ""
        if method in ("GET", "HEAD") and token_header and token_header.lower() == "fetch":
            token = tokens.get(user)
            if token is None:
                token = secrets.token_urlsafe(24)
                tokens[user] = token
            return {"X-CSRF-Token": token}
        if method not in ("GET", "HEAD", "OPTIONS") and (not token_header or token_header != tokens.get(user)):
            raise SenderRejection(403, "CSRF token validation failed", {"X-CSRF-Token": "Required"})
        return None


@ADAPTERS.register(("HTTP", "Receiver"))
class HttpReceiver(ReceiverAdapter):
    """Calls an HTTP endpoint; errors become ``AhcOperationFailedException``."""

    title = "HTTP receiver"
    min_version = "1.4"
    max_version = "1.17"

    def compile(self) -> None:
        self.address = self.prop("httpAddressWithoutQuery")
        if not self.address:
            raise self.fail("httpAddressWithoutQuery is empty")
        self.method = self.prop("httpMethod", "POST")
        if self.method == "DYNAMIC" and not self.prop("methodSourceExpression"):
            raise self.fail("method DYNAMIC needs methodSourceExpression")
        self.auth, self.alias = check_auth(self, "authenticationMethod", "credentialName")
        self.timeout = timeout_seconds(self.prop("httpRequestTimeout", "60000"), True, 60.0)
        codes = frozenset(int(c) for c in self.prop("httpErrorResponseCodes").replace(" ", "").split(",")
                          if c.isdigit())
        self.retry = RetryPolicy(
            attempts=int(self.prop("retryIteration", "1") or 1) if self.flag("retryOnConnectionFailure") else 0,
            interval_s=float(self.prop("retryInterval", "5") or 5), status_codes=codes)

    def request(self, ex: Exchange, ctx: RunContext) -> None:
        url = simple.interpolate(self.address, ex, ctx)
        query = simple.interpolate(self.prop("httpAddressQuery"), ex, ctx)
        if query:
            url += ("&" if "?" in url else "?") + query
        method = self.method
        if method == "DYNAMIC":
            method = simple.to_text(simple.evaluate(self.prop("methodSourceExpression"), ex, ctx)).upper() or "POST"
        headers = outbound_headers(ex, self.prop("allowedRequestHeaders"))
        headers.update(auth_header(self.flow, self.auth, self.alias))
        send_body = method in ("POST", "PUT", "PATCH") or self.flag("httpShouldSendBody")
        response = http_call(self.flow, method, url, headers=headers, body=ex.body if send_body else None,
                             timeout=self.timeout, retry=self.retry)
        if response.status_code >= 300 and self.flag("throwExceptionOnFailure", True):
            if self.flag("enableMPLAttachments", True):
                ctx.attach("HTTP_Receiver_Adapter_Response_Body", response.headers.get("Content-Type", "text/plain"),
                           response.text)
            ex.headers["CamelHttpResponseCode"] = response.status_code
            raise HttpResponseError(
                f"HTTP operation failed invoking {url} with statusCode: {response.status_code}",
                status=response.status_code, body=response.content, headers=dict(response.headers),
                url=url, java_class=AHC_ERROR, status_text=response.reason or "")
        response_headers(ex, response, self.prop("allowedResponseHeaders", "*"))
        ex.body = response.content
