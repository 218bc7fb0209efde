"""``ServiceEndpoints``: the HTTPS (``/http``) and SOAP (``/cxf``) senders of started flows."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.store import as_datetime
from harness.tenant.artifact import LocalArtifact
from harness.tenant.errors import ArtifactError
from harness.tenant.odata import key as odata_key

_PARAM = re.compile(r"\{\{([^}]+)\}\}")
PROTOCOLS = {"HTTPS": ("REST", "http"), "SOAP": ("SOAP", "cxf")}


def published(ctx: Ctx) -> list[dict[str, Any]]:
    """One row per sender endpoint of every STARTED integration flow."""
    rows = []
    for runtime in ctx.store.runtime_list():
        if runtime["status"] != "STARTED" or runtime["type"] != "INTEGRATION_FLOW" or not runtime["content"]:
            continue
        try:
            artifact = LocalArtifact.from_zip(runtime["content"], runtime["artifact_id"])
        except ArtifactError:
            continue
        values = {**artifact.parameters, **runtime["configuration"]}
        for sender in artifact.senders:
            address = _PARAM.sub(lambda m: values.get(m.group(1), m.group(0)), sender.address)
            protocol, prefix = PROTOCOLS[sender.adapter]
            url = f"{ctx.server_root}/{prefix}{address if address.startswith('/') else '/' + address}"
            rows.append({"Name": runtime["name"], "Id": f"{runtime['artifact_id']}$endpointAddress={address}",
                         "Title": runtime["name"], "Version": runtime["version"], "Summary": "", "Description": "",
                         "LastUpdated": as_datetime(runtime["deployed_on"]), "Protocol": protocol,
                         "EntryPoints": [{"Name": runtime["name"], "Url": url, "Type": "PROD",
                                          "AdditionalInformation": ""}]})
    return rows


def list_(ctx: Ctx) -> Response:
    expand = "EntryPoints" in ctx.request.args.get("$expand", "")

    def serialize(row: dict[str, Any]) -> dict[str, Any]:
        key = odata_key(_=row["Id"])
        data = dict(row)
        if expand:
            data["EntryPoints"] = {"results": [odata.entity(ctx.api_root, "EntryPoints", "EntryPoint",
                                                            odata_key(_=p["Url"]), p) for p in row["EntryPoints"]]}
        else:
            data["EntryPoints"] = {"__deferred": {"uri": ctx.url(f"ServiceEndpoints{key}/EntryPoints")}}
        data["ApiDefinitions"] = {"__deferred": {"uri": ctx.url(f"ServiceEndpoints{key}/ApiDefinitions")}}
        return odata.entity(ctx.api_root, "ServiceEndpoints", "ServiceEndpoint", key, data)

    return odata.collection(ctx.request, ctx.url("ServiceEndpoints"), published(ctx),
                            page_size=ctx.settings.page_size, serialize=serialize)


ROUTES = [("ServiceEndpoints", "GET", list_, "MonitoringDataRead")]
