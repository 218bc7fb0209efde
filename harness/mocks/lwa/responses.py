"""Login with Amazon on the wire: ``POST /auth/o2/token`` with a form or JSON body."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from harness.mocks.core.clock import Clock, clock_rule
from harness.mocks.core.faults import Fault
from harness.mocks.core.service import MockService, json_response
from harness.mocks.lwa import urls
from harness.mocks.lwa.exceptions import InvalidRequest
from harness.mocks.lwa.models import LwaBackend

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def read_token_request(request: Request) -> dict[str, str]:
    """The parameters of an OAuth token request, from a form or (as Amazon's Java SDK sends) JSON.

    Raise :class:`InvalidRequest` for another content type, a repeated parameter or a JSON body
    that is not an object of strings.
    """
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        form = request.form
        repeated = sorted(k for k in form if len(form.getlist(k)) > 1)
        if repeated:
            raise InvalidRequest(f"The request includes a parameter more than once : {repeated[0]}")
        return {k: form[k] for k in form}
    if mimetype == "application/json":
        try:
            data: Any = json.loads(request.get_data(as_text=True) or "null")
        except ValueError as exc:
            raise InvalidRequest(f"The request body is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise InvalidRequest("The request body must be a JSON object")
        bad = sorted(k for k, v in data.items() if not isinstance(v, str))
        if bad:
            raise InvalidRequest(f"The request has a malformed parameter : {bad[0]} (expected a string)")
        return data
    raise InvalidRequest(f"Unsupported Content-Type {request.content_type or '(none)'}: send "
                         "application/x-www-form-urlencoded or application/json")


class LwaService(MockService):
    """The Login with Amazon token endpoint."""

    name = "lwa"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.clock = Clock()
        self.backend = LwaBackend(dict(settings or {}), self.clock)
        super().__init__(settings)

    def routes(self) -> list[Rule]:
        return urls.rules(self)

    def extra_control_routes(self) -> list[Rule]:
        return [clock_rule(self.clock),
                Rule("/__mock__/revoke", endpoint=self.control_revoke, methods=["POST"])]

    def state(self) -> dict[str, Any]:
        return self.backend.state()

    def reset(self) -> None:
        self.backend.reset()
        self.clock.reset()

    def fault_response(self, fault: Fault, request: Request) -> Response:
        """Injected errors in LWA's OAuth error format (5xx ``server_error``, 429 ``temporarily_unavailable``)."""
        status = int(fault.status or 500)
        if fault.body is not None:
            body = fault.body
        elif status >= 500:
            body = {"error": "server_error",
                    "error_description": "The authorization server encountered an unexpected condition"}
        elif status == 429:
            body = {"error": "temporarily_unavailable",
                    "error_description": "The authorization server is temporarily unavailable; retry later"}
        else:
            body = {"error": "invalid_request", "error_description": f"injected fault: HTTP {status}"}
        headers = dict(_NO_STORE)
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after).removesuffix(".0")
        return json_response(body, status=status, headers=headers)

    # --- endpoints -------------------------------------------------------------------------------
    def token(self, request: Request) -> Response:
        """``POST /auth/o2/token``."""
        answer = self.backend.grant(read_token_request(request))
        return json_response(answer, headers=_NO_STORE)

    def control_revoke(self, request: Request) -> Response:
        """``POST /__mock__/revoke {"refresh_token": ...}``: the seller withdraws the authorization."""
        payload = request.get_json(force=True, silent=True) or {}
        token = payload.get("refresh_token") if isinstance(payload, dict) else None
        if not token:
            raise ValueError('POST /__mock__/revoke expects {"refresh_token": "Atzr|..."}')
        with self.lock:
            if not self.backend.revoke(str(token)):
                raise ValueError("no client holds that refresh token")
        return json_response({"revoked": True})
