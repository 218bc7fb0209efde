"""``$metadata`` (EDMX, OData V2 with the ``sap:`` annotations the OData adapter reads) and the
service document, generated from a service description."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from harness.mocks.s4hana.descriptions import EntityType, Property, Service

EDMX = "http://schemas.microsoft.com/ado/2007/06/edmx"
EDM = "http://schemas.microsoft.com/ado/2008/09/edm"
M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
SAP = "http://www.sap.com/Protocols/SAPData"
ATOM = "http://www.w3.org/2005/Atom"
APP = "http://www.w3.org/2007/app"


def _property(parent: etree._Element, prop: Property, tag: str = "Property", with_flags: bool = True) -> None:
    element = etree.SubElement(parent, f"{{{EDM}}}{tag}", Name=prop.name, Type=prop.edm)
    if not prop.nullable:
        element.set("Nullable", "false")
    if prop.max_length is not None:
        element.set("MaxLength", str(prop.max_length))
    if prop.precision is not None:
        element.set("Precision", str(prop.precision))
    if prop.scale is not None:
        element.set("Scale", str(prop.scale))
    if prop.etag:
        element.set("ConcurrencyMode", "Fixed")
    if prop.date_only:
        element.set(f"{{{SAP}}}display-format", "Date")
    elif prop.numc:
        element.set(f"{{{SAP}}}display-format", "NonNegative")
    if with_flags:
        if not prop.creatable:
            element.set(f"{{{SAP}}}creatable", "false")
        if not prop.updatable:
            element.set(f"{{{SAP}}}updatable", "false")


def _association_name(etype: EntityType, nav: str) -> str:
    return f"assoc_{etype.name}_{nav}"


def build_edmx(service: Service, base_path: str) -> bytes:
    """The ``$metadata`` document of a service served at ``base_path`` (``/sap/opu/odata/sap/X``)."""
    root = etree.Element(f"{{{EDMX}}}Edmx", Version="1.0", nsmap={"edmx": EDMX, "m": M, "sap": SAP})
    services = etree.SubElement(root, f"{{{EDMX}}}DataServices")
    services.set(f"{{{M}}}DataServiceVersion", "2.0")
    schema = etree.SubElement(services, f"{{{EDM}}}Schema", nsmap={None: EDM}, Namespace=service.namespace)
    schema.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    schema.set(f"{{{SAP}}}schema-version", service.content_version)
    version = {f"{{{SAP}}}content-version": service.content_version}
    for etype in service.entity_types.values():
        element = etree.SubElement(schema, f"{{{EDM}}}EntityType", Name=etype.name, attrib=version)
        key = etree.SubElement(element, f"{{{EDM}}}Key")
        for name in etype.key:
            etree.SubElement(key, f"{{{EDM}}}PropertyRef", Name=name)
        for prop in etype.properties.values():
            _property(element, prop)
        for nav in etype.navigation.values():
            assoc = _association_name(etype, nav.name)
            etree.SubElement(element, f"{{{EDM}}}NavigationProperty", Name=nav.name,
                             Relationship=f"{service.namespace}.{assoc}", FromRole=f"FromRole_{assoc}",
                             ToRole=f"ToRole_{assoc}")
    for ctype in service.complex_types.values():
        element = etree.SubElement(schema, f"{{{EDM}}}ComplexType", Name=ctype.name)
        for prop in ctype.properties.values():
            _property(element, prop)
    associations = []
    for etype in service.entity_types.values():
        for nav in etype.navigation.values():
            target = service.entity_sets[nav.target].type
            assoc = _association_name(etype, nav.name)
            element = etree.SubElement(schema, f"{{{EDM}}}Association", Name=assoc, attrib=version)
            etree.SubElement(element, f"{{{EDM}}}End", Type=f"{service.namespace}.{etype.name}", Multiplicity="1",
                             Role=f"FromRole_{assoc}")
            etree.SubElement(element, f"{{{EDM}}}End", Type=f"{service.namespace}.{target.name}",
                             Multiplicity="*" if nav.many else "0..1", Role=f"ToRole_{assoc}")
            constraint = etree.SubElement(element, f"{{{EDM}}}ReferentialConstraint")
            principal = etree.SubElement(constraint, f"{{{EDM}}}Principal", Role=f"FromRole_{assoc}")
            dependent = etree.SubElement(constraint, f"{{{EDM}}}Dependent", Role=f"ToRole_{assoc}")
            for source, dest in nav.join:
                etree.SubElement(principal, f"{{{EDM}}}PropertyRef", Name=source)
                etree.SubElement(dependent, f"{{{EDM}}}PropertyRef", Name=dest)
            associations.append((etype, nav, assoc))
    container = etree.SubElement(schema, f"{{{EDM}}}EntityContainer", Name=service.container)
    container.set(f"{{{M}}}IsDefaultEntityContainer", "true")
    container.set(f"{{{SAP}}}supported-formats", "atom json xlsx")
    for entity_set in service.entity_sets.values():
        element = etree.SubElement(container, f"{{{EDM}}}EntitySet", Name=entity_set.name,
                                   EntityType=f"{service.namespace}.{entity_set.type.name}")
        for flag in ("creatable", "updatable", "deletable", "addressable"):
            if not getattr(entity_set, flag):
                element.set(f"{{{SAP}}}{flag}", "false")
        element.set(f"{{{SAP}}}content-version", service.content_version)
    for etype, nav, assoc in associations:
        source_set = service.set_of_type(etype.name)
        if source_set is None:
            continue
        element = etree.SubElement(container, f"{{{EDM}}}AssociationSet", Name=f"{assoc}Set",
                                   Association=f"{service.namespace}.{assoc}", attrib=version)
        etree.SubElement(element, f"{{{EDM}}}End", EntitySet=source_set.name, Role=f"FromRole_{assoc}")
        etree.SubElement(element, f"{{{EDM}}}End", EntitySet=nav.target, Role=f"ToRole_{assoc}")
    for fi in service.function_imports.values():
        element = etree.SubElement(container, f"{{{EDM}}}FunctionImport", Name=fi.name)
        if fi.returns:
            inner = fi.return_type or ""
            qualified = f"{service.namespace}.{inner}"
            element.set("ReturnType", f"Collection({qualified})" if fi.returns_many else qualified)
        if fi.entity_set:
            element.set("EntitySet", fi.entity_set)
        element.set(f"{{{M}}}HttpMethod", fi.method)
        if fi.action_for:
            element.set(f"{{{SAP}}}action-for", f"{service.namespace}.{fi.action_for}")
        for param in fi.parameters.values():
            _property(element, param, tag="Parameter", with_flags=False)
            element[-1].set("Mode", "In")
    for rel in ("self", "latest-version"):
        etree.SubElement(schema, f"{{{ATOM}}}link", nsmap={"atom": ATOM}, rel=rel, href=f"{base_path}/$metadata")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@lru_cache(maxsize=64)
def cached_edmx(service_name: str, base_path: str) -> bytes:
    """``$metadata`` per service and root (descriptions do not change while the process runs)."""
    from harness.mocks.s4hana.descriptions import load_services

    return build_edmx(load_services()[service_name], base_path)


def service_document_xml(service: Service, base_url: str) -> bytes:
    """The Atom service document listing the entity sets."""
    root = etree.Element(f"{{{APP}}}service", nsmap={None: APP, "atom": ATOM, "sap": SAP})
    root.set("{http://www.w3.org/XML/1998/namespace}base", base_url)
    workspace = etree.SubElement(root, f"{{{APP}}}workspace")
    etree.SubElement(workspace, f"{{{ATOM}}}title", type="text").text = "Data"
    for entity_set in service.entity_sets.values():
        collection = etree.SubElement(workspace, f"{{{APP}}}collection", href=entity_set.name)
        for flag in ("creatable", "updatable", "deletable"):
            if not getattr(entity_set, flag):
                collection.set(f"{{{SAP}}}{flag}", "false")
        etree.SubElement(collection, f"{{{ATOM}}}title", type="text").text = entity_set.name
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def service_document_json(service: Service) -> dict:
    """The JSON service document: ``{"d": {"EntitySets": [...]}}``."""
    return {"d": {"EntitySets": list(service.entity_sets)}}
