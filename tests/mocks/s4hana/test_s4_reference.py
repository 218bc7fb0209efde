"""The mock's service descriptions against S/4HANA's real ``$metadata`` (shared reference).

Every entity set, entity type, key, property (Edm type, length, precision/scale, nullability,
creatable/updatable, concurrency token, numeric-text format), navigation property (target type,
cardinality), function import (method, parameters, return type, bound type) and complex type the
mock serves must exist in the real EDMX with the same facts. The check runs on the ``$metadata``
the mock actually serves over HTTP, and on the descriptions directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from harness.mocks.s4hana.descriptions import load_services

EDM = "{http://schemas.microsoft.com/ado/2008/09/edm}"
SAP = "{http://www.sap.com/Protocols/SAPData}"
M = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"

REFERENCE_EDMX = {
    "API_SALES_ORDER_SRV": "API_SALES_ORDER_SRV.private-cloud-system.edmx",
    "API_OUTBOUND_DELIVERY_SRV": "API_OUTBOUND_DELIVERY_SRV_0002.edmx",
    "API_CUSTOMER_RETURN_SRV": "API_CUSTOMER_RETURN_SRV.edmx",
    "API_CUSTOMER_RETURNS_DELIVERY_SRV": "API_CUSTOMER_RETURNS_DELIVERY_SRV_0001.edmx",
    "API_CREDIT_MEMO_REQUEST_SRV": "API_CREDIT_MEMO_REQUEST_SRV.edmx",
    "API_BILLING_DOCUMENT_SRV": "API_BILLING_DOCUMENT_SRV.edmx",
    "API_MATERIAL_DOCUMENT_SRV": "API_MATERIAL_DOCUMENT_SRV.edmx",
    "API_MATERIAL_STOCK_SRV": "API_MATERIAL_STOCK_SRV.edmx",
    "API_PRODUCT_SRV": "API_PRODUCT_SRV.edmx",
    "API_BUSINESS_PARTNER": "API_BUSINESS_PARTNER.edmx",
}


def _prop(element: etree._Element) -> dict[str, Any]:
    display = element.get(f"{SAP}display-format")
    return {
        "type": element.get("Type"), "max_length": element.get("MaxLength"), "precision": element.get("Precision"),
        "scale": element.get("Scale"), "nullable": element.get("Nullable") != "false",
        "creatable": element.get(f"{SAP}creatable") != "false", "updatable": element.get(f"{SAP}updatable") != "false",
        "etag": element.get("ConcurrencyMode") == "Fixed", "numc": display == "NonNegative",
        "date": display == "Date",
    }


def parse_edmx(data: bytes) -> dict[str, Any]:
    """The facts of an EDMX document the cross-check compares."""
    root = etree.fromstring(data)
    schema = root.find(f".//{EDM}Schema")
    namespace = schema.get("Namespace")
    strip = lambda name: (name or "").replace(namespace + ".", "")  # noqa: E731
    associations = {a.get("Name"): {e.get("Role"): e for e in a.findall(f"{EDM}End")} for a in root.iter(f"{EDM}Association")}
    types = {}
    for et in root.iter(f"{EDM}EntityType"):
        navs = {}
        for nav in et.findall(f"{EDM}NavigationProperty"):
            end = associations[strip(nav.get("Relationship"))][nav.get("ToRole")]
            navs[nav.get("Name")] = (strip(end.get("Type")), end.get("Multiplicity") == "*")
        types[et.get("Name")] = {"key": [p.get("Name") for p in et.find(f"{EDM}Key")],
                                 "props": {p.get("Name"): _prop(p) for p in et.findall(f"{EDM}Property")},
                                 "navs": navs}
    sets = {}
    for es in root.iter(f"{EDM}EntitySet"):
        sets[es.get("Name")] = {"type": strip(es.get("EntityType")),
                                **{flag: es.get(f"{SAP}{flag}") != "false"
                                   for flag in ("creatable", "updatable", "deletable", "addressable")}}
    functions = {}
    for fi in root.iter(f"{EDM}FunctionImport"):
        functions[fi.get("Name")] = {
            "method": fi.get(f"{M}HttpMethod"),
            "returns": strip(fi.get("ReturnType")).replace(f"Collection({namespace}.", "Collection("),
            "action_for": strip(fi.get(f"{SAP}action-for")) or None,
            "params": {p.get("Name"): (p.get("Type"), p.get("MaxLength"), p.get("Nullable") != "false")
                       for p in fi.findall(f"{EDM}Parameter")}}
    complex_types = {ct.get("Name"): {p.get("Name"): _prop(p) for p in ct.findall(f"{EDM}Property")}
                     for ct in root.iter(f"{EDM}ComplexType")}
    return {"namespace": namespace, "types": types, "sets": sets, "functions": functions, "complex": complex_types}


PROPERTY_FACTS = ("type", "max_length", "precision", "scale", "nullable", "creatable", "updatable", "etag", "numc", "date")


def compare(ours: dict[str, Any], real: dict[str, Any], service: str) -> list[str]:
    """Every fact of ``ours`` that is missing from or different in ``real``."""
    problems = []
    if ours["namespace"] != real["namespace"]:
        problems.append(f"namespace {ours['namespace']} != {real['namespace']}")
    for name, entity_set in ours["sets"].items():
        if name not in real["sets"]:
            problems.append(f"entity set {name} does not exist")
        elif entity_set != real["sets"][name]:
            problems.append(f"entity set {name}: {entity_set} != {real['sets'][name]}")
    for tname, etype in ours["types"].items():
        rtype = real["types"].get(tname)
        if rtype is None:
            problems.append(f"entity type {tname} does not exist")
            continue
        if etype["key"] != rtype["key"]:
            problems.append(f"{tname}: key {etype['key']} != {rtype['key']}")
        for pname, prop in etype["props"].items():
            rprop = rtype["props"].get(pname)
            if rprop is None:
                problems.append(f"{tname}.{pname} does not exist")
                continue
            for fact in PROPERTY_FACTS:
                if prop[fact] != rprop[fact]:
                    problems.append(f"{tname}.{pname}: {fact} {prop[fact]!r} != {rprop[fact]!r}")
        for nname, nav in etype["navs"].items():
            if rtype["navs"].get(nname) != nav:
                problems.append(f"{tname}.{nname}: navigation {nav} != {rtype['navs'].get(nname)}")
    for fname, fi in ours["functions"].items():
        if real["functions"].get(fname) != fi:
            problems.append(f"function import {fname}: {fi} != {real['functions'].get(fname)}")
    for cname, props in ours["complex"].items():
        if real["complex"].get(cname) != props:
            problems.append(f"complex type {cname} differs: {props} != {real['complex'].get(cname)}")
    return [f"{service}: {p}" for p in problems]


def test_every_description_has_a_reference_file() -> None:
    assert set(load_services()) == set(REFERENCE_EDMX)


@pytest.mark.reference
@pytest.mark.parametrize("service", sorted(REFERENCE_EDMX))
def test_served_metadata_matches_the_real_edmx(service: str, reference: Path, s4: Any) -> None:
    real = parse_edmx((reference / "s4hana" / "odata" / REFERENCE_EDMX[service]).read_bytes())
    root = load_services()[service].roots[0]
    client = s4.client(root)
    response = client.session.get(client.root + "$metadata")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    ours = parse_edmx(response.content)
    assert ours["sets"], "the served $metadata names no entity sets"
    assert compare(ours, real, service) == []


@pytest.mark.reference
def test_the_cross_check_notices_a_wrong_type(reference: Path) -> None:
    """The comparison itself can fail: a property served with another type is reported."""
    real = parse_edmx((reference / "s4hana" / "odata" / REFERENCE_EDMX["API_MATERIAL_STOCK_SRV"]).read_bytes())
    ours = parse_edmx((reference / "s4hana" / "odata" / REFERENCE_EDMX["API_MATERIAL_STOCK_SRV"]).read_bytes())
    ours["types"]["A_MatlStkInAcctModType"]["props"]["MatlWrhsStkQtyInMatlBaseUnit"]["type"] = "Edm.Double"
    ours["types"]["A_MaterialStockType"]["props"]["Invented"] = dict(ours["types"]["A_MaterialStockType"]["props"]["Material"])
    problems = compare(ours, real, "API_MATERIAL_STOCK_SRV")
    assert any("MatlWrhsStkQtyInMatlBaseUnit: type" in p for p in problems)
    assert any("A_MaterialStockType.Invented does not exist" in p for p in problems)


def test_served_metadata_is_the_description(s4: Any) -> None:
    """``$metadata`` says exactly what the description says (no reference needed)."""
    for service in load_services().values():
        client = s4.client(service.roots[0])
        served = parse_edmx(client.session.get(client.root + "$metadata").content)
        assert set(served["sets"]) == set(service.entity_sets)
        for tname, etype in service.entity_types.items():
            assert served["types"][tname]["key"] == etype.key
            assert list(served["types"][tname]["props"]) == list(etype.properties)
            assert set(served["types"][tname]["navs"]) == set(etype.navigation)
        assert set(served["functions"]) == set(service.function_imports)
