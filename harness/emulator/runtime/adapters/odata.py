"""OData V2 receiver (``HCIOData`` 1.7-1.26), as the tenant's adapter behaves.

* The message body is XML in the adapter's shape, ``<EntitySet><EntityType>fields...``, with
  navigation properties as ``<to_Item><ItemType>...</ItemType></to_Item>``; the adapter converts it
  to verbose JSON or an Atom entry (``contentType``) using the service metadata for value types,
  and converts the reply (JSON or Atom) back into that XML shape.
* ``$metadata`` is read before the first call and cached for an hour per service (the packaged
  ``edmxFilePath`` is the fallback when the service does not answer it).
* Modifying calls fetch a CSRF token (``X-CSRF-Token: Fetch`` on the service root, keeping the
  session cookies) when ``isCSRFEnabled``; a 403 ``x-csrf-token: Required`` re-fetches once and
  retries.
* ETags: an ``If-Match`` header on the message is sent with updates, deletes and function imports
  (SAP's delivery flows read the ETag before ``PostGoodsIssue``); a read's
  ``ETag`` response header reaches the message when the response-header allow-list lets it.
* An error status raises ``OsciException`` with the tenant's ``<reason> : <code> : HTTP/1.1 ...``
  text, the service's own error message appended; the response body is attached to the MPL.

Not supported (the deploy fails, naming the channel): ``$batch`` (``enableBatchProcessing``),
server paging (``pagination``), ``Upsert``, authentication other than None/Basic/OAuth2.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
from lxml import etree

from ..context import RunContext
from ..errors import HttpResponseError
from ..exchange import Exchange
from ..registry import ADAPTERS
from .. import simple
from .base import (ReceiverAdapter, auth_header, check_auth, header_allowed, http_call, outbound_headers,
                   timeout_seconds)

OSCI = "com.sap.gateway.core.ip.component.odata.exception.OsciException"
EDMX_NS = "http://schemas.microsoft.com/ado/2007/06/edmx"
M_NS = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
D_NS = "http://schemas.microsoft.com/ado/2007/08/dataservices"
ATOM = "http://www.w3.org/2005/Atom"
OPERATIONS = {"Query(GET)": "GET", "Read(GET)": "GET", "Create(POST)": "POST", "Update(PUT)": "PUT",
              "Merge(MERGE)": "MERGE", "Patch(PATCH)": "PATCH", "Delete(DELETE)": "DELETE",
              "FunctionImport": None}
MODIFYING = {"POST", "PUT", "PATCH", "MERGE", "DELETE"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass
class EntityType:
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    navigation: dict[str, tuple[str, bool]] = field(default_factory=dict)   # name -> (type, many)


@dataclass
class Metadata:
    """What the adapter needs from an EDMX: set -> type, property types, navigation targets."""

    sets: dict[str, str] = field(default_factory=dict)
    types: dict[str, EntityType] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: bytes) -> "Metadata":
        root = etree.fromstring(data, parser=_PARSER)
        meta = cls()
        associations: dict[str, dict[str, tuple[str, str]]] = {}
        for schema in root.iter("{*}Schema"):
            namespace = schema.get("Namespace", "")
            for assoc in schema.findall("{*}Association"):
                ends = {e.get("Role"): (e.get("Type", "").split(".")[-1], e.get("Multiplicity", "1"))
                        for e in assoc.findall("{*}End")}
                associations[f"{namespace}.{assoc.get('Name')}"] = ends
                associations[assoc.get("Name")] = ends
        for schema in root.iter("{*}Schema"):
            for et in schema.findall("{*}EntityType"):
                entity = EntityType(et.get("Name"))
                for prop in et.findall("{*}Property"):
                    entity.properties[prop.get("Name")] = prop.get("Type", "Edm.String")
                for nav in et.findall("{*}NavigationProperty"):
                    ends = associations.get(nav.get("Relationship", ""), {})
                    target = ends.get(nav.get("ToRole"), ("", "1"))
                    entity.navigation[nav.get("Name")] = (target[0], target[1] == "*")
                meta.types[entity.name] = entity
            for container in schema.findall("{*}EntityContainer"):
                for es in container.findall("{*}EntitySet"):
                    meta.sets[es.get("Name")] = es.get("EntityType", "").split(".")[-1]
                for fi in container.findall("{*}FunctionImport"):
                    meta.functions[fi.get("Name")] = fi.get(f"{{{M_NS}}}HttpMethod") or "GET"
        return meta


def _segment(resource: str) -> str:
    last = resource.split("?")[0].rstrip("/").split("/")[-1]
    return last.split("(")[0]


def _json_date(text: str) -> str:
    match = re.fullmatch(r"/Date\((-?\d+)([+-]\d{4})?\)/", text)
    if not match:
        return text
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=int(match.group(1)))
    formatted = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return formatted + ("Z" if match.group(2) else "")


def _typed(value: str, edm_type: str) -> Any:
    if edm_type == "Edm.Boolean":
        return value.strip().lower() == "true"
    if edm_type in ("Edm.Int16", "Edm.Int32", "Edm.Byte", "Edm.SByte"):
        try:
            return int(value)
        except ValueError:
            return value
    return value


class ODataClient:
    """Per channel: a session (cookies), the CSRF token and the cached metadata."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.token: str | None = None
        self.metadata: Metadata | None = None
        self.metadata_at = 0.0
        self.lock = threading.Lock()


@ADAPTERS.register(("HCIOData", "Receiver"))
class ODataReceiver(ReceiverAdapter):
    title = "OData V2 receiver"
    min_version = "1.7"
    max_version = "1.26"

    def compile(self) -> None:
        self.root_url = self.prop("address").rstrip("/")
        if not self.root_url:
            raise self.fail("address (service root) is empty")
        operation = self.prop("operation", "Query(GET)")
        if operation not in OPERATIONS:
            raise self.fail(f"operation {operation!r} is not supported "
                            f"(supported: {', '.join(OPERATIONS)})")
        self.operation = operation
        if self.flag("enableBatchProcessing"):
            raise self.fail("$batch processing (enableBatchProcessing) is not supported by the emulator")
        if self.prop("pagination", "0") not in ("0", "false"):
            raise self.fail("paging (Process in Pages) is not supported by the emulator")
        if not self.prop("resourcePath"):
            raise self.fail("resourcePath is empty")
        self.auth, self.alias = check_auth(self, "authenticationMethod", "alias")
        self.json = "json" in self.prop("contentType", "application/atom+xml")
        self.csrf = self.flag("isCSRFEnabled", True)
        self.timeout = timeout_seconds(self.prop("receiveTimeOut", "1"), False, 60.0)
        edmx = self.prop("edmxFilePath")
        self.packaged: Metadata | None = None
        if edmx:
            data = self.flow.package.resource(edmx)
            if data is not None:
                try:
                    self.packaged = Metadata.parse(data)
                except etree.XMLSyntaxError as exc:
                    raise self.fail(f"{edmx} is not a valid EDMX: {exc}") from exc
        self.client = ODataClient()

    # --- metadata and CSRF -------------------------------------------------------------------
    def _auth(self) -> dict[str, str]:
        return auth_header(self.flow, self.auth, self.alias)

    def metadata(self) -> Metadata | None:
        client = self.client
        with client.lock:
            if client.metadata is not None and time.time() - client.metadata_at < 3600:
                return client.metadata
        try:
            response = client.session.get(f"{self.root_url}/$metadata", headers=self._auth(), timeout=self.timeout)
            meta = Metadata.parse(response.content) if response.status_code == 200 else None
        except (requests.RequestException, etree.XMLSyntaxError):
            meta = None
        meta = meta or self.packaged
        with client.lock:
            client.metadata, client.metadata_at = meta, time.time()
        return meta

    def _fetch_token(self) -> str | None:
        headers = {"X-CSRF-Token": "Fetch", **self._auth()}
        response = http_call(self.flow, "GET", self.root_url + "/", headers=headers, body=None,
                             timeout=self.timeout, session=self.client.session)
        token = response.headers.get("x-csrf-token")
        self.client.token = token
        if token:
            self.flow.runtime.masker.add(token)
        return token

    # --- the call ------------------------------------------------------------------------------
    def request(self, ex: Exchange, ctx: RunContext) -> None:
        resource = simple.interpolate(self.prop("resourcePath"), ex, ctx).lstrip("/")
        query = "&".join(q for q in (simple.interpolate(self.prop("queryOptions"), ex, ctx),
                                     simple.interpolate(self.prop("customQueryOptions"), ex, ctx)) if q)
        meta = self.metadata()
        method = OPERATIONS[self.operation]
        if method is None:
            method = (meta.functions.get(_segment(resource), "POST") if meta else "POST").upper()
        url = f"{self.root_url}/{resource}" + (f"?{query}" if query else "")
        headers = outbound_headers(ex, self.prop("whitelistRequestHeaders"))
        headers.pop("Content-Type", None)
        headers.update(self._auth())
        headers["Accept"] = "application/json" if self.json else "application/atom+xml"
        body = None
        if method in ("POST", "PUT", "PATCH", "MERGE") and self.operation != "FunctionImport":
            body = self._request_body(ex, resource, meta)
            headers["Content-Type"] = "application/json" if self.json else "application/atom+xml"
        # function imports bound to an entity with an ETag (delivery picking, goods issue) need it too
        if (method in ("PUT", "PATCH", "MERGE", "DELETE") or self.operation == "FunctionImport") \
                and ex.headers.get("If-Match"):
            headers["If-Match"] = str(ex.headers.get("If-Match"))
        response = self._send(method, url, headers, body)
        ex.headers["CamelHttpResponseCode"] = response.status_code
        if response.status_code >= 300:
            ex.body = response.content   # the error response is the body an exception subprocess sees
            self._raise(response, url, ctx)
        allow = self.prop("whitelistResponseHeaders")
        for name, value in response.headers.items():
            if header_allowed(name, allow):
                ex.headers[name] = value
        if method == "GET" or (response.content.strip() and response.status_code != 204):
            ex.body = self._response_xml(response, resource, meta)
        else:
            ex.body = b""

    def _send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> requests.Response:
        modifying = method in MODIFYING
        if modifying and self.csrf:
            token = self.client.token or self._fetch_token()
            if token:
                headers["X-CSRF-Token"] = token
        response = http_call(self.flow, method, url, headers=headers, body=body, timeout=self.timeout,
                             session=self.client.session)
        if (modifying and self.csrf and response.status_code == 403
                and (response.headers.get("x-csrf-token") or "").lower() == "required"):
            token = self._fetch_token()
            if token:
                headers["X-CSRF-Token"] = token
            response = http_call(self.flow, method, url, headers=headers, body=body, timeout=self.timeout,
                                 session=self.client.session)
        return response

    def _raise(self, response: requests.Response, url: str, ctx: RunContext) -> None:
        detail = ""
        try:
            payload = response.json()
            detail = payload["error"]["message"]["value"]
        except (ValueError, KeyError, TypeError):
            try:
                root = etree.fromstring(response.content, parser=_PARSER)
                detail = root.findtext(f"{{{M_NS}}}message") or ""
            except etree.XMLSyntaxError:
                detail = response.text[:300]
        if self.flag("enableMPLAttachments", True):
            ctx.attach("OData_Receiver_Error_Response", response.headers.get("Content-Type", "text/plain"),
                       response.text)
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = response.reason or ""
        text = f"{reason} : {response.status_code} : HTTP/1.1 {response.status_code} {reason}"
        if detail:
            text += f" : {detail}"
        raise HttpResponseError(text, status=response.status_code, body=response.content,
                                headers=dict(response.headers), url=url, java_class=OSCI, status_text=reason)

    # --- XML <-> wire --------------------------------------------------------------------------
    def _entity_element(self, ex: Exchange) -> etree._Element:
        try:
            root = etree.fromstring(ex.body, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise HttpResponseError(f"the message body for {self.operation} is not XML: {exc}", status=0,
                                    java_class=OSCI) from exc
        children = [c for c in root if isinstance(c.tag, str)]
        if len(children) == 1 and any(isinstance(g.tag, str) for g in children[0]):
            return children[0]
        return root

    def _to_json(self, element: etree._Element, type_name: str | None, meta: Metadata | None,
                 top: bool = False) -> dict:
        entity = meta.types.get(type_name) if meta and type_name else None
        wanted = {f.strip().split("/")[0] for f in self.prop("fields").split(",") if f.strip()}
        result: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if wanted and top and name not in wanted:
                continue
            grand = [g for g in child if isinstance(g.tag, str)]
            if grand:
                target = entity.navigation.get(name, (None, True)) if entity else (None, True)
                items = [self._to_json(g, target[0] or etree.QName(g).localname.removesuffix("Type") or None, meta)
                         for g in grand]
                result[name] = {"results": items} if target[1] else items[0]
            else:
                edm = entity.properties.get(name, "Edm.String") if entity else "Edm.String"
                result[name] = _typed(child.text or "", edm)
        return result

    def _request_body(self, ex: Exchange, resource: str, meta: Metadata | None) -> bytes:
        element = self._entity_element(ex)
        set_name = _segment(resource)
        type_name = (meta.sets.get(set_name) if meta else None) or etree.QName(element).localname
        data = self._to_json(element, type_name, meta, top=True)
        if self.json:
            return json.dumps(data, ensure_ascii=False).encode("utf-8")
        entry = etree.Element(f"{{{ATOM}}}entry", nsmap={None: ATOM, "m": M_NS, "d": D_NS})
        content = etree.SubElement(entry, f"{{{ATOM}}}content", type="application/xml")
        props = etree.SubElement(content, f"{{{M_NS}}}properties")
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                continue
            etree.SubElement(props, f"{{{D_NS}}}{key}").text = simple.to_text(value)
        return etree.tostring(entry, encoding="UTF-8", xml_declaration=True)

    def _response_xml(self, response: requests.Response, resource: str, meta: Metadata | None) -> bytes:
        set_name = _segment(resource)
        type_name = (meta.sets.get(set_name) if meta else None)
        root = etree.Element(set_name or "root")
        content_type = response.headers.get("Content-Type", "")
        if "json" in content_type or response.content.lstrip().startswith(b"{"):
            payload = response.json().get("d", {})
            rows = payload.get("results") if isinstance(payload, dict) and "results" in payload else [payload]
            if isinstance(payload, list):
                rows = payload
            for row in rows:
                if isinstance(row, dict):
                    root.append(self._json_entity(row, type_name, set_name))
        else:
            doc = etree.fromstring(response.content, parser=_PARSER)
            entries = [doc] if etree.QName(doc).localname == "entry" else doc.findall(f"{{{ATOM}}}entry")
            for entry in entries:
                root.append(self._atom_entity(entry, type_name, set_name))
        return etree.tostring(root, encoding="UTF-8", xml_declaration=True)

    def _atom_entity(self, entry: etree._Element, type_name: str | None, set_name: str) -> etree._Element:
        """An Atom ``<entry>`` in the adapter's XML shape: its own properties (not those of inline
        entries, which come first in the document), then each ``$expand``-ed navigation as
        ``<to_Nav><ChildType>...</ChildType></to_Nav>``, as the JSON branch writes it."""
        category = entry.find(f"{{{ATOM}}}category")
        term = category.get("term", "") if category is not None else ""
        element = etree.Element(type_name or (term.split(".")[-1] if term else f"{set_name}Type"))
        props = entry.find(f"{{{ATOM}}}content/{{{M_NS}}}properties")
        if props is None:
            props = entry.find(f"{{{M_NS}}}properties")       # media link entries keep them outside content
        for prop in (props if props is not None else []):
            if prop.get(f"{{{M_NS}}}null") == "true":
                continue
            etree.SubElement(element, etree.QName(prop).localname).text = prop.text or ""
        for link in entry.findall(f"{{{ATOM}}}link"):
            inline = link.find(f"{{{M_NS}}}inline")
            if inline is None:
                continue
            name = link.get("title") or link.get("rel", "").rsplit("/", 1)[-1]
            nav = etree.SubElement(element, name)
            children = [c for c in inline if isinstance(c.tag, str)]
            kids = children[0].findall(f"{{{ATOM}}}entry") if children and etree.QName(children[0]).localname == "feed" \
                else [c for c in children if etree.QName(c).localname == "entry"]
            for kid in kids:
                nav.append(self._atom_entity(kid, None, name))
        return element

    def _json_entity(self, row: dict, type_name: str | None, set_name: str) -> etree._Element:
        meta_type = (row.get("__metadata") or {}).get("type", "")
        name = type_name or (meta_type.split(".")[-1] if meta_type else f"{set_name}Type")
        element = etree.Element(name)
        for key, value in row.items():
            if key == "__metadata" or value is None:
                continue
            if isinstance(value, dict) and "__deferred" in value:
                continue
            if isinstance(value, dict) and "results" in value and isinstance(value["results"], list):
                nav = etree.SubElement(element, key)
                for item in value["results"]:
                    nav.append(self._json_entity(item, None, key))
            elif isinstance(value, dict):
                nav = etree.SubElement(element, key)
                nav.append(self._json_entity(value, None, key))
            else:
                text = "true" if value is True else "false" if value is False else str(value)
                etree.SubElement(element, key).text = _json_date(text)
        return element
