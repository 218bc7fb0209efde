"""OData V2 verbose JSON: ``{"d": ...}`` responses and request bodies (MS-ODATA 2.2.6.3)."""

from __future__ import annotations

from typing import Any

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import ComplexType, EntitySet, Service
from harness.mocks.s4hana.exceptions import InvalidPayload
from harness.mocks.s4hana.query import Shape
from harness.mocks.s4hana.rules import NewEntity, Row
from harness.mocks.s4hana.wire import Mode, WireContext, accept_property


def entity(ctx: WireContext, entity_set: EntitySet, row: Row, shape: Shape) -> dict[str, Any]:
    """One entity with ``__metadata``, its (selected) properties and deferred or expanded navigations."""
    etype = entity_set.type
    uri = ctx.entity_uri(entity_set, row)
    meta = {"id": uri, "uri": uri, "type": ctx.type_name(etype.name)}
    etag = ctx.engine.etag(entity_set.name, row)
    if etag:
        meta["etag"] = etag
    out: dict[str, Any] = {"__metadata": meta}
    for name, prop in etype.properties.items():
        if shape.properties is None or name in shape.properties:
            out[name] = edm.to_json(prop, row.get(name))
    for nav in etype.navigation.values():
        if nav.name in shape.expand:
            target, data = ctx.engine.navigate(entity_set.name, row, nav.name)
            sub = shape.expand[nav.name]
            if nav.many:
                out[nav.name] = {"results": [entity(ctx, target, r, sub) for r in data]}  # type: ignore[union-attr]
            else:
                out[nav.name] = entity(ctx, target, data, sub) if data else None  # type: ignore[arg-type]
        elif shape.properties is None or nav.name in shape.selected_navs:
            out[nav.name] = {"__deferred": {"uri": f"{uri}/{nav.name}"}}
    return out


def feed(ctx: WireContext, entity_set: EntitySet, rows: list[Row], shape: Shape, count: int | None = None,
         next_link: str | None = None) -> dict[str, Any]:
    """A collection: ``{"d": {"results": [...], "__count": "n", "__next": ...}}``."""
    body: dict[str, Any] = {}
    if count is not None:
        body["__count"] = str(count)
    body["results"] = [entity(ctx, entity_set, r, shape) for r in rows]
    if next_link:
        body["__next"] = next_link
    return {"d": body}


def complex_value(ctx: WireContext, ctype: ComplexType, value: dict[str, Any]) -> dict[str, Any]:
    """One complex-type value (function-import results)."""
    out: dict[str, Any] = {"__metadata": {"type": ctx.type_name(ctype.name)}}
    for name, prop in ctype.properties.items():
        out[name] = edm.to_json(prop, value.get(name, edm.default(prop)))
    return out


def parse_entity(service: Service, entity_set: EntitySet, data: Any, mode: Mode, warnings: list[str],
                 parent: NewEntity | None = None) -> NewEntity:
    """A request body (object) as a :class:`NewEntity`; deep-insert children for ``create``."""
    if not isinstance(data, dict):
        raise InvalidPayload(f"Expected a JSON object for an entity of {entity_set.type.name}, got {type(data).__name__}")
    new = NewEntity(entity_set, {}, parent=parent)
    for name, raw in data.items():
        if name == "__metadata":
            continue
        nav = entity_set.type.navigation.get(name)
        if nav is not None:
            if isinstance(raw, dict) and "__deferred" in raw:
                continue
            if mode != "create":
                raise InvalidPayload(f"Navigation property '{name}' in a change request: deep update is not "
                                     "supported; change the related entities one by one", target=name)
            target = service.entity_sets[nav.target]
            items = _nav_items(name, raw, nav.many)
            new.children[name] = [parse_entity(service, target, item, mode, warnings, new) for item in items]
            continue
        accepted = accept_property(entity_set, name, raw, mode, warnings, edm.from_json)
        if accepted is not None:
            new.values[name] = accepted[1]
    return new


def _nav_items(name: str, raw: Any, many: bool) -> list[Any]:
    if raw is None:
        return []
    if many:
        if isinstance(raw, dict) and isinstance(raw.get("results"), list):
            return raw["results"]
        if isinstance(raw, list):
            return raw
        raise InvalidPayload(f"Navigation property '{name}' expects {{\"results\": [...]}} or a JSON array",
                             target=name)
    if isinstance(raw, dict):
        return [raw]
    raise InvalidPayload(f"Navigation property '{name}' expects a JSON object", target=name)
