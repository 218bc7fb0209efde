"""Value mapping schemas and values; ``UpsertValMaps``, ``DeleteValMaps``, ``UpdateDefaultValMap``."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.designtime import require
from harness.emulator.api.odata import ODataError, function_args
from harness.tenant.odata import key as odata_key

SCHEMA_KEYS = ("SrcAgency", "SrcId", "TgtAgency", "TgtId")


def _schema_key(keys: Any) -> tuple[str, str, str, str]:
    if not isinstance(keys, dict) or any(k not in keys for k in SCHEMA_KEYS):
        raise ODataError(400, "ValMapSchema key must be (SrcAgency=..,SrcId=..,TgtAgency=..,TgtId=..)")
    return tuple(str(keys[k]) for k in SCHEMA_KEYS)  # type: ignore[return-value]


def schemas(ctx: Ctx, keys: Any) -> Response:
    artifact = require(ctx, "ValueMapping", keys)
    rows = [dict(zip(SCHEMA_KEYS, s), State="Configured") for s in ctx.store.valmap_schemas(artifact.id)]
    base = ctx.url(f"ValueMappingDesigntimeArtifacts{odata_key(Id=artifact.id, Version=artifact.version)}/ValMapSchema")
    return odata.collection(ctx.request, base, rows, page_size=ctx.settings.page_size,
                            serialize=lambda r: odata.entity(ctx.api_root, "ValMapSchema", "ValMapSchema",
                                                             odata_key(**{k: r[k] for k in SCHEMA_KEYS}), r))


def _pairs(ctx: Ctx, artifact_id: str, schema: tuple[str, str, str, str], default: bool | None) -> list[dict[str, Any]]:
    rows = [r for r in ctx.store.valmaps(artifact_id)
            if (r["src_agency"], r["src_id"], r["tgt_agency"], r["tgt_id"]) == schema]
    if default is not None:
        rows = [r for r in rows if bool(r["is_default"]) == default]
    return [{"Id": r["id"], "Value": {"SrcValue": r["src_value"], "TgtValue": r["tgt_value"]}} for r in rows]


def valmaps(default: bool | None):
    def handler(ctx: Ctx, keys: Any, schema_keys: Any) -> Response:
        artifact = require(ctx, "ValueMapping", keys)
        schema = _schema_key(schema_keys)
        if schema not in ctx.store.valmap_schemas(artifact.id):
            raise ODataError(404, f"Value mapping schema {'/'.join(schema)} not found.")
        name = "DefaultValMaps" if default else "ValMaps"
        return odata.collection(ctx.request, ctx.url(name), _pairs(ctx, artifact.id, schema, default),
                                page_size=ctx.settings.page_size,
                                serialize=lambda r: odata.entity(ctx.api_root, name, name, odata_key(_=r["Id"]), r))
    return handler


_FN = ("Id", "Version", "SrcAgency", "SrcId", "TgtAgency", "TgtId", "ValMapId", "SrcValue", "TgtValue", "IsConfigured")


def upsert(ctx: Ctx) -> Response:
    args = function_args(ctx.request.args, _FN, ("Id", "SrcAgency", "SrcId", "TgtAgency", "TgtId", "SrcValue", "TgtValue"))
    artifact = require(ctx, "ValueMapping", {"Id": args["Id"], "Version": args.get("Version") or "active"})
    schema = (str(args["SrcAgency"]), str(args["SrcId"]), str(args["TgtAgency"]), str(args["TgtId"]))
    if args.get("IsConfigured") is False and schema in ctx.store.valmap_schemas(artifact.id):
        raise ODataError(400, "IsConfigured cannot be false for a value mapping schema that is already configured")
    try:
        valmap_id = ctx.store.valmap_upsert(artifact.id, str(args["SrcAgency"]), str(args["SrcId"]),
                                            str(args["TgtAgency"]), str(args["TgtId"]), str(args["SrcValue"]),
                                            str(args["TgtValue"]), str(args["ValMapId"]) if args.get("ValMapId") else None)
    except KeyError as exc:
        raise ODataError(404, str(exc.args[0])) from exc
    data = {"Id": valmap_id, "Value": {"SrcValue": str(args["SrcValue"]), "TgtValue": str(args["TgtValue"])}}
    return odata.one(odata.entity(ctx.api_root, "ValMaps", "ValMaps", odata_key(_=valmap_id), data), 200)


def delete_schema(ctx: Ctx) -> Response:
    args = function_args(ctx.request.args, _FN, ("Id", "SrcAgency", "SrcId", "TgtAgency", "TgtId"))
    artifact = require(ctx, "ValueMapping", {"Id": args["Id"], "Version": args.get("Version") or "active"})
    removed = ctx.store.valmap_delete_schema(artifact.id, str(args["SrcAgency"]), str(args["SrcId"]),
                                             str(args["TgtAgency"]), str(args["TgtId"]))
    return odata.json_response({"d": {"DeleteValMaps": f"{removed} value mapping(s) deleted"}})


def update_default(ctx: Ctx) -> Response:
    raise ODataError(501, "the emulator does not implement UpdateDefaultValMap")


ROUTES = [
    ("ValueMappingDesigntimeArtifacts()/ValMapSchema", "GET", schemas, "WorkspacePackagesEdit"),
    ("ValueMappingDesigntimeArtifacts()/ValMapSchema()/ValMaps", "GET", valmaps(None), "WorkspacePackagesEdit"),
    ("ValueMappingDesigntimeArtifacts()/ValMapSchema()/DefaultValMaps", "GET", valmaps(True), "WorkspacePackagesEdit"),
    ("UpsertValMaps", "POST", upsert, "WorkspacePackagesEdit"),
    ("DeleteValMaps", "POST", delete_schema, "WorkspacePackagesEdit"),
    ("UpdateDefaultValMap", "POST", update_default, "WorkspacePackagesEdit"),
]
