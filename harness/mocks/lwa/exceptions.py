"""Login with Amazon's own errors: OAuth 2.0 error bodies as LWA sends them.

Body ``{"error": "<code>", "error_description": "<text>"}``; status 400, or 401 for client
authentication failures (FACTS §1; texts as observed in public issues).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from harness.mocks.core.service import ServiceError, json_response


class LwaError(ServiceError):
    """An OAuth error response."""

    status = 400
    code = "invalid_request"

    def response(self) -> Response:
        """``{"error", "error_description"}`` with ``Cache-Control: no-store`` like every token answer."""
        return json_response({"error": self.code, "error_description": self.message}, status=self.status,
                             headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


class InvalidRequest(LwaError):
    """A parameter is missing, repeated or malformed, or the body is not form/JSON."""

    code = "invalid_request"


class InvalidClient(LwaError):
    """Unknown client id or wrong secret."""

    status = 401
    code = "invalid_client"

    def __init__(self, message: str = "Client authentication failed") -> None:
        super().__init__(message)


class InvalidGrant(LwaError):
    """Unknown, revoked or foreign refresh token."""

    code = "invalid_grant"


class UnsupportedGrantType(LwaError):
    """A grant type other than ``refresh_token`` or ``client_credentials``."""

    code = "unsupported_grant_type"


class InvalidScope(LwaError):
    """A scope the client may not request (or none for a grantless call)."""

    code = "invalid_scope"
