"""``{Kind}DesigntimeArtifacts``: create, read, update, download, delete; Configurations."""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from datetime import datetime, timezone
from typing import Any

from werkzeug.wrappers import Response

from generator.render import javaprops
from harness.emulator import validation
from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.odata import ODataError
from harness.emulator.store import StoredArtifact
from harness.tenant.artifact import PARAMETERS, LocalArtifact
from harness.tenant.odata import key as odata_key

KINDS = ("Integration", "ValueMapping", "MessageMapping", "ScriptCollection")
_TYPE_NAMES = {"Integration": "IntegrationDesigntimeArtifact", "ValueMapping": "ValueMappingDesigntimeArtifact",
               "MessageMapping": "MessageMappingDesigntimeArtifact",
               "ScriptCollection": "ScriptCollectionDesigntimeArtifact"}
_LABELS = {"Integration": "Integration design time artifact", "ValueMapping": "Value mapping design time artifact",
           "MessageMapping": "Message mapping design time artifact",
           "ScriptCollection": "Script collection design time artifact"}


def entity(ctx: Ctx, artifact: StoredArtifact) -> dict[str, Any]:
    """The wire entity (content is only served through ``$value``)."""
    key = odata_key(Id=artifact.id, Version=artifact.version)
    data: dict[str, Any] = {"Id": artifact.id, "Version": artifact.version, "PackageId": artifact.package_id,
                            "Name": artifact.name, "Description": artifact.description, "ArtifactContent": None}
    if artifact.kind == "Integration":
        data["Sender"] = ""
        data["Receiver"] = ""
        data["Configurations"] = {"__deferred": {"uri": ctx.url(f"IntegrationDesigntimeArtifacts{key}/Configurations")}}
        data["Resources"] = {"__deferred": {"uri": ctx.url(f"IntegrationDesigntimeArtifacts{key}/Resources")}}
    if artifact.kind == "ValueMapping":
        data["ValMapSchema"] = {"__deferred": {"uri": ctx.url(f"ValueMappingDesigntimeArtifacts{key}/ValMapSchema")}}
    return odata.entity(ctx.api_root, f"{artifact.kind}DesigntimeArtifacts", _TYPE_NAMES[artifact.kind], key, data)


def require(ctx: Ctx, kind: str, keys: Any) -> StoredArtifact:
    """The artifact addressed by ``(Id=...,Version=...)``; 404 in the tenant's words otherwise."""
    if not isinstance(keys, dict) or "Id" not in keys:
        raise ODataError(400, "key must be (Id='...',Version='...')")
    artifact = ctx.store.artifact_get(str(keys["Id"]))
    version = str(keys.get("Version", "active"))
    if artifact is None or artifact.kind != kind or (version.lower() != "active" and version != artifact.version):
        raise ODataError(404, f"{_LABELS[kind]} not found.")
    return artifact


def _decode(body: dict[str, Any]) -> bytes:
    content = body.get("ArtifactContent")
    if not content:
        raise ODataError(400, "ArtifactContent is mandatory (base64 of the artifact zip)")
    try:
        return base64.b64decode(str(content), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ODataError(400, f"ArtifactContent is not valid base64: {exc}") from exc


def _checked(ctx: Ctx, kind: str, artifact_id: str, data: bytes) -> LocalArtifact:
    artifact, errors = validation.check(data, artifact_id, kind, lint=ctx.settings.lint == "upload")
    if errors or artifact is None:
        raise ODataError(400, "Artifact validation failed: " + "; ".join(errors))
    return artifact


def _store(ctx: Ctx, kind: str, artifact: LocalArtifact, package_id: str, name: str) -> None:
    parameters = [(k, v, artifact.parameter_types.get(k, "xsd:string")) for k, v in artifact.parameters.items()]
    ctx.store.artifact_put(artifact.id, kind, package_id, name, artifact.version, artifact.content, parameters,
                           user=ctx.principal.name)
    if kind == "ValueMapping":
        ctx.store.valmap_replace_content(artifact.id, validation.value_mapping_pairs(artifact.id, artifact.content))


def create(kind: str):
    def handler(ctx: Ctx) -> Response:
        body = ctx.body_json()
        missing = [f for f in ("Id", "Name", "PackageId", "ArtifactContent") if not body.get(f)]
        if missing:
            raise ODataError(400, f"Mandatory field(s) missing: {', '.join(missing)}")
        artifact_id, package_id = str(body["Id"]), str(body["PackageId"])
        if ctx.store.package_get(package_id) is None:
            raise ODataError(404, f"Integration package {package_id} not found.")
        existing = ctx.store.artifact_get(artifact_id)
        if existing is not None:
            raise ODataError(400, f"Artifact with Id {artifact_id} already exists in package {existing.package_id}")
        artifact = _checked(ctx, kind, artifact_id, _decode(body))
        _store(ctx, kind, artifact, package_id, str(body["Name"]))
        return odata.one(entity(ctx, ctx.store.artifact_get(artifact_id)), 201)  # type: ignore[arg-type]
    return handler


def get(kind: str):
    def handler(ctx: Ctx, keys: Any) -> Response:
        return odata.one(entity(ctx, require(ctx, kind, keys)))
    return handler


def list_(kind: str):
    def handler(ctx: Ctx) -> Response:
        rows = [{"Id": a.id, "Name": a.name, "PackageId": a.package_id, "Version": a.version, "_a": a}
                for a in ctx.store.artifact_list(kind=kind)]
        return odata.collection(ctx.request, ctx.url(f"{kind}DesigntimeArtifacts"), rows,
                                page_size=ctx.settings.page_size, serialize=lambda r: entity(ctx, r["_a"]))
    return handler


def update(kind: str):
    def handler(ctx: Ctx, keys: Any) -> Response:
        current = require(ctx, kind, keys)
        body = ctx.body_json()
        forbidden = [f for f in ("Id", "PackageId") if f in body and body[f] not in (None, "", current.id if f == "Id" else current.package_id)]
        if forbidden:
            raise ODataError(400, f"{', '.join(forbidden)} cannot be changed by an update")
        artifact = _checked(ctx, kind, current.id, _decode(body))
        _store(ctx, kind, artifact, current.package_id, str(body.get("Name") or artifact.name or current.name))
        return Response(status=200)
    return handler


def delete(kind: str):
    def handler(ctx: Ctx, keys: Any) -> Response:
        artifact = require(ctx, kind, keys)
        ctx.store.artifact_delete(artifact.id)
        return Response(status=200)
    return handler


def download(kind: str):
    def handler(ctx: Ctx, keys: Any) -> Response:
        artifact = require(ctx, kind, keys)
        content = with_configured_values(artifact.content, ctx.store.config_list(artifact.id)) \
            if kind == "Integration" else artifact.content
        return Response(content, content_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{artifact.id}.zip"'})
    return handler


_ORIGIN_DATE = re.compile(rb"^Origin-ModifiedDate: \d+\r?$", re.MULTILINE)


def with_configured_values(content: bytes, configuration: list[tuple[str, str, str]]) -> bytes:
    """The zip as a tenant serves it: ``parameters.prop`` holds the configured values (with a
    fresh date line) and ``Origin-ModifiedDate`` is the time of the download."""
    now = datetime.now(timezone.utc)
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == PARAMETERS:
                data = javaprops.store([(k, v) for k, v, _ in configuration], int(now.timestamp() * 1000))
            elif info.filename == "META-INF/MANIFEST.MF":
                stamp = f"Origin-ModifiedDate: {int(now.timestamp() * 1000)}".encode()
                data = _ORIGIN_DATE.sub(lambda m: stamp + (b"\r" if m.group(0).endswith(b"\r") else b""), data)
            target.writestr(info, data)
    return out.getvalue()


ROUTES = []
for _kind in KINDS:
    ROUTES += [
        (f"{_kind}DesigntimeArtifacts", "GET", list_(_kind), "WorkspacePackagesEdit"),
        (f"{_kind}DesigntimeArtifacts", "POST", create(_kind), "WorkspacePackagesEdit"),
        (f"{_kind}DesigntimeArtifacts()", "GET", get(_kind), "WorkspacePackagesEdit"),
        (f"{_kind}DesigntimeArtifacts()", "PUT", update(_kind), "WorkspacePackagesEdit"),
        (f"{_kind}DesigntimeArtifacts()", "DELETE", delete(_kind), "WorkspacePackagesEdit"),
        (f"{_kind}DesigntimeArtifacts()/$value", "GET", download(_kind), "WorkspacePackagesEdit"),
    ]
