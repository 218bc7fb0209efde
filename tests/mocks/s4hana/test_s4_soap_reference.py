"""The SOAP mock's own XSDs against SAP's WSDLs (shared reference).

Outbound (``SalesOrderBulkReplication``): every element and attribute the mock's schema declares
exists at the same place in SAP's message type with the same occurrence or narrower and the same
or stricter facets, so whatever the mock sends is valid for SAP's schema; a message built from the
seed is also validated against the WSDL's schema directly.
Inbound (``BDwReferenceRequest``): the mock's schema accepts exactly what SAP's does (same
elements, same facets) so no valid message is refused; the unchecked header parts aside.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterator

import pytest
import xmlschema
from lxml import etree

from harness.mocks.s4hana.models import S4System
from harness.mocks.s4hana_soap.replication import build_customer_return_replication, build_sales_order_replication
from harness.mocks.s4hana_soap.schemas import (BDW_REFERENCE_REQUEST, CUSTOMER_RETURN_REPLICATION,
                                               SALES_ORDER_REPLICATION, schema)

pytestmark = pytest.mark.reference

XSD = "{http://www.w3.org/2001/XMLSchema}"
REPLICATION_ROOT = "{http://sap.com/xi/SD-SLS}SalesOrderBulkReplication"
RETURN_ROOT = "{http://sap.com/xi/SD-SLS}CustomerReturnBulkReplication"
BDW_ROOT = "{http://sap.com/xi/SD-BIL}BDwReferenceRequest"
UNCHECKED = {"SenderParty", "RecipientParty", "BusinessScope"}


def wsdl_schema(path: Path) -> xmlschema.XMLSchema10:
    """The schemas embedded in a WSDL as one schema set."""
    tree = etree.parse(str(path))
    sources = [io.StringIO(etree.tostring(s).decode()) for s in tree.iter(f"{XSD}schema")]
    return xmlschema.XMLSchema10(sources)


@pytest.fixture(scope="module")
def real_replication(reference: Path) -> xmlschema.XMLSchema10:
    return wsdl_schema(reference / "s4hana" / "soap" / "OP_CO_SDSLS_ESR_SALES_ORDER_REPL.wsdl")


@pytest.fixture(scope="module")
def real_return_replication(reference: Path) -> xmlschema.XMLSchema10:
    return wsdl_schema(reference / "s4hana" / "soap" / "OP_CO_SDSLS_ESR_CUST_RETURN_REPL.wsdl")


@pytest.fixture(scope="module")
def real_bdw(reference: Path) -> xmlschema.XMLSchema10:
    return wsdl_schema(reference / "s4hana" / "soap" / "BDWREFERENCEREQUEST_IN.wsdl")


def children(element: Any) -> Iterator[Any]:
    """Child element declarations of an element with complex content."""
    if element.type.is_simple() or element.type.has_simple_content():
        return iter(())
    return (e for e in element.type.content.iter_elements())


def simple_type(element_or_attribute: Any) -> Any:
    xsd_type = element_or_attribute.type
    return xsd_type if xsd_type.is_simple() else xsd_type.content


def facets(xsd_type: Any) -> dict[str, Any]:
    """Length, digit and pattern facets along the type's derivation chain, and its primitive type."""
    result: dict[str, Any] = {"primitive": getattr(xsd_type.primitive_type, "local_name", None)}
    current = xsd_type
    while current is not None and hasattr(current, "facets"):
        for name, facet in (current.facets or {}).items():
            local = name.split("}")[-1] if name else None
            if local in ("length", "minLength", "maxLength", "totalDigits", "fractionDigits") and local not in result:
                result[local] = facet.value
            if local == "pattern":
                result.setdefault("pattern", set()).update(facet.regexps)
        current = getattr(current, "base_type", None)
    return result


def narrower(ours: dict[str, Any], real: dict[str, Any]) -> list[str]:
    """Where our facets allow more than the real ones."""
    problems = []
    if ours["primitive"] != real["primitive"]:
        problems.append(f"type {ours['primitive']} != {real['primitive']}")
    for name in ("maxLength", "totalDigits", "fractionDigits"):
        if name in real and (name not in ours or ours[name] > real[name]):
            if not (name == "maxLength" and "length" in ours and ours["length"] <= real[name]):
                problems.append(f"{name} {ours.get(name)} allows more than {real[name]}")
    if "minLength" in real and ours.get("minLength", ours.get("length", 0)) < real["minLength"]:
        problems.append(f"minLength {ours.get('minLength')} allows less than {real['minLength']}")
    if "length" in real and ours.get("length") != real["length"]:
        problems.append(f"length {ours.get('length')} != {real['length']}")
    if not real.get("pattern", set()) <= ours.get("pattern", set()):
        problems.append(f"patterns {real.get('pattern')} missing")
    return problems


def walk(ours: Any, real: Any, path: str, mode: str) -> list[str]:
    """Compare our element declaration with the real one, recursively."""
    problems = []
    if mode == "outbound":
        if ours.min_occurs < real.min_occurs or (real.max_occurs is not None and
                                                 (ours.max_occurs is None or ours.max_occurs > real.max_occurs)):
            problems.append(f"{path}: occurs {ours.occurs} not within {real.occurs}")
    elif ours.occurs != real.occurs:
        problems.append(f"{path}: occurs {ours.occurs} != {real.occurs}")
    ours_simple = ours.type.is_simple() or ours.type.has_simple_content()
    real_simple = real.type.is_simple() or real.type.has_simple_content()
    if ours_simple != real_simple:
        return problems + [f"{path}: simple/complex content differs"]
    if ours_simple:
        mine, theirs = facets(simple_type(ours)), facets(simple_type(real))
        found = narrower(mine, theirs) if mode == "outbound" else (
            [] if mine == theirs else [f"facets {mine} != {theirs}"])
        problems += [f"{path}: {p}" for p in found]
        for name, attribute in (getattr(ours.type, "attributes", None) or {}).items():
            if name is None:
                continue
            real_attribute = (getattr(real.type, "attributes", None) or {}).get(name)
            if real_attribute is None:
                problems.append(f"{path}/@{name} does not exist")
            elif attribute.type.is_simple():
                problems += [f"{path}/@{name}: {p}" for p in narrower(facets(attribute.type), facets(real_attribute.type))]
    real_children = {e.local_name: e for e in children(real)}
    ours_children = {e.local_name: e for e in children(ours)}
    order = [e.local_name for e in children(real)]
    positions = [order.index(n) for n in ours_children if n in real_children]
    if positions != sorted(positions):
        problems.append(f"{path}: children are not in SAP's order")
    for name, child in ours_children.items():
        if name not in real_children:
            problems.append(f"{path}/{name} does not exist in SAP's schema")
        elif name not in UNCHECKED:
            problems += walk(child, real_children[name], f"{path}/{name}", mode)
    if mode == "inbound":
        problems += [f"{path}/{name} accepted by SAP but not by the mock" for name in real_children if name not in ours_children]
    if not ours_simple:
        for name in ours.type.attributes:
            if name and name not in real.type.attributes:
                problems.append(f"{path}/@{name} does not exist")
    return problems


def test_replication_schema_is_a_strict_subset_of_sap(real_replication: xmlschema.XMLSchema10) -> None:
    ours = schema(SALES_ORDER_REPLICATION).elements["SalesOrderBulkReplication"]
    real = real_replication.maps.elements[REPLICATION_ROOT]
    assert walk(ours, real, "SalesOrderBulkReplication", "outbound") == []


def test_return_replication_schema_is_a_strict_subset_of_sap(real_return_replication: xmlschema.XMLSchema10) -> None:
    ours = schema(CUSTOMER_RETURN_REPLICATION).elements["CustomerReturnBulkReplication"]
    real = real_return_replication.maps.elements[RETURN_ROOT]
    assert walk(ours, real, "CustomerReturnBulkReplication", "outbound") == []


def test_built_return_messages_are_valid_for_sap_schema(real_return_replication: xmlschema.XMLSchema10, s4: Any) -> None:
    client = s4.client("API_CUSTOMER_RETURN_SRV")
    created = client.d(client.post("A_CustomerReturn", {
        "CustomerReturnType": "RE", "SalesOrganization": "1710", "DistributionChannel": "10",
        "OrganizationDivision": "00", "SoldToParty": "17100010", "SDDocumentReason": "009",
        "ReferenceSDDocument": "5000005",
        "to_Item": [{"ReferenceSDDocumentItem": "10", "RequestedQuantity": "1", "ReturnReason": "101"}]}))
    _, element = build_customer_return_replication(s4.odata.system, [created["CustomerReturn"]], "create")
    errors = [e.reason for e in real_return_replication.iter_errors(etree.tostring(element).decode())]
    assert errors == []
    item = element.find("CustomerReturn/Item")
    assert item.findtext("ReferenceDocumentItem/ReferenceSDDocumentID") == "5000005"
    assert item.findtext("ReturnInformation/ReturnReason") == "101"


def test_inbound_schema_accepts_what_sap_accepts(real_bdw: xmlschema.XMLSchema10) -> None:
    ours = schema(BDW_REFERENCE_REQUEST).elements["BDwReferenceRequest"]
    real = real_bdw.maps.elements[BDW_ROOT]
    assert walk(ours, real, "BDwReferenceRequest", "inbound") == []


def test_the_comparison_notices_a_looser_facet(real_replication: xmlschema.XMLSchema10) -> None:
    loose = {"primitive": "string", "maxLength": 80}
    strict = {"primitive": "string", "maxLength": 40, "minLength": 1}
    assert narrower(loose, strict) == ["maxLength 80 allows more than 40", "minLength None allows less than 1"]
    assert narrower(strict, strict) == []


def test_built_messages_are_valid_for_sap_schema(real_replication: xmlschema.XMLSchema10) -> None:
    system = S4System("SOAPREF")
    orders = [r["SalesOrder"] for r in system.store.table("API_SALES_ORDER_SRV", "A_SalesOrder").values()]
    for change_type in ("create", "delete"):
        _, element = build_sales_order_replication(system, orders, change_type)
        errors = [e.reason for e in real_replication.iter_errors(etree.tostring(element).decode())]
        assert errors == []
        assert len(element.findall("SalesOrder")) == 6


def test_a_bdw_message_valid_for_sap_is_valid_for_the_mock(real_bdw: xmlschema.XMLSchema10) -> None:
    message = """<n0:BDwReferenceRequest xmlns:n0="http://sap.com/xi/SD-BIL"><MessageHeader>
      <ID schemeID="X">MSG-1</ID><CreationDateTime>2026-01-31T12:00:00.1234567Z</CreationDateTime>
      <SenderParty><InternalID>CPI</InternalID></SenderParty></MessageHeader>
      <ActionControl><AutomPostingToAcctgIsDisabled>false</AutomPostingToAcctgIsDisabled>
      <BillingDocumentDate>2026-01-31</BillingDocumentDate></ActionControl>
      <ReferenceDocument><ReferenceDocument>70000101</ReferenceDocument><ReferenceDocumentCategory>K</ReferenceDocumentCategory>
      <BillingDocumentType>G2</BillingDocumentType></ReferenceDocument></n0:BDwReferenceRequest>"""
    assert list(real_bdw.iter_errors(message)) == []
    assert list(schema(BDW_REFERENCE_REQUEST).iter_errors(message)) == []
    broken = message.replace("<ReferenceDocument>70000101</ReferenceDocument>", "")
    assert list(real_bdw.iter_errors(broken)) and list(schema(BDW_REFERENCE_REQUEST).iter_errors(broken))
