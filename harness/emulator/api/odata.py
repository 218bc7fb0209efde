"""Server-side OData V2 wire format: path segments and keys, literals, JSON envelopes, errors, paging."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable
from urllib.parse import unquote

from werkzeug.wrappers import Response

from harness.emulator.api.filters import FilterError, compile_filter, parse_literal

NAMESPACE = "com.sap.hci.api"
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
           500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable"}


class ODataError(Exception):
    """An error answered in the tenant's format ``{"error": {"code", "message": {"lang", "value"}}}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        """The wire response."""
        body = {"error": {"code": REASONS.get(self.status, "Error"), "message": {"lang": "en", "value": self.message}}}
        return Response(json.dumps(body), status=self.status, headers=self.headers,
                        content_type="application/json; charset=utf-8")


@dataclass(frozen=True)
class Segment:
    """One path segment: ``Name`` or ``Name(keys)``; ``keys`` is a str (single key) or dict."""

    name: str
    keys: str | dict[str, Any] | None = None

    @property
    def shape(self) -> str:
        """The segment with its key replaced by ``()`` (for routing)."""
        return f"{self.name}()" if self.keys is not None else self.name


def split_path(raw: str) -> list[Segment]:
    """Split a raw (still percent-encoded) resource path into segments, honouring quoted keys."""
    parts: list[str] = []
    current, quoted = "", False
    for ch in raw:
        if ch == "'":
            quoted = not quoted
        if ch == "/" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [parse_segment(unquote(p)) for p in parts if p != ""]


def parse_segment(text: str) -> Segment:
    """``Name('x')`` / ``Name(A='x',B='y')`` / ``Name``."""
    if not text.endswith(")") or "(" not in text:
        return Segment(text)
    name, _, inner = text.partition("(")
    inner = inner[:-1]
    items = _split_keys(inner)
    if len(items) == 1 and "=" not in _outside_quotes(items[0]):
        return Segment(name, str(parse_literal(items[0].strip())))
    keys: dict[str, Any] = {}
    for item in items:
        key, _, value = item.partition("=")
        if not _:
            raise ODataError(400, f"malformed key predicate in segment {text!r}")
        keys[key.strip()] = parse_literal(value.strip())
    return Segment(name, keys)


def _outside_quotes(text: str) -> str:
    out, quoted = [], False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        elif not quoted:
            out.append(ch)
    return "".join(out)


def _split_keys(inner: str) -> list[str]:
    items, current, quoted = [], "", False
    for ch in inner:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return items


def function_args(args: Any, names: Iterable[str], required: Iterable[str]) -> dict[str, Any]:
    """Function-import parameters from the query (OData literals); 400 naming a missing one."""
    values: dict[str, Any] = {}
    for name in names:
        if name in args:
            try:
                values[name] = parse_literal(args[name])
            except FilterError as exc:
                raise ODataError(400, f"parameter {name}: {exc}") from exc
    missing = [n for n in required if values.get(n) in (None, "")]
    if missing:
        raise ODataError(400, f"missing function import parameter(s): {', '.join(missing)}")
    return values


def to_wire(value: Any) -> Any:
    """Python values -> OData JSON (datetimes as ``/Date(ms)/``)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return f"/Date({int(value.timestamp() * 1000)})/"
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def entity(base: str, entity_set: str, type_name: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """An entity with ``__metadata``."""
    uri = f"{base}/{entity_set}{key}"
    return {"__metadata": {"id": uri, "uri": uri, "type": f"{NAMESPACE}.{type_name}"}, **to_wire(data)}


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    return Response(json.dumps(payload), status=status, headers=headers,
                    content_type="application/json; charset=utf-8")


def one(item: dict[str, Any], status: int = 200) -> Response:
    """``{"d": {...}}``."""
    return json_response({"d": item}, status)


def collection(request: Any, base_url: str, rows: list[dict[str, Any]], *, page_size: int,
               serialize: Callable[[dict[str, Any]], dict[str, Any]]) -> Response:
    """Apply $filter, $orderby, $skip/$skiptoken, $top and $inlinecount; page with ``__next``.

    ``rows`` hold Python values (datetimes, nested dicts) that filters compare; ``serialize`` turns
    one row into the wire entity.
    """
    args = request.args
    if "$filter" in args:
        try:
            predicate = compile_filter(args["$filter"])
        except FilterError as exc:
            raise ODataError(400, f"Invalid filter expression {args['$filter']!r}: {exc}") from exc
        rows = [r for r in rows if predicate(r)]
    if "$orderby" in args:
        for clause in reversed([c.strip() for c in args["$orderby"].split(",") if c.strip()]):
            prop, _, direction = clause.partition(" ")
            rows.sort(key=lambda r, p=prop: _sort_key(_lookup(r, p)), reverse=direction.strip().lower() == "desc")
    total = len(rows)
    skip = _int(args.get("$skiptoken") or args.get("$skip") or 0, "$skip")
    rows = rows[skip:]
    top = _int(args["$top"], "$top") if "$top" in args else None
    limit = min(top, page_size) if top is not None else page_size
    page = rows[:limit]
    body: dict[str, Any] = {"results": [serialize(r) for r in page]}
    if args.get("$inlinecount") == "allpages":
        body["__count"] = str(total)
    remaining = len(rows) - len(page)
    if remaining > 0 and (top is None or top > len(page)):
        query = [(k, v) for k, v in args.items(multi=True) if k not in ("$skiptoken", "$skip")]
        if top is not None:
            query = [(k, v) for k, v in query if k != "$top"] + [("$top", str(top - len(page)))]
        from harness.tenant.odata import query_string

        query_text = query_string(dict(query))
        body["__next"] = f"{base_url}?{query_text + '&' if query_text else ''}$skiptoken={skip + len(page)}"
    return json_response({"d": body})


def _lookup(row: dict[str, Any], path: str) -> Any:
    node: Any = row
    for part in path.split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, datetime):
        return (1, value.timestamp())
    return (1, value)


def _int(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ODataError(400, f"{name} must be a non-negative integer, got {value!r}") from exc
    if number < 0:
        raise ODataError(400, f"{name} must be a non-negative integer, got {value!r}")
    return number


def count(rows: list[dict[str, Any]], request: Any) -> Response:
    """``/$count``: the number as plain text (after $filter)."""
    if "$filter" in request.args:
        try:
            predicate = compile_filter(request.args["$filter"])
        except FilterError as exc:
            raise ODataError(400, f"Invalid filter expression: {exc}") from exc
        rows = [r for r in rows if predicate(r)]
    return Response(str(len(rows)), content_type="text/plain")
