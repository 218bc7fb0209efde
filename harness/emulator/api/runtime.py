"""``IntegrationRuntimeArtifacts``: status, error information, undeploy."""

from __future__ import annotations

import json
import time
from typing import Any

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.odata import ODataError
from harness.emulator.store import as_datetime
from harness.tenant.odata import key as odata_key


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {"Id": row["artifact_id"], "Version": row["version"], "Name": row["name"], "Type": row["type"],
            "DeployedBy": row["deployed_by"], "DeployedOn": as_datetime(row["deployed_on"]), "Status": row["status"]}


def _entity(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    key = odata_key(_=row["Id"])
    data = dict(row)
    data["ErrorInformation"] = {"__deferred": {"uri": ctx.url(f"IntegrationRuntimeArtifacts{key}/ErrorInformation")}}
    return odata.entity(ctx.api_root, "IntegrationRuntimeArtifacts", "IntegrationRuntimeArtifact", key, data)


def _require(ctx: Ctx, artifact_id: str) -> dict[str, Any]:
    row = ctx.store.runtime_get(artifact_id)
    if row is None:
        raise ODataError(404, "Requested entity could not be found.")
    return row


def list_(ctx: Ctx) -> Response:
    rows = [_row(r) for r in ctx.store.runtime_list()]
    return odata.collection(ctx.request, ctx.url("IntegrationRuntimeArtifacts"), rows,
                            page_size=ctx.settings.page_size, serialize=lambda r: _entity(ctx, r))


def get(ctx: Ctx, artifact_id: str) -> Response:
    return odata.one(_entity(ctx, _row(_require(ctx, artifact_id))))


def undeploy(ctx: Ctx, artifact_id: str) -> Response:
    _require(ctx, artifact_id)
    ctx.worker.undeploy(artifact_id)
    return Response(status=202)


def error_information(ctx: Ctx, artifact_id: str) -> Response:
    """The error as ``{"parameter": [...]}``; 204 while none is known (or within the delay)."""
    row = _require(ctx, artifact_id)
    if row["status"] != "ERROR" or not row["error"]:
        return Response(status=204)
    if row["error_since"] and time.time() - row["error_since"] < ctx.settings.error_info_delay:
        return Response(status=204)
    body = {"message": {"subsytemName": "IntegrationRuntime", "subsystemPartName": "Deployment",
                        "messageId": "RUNTIME_ARTIFACT_ERROR"},
            "parameter": [row["error"]], "childInstances": []}
    return Response(json.dumps(body), status=200, content_type="application/json")


ROUTES = [
    ("IntegrationRuntimeArtifacts", "GET", list_, "MonitoringDataRead"),
    ("IntegrationRuntimeArtifacts()", "GET", get, "MonitoringDataRead"),
    ("IntegrationRuntimeArtifacts()", "DELETE", undeploy, "WorkspaceArtifactsDeploy"),
    ("IntegrationRuntimeArtifacts()/ErrorInformation/$value", "GET", error_information, "MonitoringDataRead"),
]
