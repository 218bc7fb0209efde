"""``Configurations`` of integration flows, single PUTs and the ``$batch`` endpoint."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.designtime import require
from harness.emulator.api.odata import ODataError, split_path
from harness.tenant import batch
from harness.tenant.odata import key as odata_key


def _rows(ctx: Ctx, artifact_id: str) -> list[dict[str, Any]]:
    return [{"ParameterKey": k, "ParameterValue": v, "DataType": t} for k, v, t in ctx.store.config_list(artifact_id)]


def list_(ctx: Ctx, keys: Any) -> Response:
    artifact = require(ctx, "Integration", keys)
    base = ctx.url(f"IntegrationDesigntimeArtifacts{odata_key(Id=artifact.id, Version=artifact.version)}/Configurations")
    return odata.collection(ctx.request, base, _rows(ctx, artifact.id), page_size=ctx.settings.page_size,
                            serialize=lambda r: odata.entity(ctx.api_root, "Configurations", "Configuration",
                                                             odata_key(_=r["ParameterKey"]), r))


def count(ctx: Ctx, keys: Any) -> Response:
    artifact = require(ctx, "Integration", keys)
    return odata.count(_rows(ctx, artifact.id), ctx.request)


def _value(body: Any) -> tuple[str, str | None]:
    if not isinstance(body, dict) or "ParameterValue" not in body or not isinstance(body["ParameterValue"], (str, int, float, bool)):
        raise ODataError(400, "Wrong body format for the expected parameter value")
    value = body["ParameterValue"]
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return text, (str(body["DataType"]) if body.get("DataType") else None)


def put_one(ctx: Ctx, keys: Any, parameter: str) -> Response:
    artifact = require(ctx, "Integration", keys)
    missing = ctx.store.config_set_many(artifact.id, {parameter: _value(ctx.body_json())})
    if missing:
        raise ODataError(404, f"Parameter key '{parameter}' not found.")
    return Response(status=202)


def batch_endpoint(ctx: Ctx) -> Response:
    """``$batch``: changesets of Configuration PUTs, each applied all-or-nothing."""
    content_type = ctx.request.headers.get("Content-Type", "")
    if not content_type.lower().startswith("multipart/mixed"):
        raise ODataError(400, "$batch expects Content-Type multipart/mixed with a boundary")
    try:
        parts = batch.parse(content_type, ctx.request.get_data())
    except (ValueError, UnicodeDecodeError) as exc:
        raise ODataError(400, f"malformed $batch body: {exc}") from exc
    groups: dict[Any, list[batch.Part]] = {}
    order: list[Any] = []
    for index, part in enumerate(parts):
        group = part.changeset if part.changeset is not None else f"read{index}"
        if group not in groups:
            groups[group] = []
            order.append(group)
        groups[group].append(part)
    answers: list[tuple[bool, list[tuple[int, str, str]]]] = []
    for group in order:
        members = groups[group]
        is_changeset = not str(group).startswith("read")
        answers.append((is_changeset, _changeset(ctx, members) if is_changeset else [_read(ctx, members[0])]))
    content_type, body = batch.build_response(answers)
    return Response(body, status=202, content_type=content_type)


def _error(status: int, text: str) -> tuple[int, str, str]:
    return status, odata.REASONS.get(status, "Error"), json.dumps(
        {"error": {"code": odata.REASONS.get(status, "Error"), "message": {"lang": "en", "value": text}}})


def _changeset(ctx: Ctx, members: list[batch.Part]) -> list[tuple[int, str, str]]:
    """Validate every operation first; apply only when all are valid (atomic per artifact)."""
    plan: dict[str, dict[str, tuple[str, str | None]]] = {}
    for part in members:
        segments = split_path(urlsplit(part.url).path.lstrip("/"))
        shape = "/".join(s.shape for s in segments)
        if part.method != "PUT" or shape != "IntegrationDesigntimeArtifacts()/$links/Configurations()":
            return [_error(501, f"the emulator's $batch supports PUT .../$links/Configurations('key') only, "
                                f"not {part.method} {part.url}")]
        if "WorkspacePackagesConfigure" not in ctx.principal.roles:
            return [_error(403, f"Forbidden: the caller {ctx.principal.name} lacks the role WorkspacePackagesConfigure")]
        try:
            artifact = require(ctx, "Integration", segments[0].keys)
            value = _value(json.loads(part.body or "null"))
        except ODataError as exc:
            return [_error(exc.status, exc.message)]
        except ValueError:
            return [_error(400, "Wrong body format for the expected parameter value")]
        plan.setdefault(artifact.id, {})[str(segments[2].keys)] = value
    for artifact_id, values in plan.items():
        known = {k for k, _, _ in ctx.store.config_list(artifact_id)}
        unknown = [k for k in values if k not in known]
        if unknown:
            return [_error(404, f"Parameter key '{unknown[0]}' not found.")]
    for artifact_id, values in plan.items():
        ctx.store.config_set_many(artifact_id, values)
    return [(202, "Accepted", "") for _ in members]


def _read(ctx: Ctx, part: batch.Part) -> tuple[int, str, str]:
    return _error(501, f"the emulator's $batch does not serve reads ({part.method} {part.url})")


ROUTES = [
    ("IntegrationDesigntimeArtifacts()/Configurations", "GET", list_, "WorkspacePackagesConfigure"),
    ("IntegrationDesigntimeArtifacts()/Configurations/$count", "GET", count, "WorkspacePackagesConfigure"),
    ("IntegrationDesigntimeArtifacts()/$links/Configurations()", "PUT", put_one, "WorkspacePackagesConfigure"),
    ("$batch", "POST", batch_endpoint, None),
]
