"""SP-API on the wire: access token, throttling, contract checks, headers, error bodies.

Every operation goes through :meth:`SpApiService.handle`:

1. ``x-amz-access-token`` must hold an unexpired LWA token issued for a selling partner
   (``refresh_token`` grant) by the ``lwa`` mock -> else 403 ``MissingAuthenticationToken`` or
   ``Unauthorized``;
2. the operation's token bucket (the model's rate and burst) must have a token -> else 429
   ``QuotaExceeded`` (only ``x-amzn-RequestId`` as header, as the models declare);
3. parameters and body must match the contract -> else 400 ``InvalidInput`` naming the field;
4. the answer is checked against the contract before it leaves; a violation is a mock bug and
   becomes a 500 listed under ``contract_violations`` in ``/__mock__/state``.

Control routes: ``/__mock__/clock``, ``/__mock__/inventory/<sku>`` (set quantities),
``/__mock__/fulfillment-orders/<id>/advance`` (``{"to": "Processing"|"Complete"|...,
"shipments": n}``, ``{"step": "deliver"}``, ``{"step": "receive_returns", "condition": ...}``),
``/__mock__/settlements`` (publish a settlement report), ``/__mock__/reports/<id>/fatal`` (abort a
report), ``/__mock__/throttle`` (on/off).
"""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from harness.mocks.core.clock import Clock, clock_rule
from harness.mocks.core.faults import Fault
from harness.mocks.core.service import MockService, json_response
from harness.mocks.lwa.models import ACCESS_TOKEN_PREFIX
from harness.mocks.lwa.tokens import TokenRejected, TokenSigner
from harness.mocks.spapi import contract, urls
from harness.mocks.spapi.contract import Operation
from harness.mocks.spapi.exceptions import (InternalFailure, InvalidInput, MissingAuthenticationToken, QuotaExceeded,
                                            ServiceUnavailable, SpApiError, Unauthorized)
from harness.mocks.spapi.inventory import QUANTITIES
from harness.mocks.spapi.models import Call, SpApiBackend
from harness.mocks.spapi.throttle import Throttle

#: Statuses whose responses carry ``x-amzn-RateLimit-Limit`` in the models.
_RATE_HEADER_STATUSES = {200, 201, 202, 204, 400, 404}


class SpApiService(MockService):
    """The Selling Partner API mock."""

    name = "spapi"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        self.clock = Clock()
        self.backend = SpApiBackend(settings, self.clock)
        self.signer = TokenSigner.from_settings(ACCESS_TOKEN_PREFIX, settings)
        self.throttle = Throttle(bool(settings.get("throttle", True)))
        self.contract_violations: list[dict[str, Any]] = []
        super().__init__(settings)

    # --- MockService hooks -------------------------------------------------------------------------
    def routes(self) -> list[Rule]:
        return urls.rules(self)

    def extra_control_routes(self) -> list[Rule]:
        return [
            clock_rule(self.clock),
            Rule("/__mock__/inventory/<sku>", endpoint=self.control_inventory, methods=["POST"]),
            Rule("/__mock__/fulfillment-orders/<order_id>/advance", endpoint=self.control_advance, methods=["POST"]),
            Rule("/__mock__/settlements", endpoint=self.control_settlement, methods=["POST"]),
            Rule("/__mock__/reports/<report_id>/fatal", endpoint=self.control_fatal, methods=["POST"]),
            Rule("/__mock__/throttle", endpoint=self.control_throttle, methods=["GET", "POST"]),
        ]

    def state(self) -> dict[str, Any]:
        return {**self.backend.state(), "throttle": {"enabled": self.throttle.enabled, "buckets": self.throttle.state()},
                "contract_violations": list(self.contract_violations)}

    def reset(self) -> None:
        self.clock.reset()
        self.backend.reset()
        self.throttle.reset()
        self.contract_violations.clear()

    def fault_response(self, fault: Fault, request: Request) -> Response:
        """Injected errors in SP-API's shape: 429 ``QuotaExceeded``, 503 ``ServiceUnavailable``, ..."""
        status = int(fault.status or 500)
        error: SpApiError
        if status == 429:
            error = QuotaExceeded()
        elif status == 503:
            error = ServiceUnavailable()
        elif status >= 500:
            error = InternalFailure(status=status)
        elif status == 403:
            error = Unauthorized()
        else:
            error = InvalidInput(f"injected fault: HTTP {status}", status=status)
        response = json_response(fault.body if fault.body is not None else error.body(), status=status,
                                 headers={"x-amzn-RequestId": str(uuid.uuid4()), **error.headers})
        if fault.retry_after is not None:
            response.headers["Retry-After"] = str(fault.retry_after).removesuffix(".0")
        return response

    def not_found(self, request: Request) -> Response:
        """SP-API answers a path it does not serve like a call without a token (SPM#955)."""
        error = MissingAuthenticationToken(details=f"No operation at {request.method} {request.path}.")
        return json_response(error.body(), status=error.status,
                             headers={"x-amzn-RequestId": str(uuid.uuid4()), **error.headers})

    def method_not_allowed(self, request: Request) -> Response:
        return self.not_found(request)

    # --- operations ---------------------------------------------------------------------------------
    def handle(self, request: Request, operation: Operation, **path_values: str) -> Response:
        """Serve one SP-API operation."""
        headers = {"x-amzn-RequestId": str(uuid.uuid4())}
        try:
            principal = self._authenticate(request)
            if not self.throttle.allow(operation.name, principal, operation.rate, operation.burst, self.clock.now()):
                raise QuotaExceeded()
            params = contract.parse_parameters(operation, request.args, path_values)
            given = {p.name for p in operation.parameters
                     if p.name in path_values or p.name in request.args}
            body = contract.parse_body(operation, request.get_data(cache=True), request.mimetype)
            status, payload = self.backend.call(operation.name, Call(params, given, body, request.host_url))
        except SpApiError as error:
            status, payload = error.status, error.body()
            headers.update(error.headers)
        if status in _RATE_HEADER_STATUSES:
            headers["x-amzn-RateLimit-Limit"] = operation.rate_header
        problems = contract.response_problems(operation, status, payload)
        if problems:
            self.contract_violations.append({"operation": operation.name, "status": status, "problems": problems})
            violation = InternalFailure(details=f"mock contract violation: {problems[0]}")
            return json_response(violation.body(), status=500, headers={"x-amzn-RequestId": headers["x-amzn-RequestId"]})
        if payload is None:  # e.g. cancelReport: 200 without a body
            return Response(b"", status=status, headers=headers, content_type="application/json")
        return json_response(payload, status=status, headers=headers)

    def _authenticate(self, request: Request) -> str:
        token = request.headers.get("x-amz-access-token")
        if not token:
            raise MissingAuthenticationToken()
        try:
            claims = self.signer.verify(token, self.clock.now())
        except TokenRejected as rejected:
            raise Unauthorized(expired=rejected.expired) from None
        if claims.get("grant") != "refresh_token":
            # A grantless (client_credentials) token cannot call a selling partner's operations.
            raise Unauthorized()
        return f"{claims.get('client_id')}/{claims.get('selling_partner_id')}"

    def download(self, request: Request, document_id: str) -> Response:
        """A presigned report-document URL (S3's role): no token, but signature and expiry."""
        try:
            document = self.backend.reports.download(document_id, dict(request.args.items()))
        except (LookupError, PermissionError, KeyError, ValueError) as exc:
            code = "NoSuchKey" if isinstance(exc, LookupError) and not isinstance(exc, KeyError) else "AccessDenied"
            status = 404 if code == "NoSuchKey" else 403
            xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{exc}</Message></Error>'
            return Response(xml, status=status, content_type="application/xml")
        headers = {}
        if request.args.get("response-content-encoding") == "gzip":
            headers["Content-Encoding"] = "gzip"
        # Amazon's documents often come without a charset (SPM#3025): clients must decode explicitly.
        content_type = "application/octet-stream" if document.compressed else "text/plain"
        return Response(document.content, headers=headers, content_type=content_type)

    # --- control routes -----------------------------------------------------------------------------
    def control_inventory(self, request: Request, sku: str) -> Response:
        """``POST /__mock__/inventory/<sku> {"fulfillable": 5, ...}``."""
        changes = request.get_json(force=True, silent=True)
        if not isinstance(changes, dict) or not changes:
            raise ValueError(f"expects a JSON object with some of {sorted(QUANTITIES)}")
        with self.lock:
            self.backend.inventory.set_quantities(sku, changes)
            return json_response(self.backend.inventory.state()[sku])

    def control_advance(self, request: Request, order_id: str) -> Response:
        """Move a fulfillment order along (``to`` a status, or a ``step``)."""
        payload = request.get_json(force=True, silent=True)
        if not isinstance(payload, dict) or not ({"to", "step"} & set(payload)):
            raise ValueError('expects {"to": "<FulfillmentOrderStatus>", "shipments": n} or '
                             '{"step": "deliver"|"receive_returns", ...}')
        with self.lock:
            orders = self.backend.orders
            try:
                if "to" in payload:
                    orders.advance(order_id, str(payload["to"]), int(payload.get("shipments", 1)))
                if payload.get("step") == "deliver":
                    orders.deliver(order_id, payload.get("package"))
                elif payload.get("step") == "receive_returns":
                    orders.receive_returns(order_id, str(payload.get("condition", "Sellable")))
                elif "step" in payload:
                    raise ValueError(f"unknown step {payload['step']!r}; expected deliver or receive_returns")
            except SpApiError as error:
                return json_response({"error": error.message}, status=409 if error.status == 400 else error.status)
            return json_response(orders.result(orders.get(order_id))["payload"])

    def control_settlement(self, request: Request) -> Response:
        """``POST /__mock__/settlements`` with a settlement like the seed's: publish its report."""
        spec = request.get_json(force=True, silent=True)
        if not isinstance(spec, dict):
            raise ValueError("expects a settlement object (settlement_id, start/end/deposit, transactions)")
        with self.lock:
            report_id = self.backend.reports.add_settlement(spec)
            return json_response(self.backend.reports.get(report_id), status=201)

    def control_fatal(self, request: Request, report_id: str) -> Response:
        """``POST /__mock__/reports/<id>/fatal``: the report aborts with FATAL."""
        with self.lock:
            try:
                return json_response(self.backend.reports.fail(report_id))
            except SpApiError as error:
                return json_response({"error": error.message}, status=404)

    def control_throttle(self, request: Request) -> Response:
        """``POST /__mock__/throttle {"enabled": false}`` switches throttling off (and refills)."""
        if request.method == "POST":
            payload = request.get_json(force=True, silent=True)
            if not isinstance(payload, dict) or not isinstance(payload.get("enabled"), bool):
                raise ValueError('expects {"enabled": true|false}')
            self.throttle.enabled = payload["enabled"]
            self.throttle.reset()
        return json_response({"enabled": self.throttle.enabled})
