"""``IntegrationPackages``."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.odata import ODataError
from harness.tenant.odata import key as odata_key

FIELDS = ("Id", "Name", "Description", "ShortText", "Version", "Vendor", "SupportedPlatform", "Products",
          "Keywords", "Countries", "Industries", "LineOfBusiness")
KINDS = ("Integration", "ValueMapping", "MessageMapping", "ScriptCollection")


def _entity(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    key = odata_key(_=data["Id"])
    fields = {f: data.get(f, "") or "" for f in FIELDS}
    fields.update({"Mode": "EDIT_ALLOWED", "CreatedBy": data.get("_created_by", ""), "ModifiedBy": "",
                   "CreationDate": str(int((data.get("_created") or 0) * 1000)),
                   "ModifiedDate": str(int((data.get("_modified") or 0) * 1000))})
    for kind in KINDS:
        fields[f"{kind}DesigntimeArtifacts"] = {"__deferred": {"uri": ctx.url(f"IntegrationPackages{key}/{kind}DesigntimeArtifacts")}}
    return odata.entity(ctx.api_root, "IntegrationPackages", "IntegrationPackage", key, fields)


def _require(ctx: Ctx, package_id: str) -> dict[str, Any]:
    data = ctx.store.package_get(package_id)
    if data is None:
        raise ODataError(404, f"Integration package {package_id} not found.")
    return data


def list_(ctx: Ctx) -> Response:
    rows = ctx.store.package_list()
    return odata.collection(ctx.request, ctx.url("IntegrationPackages"), rows, page_size=ctx.settings.page_size,
                            serialize=lambda r: _entity(ctx, r))


def get(ctx: Ctx, package_id: str) -> Response:
    return odata.one(_entity(ctx, _require(ctx, package_id)))


def create(ctx: Ctx) -> Response:
    body = ctx.body_json()
    if "Mode" in body:
        raise ODataError(400, "Property Mode is read-only and must not be sent")
    package_id = str(body.get("Id") or "")
    if not package_id or not body.get("Name"):
        raise ODataError(400, "Id and Name are mandatory for an integration package")
    if not package_id.replace("_", "").replace(".", "").isalnum():
        raise ODataError(400, f"Integration package Id {package_id!r} may contain only letters, digits, '_' and '.'")
    if ctx.store.package_get(package_id) is not None:
        raise ODataError(400, f"Integration package with Id {package_id} already exists")
    data = {f: body[f] for f in FIELDS if f in body}
    ctx.store.package_put(package_id, data)
    return odata.one(_entity(ctx, ctx.store.package_get(package_id) or data), 201)


def update(ctx: Ctx, package_id: str) -> Response:
    current = _require(ctx, package_id)
    body = ctx.body_json()
    if "Mode" in body:
        raise ODataError(400, "Property Mode is read-only and must not be sent")
    if body.get("Id", package_id) != package_id:
        raise ODataError(400, "The package Id cannot be changed")
    data = {f: body.get(f, current.get(f, "")) for f in FIELDS if f in body or f in current}
    data["Id"] = package_id
    ctx.store.package_put(package_id, data)
    return Response(status=202)


def delete(ctx: Ctx, package_id: str) -> Response:
    _require(ctx, package_id)
    deployed = [a.id for a in ctx.store.artifact_list(package_id) if ctx.store.runtime_get(a.id)]
    if deployed:
        raise ODataError(400, f"Integration package {package_id} has deployed artifacts: {', '.join(deployed)}; "
                              "undeploy them first")
    ctx.store.package_delete(package_id)
    return Response(status=202)


def artifacts_of(kind: str):
    def handler(ctx: Ctx, package_id: str) -> Response:
        from harness.emulator.api.designtime import entity as artifact_entity

        _require(ctx, package_id)
        rows = [{"_a": a} for a in ctx.store.artifact_list(package_id, kind)]
        return odata.collection(ctx.request, ctx.url(f"IntegrationPackages{odata_key(_=package_id)}/{kind}DesigntimeArtifacts"),
                                rows, page_size=ctx.settings.page_size,
                                serialize=lambda r: artifact_entity(ctx, r["_a"]))
    return handler


ROUTES = [
    ("IntegrationPackages", "GET", list_, "WorkspacePackagesEdit"),
    ("IntegrationPackages", "POST", create, "WorkspacePackagesEdit"),
    ("IntegrationPackages()", "GET", get, "WorkspacePackagesEdit"),
    ("IntegrationPackages()", "PUT", update, "WorkspacePackagesEdit"),
    ("IntegrationPackages()", "DELETE", delete, "WorkspacePackagesEdit"),
] + [(f"IntegrationPackages()/{k}DesigntimeArtifacts", "GET", artifacts_of(k), "WorkspacePackagesEdit") for k in KINDS]
