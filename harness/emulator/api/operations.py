"""Function imports: deploy, validate, save as version; ``BuildAndDeployStatus``."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from harness.emulator import validation
from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.designtime import KINDS, require
from harness.emulator.api.odata import ODataError, function_args
from harness.tenant.artifact import IFLW_DIR
from harness.tenant.odata import key as odata_key


def deploy(kind: str):
    def handler(ctx: Ctx) -> Response:
        args = function_args(ctx.request.args, ("Id", "Version"), ("Id",))
        artifact = require(ctx, kind, {"Id": args["Id"], "Version": args.get("Version") or "active"})
        task_id = ctx.worker.submit(artifact.id, kind, ctx.principal.name)
        return Response(task_id, status=202, content_type="text/plain; charset=utf-8")
    return handler


def validate(ctx: Ctx) -> Response:
    args = function_args(ctx.request.args, ("Id", "Version"), ("Id",))
    artifact = require(ctx, "Integration", {"Id": args["Id"], "Version": args.get("Version") or "active"})
    _, errors = validation.check(artifact.content, artifact.id, "Integration", lint=ctx.settings.lint != "off")
    if not errors:
        return Response("Checkexecutionresult: Passed", status=202, content_type="text/plain")
    findings = [{"severity": "Error", "message": text, "sourceObject": "", "resourcePath": IFLW_DIR.rstrip("/"),
                 "resourceName": f"{artifact.id}.iflw"} for text in errors]
    return Response("Checkexecutionresult: Failed" + json.dumps(findings, indent=1), status=202,
                    content_type="text/plain")


def save_as_version(kind: str):
    def handler(ctx: Ctx) -> Response:
        args = function_args(ctx.request.args, ("Id", "SaveAsVersion"), ("Id", "SaveAsVersion"))
        artifact = require(ctx, kind, {"Id": args["Id"], "Version": "active"})
        raise ODataError(501, f"the emulator does not rewrite MANIFEST versions; upload {artifact.id} with "
                              f"Bundle-Version {args['SaveAsVersion']} instead")
    return handler


def build_status(ctx: Ctx, keys) -> Response:
    task_id = keys.get("TaskId") if isinstance(keys, dict) else keys
    task = ctx.store.task_get(str(task_id))
    if task is None:
        raise ODataError(404, f"Task {task_id} not found.")
    data = {"TaskId": task["task_id"], "Status": task["status"]}
    return odata.one(odata.entity(ctx.api_root, "BuildAndDeployStatus", "BuildAndDeployStatus",
                                  odata_key(TaskId=task["task_id"]), data))


ROUTES = [(f"Deploy{k}DesigntimeArtifact", "POST", deploy(k), "WorkspaceArtifactsDeploy") for k in KINDS]
ROUTES += [(f"{k}DesigntimeArtifactSaveAsVersion", "POST", save_as_version(k), "WorkspacePackagesEdit") for k in KINDS]
ROUTES += [
    ("ValidateIntegrationDesigntimeArtifact", "POST", validate, "WorkspacePackagesEdit"),
    ("BuildAndDeployStatus()", "GET", build_status, "WorkspaceArtifactsDeploy"),
]
