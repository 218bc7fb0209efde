"""Security Content API: credentials and secure parameters by name (secrets are never served)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from harness.emulator.api import odata
from harness.emulator.api.context import Ctx
from harness.emulator.api.odata import ODataError
from harness.emulator.store import as_datetime
from harness.tenant.odata import hex_alias
from harness.tenant.odata import key as odata_key

# API field -> stored field, per kind; secrets are write-only.
FIELDS = {
    "UserCredentials": {"User": "user", "Password": "password", "Kind": "kind", "Description": "description",
                        "CompanyId": "company_id"},
    "OAuth2ClientCredentials": {"TokenServiceUrl": "token_url", "ClientId": "client_id", "ClientSecret": "client_secret",
                                "ClientAuthentication": "client_authentication", "Scope": "scope",
                                "ScopeContentType": "scope_content_type", "Description": "description"},
    "SecureParameters": {"SecureParam": "value", "Description": "description"},
}
SECRETS = {"Password", "ClientSecret", "SecureParam"}
TYPES = {"UserCredentials": "UserCredential", "OAuth2ClientCredentials": "OAuth2ClientCredential",
         "SecureParameters": "SecureParameter"}


def _entity(ctx: Ctx, kind: str, item: dict[str, Any], detail: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"Name": item["name"]}
    if detail:
        for api, stored in FIELDS[kind].items():
            if api not in SECRETS:
                data[api] = item["data"].get(stored, "")
    data["SecurityArtifactDescriptor"] = {"Type": TYPES[kind], "DeployedBy": item["deployed_by"],
                                          "DeployedOn": as_datetime(item["deployed_on"]), "Status": "DEPLOYED"}
    return odata.entity(ctx.api_root, kind, TYPES[kind], odata_key(_=item["name"]), data)


def list_(kind: str):
    def handler(ctx: Ctx) -> Response:
        rows = [{"Name": i["name"], "_i": i} for i in ctx.store.security_list(kind)]
        return odata.collection(ctx.request, ctx.url(kind), rows, page_size=ctx.settings.page_size,
                                serialize=lambda r: _entity(ctx, kind, r["_i"], detail=False))
    return handler


def get(kind: str):
    def handler(ctx: Ctx, name: str) -> Response:
        item = ctx.store.security_get(kind, name)
        if item is None:
            raise ODataError(404, f"{TYPES[kind]} {name} not found.")
        return odata.one(_entity(ctx, kind, item, detail=True))
    return handler


def _data(kind: str, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, str]:
    data = dict(current or {})
    for api, stored in FIELDS[kind].items():
        if api in body and body[api] is not None:
            data[stored] = str(body[api])
    required = {"UserCredentials": ("user", "password"), "OAuth2ClientCredentials": ("token_url", "client_id", "client_secret"),
                "SecureParameters": ("value",)}[kind]
    missing = [api for api, stored in FIELDS[kind].items() if stored in required and not data.get(stored)]
    if missing:
        raise ODataError(400, f"{TYPES[kind]}: mandatory field(s) missing: {', '.join(missing)}")
    return data


def create(kind: str):
    def handler(ctx: Ctx) -> Response:
        body = ctx.body_json()
        name = str(body.get("Name") or "")
        if not name:
            raise ODataError(400, f"{TYPES[kind]}: Name is mandatory")
        if ctx.store.security_get(kind, name) is not None:
            raise ODataError(409, f"{TYPES[kind]} {name} already exists")
        ctx.store.security_put(kind, name, _data(kind, body, None), user=ctx.principal.name)
        return odata.one(_entity(ctx, kind, ctx.store.security_get(kind, name), detail=True), 201)  # type: ignore[arg-type]
    return handler


def update(kind: str):
    def handler(ctx: Ctx, name: str) -> Response:
        item = ctx.store.security_get(kind, name)
        if item is None:
            raise ODataError(404, f"{TYPES[kind]} {name} not found.")
        ctx.store.security_put(kind, name, _data(kind, ctx.body_json(), item["data"]), user=ctx.principal.name)
        return Response(status=200)
    return handler


def delete(kind: str):
    def handler(ctx: Ctx, name: str) -> Response:
        if not ctx.store.security_delete(kind, name):
            raise ODataError(404, f"{TYPES[kind]} {name} not found.")
        return Response(status=200)
    return handler


def keystore(ctx: Ctx) -> Response:
    rows = [{"Hexalias": hex_alias(a), "Alias": a, "KeyType": "RSA", "KeySize": 2048, "Type": "KeyPair",
             "Owner": "SAP"} for a in ctx.settings.keystore_aliases]
    return odata.collection(ctx.request, ctx.url("KeystoreEntries"), rows, page_size=ctx.settings.page_size,
                            serialize=lambda r: odata.entity(ctx.api_root, "KeystoreEntries", "KeystoreEntry",
                                                             odata_key(_=r["Hexalias"]), r))


ROUTES = [("KeystoreEntries", "GET", keystore, "MonitoringDataRead")]
for _kind in FIELDS:
    ROUTES += [
        (_kind, "GET", list_(_kind), "MonitoringDataRead"),
        (_kind, "POST", create(_kind), "CredentialsEdit"),
        (f"{_kind}()", "GET", get(_kind), "MonitoringDataRead"),
        (f"{_kind}()", "PUT", update(_kind), "CredentialsEdit"),
        (f"{_kind}()", "DELETE", delete(_kind), "CredentialsEdit"),
    ]
