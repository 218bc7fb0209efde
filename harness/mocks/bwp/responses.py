"""Buy with Prime on the wire: the token endpoint and ``POST /graphql``.

``POST /token`` exchanges API credentials (client id + secret, form or JSON body or HTTP Basic;
``grant_type=client_credentials``) for a 15-minute bearer token (FACTS §13.2; the grant type and
body encoding are INFERRED, the page does not show them).

``POST /graphql`` needs ``Authorization: Bearer <token>``, ``x-api-target-id`` (the business
product id the credentials belong to) and ``x-api-version`` (``2024-11-01``), then runs the
request with graphql-core against ``schema.graphql``: a query or variables that do not fit the
schema are rejected with the validator's errors, resolver errors carry BwP's classification.

Control routes: ``/__mock__/clock``, ``POST /__mock__/orders`` (a ``CreateOrderInput`` as JSON: the
order a merchant's system created, checked and coerced exactly as the ``createOrder`` mutation does;
answers the order as ``order`` returns it), ``/__mock__/orders/<id>/advance`` (``{"step": ...}``, see
:meth:`BwpBackend.advance`), ``/__mock__/inventory/<sku>`` (``{"buyable": n}``),
``/__mock__/subscriptions`` (GET/POST/DELETE), ``/__mock__/deliveries/retry``,
``POST /__mock__/deliveries/wait[?timeout_s=10]`` (until no event delivery is pending: a scenario
step between moving an order and waiting for the flows the events start; 504 on timeout),
``/__mock__/destinations[/<name>]`` (GET, PUT/DELETE): webhook destinations (URL and auth profile)
arranged once for the landscape, as Buy with Prime arranges webhook destinations with the merchant;
they survive a reset, and a subscription names one with ``{"destination": "<name>", ...}``.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import ExecutionResult, GraphQLError, GraphQLSchema, build_schema, execute, parse, validate
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from harness.mocks.bwp import urls
from harness.mocks.bwp.events import EventBus, parse_subscription
from harness.mocks.bwp.exceptions import (AccessDeniedError, BwpError, InternalServerError, InvalidTokenClient,
                                          RequestRejected, ThrottlingError, ValidationError)
from harness.mocks.bwp.models import BwpBackend, StepRejected
from harness.mocks.bwp.resolvers import Root
from harness.mocks.core.clock import Clock, clock_rule
from harness.mocks.core.faults import Fault
from harness.mocks.core.service import MockService, json_response
from harness.mocks.lwa.exceptions import InvalidRequest, UnsupportedGrantType
from harness.mocks.lwa.responses import read_token_request
from harness.mocks.lwa.tokens import TokenRejected, TokenSigner
from harness.mocks.spapi.seed import load_seed

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
TOKEN_PREFIX = "bwp|"
API_VERSIONS = ("2024-11-01",)
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@lru_cache(maxsize=1)
def schema() -> GraphQLSchema:
    """The mock's SDL, built once."""
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


class BwpService(MockService):
    """The Buy with Prime API mock."""

    name = "bwp"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        self.clock = Clock()
        self.seed = load_seed(settings)
        self.signer = TokenSigner.from_settings(TOKEN_PREFIX, settings)
        self.lifetime = float(settings.get("access_token_lifetime", 900))
        self.api_versions = tuple(settings.get("api_versions") or API_VERSIONS)
        self.events = EventBus(self.clock, self.seed.business_product_id, self.seed.aws_account,
                               self.seed.partner_event_source, settings.get("retry_delays"),
                               float(settings.get("delivery_timeout", 5)))
        self.backend = BwpBackend(self.seed, self.clock, self.events, float(settings.get("cancellation_delay", 2)))
        self.destinations: dict[str, dict[str, Any]] = {}     # landscape wiring: kept across resets
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()
        super().__init__(settings)
        self._configure()

    def _configure(self) -> None:
        self.clients: dict[str, dict[str, Any]] = {}
        for index, entry in enumerate(self.settings.get("clients") or []):
            if not isinstance(entry, dict) or not entry.get("client_id") or not entry.get("client_secret"):
                raise ValueError(f"bwp settings: clients[{index}]: expected a mapping with 'client_id' and 'client_secret'")
            self.clients[str(entry["client_id"])] = entry
        for entry in self.settings.get("subscriptions") or []:
            self.events.subscribe(parse_subscription(entry, origin="settings"))

    # --- MockService hooks -------------------------------------------------------------------------
    def routes(self) -> list[Rule]:
        return urls.rules(self)

    def extra_control_routes(self) -> list[Rule]:
        return [
            clock_rule(self.clock, self._after_clock_move),
            Rule("/__mock__/orders", endpoint=self.control_create_order, methods=["POST"]),
            Rule("/__mock__/orders/<reference>/advance", endpoint=self.control_advance, methods=["POST"]),
            Rule("/__mock__/inventory/<reference>", endpoint=self.control_inventory, methods=["POST"]),
            Rule("/__mock__/subscriptions", endpoint=self.control_subscriptions, methods=["GET", "POST", "DELETE"]),
            Rule("/__mock__/deliveries/retry", endpoint=self.control_retry, methods=["POST"]),
            Rule("/__mock__/deliveries/wait", endpoint=self.control_wait, methods=["POST"]),
            Rule("/__mock__/destinations", endpoint=self.control_destinations, methods=["GET"]),
            Rule("/__mock__/destinations/<name>", endpoint=self.control_destination, methods=["PUT", "DELETE"]),
        ]

    def state(self) -> dict[str, Any]:
        return {**self.backend.state(), **self.events.state()}

    def reset(self) -> None:
        self.clock.reset()
        self.backend.reset()
        self.events.clear()
        self.events.subscriptions.clear()
        self._configure()

    def close(self) -> None:
        self._stop.set()
        self.events.close()

    def fault_response(self, fault: Fault, request: Request) -> Response:
        """Injected errors as GraphQL errors: 429 ``ThrottlingError``, 5xx ``InternalServerError``."""
        status = int(fault.status or 500)
        error: BwpError
        if status == 429:
            error = ThrottlingError("Rate exceeded; retry with exponential backoff.")
        elif status >= 500:
            error = InternalServerError("An internal error occurred; retry later.")
        elif status in (401, 403):
            error = AccessDeniedError("Access denied.", "AccessDenied")
        else:
            error = ValidationError(f"injected fault: HTTP {status}", "InjectedFault")
        headers = {"Retry-After": str(fault.retry_after).removesuffix(".0")} if fault.retry_after is not None else None
        body = fault.body if fault.body is not None else {"errors": [error.entry()], "data": None}
        return json_response(body, status=status, headers=headers)

    def not_found(self, request: Request) -> Response:
        error = ValidationError(f"No such resource: {request.method} {request.path}; the API is POST /graphql.",
                                "UnknownOperation")
        return json_response({"errors": [error.entry()]}, status=404)

    def method_not_allowed(self, request: Request) -> Response:
        error = ValidationError(f"{request.method} is not supported on {request.path}; use POST.", "MethodNotAllowed")
        return json_response({"errors": [error.entry()]}, status=405, headers={"Allow": "POST"})

    # --- token endpoint --------------------------------------------------------------------------------
    def token(self, request: Request) -> Response:
        """``POST /token`` (client credentials)."""
        params = read_token_request(request)
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            params.setdefault("client_id", auth.username or "")
            params.setdefault("client_secret", auth.password or "")
        grant = params.get("grant_type")
        if grant is None:
            raise InvalidRequest("The request is missing a required parameter : grant_type")
        if grant != "client_credentials":
            raise UnsupportedGrantType(f"The authorization grant type {grant} is not supported")
        client = self.clients.get(params.get("client_id", ""))
        if client is None or str(client["client_secret"]) != params.get("client_secret"):
            raise InvalidTokenClient("Client authentication failed")
        target = str(client.get("target_id", self.seed.business_product_id))
        issued = self.signer.issue({"client_id": client["client_id"], "target_id": target,
                                    "permissions": list(client.get("permissions") or ["FULL"])},
                                   self.clock.now(), self.lifetime)
        return json_response({"access_token": issued.value, "token_type": "Bearer", "expires_in": int(self.lifetime)},
                             headers=_NO_STORE)

    # --- GraphQL --------------------------------------------------------------------------------------
    def graphql(self, request: Request) -> Response:
        """``POST /graphql``."""
        claims = self._authorize(request)
        document, variables, operation_name = self._read_graphql(request)
        try:
            ast = parse(document)
        except GraphQLError as error:
            return json_response({"errors": [_format(error)]})
        problems = validate(schema(), ast)
        if problems:
            return json_response({"errors": [_format(e) for e in problems]})
        root = Root(self, set(claims.get("permissions") or ["FULL"]))
        result = execute(schema(), ast, root_value=root, variable_values=variables, operation_name=operation_name)
        assert isinstance(result, ExecutionResult)  # every resolver is synchronous
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [_format(e) for e in result.errors]
        body["data"] = result.data
        if self.events.pending():
            self.events._ensure_worker()
        return json_response(body)

    def _authorize(self, request: Request) -> dict[str, Any]:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise RequestRejected(AccessDeniedError("Missing bearer access token in the Authorization header.",
                                                    "MissingAccessToken"), 401)
        try:
            claims = self.signer.verify(token.strip(), self.clock.now())
        except TokenRejected as rejected:
            if rejected.expired:
                raise RequestRejected(AccessDeniedError("The access token has expired; request a new one.",
                                                        "ExpiredAccessToken"), 401) from None
            raise RequestRejected(AccessDeniedError("The access token is not valid.", "InvalidAccessToken"), 401) from None
        version = request.headers.get("x-api-version")
        if not version:
            raise RequestRejected(ValidationError("The x-api-version header is required.", "MissingApiVersion"), 400)
        if version not in self.api_versions:
            raise RequestRejected(ValidationError(f"API version {version} is not supported; use one of "
                                                  f"{', '.join(self.api_versions)}.", "UnsupportedApiVersion"), 400)
        target = request.headers.get("x-api-target-id")
        if not target:
            raise RequestRejected(ValidationError("The x-api-target-id header is required.", "MissingTargetId"), 400)
        if target != claims.get("target_id"):
            raise RequestRejected(AccessDeniedError(f"The access token is not valid for target {target}.",
                                                    "TargetIdMismatch"), 403)
        return claims

    def _read_graphql(self, request: Request) -> tuple[str, dict[str, Any] | None, str | None]:
        if request.mimetype != "application/json":
            raise RequestRejected(ValidationError("Content-Type must be application/json.", "InvalidContentType"), 415)
        try:
            payload = json.loads(request.get_data(as_text=True) or "null")
        except ValueError as exc:
            raise RequestRejected(ValidationError(f"The request body is not valid JSON: {exc}", "InvalidRequest"), 400) from None
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            raise RequestRejected(ValidationError('The body must be {"query": "...", "variables": {...}}.',
                                                  "InvalidRequest"), 400)
        variables = payload.get("variables")
        if variables is not None and not isinstance(variables, dict):
            raise RequestRejected(ValidationError("variables must be a JSON object.", "InvalidRequest"), 400)
        operation = payload.get("operationName")
        return payload["query"], variables, operation if isinstance(operation, str) else None

    # --- background work ------------------------------------------------------------------------------
    def schedule_work(self) -> None:
        """Make sure pending cancellations get decided when their time comes."""
        if self._ticker is not None and self._ticker.is_alive():
            return
        self._ticker = threading.Thread(target=self._tick, name="bwp-scheduler", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.05):
            with self.lock:
                self.backend.process_due()
                waiting = any(c.state == "PENDING" for o in self.backend.orders.values() for c in o.cancellations)
            if not waiting:
                self._ticker = None
                return

    def _after_clock_move(self) -> None:
        with self.lock:
            self.backend.process_due()

    # --- control routes -------------------------------------------------------------------------------
    def control_create_order(self, request: Request) -> Response:
        """``POST /__mock__/orders {CreateOrderInput}``: createOrder without a token (scenario setup)."""
        payload = request.get_json(force=True, silent=True)
        if not isinstance(payload, dict):
            raise ValueError("POST /__mock__/orders expects a CreateOrderInput JSON object")
        ast = parse("mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { order { id } } }")
        with self.lock:
            result = execute(schema(), ast, root_value=Root(self, {"FULL"}), variable_values={"input": payload})
            assert isinstance(result, ExecutionResult)
            if result.errors:
                return json_response({"errors": [_format(e) for e in result.errors]}, status=400)
            view = self.backend.order_view(self.backend.orders[result.data["createOrder"]["order"]["id"]])
        if self.events.pending():
            self.events._ensure_worker()
        return json_response(view, status=201)

    def control_advance(self, request: Request, reference: str) -> Response:
        """``POST /__mock__/orders/<id or alias id>/advance {"step": ..., ...}``."""
        payload = request.get_json(force=True, silent=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("step"), str):
            raise ValueError('expects {"step": "<step>", ...}')
        with self.lock:
            try:
                order = self.backend.find_for_control(reference)
                self.backend.advance(order, payload["step"], payload)
            except LookupError as exc:
                return json_response({"error": str(exc)}, status=404)
            except StepRejected as exc:
                return json_response({"error": str(exc)}, status=409)
            return json_response(self.backend.order_view(order))

    def control_inventory(self, request: Request, reference: str) -> Response:
        """``POST /__mock__/inventory/<sku|productId|inventoryItemId> {"buyable": n}``."""
        payload = request.get_json(force=True, silent=True)
        if not isinstance(payload, dict) or "buyable" not in payload:
            raise ValueError('expects {"buyable": <units>}')
        with self.lock:
            try:
                product = self.backend.set_buyable(reference, payload["buyable"])
            except LookupError as exc:
                return json_response({"error": str(exc)}, status=404)
            return json_response({"sku": product.item.sku, "inventoryItemId": product.inventory_item_id,
                                  "buyable": product.buyable})

    def control_subscriptions(self, request: Request) -> Response:
        """List (GET), add (POST one or a list) or remove all (DELETE) event subscriptions."""
        if request.method == "POST":
            payload = request.get_json(force=True, silent=True)
            if payload is None:
                raise ValueError("POST /__mock__/subscriptions expects a subscription object or a list of them")
            items = [self._with_destination(item) for item in (payload if isinstance(payload, list) else [payload])]
            added = [self.events.subscribe(parse_subscription(item)) for item in items]
            return json_response([s.to_json() for s in added], status=201)
        if request.method == "DELETE":
            for sub_id in list(self.events.subscriptions):
                self.events.unsubscribe(sub_id)
        return json_response([s.to_json() for s in self.events.subscriptions.values()])

    def _with_destination(self, item: Any) -> Any:
        """A subscription naming a destination gets its URL and auth profile."""
        if not isinstance(item, dict) or "destination" not in item:
            return item
        name = item["destination"]
        destination = self.destinations.get(str(name))
        if destination is None:
            known = ", ".join(sorted(self.destinations)) or "none"
            raise ValueError(f"unknown destination {name!r} (known: {known}); PUT /__mock__/destinations/<name> first")
        if "url" in item or "auth" in item:
            raise ValueError("a subscription names either a destination or its own url and auth, not both")
        return {**{k: v for k, v in item.items() if k != "destination"}, **destination}

    def control_destinations(self, request: Request) -> Response:
        """``GET /__mock__/destinations``: name -> URL and auth kind (no secrets)."""
        return json_response({name: {"url": d["url"], "auth": sorted(d.get("auth") or {}) or None}
                              for name, d in sorted(self.destinations.items())})

    def control_destination(self, request: Request, name: str) -> Response:
        """``PUT /__mock__/destinations/<name> {"url", "auth"?}`` arranges a webhook destination; DELETE drops it."""
        if request.method == "DELETE":
            return json_response({"deleted": self.destinations.pop(name, None) is not None})
        payload = request.get_json(force=True, silent=True)
        if not isinstance(payload, dict) or set(payload) - {"url", "auth"}:
            raise ValueError('PUT /__mock__/destinations/<name> expects {"url": "http(s)://...", "auth": {...}}')
        parse_subscription({"url": payload.get("url"), "form": "webhook", "auth": payload.get("auth")})  # validates
        self.destinations[name] = {"url": payload["url"], **({"auth": payload["auth"]} if payload.get("auth") else {})}
        return json_response({"destination": name, "url": payload["url"]})

    def control_wait(self, request: Request) -> Response:
        """Answer once every event delivery was attempted to the end (delivered, failed or recorded)."""
        timeout = float(request.args.get("timeout_s", 10))
        settled = self.events.wait_settled(timeout)
        state = self.events.state()["deliveries"]
        counts = {status: sum(1 for d in state if d["status"] == status)
                  for status in ("pending", "delivered", "failed", "recorded")}
        return json_response({"settled": settled, **counts}, status=200 if settled else 504)

    def control_retry(self, request: Request) -> Response:
        """Queue failed deliveries again."""
        return json_response({"requeued": self.events.retry_failed()})


def _format(error: GraphQLError) -> dict[str, Any]:
    """A GraphQL error with BwP's classification.

    Parse, validation and variable errors count as ``ValidationError``; an unexpected exception in a
    resolver (a mock bug) as ``InternalServerError``.
    """
    formatted: dict[str, Any] = dict(error.formatted)
    if not formatted.get("extensions"):
        original = error.original_error
        if error.path and original is not None and not isinstance(original, (BwpError, GraphQLError)):
            wrapped: BwpError = InternalServerError("An internal error occurred.")
        else:
            wrapped = ValidationError(error.message)
        formatted["extensions"] = wrapped.extensions
    return formatted


__all__ = ["BwpService", "schema"]
