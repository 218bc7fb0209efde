"""S/4HANA OData V2 mock: a generic OData server driven by the compact service descriptions in
``services/*.yaml``, over one stateful S/4HANA system with business rules (see docs/mocks-s4hana.md).

Settings (``config/<env>.yaml`` under ``mocks.services.s4hana``):

* ``system``: id of the S/4HANA system shared with the SOAP mock (default ``S4H``)
* ``seed``: seed file (default ``config/seed/s4hana.yaml``)
* ``user`` / ``password``: Basic logon (password default: the local secret ``s4hana_password``)
* ``oauth_clients``: ``{client_id: secret}`` for ``/sap/bc/sec/oauth2/token``
* ``client``: the SAP client (default from the seed, ``100``)
* ``csrf`` (default true), ``session_timeout`` (s), ``token_lifetime`` (s)
* ``require_if_match_on_actions`` (default true): function imports bound to an entity with an
  ETag need ``If-Match``
* ``page_size`` (default 0 = off): server-driven paging with ``__next`` / ``$skiptoken``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from harness.mocks.core.faults import Fault
from harness.mocks.core.service import MockService, json_response
from harness.mocks.s4hana import controls, urls
from harness.mocks.s4hana.exceptions import ODataError, ResourceNotFound
from harness.mocks.s4hana.models import S4System, fresh_system
from harness.mocks.s4hana.responses import ODataResponses
from harness.mocks.s4hana.security import Security
from harness.paths import repo_root

__all__ = ["S4HanaOData", "create"]


def seed_path(settings: dict[str, Any]) -> Path | None:
    """The seed file named in settings (relative paths are below the repository root)."""
    value = settings.get("seed")
    if not value:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else repo_root() / path


class S4HanaOData(MockService):
    """The OData V2 side of one mocked S/4HANA system."""

    name = "s4hana"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        self.system: S4System = fresh_system(str(settings.get("system") or "S4H"), seed_path(settings))
        self.security = Security(settings, self.system.org.get("sid", "S4H"), self.system.org.get("client", "100"))
        self.require_if_match_on_actions = bool(settings.get("require_if_match_on_actions", True))
        self.page_size = int(settings.get("page_size") or 0)
        self.responses = ODataResponses(self)
        super().__init__(settings)

    def routes(self) -> list[Rule]:
        return urls.routes(self)

    def extra_control_routes(self) -> list[Rule]:
        return urls.control_routes(self)

    def state(self) -> dict[str, Any]:
        return {**self.system.state(), "security": self.security.state()}

    def reset(self) -> None:
        with self.system.lock:
            self.system.reset()
        self.security.reset()

    def fault_response(self, fault: Fault, request: Request) -> Response:
        fmt = ODataResponses.format_of(request.args, request.headers) if "$format" not in request.args else "json"
        headers = {"Retry-After": _retry_after(fault.retry_after)} if fault.retry_after is not None else {}
        if fault.body is not None:
            return json_response(fault.body, status=int(fault.status or 500), headers=headers)
        error = ODataError(f"Injected fault: HTTP {fault.status}", status=int(fault.status or 500),
                           code="/IWFND/CM_BEC/026", headers=headers)
        return error.render(fmt)

    def method_not_allowed(self, request: Request) -> Response:
        fmt = ODataResponses.format_of(request.args, request.headers) if "$format" not in request.args else "json"
        return ODataError(f"Method {request.method} is not allowed for '{request.path}'", status=405,
                          code="/IWFND/CM_MGW/005").render(fmt)

    def not_found(self, request: Request) -> Response:
        fmt = ODataResponses.format_of(request.args, request.headers) if "$format" not in request.args else "json"
        return ResourceNotFound(f"Resource not found for path '{request.path}'").render(fmt)

    # --- control endpoints ---------------------------------------------------------------------------
    def control_state(self, request: Request, service: str, entity_set: str | None = None) -> Response:
        """``GET /__mock__/state/<service>[/<entity_set>]``: full rows of one service or entity set."""
        if service not in self.system.services:
            return json_response({"error": f"unknown service {service!r}"}, status=404)
        return json_response(self.system.state(service, entity_set, full=True))

    def control_actions(self, request: Request) -> Response:
        """``GET /__mock__/actions``: the names of the control actions."""
        return json_response(sorted(controls.ACTIONS))

    def control_action(self, request: Request, action: str) -> Response:
        """``POST /__mock__/actions/<action>`` with a JSON body."""
        payload = request.get_json(force=True, silent=True)
        if payload is None and request.get_data():
            return json_response({"error": "the body must be a JSON object"}, status=400)
        try:
            with self.system.lock:
                result = controls.run(self.system, action, payload or {})
        except controls.ControlError as exc:
            return json_response({"error": str(exc)}, status=404 if str(exc).startswith("unknown action") else 400)
        except ODataError as exc:
            return json_response({"error": exc.message, "code": exc.code}, status=exc.status)
        return json_response(result)


def _retry_after(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def create(settings: dict[str, Any]) -> S4HanaOData:
    """The landscape's factory."""
    return S4HanaOData(settings)
