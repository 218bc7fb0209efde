"""OData V2 Atom/XML: feeds and entries for reads, entries for writes (MS-ODATA 2.2.6.2).

SAP's own accelerator sends and reads ``application/atom+xml``; deep inserts arrive as
``<link rel=".../related/to_Item"><m:inline><feed><entry>...`` inside the entry.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from lxml import etree

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import ComplexType, EntitySet, Property, Service
from harness.mocks.s4hana.exceptions import InvalidPayload
from harness.mocks.s4hana.query import Shape
from harness.mocks.s4hana.rules import NewEntity, Row
from harness.mocks.s4hana.wire import Mode, WireContext, accept_property

ATOM = "http://www.w3.org/2005/Atom"
M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
D = "http://schemas.microsoft.com/ado/2007/08/dataservices"
RELATED = "http://schemas.microsoft.com/ado/2007/08/dataservices/related/"
SCHEME = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme"
NSMAP = {None: ATOM, "m": M, "d": D}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _updated() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _properties(parent: etree._Element, props: dict[str, Property], values: dict[str, Any],
                only: set[str] | None = None) -> None:
    for name, prop in props.items():
        if only is not None and name not in only:
            continue
        _properties_into(etree.SubElement(parent, f"{{{D}}}{name}"), prop, values.get(name))


def entry_element(ctx: WireContext, entity_set: EntitySet, row: Row, shape: Shape, root: bool = False) -> etree._Element:
    """An ``<entry>`` for one entity, with inline feeds for expanded navigations."""
    etype = entity_set.type
    uri = ctx.entity_uri(entity_set, row)
    relative = uri[len(ctx.base_url):]
    entry = etree.Element(f"{{{ATOM}}}entry", nsmap=NSMAP if root else None)
    if root:
        entry.set("{http://www.w3.org/XML/1998/namespace}base", ctx.base_url)
    etag = ctx.engine.etag(entity_set.name, row)
    if etag:
        entry.set(f"{{{M}}}etag", etag)
    etree.SubElement(entry, f"{{{ATOM}}}id").text = uri
    etree.SubElement(entry, f"{{{ATOM}}}title", type="text").text = relative
    etree.SubElement(entry, f"{{{ATOM}}}updated").text = _updated()
    etree.SubElement(entry, f"{{{ATOM}}}category", term=ctx.type_name(etype.name), scheme=SCHEME)
    etree.SubElement(entry, f"{{{ATOM}}}link", href=relative, rel="edit", title=etype.name)
    for nav in etype.navigation.values():
        expanded = nav.name in shape.expand
        if not expanded and shape.properties is not None and nav.name not in shape.selected_navs:
            continue
        link = etree.SubElement(entry, f"{{{ATOM}}}link", href=f"{relative}/{nav.name}", rel=RELATED + nav.name,
                                type="application/atom+xml;type=" + ("feed" if nav.many else "entry"), title=nav.name)
        if expanded:
            inline = etree.SubElement(link, f"{{{M}}}inline")
            target, data = ctx.engine.navigate(entity_set.name, row, nav.name)
            sub = shape.expand[nav.name]
            if nav.many:
                inline.append(feed_element(ctx, target, data, sub, href=f"{relative}/{nav.name}"))  # type: ignore[arg-type]
            elif data is not None:
                inline.append(entry_element(ctx, target, data, sub))  # type: ignore[arg-type]
    content = etree.SubElement(entry, f"{{{ATOM}}}content", type="application/xml")
    properties = etree.SubElement(content, f"{{{M}}}properties")
    _properties(properties, etype.properties, row, shape.properties)
    return entry


def feed_element(ctx: WireContext, entity_set: EntitySet, rows: list[Row], shape: Shape, count: int | None = None,
                 next_link: str | None = None, href: str | None = None, root: bool = False) -> etree._Element:
    """A ``<feed>`` of entries."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP if root else None)
    if root:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", ctx.base_url)
    href = href or entity_set.name
    etree.SubElement(feed, f"{{{ATOM}}}id").text = ctx.base_url + href
    etree.SubElement(feed, f"{{{ATOM}}}title", type="text").text = entity_set.name
    etree.SubElement(feed, f"{{{ATOM}}}updated").text = _updated()
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    etree.SubElement(author, f"{{{ATOM}}}name")
    etree.SubElement(feed, f"{{{ATOM}}}link", href=href, rel="self", title=entity_set.name)
    if count is not None:
        etree.SubElement(feed, f"{{{M}}}count").text = str(count)
    for row in rows:
        feed.append(entry_element(ctx, entity_set, row, shape))
    if next_link:
        etree.SubElement(feed, f"{{{ATOM}}}link", href=next_link, rel="next")
    return feed


def document(element: etree._Element) -> bytes:
    """Serialize a root element with the XML declaration."""
    return etree.tostring(element, xml_declaration=True, encoding="utf-8")


def entry(ctx: WireContext, entity_set: EntitySet, row: Row, shape: Shape) -> bytes:
    """A single-entity response."""
    return document(entry_element(ctx, entity_set, row, shape, root=True))


def feed(ctx: WireContext, entity_set: EntitySet, rows: list[Row], shape: Shape, count: int | None = None,
         next_link: str | None = None, href: str | None = None) -> bytes:
    """A collection response."""
    return document(feed_element(ctx, entity_set, rows, shape, count, next_link, href, root=True))


def property_value(prop: Property, value: Any) -> bytes:
    """A single property (``GET .../A_SalesOrder('1')/SalesOrderType``)."""
    element = etree.Element(f"{{{D}}}{prop.name}", nsmap={None: D, "m": M})
    _properties_into(element, prop, value)
    return document(element)


def _properties_into(element: etree._Element, prop: Property, value: Any) -> None:
    if prop.edm != "Edm.String":
        element.set(f"{{{M}}}type", prop.edm)
    if value is None:
        element.set(f"{{{M}}}null", "true")
    else:
        element.text = edm.to_text(prop, value)


def complex_result(ctx: WireContext, name: str, ctype: ComplexType, values: list[dict[str, Any]], many: bool) -> bytes:
    """A function-import result of a complex type (or a collection of them)."""
    root = etree.Element(f"{{{D}}}{name}", nsmap={None: D, "m": M})
    qualified = ctx.type_name(ctype.name)
    if many:
        root.set(f"{{{M}}}type", f"Collection({qualified})")
        for value in values:
            element = etree.SubElement(root, f"{{{D}}}element")
            element.set(f"{{{M}}}type", qualified)
            _properties(element, ctype.properties, {k: value.get(k, edm.default(p)) for k, p in ctype.properties.items()})
    else:
        root.set(f"{{{M}}}type", qualified)
        _properties(root, ctype.properties, {k: (values[0] if values else {}).get(k, edm.default(p))
                                              for k, p in ctype.properties.items()})
    return document(root)


# --- request bodies ---------------------------------------------------------------------------------
def parse_body(body: bytes) -> etree._Element:
    """Parse an XML request body; a syntax error is the client's fault (400)."""
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InvalidPayload(f"The request body is not well-formed XML: {exc}") from exc


def parse_entry(service: Service, entity_set: EntitySet, element: etree._Element, mode: Mode, warnings: list[str],
                parent: NewEntity | None = None) -> NewEntity:
    """An Atom ``<entry>`` (or bare ``<m:properties>``) as a :class:`NewEntity`."""
    if element.tag == f"{{{M}}}properties":
        props_element = element
        links: list[etree._Element] = []
    elif element.tag == f"{{{ATOM}}}entry":
        props_element = element.find(f"{{{ATOM}}}content/{{{M}}}properties")
        if props_element is None:
            props_element = element.find(f"{{{M}}}properties")
        links = element.findall(f"{{{ATOM}}}link")
    else:
        raise InvalidPayload(f"Expected an Atom <entry> for {entity_set.type.name}, got <{etree.QName(element).localname}>")
    new = NewEntity(entity_set, {}, parent=parent)
    for child in props_element if props_element is not None else []:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace != D:
            raise InvalidPayload(f"Property element <{qname.localname}> is not in the data services namespace {D}")
        is_null = child.get(f"{{{M}}}null") == "true"
        accepted = accept_property(entity_set, qname.localname, None if is_null else (child.text or ""), mode,
                                   warnings, edm.from_text)
        if accepted is not None:
            new.values[qname.localname] = accepted[1]
    for link in links:
        rel = link.get("rel", "")
        if not rel.startswith(RELATED):
            continue
        name = rel[len(RELATED):]
        nav = entity_set.type.navigation.get(name)
        if nav is None:
            raise InvalidPayload(f"Navigation property '{name}' not found in type '{entity_set.type.name}'", target=name)
        inline = link.find(f"{{{M}}}inline")
        if inline is None:
            continue
        if mode != "create":
            raise InvalidPayload(f"Navigation property '{name}' in a change request: deep update is not supported",
                                 target=name)
        target = service.entity_sets[nav.target]
        entries = inline.findall(f"{{{ATOM}}}feed/{{{ATOM}}}entry") + inline.findall(f"{{{ATOM}}}entry")
        new.children[name] = [parse_entry(service, target, e, mode, warnings, new) for e in entries]
    return new
