"""SP-API's own errors: ``{"errors": [{"code", "message", "details"}]}`` with the real codes.

Codes and texts as FACTS §3/§4 and public issues show them: ``InvalidInput`` (400),
``Unauthorized`` and ``MissingAuthenticationToken`` (403), ``QuotaExceeded`` (429). The 404/500/503
codes are not documented in the models (UNVERIFIED): the mock uses ``NotFound``,
``InternalFailure`` and ``ServiceUnavailable``.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from harness.mocks.core.service import ServiceError, json_response


class SpApiError(ServiceError):
    """An SP-API error answer."""

    status = 500
    code = "InternalFailure"
    default_message = "We encountered an internal error. Please try again."
    #: ``details`` is sent as "" unless a subclass says otherwise (None = omit the field).
    default_details: str | None = ""
    error_type: str | None = None

    def __init__(self, message: str | None = None, details: str | None = ..., status: int | None = None,  # type: ignore[assignment]
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message or self.default_message, status)
        self.details = self.default_details if details is ... else details
        self.headers = dict(headers or {})
        if self.error_type:
            self.headers.setdefault("x-amzn-ErrorType", self.error_type)

    def error(self) -> dict[str, Any]:
        """One entry of the ``errors`` array."""
        entry: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            entry["details"] = self.details
        return entry

    def body(self) -> dict[str, Any]:
        """The response body (the same for the payload and the bare envelope)."""
        return {"errors": [self.error()]}

    def response(self) -> Response:
        return json_response(self.body(), status=self.status, headers=self.headers)


class InvalidInput(SpApiError):
    """A request that fails validation (parameters, body, or business rules)."""

    status = 400
    code = "InvalidInput"
    default_message = "Invalid request, please check your input."


class Unauthorized(SpApiError):
    """A revoked, malformed, invalid or expired access token (SPM#230, SPD#2147)."""

    status = 403
    code = "Unauthorized"
    default_message = "Access to requested resource is denied."

    def __init__(self, details: str = "The access token you provided is revoked, malformed or invalid.",
                 expired: bool = False) -> None:
        super().__init__(details=details,
                         headers={"x-amzn-ErrorType": "ExpiredTokenException"} if expired else None)


class MissingAuthenticationToken(SpApiError):
    """No ``x-amz-access-token`` header, or a path SP-API does not serve (SPM#955)."""

    status = 403
    code = "MissingAuthenticationToken"
    default_message = "Access to requested resource is denied."
    default_details = None
    error_type = "MissingAuthenticationTokenException"


class NotFound(SpApiError):
    """The resource named in the path does not exist."""

    status = 404
    code = "NotFound"
    default_message = "The resource specified does not exist."


class QuotaExceeded(SpApiError):
    """The operation's token bucket is empty."""

    status = 429
    code = "QuotaExceeded"
    default_message = "You exceeded your quota for the requested resource."


class InternalFailure(SpApiError):
    """An unexpected error (also what an injected 500 looks like)."""


class ServiceUnavailable(SpApiError):
    """Temporary overloading or maintenance (an injected 503)."""

    status = 503
    code = "ServiceUnavailable"
    default_message = "Service temporarily unavailable. Please try again."
