"""Buy with Prime's own errors.

Inside GraphQL (HTTP 200, ``data`` partial or null) every error carries
``extensions.classification {type, code, details, errorType, errorCode}`` as the troubleshooting
pages show (FACTS §13.2): types ``AccessDeniedError``, ``ConflictError``, ``InternalServerError``,
``ThrottlingError``, ``ValidationError``, ``ResourceNotFoundError``. The documented codes are
used where the pages name one (``AliasValueAlreadyExists``, ``AliasLimitExceeded``,
``InvalidAddress``, ``InvalidDestination``, ``ItemAmountUnavailable``, ``ItemDoesNotExist``,
``SubscriptionAlreadyExists``, ``DestinationNameAlreadyExists``); every other code below is
INFERRED and named so in ``docs/mocks-amazon.md``.

Errors before GraphQL runs (token, headers, body) use the same error objects with an HTTP
status (INFERRED: 400 for a malformed request, 401 for a missing, unknown or expired token, 403
for a token used with another target id).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from harness.mocks.core.service import ServiceError, json_response
from harness.mocks.lwa.exceptions import LwaError


class BwpError(Exception):
    """A GraphQL-level error with Buy with Prime's classification."""

    type = "ValidationError"
    error_type = "ValidationException"
    error_code = 400
    default_code: str | None = None

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    @property
    def extensions(self) -> dict[str, Any]:
        """What graphql-core copies into the error's ``extensions``."""
        classification: dict[str, Any] = {"type": self.type}
        if self.code:
            classification["code"] = self.code
        classification.update(details={"message": self.message}, errorType=self.error_type, errorCode=self.error_code)
        return {"classification": classification}

    def entry(self) -> dict[str, Any]:
        """A stand-alone ``errors[]`` entry (for answers outside GraphQL execution)."""
        return {"message": self.message, "extensions": self.extensions}


class ValidationError(BwpError):
    """Input the API refuses (code names what)."""


class ConflictError(BwpError):
    """A duplicate alias, subscription or cancellation."""

    type = "ConflictError"
    error_type = "ConflictException"
    error_code = 409


class ResourceNotFoundError(BwpError):
    """No such order, product, inventory item, package or subscription."""

    type = "ResourceNotFoundError"
    error_type = "ResourceNotFoundException"
    error_code = 404


class AccessDeniedError(BwpError):
    """The credentials lack the permission (or the token is not valid)."""

    type = "AccessDeniedError"
    error_type = "AccessDeniedException"
    error_code = 403


class ThrottlingError(BwpError):
    """Too many requests; retry with exponential backoff."""

    type = "ThrottlingError"
    error_type = "ThrottlingException"
    error_code = 429
    default_code = "TooManyRequests"


class InternalServerError(BwpError):
    """A failure on Amazon's side."""

    type = "InternalServerError"
    error_type = "InternalServerException"
    error_code = 500
    default_code = "InternalFailure"


class RequestRejected(ServiceError):
    """An HTTP-level rejection whose body is a GraphQL ``errors`` list."""

    def __init__(self, error: BwpError, status: int) -> None:
        super().__init__(error.message, status)
        self.error = error

    def response(self) -> Response:
        headers = {"WWW-Authenticate": 'Bearer realm="buywithprime"'} if self.status == 401 else None
        return json_response({"errors": [self.error.entry()]}, status=self.status, headers=headers)


class TokenRequestError(LwaError):
    """An OAuth error of the Buy with Prime token endpoint (same format as Login with Amazon's)."""


class InvalidTokenClient(TokenRequestError):
    """Unknown client id or wrong secret."""

    status = 401
    code = "invalid_client"
