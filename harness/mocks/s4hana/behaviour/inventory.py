"""Stock and goods movements: API_MATERIAL_DOCUMENT_SRV posts, API_MATERIAL_STOCK_SRV shows.

Every goods movement (a material document created through the API, a delivery's goods issue, a
returns delivery's goods receipt, a cancellation) creates a material document and changes the
stock rows of ``A_MatlStkInAcctMod``. An issue larger than the unrestricted stock fails with
M7/021 ("Deficit of SL Unrestricted-use ..."), and nothing is posted.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana.behaviour.common import (MDOC, STOCK, check_unit, dec, next_item_number, on,
                                                   org, require_material)
from harness.mocks.s4hana.rules import RULES, NewEntity, Row

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

# movement type -> (stock direction at the posting storage location, reversal movement type)
MOVEMENTS: dict[str, tuple[int, str]] = {
    "101": (+1, "102"), "102": (-1, "101"), "122": (-1, "123"), "123": (+1, "122"),
    "201": (-1, "202"), "202": (+1, "201"), "261": (-1, "262"), "262": (+1, "261"),
    "311": (-1, "312"), "312": (+1, "311"),
    "501": (+1, "502"), "502": (-1, "501"), "521": (+1, "522"), "522": (-1, "521"),
    "551": (-1, "552"), "552": (+1, "551"), "561": (+1, "562"), "562": (-1, "561"),
    "601": (-1, "602"), "602": (+1, "601"), "651": (+1, "652"), "652": (-1, "651"),
    "701": (+1, "702"), "702": (-1, "701"), "711": (-1, "712"), "712": (+1, "711"),
}
GOODS_MOVEMENT_CODES = {"01", "02", "03", "04", "05", "06", "07"}
UNRESTRICTED = "01"
_NUMC_INITIAL = {"WBSElementInternalID": "00000000", "SDDocumentItem": "000000"}


def returns_stock_type(engine: "Engine") -> str:
    """The stock type returns are received into (seed ``system.returns_stock_type``; inferred)."""
    return org(engine, "returns_stock_type", "07")


def stock_key(material: str, plant: str, sloc: str, stock_type: str) -> tuple[str, ...]:
    """The 11-part key of ``A_MatlStkInAcctMod`` for plain (non-special) stock."""
    return (material, plant, sloc, "", "", "", _NUMC_INITIAL["WBSElementInternalID"], "",
            _NUMC_INITIAL["SDDocumentItem"], "", stock_type)


def stock_quantity(engine: "Engine", material: str, plant: str, sloc: str, stock_type: str = UNRESTRICTED) -> Decimal:
    """The quantity in base unit at a storage location and stock type."""
    row = on(engine, STOCK).get("A_MatlStkInAcctMod", stock_key(material, plant, sloc, stock_type))
    return dec(row["MatlWrhsStkQtyInMatlBaseUnit"]) if row else Decimal(0)


def adjust_stock(engine: "Engine", material: str, plant: str, sloc: str, delta: Decimal,
                 stock_type: str = UNRESTRICTED, unit: str = "") -> None:
    """Change stock; an issue beyond the available quantity fails with M7/021."""
    stock = on(engine, STOCK)
    key = stock_key(material, plant, sloc, stock_type)
    row = stock.get("A_MatlStkInAcctMod", key)
    current = dec(row["MatlWrhsStkQtyInMatlBaseUnit"]) if row else Decimal(0)
    if current + delta < 0:
        kind = "Unrestricted-use" if stock_type == UNRESTRICTED else f"stock type {stock_type}"
        engine.fail("M7/021", f"Deficit of SL {kind} {-(current + delta):f} {unit} : {material} {plant} {sloc}",
                    "QuantityInEntryUnit")
    product = require_material(engine, material)
    if stock.get("A_MaterialStock", material) is None:
        stock.insert("A_MaterialStock", {"Material": material, "MaterialBaseUnit": product["BaseUnit"]})
    if row is None:
        names = ("Material", "Plant", "StorageLocation", "Batch", "Supplier", "Customer", "WBSElementInternalID",
                 "SDDocument", "SDDocumentItem", "InventorySpecialStockType", "InventoryStockType")
        row = stock.insert("A_MatlStkInAcctMod", {**dict(zip(names, key)), "MaterialBaseUnit": product["BaseUnit"]})
    row["MatlWrhsStkQtyInMatlBaseUnit"] = current + delta


def check_location(engine: "Engine", plant: str, sloc: str) -> None:
    """Plant and storage location must exist in the seed."""
    plants = engine.system.seed.get("plants") or {}
    if plant not in plants:
        engine.fail("M7/001", f"Plant {plant or '(empty)'} does not exist", "Plant")
    if sloc and sloc not in (plants[plant].get("storage_locations") or {}):
        engine.fail("M7/001", f"Storage location {plant} {sloc} does not exist", "StorageLocation")


def post_item(engine: "Engine", item: dict[str, Any]) -> None:
    """Complete one material-document item and change stock for it (the item dict is edited)."""
    movement = item.get("GoodsMovementType") or ""
    if movement not in MOVEMENTS:
        engine.fail("M7/162", f"Movement type {movement or '(empty)'} is not defined or not allowed "
                    f"(this mock posts {', '.join(sorted(MOVEMENTS))})", "GoodsMovementType")
    number = item.get("Material") or ""
    product = require_material(engine, number, "Material")
    plant = item.get("Plant") or org(engine, "plant")
    sloc = item.get("StorageLocation") or org(engine, "storage_location")
    check_location(engine, plant, sloc)
    quantity = dec(item.get("QuantityInEntryUnit") or item.get("QuantityInBaseUnit"))
    if quantity <= 0:
        engine.fail("M7/003", "Enter a quantity greater than zero", "QuantityInEntryUnit")
    unit = check_unit(engine, number, item.get("EntryUnit") or "", "EntryUnit")
    direction, _ = MOVEMENTS[movement]
    stock_type = item.get("InventoryStockType") or (returns_stock_type(engine) if movement in ("651", "652") else UNRESTRICTED)
    adjust_stock(engine, number, plant, sloc, direction * quantity, stock_type, product["BaseUnit"])
    if movement in ("311", "312"):
        target_sloc = item.get("IssuingOrReceivingStorageLoc") or ""
        if not target_sloc:
            engine.fail("M7/018", "Enter the receiving storage location", "IssuingOrReceivingStorageLoc")
        check_location(engine, plant, target_sloc)
        adjust_stock(engine, number, plant, target_sloc, -direction * quantity, stock_type, product["BaseUnit"])
        item["IssuingOrReceivingPlant"] = plant
    item.update(Plant=plant, StorageLocation=sloc, EntryUnit=unit, QuantityInEntryUnit=quantity,
                QuantityInBaseUnit=quantity, MaterialBaseUnit=product["BaseUnit"], InventoryStockType=stock_type,
                DebitCreditCode="S" if direction > 0 else "H", CompanyCodeCurrency=org(engine, "currency", "USD"))


def header_defaults(engine: "Engine", values: dict[str, Any]) -> None:
    """Number, year and dates of a new material document header."""
    today = engine.system.today()
    values["PostingDate"] = values.get("PostingDate") or today
    values["DocumentDate"] = values.get("DocumentDate") or today
    values["MaterialDocumentYear"] = str(values["PostingDate"].year)
    values["MaterialDocument"] = engine.system.next_number("material_document")
    now = engine.system.now()
    values["CreationTime"] = timedelta(hours=now.hour, minutes=now.minute, seconds=now.second)


def post_goods_movement(engine: "Engine", items: list[dict[str, Any]], header: dict[str, Any] | None = None) -> Row:
    """Post a material document from code (goods issue, goods receipt, cancellation)."""
    mdoc = on(engine, MDOC)
    values = dict(header or {})
    header_defaults(mdoc, values)
    row = mdoc.insert("A_MaterialDocumentHeader", values)
    for number, item in enumerate(items, start=1):
        item = dict(item)
        post_item(mdoc, item)
        item.update(MaterialDocumentYear=row["MaterialDocumentYear"], MaterialDocument=row["MaterialDocument"],
                    MaterialDocumentItem=str(number), FiscalYear=row["MaterialDocumentYear"])
        mdoc.insert("A_MaterialDocumentItem", item)
    engine.system.record("goods_movement", material_document=row["MaterialDocument"],
                         movements=sorted({i["GoodsMovementType"] for i in items}))
    return row


# --- API_MATERIAL_DOCUMENT_SRV --------------------------------------------------------------------
@RULES.before_create(MDOC, "A_MaterialDocumentHeader")
def create_material_document(engine: "Engine", new: NewEntity) -> None:
    code = new.values.get("GoodsMovementCode") or ""
    if code not in GOODS_MOVEMENT_CODES:
        engine.fail("M7/614", f"Goods movement code {code or '(empty)'} is not valid; expected one of "
                    f"{', '.join(sorted(GOODS_MOVEMENT_CODES))}", "GoodsMovementCode")
    if not new.kids("to_MaterialDocumentItem"):
        engine.fail("M7/022", "Document contains no items", "to_MaterialDocumentItem")
    header_defaults(engine, new.values)


@RULES.before_create(MDOC, "A_MaterialDocumentItem")
def create_material_document_item(engine: "Engine", new: NewEntity) -> None:
    siblings = [r["MaterialDocumentItem"] for r in engine.find(
        "A_MaterialDocumentItem", MaterialDocumentYear=new.values.get("MaterialDocumentYear"),
        MaterialDocument=new.values.get("MaterialDocument"))]
    new.values["MaterialDocumentItem"] = next_item_number(siblings, step=1)
    new.values["FiscalYear"] = new.values.get("MaterialDocumentYear")
    post_item(engine, new.values)


@RULES.function(MDOC, "Cancel")
def cancel_material_document(engine: "Engine", params: dict[str, Any], bound: Row | None) -> Row:
    key = (params.get("MaterialDocumentYear"), params.get("MaterialDocument"))
    if bound is None:
        engine.require("A_MaterialDocumentHeader", key)
    items = engine.find("A_MaterialDocumentItem", MaterialDocumentYear=key[0], MaterialDocument=key[1])
    if any(i["GoodsMovementIsCancelled"] for i in items):
        engine.fail("M7/112", f"Material document {key[1]} {key[0]} has already been cancelled")
    reversal = []
    for item in items:
        reversal.append({k: item[k] for k in ("Material", "Plant", "StorageLocation", "EntryUnit", "InventoryStockType",
                                             "IssuingOrReceivingStorageLoc")}
                        | {"GoodsMovementType": MOVEMENTS[item["GoodsMovementType"]][1],
                           "QuantityInEntryUnit": item["QuantityInEntryUnit"],
                           "ReversedMaterialDocumentYear": key[0], "ReversedMaterialDocument": key[1],
                           "ReversedMaterialDocumentItem": item["MaterialDocumentItem"]})
    row = post_goods_movement(engine, reversal, {"GoodsMovementCode": "06", "PostingDate": params.get("PostingDate"),
                                                 "ReferenceDocument": key[1]})
    for item in items:
        item["GoodsMovementIsCancelled"] = True
    return row
