"""Routes of the S/4HANA OData mock (paths as SAP Gateway serves them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.routing import Rule

if TYPE_CHECKING:
    from harness.mocks.s4hana import S4HanaOData

ODATA_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "MERGE", "DELETE"]


def routes(mock: "S4HanaOData") -> list[Rule]:
    """Service roots (``/sap/opu/odata/sap/<SERVICE>[;v=NNNN]``), resources below them, OAuth token."""
    responses = mock.responses
    return [
        Rule("/sap/opu/odata/sap/<service>", endpoint=responses.service_root, methods=ODATA_METHODS,
             strict_slashes=False),
        Rule("/sap/opu/odata/sap/<service>/<path:resource>", endpoint=responses.resource, methods=ODATA_METHODS),
        Rule("/sap/bc/sec/oauth2/token", endpoint=responses.token, methods=["POST"]),
    ]


def control_routes(mock: "S4HanaOData") -> list[Rule]:
    """The mock's own ``/__mock__`` routes beyond the shared ones."""
    return [
        Rule("/__mock__/state/<service>", endpoint=mock.control_state, methods=["GET"]),
        Rule("/__mock__/state/<service>/<entity_set>", endpoint=mock.control_state, methods=["GET"]),
        Rule("/__mock__/actions", endpoint=mock.control_actions, methods=["GET"]),
        Rule("/__mock__/actions/<action>", endpoint=mock.control_action, methods=["POST"]),
    ]
