"""``MessageProcessingLogs`` with error information, attachments and the per-step trace (Runs)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.odata import ODataError
from harness.emulator.store import as_datetime
from harness.tenant.odata import key as odata_key


def _row(ctx: Ctx, mpl: dict[str, Any], names: dict[str, tuple[str, str, str]]) -> dict[str, Any]:
    name, package_id, package_name = names.get(mpl["artifact_id"], (mpl["artifact_id"], "", ""))
    return {
        "MessageGuid": mpl["guid"], "CorrelationId": mpl["correlation_id"], "ApplicationMessageId": None,
        "ApplicationMessageType": None, "LogStart": as_datetime(mpl["log_start"]), "LogEnd": as_datetime(mpl["log_end"]),
        "Sender": mpl["sender"] or None, "Receiver": mpl["receiver"], "IntegrationFlowName": mpl["artifact_id"],
        "Status": mpl["status"], "AlternateWebLink": "", "LogLevel": "INFO", "CustomStatus": mpl["status"],
        "TransactionId": mpl["guid"].lower(), "PreviousComponentName": f"CPI_{ctx.settings.tenant_name}",
        "LocalComponentName": f"CPI_{ctx.settings.tenant_name}", "OriginComponentName": f"CPI_{ctx.settings.tenant_name}",
        "IntegrationArtifact": {"__metadata": {"type": "com.sap.hci.api.IntegrationArtifact"}, "Id": mpl["artifact_id"],
                                "Name": name, "Type": "INTEGRATION_FLOW", "PackageId": package_id,
                                "PackageName": package_name},
    }


def _entity(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    key = odata_key(_=row["MessageGuid"])
    data = dict(row)
    for nav in ("ErrorInformation", "Attachments", "Runs", "CustomHeaderProperties", "AdapterAttributes"):
        data[nav] = {"__deferred": {"uri": ctx.url(f"MessageProcessingLogs{key}/{nav}")}}
    return odata.entity(ctx.api_root, "MessageProcessingLogs", "MessageProcessingLog", key, data)


def _names(ctx: Ctx) -> dict[str, tuple[str, str, str]]:
    packages = {p["Id"]: p.get("Name", "") for p in ctx.store.package_list()}
    return {a.id: (a.name, a.package_id, packages.get(a.package_id, "")) for a in ctx.store.artifact_list()}


def _rows(ctx: Ctx) -> list[dict[str, Any]]:
    names = _names(ctx)
    return [_row(ctx, m, names) for m in ctx.store.mpl_list()]


def list_(ctx: Ctx) -> Response:
    return odata.collection(ctx.request, ctx.url("MessageProcessingLogs"), _rows(ctx),
                            page_size=ctx.settings.page_size, serialize=lambda r: _entity(ctx, r))


def count(ctx: Ctx) -> Response:
    return odata.count(_rows(ctx), ctx.request)


def _require(ctx: Ctx, guid: str) -> dict[str, Any]:
    mpl = ctx.store.mpl_get(guid)
    if mpl is None:
        raise ODataError(404, f"Message processing log {guid} not found.")
    return mpl


def get(ctx: Ctx, guid: str) -> Response:
    return odata.one(_entity(ctx, _row(ctx, _require(ctx, guid), _names(ctx))))


def error_information(ctx: Ctx, guid: str) -> Response:
    mpl = _require(ctx, guid)
    if not mpl["error"]:
        return Response(status=204)
    return Response(mpl["error"], content_type="text/plain; charset=utf-8")


def attachments(ctx: Ctx, guid: str) -> Response:
    _require(ctx, guid)
    rows = [{"Id": a["id"], "MessageGuid": guid, "TimeStamp": as_datetime(a["created"]), "Name": a["name"],
             "ContentType": a["content_type"], "PayloadSize": a["size"]} for a in ctx.store.mpl_attachments(guid)]
    return odata.collection(ctx.request, ctx.url(f"MessageProcessingLogs{odata_key(_=guid)}/Attachments"), rows,
                            page_size=ctx.settings.page_size,
                            serialize=lambda r: odata.entity(ctx.api_root, "MessageProcessingLogAttachments",
                                                             "MessageProcessingLogAttachment", odata_key(_=r["Id"]), r))


def attachment_value(ctx: Ctx, attachment_id: str) -> Response:
    attachment = ctx.store.attachment_get(attachment_id)
    if attachment is None:
        raise ODataError(404, f"Attachment {attachment_id} not found.")
    return Response(attachment["content"], content_type=attachment["content_type"] or "application/octet-stream")


def runs(ctx: Ctx, guid: str) -> Response:
    mpl = _require(ctx, guid)
    run = {"Id": f"{guid}-1", "RunStart": as_datetime(mpl["log_start"]), "RunStop": as_datetime(mpl["log_end"]),
           "LogLevel": "INFO", "OverallState": mpl["status"], "ProcessId": mpl["artifact_id"]}
    return odata.collection(ctx.request, ctx.url(f"MessageProcessingLogs{odata_key(_=guid)}/Runs"), [run],
                            page_size=ctx.settings.page_size,
                            serialize=lambda r: odata.entity(ctx.api_root, "MessageProcessingLogRuns",
                                                             "MessageProcessingLogRun", odata_key(_=r["Id"]), r))


def run_steps(ctx: Ctx, run_id: str) -> Response:
    guid = run_id.rsplit("-", 1)[0]
    _require(ctx, guid)
    rows = [{"RunId": run_id, "ChildCount": s["seq"], "StepStart": as_datetime(s["started"]),
             "StepStop": as_datetime(s["ended"]), "StepId": s["step_name"], "ModelStepId": s["step_id"],
             "BranchId": None, "Status": s["status"], "Error": s["detail"] if s["status"] in ("FAILED", "ERROR") else None,
             "Activity": s["component"], "Detail": s["detail"]} for s in ctx.store.mpl_steps(guid)]
    return odata.collection(ctx.request, ctx.url(f"MessageProcessingLogRuns{odata_key(_=run_id)}/RunSteps"), rows,
                            page_size=ctx.settings.page_size,
                            serialize=lambda r: odata.entity(ctx.api_root, "MessageProcessingLogRunSteps",
                                                             "MessageProcessingLogRunStep",
                                                             odata_key(RunId=r["RunId"], ChildCount=str(r["ChildCount"])), r))


ROUTES = [
    ("MessageProcessingLogs", "GET", list_, "MonitoringDataRead"),
    ("MessageProcessingLogs/$count", "GET", count, "MonitoringDataRead"),
    ("MessageProcessingLogs()", "GET", get, "MonitoringDataRead"),
    ("MessageProcessingLogs()/ErrorInformation/$value", "GET", error_information, "MonitoringDataRead"),
    ("MessageProcessingLogs()/Attachments", "GET", attachments, "MonitoringDataRead"),
    ("MessageProcessingLogs()/Runs", "GET", runs, "MonitoringDataRead"),
    ("MessageProcessingLogRuns()/RunSteps", "GET", run_steps, "MonitoringDataRead"),
    ("MessageProcessingLogAttachments()/$value", "GET", attachment_value, "MessagePayloadsRead"),
]
