"""Load ``config/seed/s4hana.yaml`` into a system: master data, stock, and documents in states.

Documents are created through the same rules an OData request meets (so their derived fields are
consistent) and then moved to their state with the same actions a flow would call. A seed that
breaks a rule fails with :class:`SeedError` naming the document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana.behaviour.common import BP, DLV, PROD, SO, dec, norm_item
from harness.mocks.s4hana.behaviour.inventory import adjust_stock
from harness.mocks.s4hana.exceptions import ODataError
from harness.mocks.s4hana.models import SeedError
from harness.mocks.s4hana.rules import NewEntity

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine
    from harness.mocks.s4hana.models import S4System

SEED_USER = "S4AMZ_SEED"


def load_seed(system: "S4System") -> None:
    """Fill an empty system from its seed (called by :meth:`S4System.reset`)."""
    from harness.mocks.s4hana.engine import Engine

    system.seeding = True  # type: ignore[attr-defined]
    try:
        _products(Engine(system, PROD, SEED_USER), system.seed)
        _business_partners(Engine(system, BP, SEED_USER), system.seed)
        _stock(Engine(system, "API_MATERIAL_STOCK_SRV", SEED_USER), system.seed)
        documents = system.seed.get("documents") or {}
        for spec in documents.get("sales_orders") or []:
            _sales_order(Engine(system, SO, SEED_USER, require_if_match_on_actions=False), spec, system)
    finally:
        system.seeding = False  # type: ignore[attr-defined]


def _products(engine: "Engine", seed: dict[str, Any]) -> None:
    org = {k: str(v) for k, v in seed["system"].items()}
    for number, spec in seed["materials"].items():
        unit = spec.get("base_unit", "PC")
        weight = dec(spec.get("weight"))
        engine.insert("A_Product", {
            "Product": number, "ProductType": "FERT", "BaseUnit": unit, "ProductGroup": "P001",
            "GrossWeight": weight, "NetWeight": weight, "WeightUnit": "KG" if weight else "",
            "ItemCategoryGroup": "NORM", "ProductStandardID": str(spec.get("gtin", "")),
            "InternationalArticleNumberCat": "HE" if spec.get("gtin") else "", "CreatedByUser": SEED_USER})
        engine.insert("A_ProductDescription", {"Product": number, "Language": "EN",
                                               "ProductDescription": spec.get("description", number)})
        for plant, plant_spec in (seed.get("plants") or {}).items():
            engine.insert("A_ProductPlant", {"Product": number, "Plant": plant, "AvailabilityCheckType": "02",
                                             "ProfitCenter": "YB101"})
            for sloc in (plant_spec.get("storage_locations") or {}):
                engine.insert("A_ProductStorageLocation", {"Product": number, "Plant": plant, "StorageLocation": sloc})
        engine.insert("A_ProductSalesDelivery", {
            "Product": number, "ProductSalesOrg": org["sales_organization"],
            "ProductDistributionChnl": org["distribution_channel"], "SalesMeasureUnit": unit,
            "ItemCategoryGroup": "NORM", "SupplyingPlant": org["plant"]})
        engine.insert("A_ProductUnitsOfMeasure", {
            "Product": number, "AlternativeUnit": unit, "QuantityNumerator": Decimal(1),
            "QuantityDenominator": Decimal(1), "GlobalTradeItemNumber": str(spec.get("gtin", "")),
            "GlobalTradeItemNumberCategory": "HE" if spec.get("gtin") else "", "GrossWeight": weight,
            "WeightUnit": "KG" if weight else ""})
        if spec.get("gtin"):
            engine.insert("A_ProductUnitsOfMeasureEAN", {
                "Product": number, "AlternativeUnit": unit, "ConsecutiveNumber": "1",
                "ProductStandardID": str(spec["gtin"]), "InternationalArticleNumberCat": "HE",
                "IsMainGlobalTradeItemNumber": True})


def _business_partners(engine: "Engine", seed: dict[str, Any]) -> None:
    org = {k: str(v) for k, v in seed["system"].items()}
    for position, (number, spec) in enumerate(seed["customers"].items(), start=1):
        number = str(number)
        name = spec.get("name", number)
        address_id = str(20000 + position)
        engine.insert("A_BusinessPartner", {
            "BusinessPartner": number, "Customer": number, "BusinessPartnerCategory": "2",
            "BusinessPartnerFullName": name, "BusinessPartnerName": name, "OrganizationBPName1": name[:40],
            "SearchTerm1": name.upper()[:20], "BusinessPartnerGrouping": "BP02", "CorrespondenceLanguage": "EN"})
        engine.insert("A_BusinessPartnerAddress", {
            "BusinessPartner": number, "AddressID": address_id, "Country": spec.get("country", "US"),
            "Region": spec.get("region", ""), "CityName": spec.get("city", ""), "PostalCode": str(spec.get("postal_code", "")),
            "StreetName": spec.get("street", ""), "HouseNumber": str(spec.get("house_number", "")), "Language": "EN"})
        if spec.get("email"):
            engine.insert("A_AddressEmailAddress", {"AddressID": address_id, "Person": "", "OrdinalNumber": "1",
                                                    "EmailAddress": spec["email"], "IsDefaultEmailAddress": True})
        for role in ("FLCU00", "FLCU01"):
            engine.insert("A_BusinessPartnerRole", {"BusinessPartner": number, "BusinessPartnerRole": role})
        engine.insert("A_Customer", {"Customer": number, "CustomerName": name[:80], "CustomerFullName": name,
                                     "CustomerAccountGroup": "CUST"})
        engine.insert("A_CustomerSalesArea", {
            "Customer": number, "SalesOrganization": org["sales_organization"],
            "DistributionChannel": org["distribution_channel"], "Division": org["division"],
            "Currency": org.get("currency", "USD"), "CustomerPaymentTerms": "0001", "ShippingCondition": "01",
            "CustomerPricingProcedure": "01", "DeliveryPriority": "02", "SupplyingPlant": org["plant"],
            "IncotermsClassification": "EXW"})
        engine.insert("A_CustomerCompany", {"Customer": number, "CompanyCode": org["company_code"],
                                            "ReconciliationAccount": "12100000", "PaymentTerms": "0001"})


def _stock(engine: "Engine", seed: dict[str, Any]) -> None:
    plant = str(seed["system"]["plant"])
    for number, spec in seed["materials"].items():
        for sloc, quantity in (spec.get("stock") or {}).items():
            adjust_stock(engine, number, plant, str(sloc), dec(quantity), unit=spec.get("base_unit", "PC"))
        if not spec.get("stock"):
            adjust_stock(engine, number, plant, str(seed["system"]["storage_location"]), Decimal(0))


def _sales_order(engine: "Engine", spec: dict[str, Any], system: "S4System") -> None:
    number = str(spec.get("SalesOrder", ""))
    org = system.org
    header_fields = {k: str(v) for k, v in spec.items()
                     if k not in ("state", "items", "texts", "rejected_items")}
    header = {"SalesOrganization": org["sales_organization"], "DistributionChannel": org["distribution_channel"],
              "OrganizationDivision": org["division"], **header_fields}
    sets = engine.service.entity_sets
    new = NewEntity(sets["A_SalesOrder"], header)
    new.children["to_Item"] = [
        NewEntity(sets["A_SalesOrderItem"], {"Material": str(i["Material"]), "RequestedQuantity": dec(i["RequestedQuantity"]),
                                              **({"SalesOrderItem": str(i["SalesOrderItem"])} if "SalesOrderItem" in i else {})},
                  parent=new) for i in spec.get("items") or []]
    new.children["to_Text"] = [NewEntity(sets["A_SalesOrderText"], {"Language": "EN", "LongTextID": str(text_id),
                                                                     "LongText": str(text)}, parent=new)
                               for text_id, text in (spec.get("texts") or {}).items()]
    try:
        with system.transaction():
            engine.create("A_SalesOrder", new)
            for item, reason in (spec.get("rejected_items") or {}).items():
                row = next(r for r in engine.find("A_SalesOrderItem", SalesOrder=number)
                           if norm_item(r["SalesOrderItem"]) == norm_item(item))
                engine.update("A_SalesOrderItem", (number, row["SalesOrderItem"]), {"SalesDocumentRjcnReason": str(reason)},
                              None)
            state = spec.get("state", "open")
            if state not in ("open", "delivery_blocked", "delivered", "shipped", "billed"):
                raise SeedError(f"sales order {number}: unknown state {state!r}; expected open, delivery_blocked, "
                                "delivered, shipped or billed")
            if state in ("delivered", "shipped", "billed"):
                advance_order(engine, number, state)
    except ODataError as exc:
        raise SeedError(f"{system.seed_path}: sales order {number or '(new)'}: {exc.message}") from exc


def advance_order(engine: "Engine", sales_order: str, state: str) -> dict[str, Any]:
    """Move an open order on as its users would: deliver (all open items), ship (pick and goods issue),
    bill. Returns the documents created."""
    from harness.mocks.s4hana.behaviour.billing import create_billing

    so = engine.other(SO)
    dlv = engine.other(DLV)
    items = [i for i in so.find("A_SalesOrderItem", SalesOrder=sales_order) if not i["SalesDocumentRjcnReason"]]
    sets = dlv.service.entity_sets
    new = NewEntity(sets["A_OutbDeliveryHeader"], {})
    new.children["to_DeliveryDocumentItem"] = [
        NewEntity(sets["A_OutbDeliveryItem"], {"ReferenceSDDocument": sales_order,
                                                "ReferenceSDDocumentItem": i["SalesOrderItem"]}, parent=new)
        for i in items if i["DeliveryStatus"] != "C"]
    delivery = dlv.create("A_OutbDeliveryHeader", new)
    result: dict[str, Any] = {"delivery": delivery["DeliveryDocument"]}
    if state in ("shipped", "billed"):
        params = {"DeliveryDocument": delivery["DeliveryDocument"]}
        dlv.call("PickAllItems", "POST", params, "*")
        dlv.call("PostGoodsIssue", "POST", params, "*")
    if state == "billed":
        result["billing_document"] = create_billing(engine, delivery["DeliveryDocument"], "J")[0]["BillingDocument"]
    return result
