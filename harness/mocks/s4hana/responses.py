"""HTTP in, OData V2 out: resolve the resource path, apply the query options, call the engine and
write verbose JSON or Atom, or the S/4HANA error body.

:meth:`ODataResponses.resource` is the werkzeug endpoint (client, logon and CSRF checks first);
:meth:`ODataResponses.handle` processes one already-authenticated request and is reused for every
part of a ``$batch``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from werkzeug.datastructures import Headers, MultiDict
from werkzeug.wrappers import Request, Response

from harness.mocks.s4hana import atom, edm, metadata, verbose_json
from harness.mocks.s4hana.batch import ChangeSet, Part, PartResponse, parse_batch, write_batch
from harness.mocks.s4hana.descriptions import EntitySet, Navigation, Service, service_for_root
from harness.mocks.s4hana.engine import Engine
from harness.mocks.s4hana.exceptions import (CsrfTokenInvalid, InvalidPayload, InvalidRequest, LogonFailed,
                                             MethodNotAllowed, ODataError, ResourceNotFound,
                                             UnsupportedMediaType)
from harness.mocks.s4hana.query import QueryError, Shape, coerce, parse_filter, parse_literal, parse_orderby, \
    parse_shape, tokenize
from harness.mocks.s4hana.rules import Row
from harness.mocks.s4hana.uri import Segment, key_values, split_path
from harness.mocks.s4hana.wire import WireContext

if TYPE_CHECKING:
    from harness.mocks.s4hana import S4HanaOData

SYSTEM_OPTIONS = {"$filter", "$orderby", "$top", "$skip", "$inlinecount", "$select", "$expand", "$format",
                  "$skiptoken"}
ODATA_ROOT = "/sap/opu/odata/sap/"


@dataclass
class ODataRequest:
    """One OData request after logon: method, service, resource path, query, headers, body, user."""

    method: str
    service: Service
    root: str
    path: str
    query: MultiDict
    headers: Headers
    body: bytes
    base_url: str
    user: str


@dataclass
class _Target:
    """What a resource path names: a collection, one entity, or one property of it."""

    entity_set: EntitySet
    row: Row | None = None
    rows: list[Row] | None = None
    parent: tuple[EntitySet, Row, Navigation] | None = None
    prop: str | None = None
    raw_value: bool = False
    count: bool = False


class _ChangesetFailed(Exception):
    def __init__(self, response: PartResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8")


def _xml(data: bytes, status: int = 200, content_type: str = "application/atom+xml; charset=utf-8") -> Response:
    return Response(data, status=status, content_type=content_type)


class ODataResponses:
    """The OData endpoints of one S/4HANA mock."""

    def __init__(self, mock: "S4HanaOData") -> None:
        self.mock = mock

    # --- werkzeug endpoints -------------------------------------------------------------------------
    def service_root(self, request: Request, service: str) -> Response:
        """``GET /sap/opu/odata/sap/<service>/``: the service document."""
        return self.resource(request, service, "")

    def token(self, request: Request) -> Response:
        """``POST /sap/bc/sec/oauth2/token``."""
        return self.mock.security.token_endpoint(request)

    def resource(self, request: Request, service: str, resource: str = "") -> Response:
        """Any request below a service root, after the client, logon and CSRF checks."""
        security = self.mock.security
        method = request.method
        if method == "POST" and request.headers.get("X-HTTP-Method"):
            method = request.headers["X-HTTP-Method"].upper()
        try:
            security.check_client(request)
            user, session = security.authenticate(request)
            security.check_csrf(request, method, session)
        except (LogonFailed, CsrfTokenInvalid) as exc:
            return exc.response()
        described = service_for_root(service)
        if described is None:
            fmt = self.format_of(request.args, request.headers)
            error = ResourceNotFound(f"No service found for namespace '/SAP/', name '{service.split(';')[0]}', "
                                     f"version '{_version(service)}'", code="/IWFND/MED/170")
            response = error.render(fmt)
        else:
            odata = ODataRequest(method, described, service, resource, request.args, request.headers,
                                 request.get_data(), f"{request.host_url}{ODATA_ROOT[1:]}{service}/", user)
            with self.mock.system.lock:
                response = self.handle(odata)
        security.fetch(request, user, session, response)
        return response

    # --- one request -------------------------------------------------------------------------------
    def handle(self, req: ODataRequest) -> Response:
        """Process one authenticated OData request (also each part of a ``$batch``)."""
        engine = Engine(self.mock.system, req.service, req.user, self.mock.require_if_match_on_actions)
        ctx = WireContext(req.base_url, engine)
        try:
            fmt = self.format_of(req.query, req.headers)
        except InvalidRequest as exc:
            return exc.render("xml", req.service)
        try:
            unknown = [k for k in req.query if k.startswith("$") and k not in SYSTEM_OPTIONS]
            if unknown:
                raise InvalidRequest(f"System query option '{unknown[0]}' is not supported")
            response = self._dispatch(req, ctx, fmt)
        except QueryError as exc:
            response = InvalidRequest(str(exc)).render(fmt, req.service)
        except ODataError as exc:
            response = exc.render(fmt, req.service)
        if ctx.warnings:
            response.headers["sap-message"] = json.dumps({
                "code": "/IWBEP/CM_MGW_RT/099", "message": ctx.warnings[0], "severity": "warning", "target": "",
                "details": [{"code": "/IWBEP/CM_MGW_RT/099", "message": w, "severity": "warning", "target": ""}
                            for w in ctx.warnings[1:]]})
        response.headers["dataserviceversion"] = "2.0"
        return response

    @staticmethod
    def format_of(query: MultiDict, headers: Headers) -> str:
        """``json`` or ``xml`` from ``$format``, ``Accept`` or the request's content type (Atom by default)."""
        wanted = query.get("$format")
        if wanted:
            if wanted.lower() == "json":
                return "json"
            if wanted.lower() in ("xml", "atom"):
                return "xml"
            raise InvalidRequest(f"$format '{wanted}' is not supported; use json or atom")
        accept = headers.get("Accept", "")
        if "json" in accept:
            return "json"
        if "xml" in accept:
            return "xml"
        return "json" if "json" in headers.get("Content-Type", "") else "xml"

    def _dispatch(self, req: ODataRequest, ctx: WireContext, fmt: str) -> Response:
        service = req.service
        path = req.path.strip("/")
        read = req.method in ("GET", "HEAD")
        if path == "":
            if not read:
                raise MethodNotAllowed(f"Method {req.method} is not allowed on the service document")
            if fmt == "json":
                return _json(metadata.service_document_json(service))
            return _xml(metadata.service_document_xml(service, req.base_url),
                        content_type="application/atomsvc+xml; charset=utf-8")
        if path == "$metadata":
            if not read:
                raise MethodNotAllowed(f"Method {req.method} is not allowed on $metadata")
            base_path = urlsplit(req.base_url).path.rstrip("/")
            return _xml(metadata.cached_edmx(service.name, base_path), content_type="application/xml; charset=utf-8")
        if path == "$batch":
            if req.method != "POST":
                raise MethodNotAllowed("$batch needs POST")
            return self._batch(req)
        segments = split_path(path)
        first = segments[0]
        if first.name in service.function_imports and len(segments) == 1 and first.key is None:
            return self._function(req, ctx, fmt, first.name)
        target = self._resolve(ctx.engine, segments)
        if read:
            return self._read(req, ctx, fmt, target)
        if req.method == "POST":
            return self._create(req, ctx, fmt, target)
        if req.method in ("PUT", "PATCH", "MERGE"):
            return self._update(req, ctx, target)
        if req.method == "DELETE":
            return self._delete(req, ctx, target)
        raise MethodNotAllowed(f"Method {req.method} is not allowed")

    # --- resource paths --------------------------------------------------------------------------------
    def _resolve(self, engine: Engine, segments: list[Segment]) -> _Target:
        first = segments[0]
        entity_set = engine.entity_set(first.name)
        target = _Target(entity_set)
        if first.key is not None:
            target.row = engine.require(entity_set.name, key_values(entity_set.type, first.key))
        for position, segment in enumerate(segments[1:], start=1):
            last = position == len(segments) - 1
            if segment.name == "$count":
                if not last or target.row is not None or target.prop:
                    raise InvalidRequest("$count is only allowed at the end of a collection path")
                target.count = True
                continue
            if segment.name == "$value":
                if not last or target.prop is None:
                    raise InvalidRequest("$value is only allowed after a property")
                target.raw_value = True
                continue
            if target.row is None or target.prop is not None:
                raise InvalidRequest(f"Segment '{segment.name}' cannot follow a collection or a property")
            etype = target.entity_set.type
            nav = etype.navigation.get(segment.name)
            if nav is not None:
                destination, data = engine.navigate(target.entity_set.name, target.row, nav.name)
                if nav.many:
                    rows = data or []
                    if segment.key is not None:
                        wanted = key_values(destination.type, segment.key)
                        match = [r for r in rows if engine.key_of(destination.name, r) == wanted]  # type: ignore[union-attr]
                        if not match:
                            raise ResourceNotFound(f"Resource not found for segment '{destination.type.name}'")
                        target = _Target(destination, row=match[0])
                    else:
                        parent = (target.entity_set, target.row, nav)
                        target = _Target(destination, rows=list(rows), parent=parent)  # type: ignore[arg-type]
                else:
                    if data is None:
                        raise ResourceNotFound(f"Resource not found for segment '{destination.type.name}'")
                    target = _Target(destination, row=data)  # type: ignore[arg-type]
                continue
            if segment.name in etype.properties and segment.key is None:
                target.prop = segment.name
                continue
            raise ResourceNotFound(f"Resource not found for segment '{segment.name}'")
        return target

    # --- reads ----------------------------------------------------------------------------------------------
    def _read(self, req: ODataRequest, ctx: WireContext, fmt: str, target: _Target) -> Response:
        entity_set = target.entity_set
        engine = ctx.engine
        if target.prop is not None:
            prop = entity_set.type.properties[target.prop]
            value = target.row.get(target.prop)  # type: ignore[union-attr]
            if target.raw_value:
                return Response("" if value is None else edm.to_text(prop, value), content_type="text/plain; charset=utf-8")
            if fmt == "json":
                return _json({"d": {prop.name: edm.to_json(prop, value)}})
            return _xml(atom.property_value(prop, value), content_type="application/xml; charset=utf-8")
        shape = parse_shape(req.query.get("$select"), req.query.get("$expand"), req.service, entity_set.type)
        if target.row is not None:
            if fmt == "json":
                response = _json({"d": verbose_json.entity(ctx, entity_set, target.row, shape)})
            else:
                response = _xml(atom.entry(ctx, entity_set, target.row, shape),
                                content_type="application/atom+xml;type=entry; charset=utf-8")
            etag = engine.etag(entity_set.name, target.row)
            if etag:
                response.headers["ETag"] = etag
            return response
        rows = target.rows if target.rows is not None else None
        where = parse_filter(req.query["$filter"], entity_set.type) if "$filter" in req.query else None
        order = parse_orderby(req.query["$orderby"], entity_set.type) if "$orderby" in req.query else None
        skip = _non_negative(req.query, "$skip") or 0
        top = _non_negative(req.query, "$top")
        selected, total = engine.query(entity_set.name, rows, where, order, skip, top)
        if target.count:
            return Response(str(total), content_type="text/plain; charset=utf-8")
        inline = req.query.get("$inlinecount")
        if inline not in (None, "allpages", "none"):
            raise InvalidRequest(f"$inlinecount must be allpages or none, not '{inline}'")
        count = total if inline == "allpages" else None
        offset = _non_negative(req.query, "$skiptoken") or 0
        page_size = self.mock.page_size
        next_link = None
        if page_size and offset + page_size < len(selected):
            query = MultiDict(req.query)
            query.setlist("$skiptoken", [str(offset + page_size)])
            next_link = f"{req.base_url}{req.path}?" + urlencode(list(query.items(multi=True)), safe="$'(),")
        selected = selected[offset:offset + page_size] if page_size else selected[offset:]
        href = req.path.strip("/")
        if fmt == "json":
            return _json(verbose_json.feed(ctx, entity_set, selected, shape, count, next_link))
        return _xml(atom.feed(ctx, entity_set, selected, shape, count, next_link, href=href),
                    content_type="application/atom+xml;type=feed; charset=utf-8")

    # --- writes ---------------------------------------------------------------------------------------------
    def _parse(self, req: ODataRequest, ctx: WireContext, entity_set: EntitySet, mode: str):
        content_type = req.headers.get("Content-Type", "")
        body = req.body or b""
        if not body.strip():
            raise InvalidPayload("The request body is empty; send the entity as JSON or Atom XML")
        if "json" in content_type:
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InvalidPayload(f"The request body is not valid JSON: {exc}") from exc
            if isinstance(data, dict) and set(data) == {"d"} and "d" not in entity_set.type.properties:
                data = data["d"]
            return verbose_json.parse_entity(req.service, entity_set, data, mode, ctx.warnings)
        if "xml" in content_type or body.lstrip().startswith(b"<"):
            return atom.parse_entry(req.service, entity_set, atom.parse_body(body), mode, ctx.warnings)
        raise UnsupportedMediaType(f"Content type '{content_type}' is not supported; use application/json or "
                                   "application/atom+xml")

    def _create(self, req: ODataRequest, ctx: WireContext, fmt: str, target: _Target) -> Response:
        if target.row is not None or target.prop is not None or target.count:
            raise MethodNotAllowed("POST is only allowed on an entity set or a to-many navigation")
        entity_set = target.entity_set
        new = self._parse(req, ctx, entity_set, "create")
        if target.parent is not None:
            _, parent_row, nav = target.parent
            for source, dest in nav.join:
                new.values[dest] = parent_row[source]
        engine = ctx.engine
        with engine.system.transaction():
            row = engine.create(entity_set.name, new)
        shape = _deep_shape(new)
        uri = ctx.entity_uri(entity_set, row)
        response = _json({"d": verbose_json.entity(ctx, entity_set, row, shape)}, status=201) if fmt == "json" \
            else _xml(atom.entry(ctx, entity_set, row, shape), status=201,
                      content_type="application/atom+xml;type=entry; charset=utf-8")
        response.headers["Location"] = uri
        etag = engine.etag(entity_set.name, row)
        if etag:
            response.headers["ETag"] = etag
        return response

    def _single(self, target: _Target, method: str) -> tuple[EntitySet, Row]:
        if target.row is None or target.prop is not None or target.count:
            raise MethodNotAllowed(f"{method} needs the key of one entity")
        return target.entity_set, target.row

    def _update(self, req: ODataRequest, ctx: WireContext, target: _Target) -> Response:
        entity_set, row = self._single(target, req.method)
        changes = self._parse(req, ctx, entity_set, "update")
        engine = ctx.engine
        with engine.system.transaction():
            updated = engine.update(entity_set.name, engine.key_of(entity_set.name, row), changes.values,
                                    req.headers.get("If-Match"), replace=req.method == "PUT")
        response = Response(status=204)
        etag = engine.etag(entity_set.name, updated)
        if etag:
            response.headers["ETag"] = etag
        return response

    def _delete(self, req: ODataRequest, ctx: WireContext, target: _Target) -> Response:
        entity_set, row = self._single(target, "DELETE")
        engine = ctx.engine
        with engine.system.transaction():
            engine.delete(entity_set.name, engine.key_of(entity_set.name, row), req.headers.get("If-Match"))
        return Response(status=204)

    # --- function imports ---------------------------------------------------------------------------------
    def _function(self, req: ODataRequest, ctx: WireContext, fmt: str, name: str) -> Response:
        fi = req.service.function_imports[name]
        params: dict[str, Any] = {}
        for pname, prop in fi.parameters.items():
            raw = req.query.get(pname)
            if raw is None:
                continue
            tokens = tokenize(raw)
            if len(tokens) != 1:
                raise InvalidRequest(f"Parameter '{pname}' of function import '{name}' has an invalid literal '{raw}'")
            try:
                value = coerce(prop, parse_literal(*tokens[0]))
                params[pname] = edm.check(prop, value)
            except (QueryError, edm.EdmValueError) as exc:
                raise InvalidRequest(f"Parameter '{pname}' of function import '{name}': {exc}") from exc
        engine = ctx.engine
        method = "GET" if req.method == "HEAD" else req.method
        with engine.system.transaction():
            fi, result = engine.call(name, method, params, req.headers.get("If-Match"))
        rtype = fi.return_type
        if result is None or rtype is None:
            return Response(status=204)
        if rtype in req.service.entity_types:
            entity_set = req.service.entity_sets.get(fi.entity_set or "") or req.service.set_of_type(rtype)
            shape = Shape()
            if fmt == "json":
                return _json({"d": verbose_json.entity(ctx, entity_set, result, shape)})  # type: ignore[arg-type]
            return _xml(atom.entry(ctx, entity_set, result, shape))  # type: ignore[arg-type]
        ctype = req.service.complex_types[rtype]
        values = result if isinstance(result, list) else [result]
        if fmt == "json":
            if fi.returns_many:
                return _json({"d": {"results": [verbose_json.complex_value(ctx, ctype, v) for v in values]}})
            return _json({"d": {name: verbose_json.complex_value(ctx, ctype, values[0] if values else {})}})
        return _xml(atom.complex_result(ctx, name, ctype, values, fi.returns_many),
                    content_type="application/xml; charset=utf-8")

    # --- $batch -----------------------------------------------------------------------------------------------
    def _batch(self, req: ODataRequest) -> Response:
        parts = parse_batch(req.headers.get("Content-Type", ""), req.body)
        results: list[PartResponse | list[PartResponse]] = []
        for part in parts:
            if isinstance(part, ChangeSet):
                results.append(self._changeset(req, part))
            elif part.method not in ("GET", "HEAD"):
                results.append(_part_error(req, InvalidRequest(
                    f"{part.method} {part.url}: modifying requests must be inside a changeset")))
            else:
                results.append(self._inner(req, part, {}))
        content_type, body = write_batch(results)
        return Response(body, status=202, content_type=content_type)

    def _changeset(self, req: ODataRequest, changeset: ChangeSet) -> PartResponse | list[PartResponse]:
        content_ids: dict[str, str] = {}
        responses: list[PartResponse] = []
        try:
            with self.mock.system.transaction():
                for part in changeset.parts:
                    if part.method in ("GET", "HEAD"):
                        raise _ChangesetFailed(_part_error(req, InvalidRequest(
                            f"GET {part.url}: a changeset may contain only modifying requests")))
                    response = self._inner(req, part, content_ids)
                    if response.status >= 400:
                        raise _ChangesetFailed(response)
                    responses.append(response)
        except _ChangesetFailed as failed:
            return failed.response
        return responses

    def _inner(self, req: ODataRequest, part: Part, content_ids: dict[str, str]) -> PartResponse:
        url = part.url
        for content_id, location in content_ids.items():
            if url.startswith(f"${content_id}"):
                url = location + url[len(content_id) + 1:]
        split = urlsplit(url)
        path = split.path
        root_prefix = f"{ODATA_ROOT}{req.root}/"
        if split.scheme or path.startswith("/"):
            if not path.startswith(root_prefix):
                return _part_error(req, InvalidRequest(f"{part.method} {part.url}: not a resource of {req.root}"))
            path = path[len(root_prefix):]
        method = part.method
        if method == "POST" and part.headers.get("X-HTTP-Method"):
            method = part.headers["X-HTTP-Method"].upper()
        inner = ODataRequest(method, req.service, req.root, path, MultiDict(parse_qsl(split.query, keep_blank_values=True)),
                             part.headers, part.body, req.base_url, req.user)
        response = self.handle(inner)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        result = PartResponse(response.status_code, headers, response.get_data())
        location = response.headers.get("Location")
        if part.content_id and location and location.startswith(req.base_url):
            content_ids[part.content_id] = location[len(req.base_url):]
        return result


def _deep_shape(new: Any) -> Shape:
    """The created entity is answered with the navigations it was posted with (recursively)."""
    expand = {}
    for name, kids in new.children.items():
        expand[name] = _deep_shape(kids[0]) if kids else Shape()
    return Shape(expand=expand)


def _part_error(req: ODataRequest, error: ODataError) -> PartResponse:
    fmt = ODataResponses.format_of(MultiDict(), req.headers)
    response = error.render(fmt, req.service)
    return PartResponse(response.status_code, [("Content-Type", response.content_type)], response.get_data())


def _non_negative(query: MultiDict, name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidRequest(f"{name} must be a non-negative integer, not '{raw}'")
    return int(raw)


def _version(root: str) -> str:
    _, _, version = root.partition(";v=")
    return version.zfill(4) if version else "0001"
