"""Helpers shared by the business rules: service names, master data lookups, numbering, statuses."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from harness.mocks.s4hana.rules import NewEntity, Row

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

SO = "API_SALES_ORDER_SRV"
DLV = "API_OUTBOUND_DELIVERY_SRV"
RET = "API_CUSTOMER_RETURN_SRV"
RDLV = "API_CUSTOMER_RETURNS_DELIVERY_SRV"
CMR = "API_CREDIT_MEMO_REQUEST_SRV"
BIL = "API_BILLING_DOCUMENT_SRV"
MDOC = "API_MATERIAL_DOCUMENT_SRV"
STOCK = "API_MATERIAL_STOCK_SRV"
PROD = "API_PRODUCT_SRV"
BP = "API_BUSINESS_PARTNER"

# Partner functions: external (EN logon) code -> internal code.
PARTNER_INTERNAL = {"SP": "AG", "SH": "WE", "BP": "RE", "PY": "RG", "ER": "ZM", "CP": "AP"}


def on(engine: "Engine", service: str) -> "Engine":
    """The engine for ``service`` (the same one when it already is)."""
    return engine if engine.service.name == service else engine.other(service)


def dec(value: Any) -> Decimal:
    """A Decimal from a stored or seed value (None -> 0)."""
    return Decimal(0) if value in (None, "") else Decimal(str(value))


def norm_item(item: Any) -> str:
    """An item number without leading zeros (``"000010"`` and ``"10"`` name the same item)."""
    text = str(item or "").lstrip("0")
    return text or "0"


def org(engine: "Engine", key: str, fallback: str = "") -> str:
    """An organisational default from the seed's ``system`` section."""
    return engine.system.org.get(key, fallback)


def seeding(engine: "Engine") -> bool:
    """Whether the seed is being loaded (fixed document numbers are then kept)."""
    return bool(getattr(engine.system, "seeding", False))


def assign_number(engine: "Engine", new: NewEntity, field: str, number_range: str) -> str:
    """Give a new document its number: internal numbering, or the seed's fixed number."""
    given = new.values.get(field) or ""
    if given and seeding(engine):
        engine.system.bump_counter(number_range, given)
        number = given
    else:
        number = engine.system.next_number(number_range)
    new.values[field] = number
    return number


def next_item_number(existing: Iterable[str], step: int = 10, width: int = 0) -> str:
    """The next item number after the highest existing one (10, 20, ... or 000010, ...)."""
    numbers = [int(x) for x in existing if str(x).isdigit()]
    return str((max(numbers) // step + 1) * step if numbers else step).zfill(width)


def aggregate(statuses: Iterable[str]) -> str:
    """Header status from item statuses: all A -> A, all C -> C, mixed -> B, none -> blank."""
    values = [s for s in statuses if s]
    if not values:
        return ""
    if all(s == "C" for s in values):
        return "C"
    if all(s == "A" for s in values):
        return "A"
    return "B"


def set_status(row: Row, **values: Any) -> None:
    """Update system-managed status fields without touching the ETag (as S/4's status update)."""
    row.update(values)


# --- master data ---------------------------------------------------------------------------------
def material(engine: "Engine", number: str) -> Row | None:
    """The product master row of a material, if it exists."""
    return on(engine, PROD).get("A_Product", number)


def require_material(engine: "Engine", number: str, target: str = "Material") -> Row:
    """The product master row, or the sales error for an undefined material."""
    row = material(engine, number) if number else None
    if row is None:
        engine.fail("V1/382", f"Material {number or '(empty)'} is not defined for sales org."
                    f"{org(engine, 'sales_organization')}, distr.chan.{org(engine, 'distribution_channel')}, "
                    f"language {org(engine, 'language', 'EN')}", target)
    return row  # type: ignore[return-value]


def material_seed(engine: "Engine", number: str) -> dict[str, Any]:
    """The seed entry of a material (price, weight, GTIN ...)."""
    return (engine.system.seed.get("materials") or {}).get(number) or {}


def material_price(engine: "Engine", number: str) -> Decimal:
    """The PPR0 price per base unit of a material."""
    return dec(material_seed(engine, number).get("price"))


def material_description(engine: "Engine", number: str) -> str:
    """A material's English description."""
    row = on(engine, PROD).get("A_ProductDescription", (number, "EN"))
    return row["ProductDescription"] if row else ""


def check_unit(engine: "Engine", number: str, unit: str, target: str) -> str:
    """The unit to use for a material: the given one if the material knows it, else its base unit."""
    product = require_material(engine, number, "Material")
    base = product["BaseUnit"]
    if not unit:
        return base
    if on(engine, PROD).get("A_ProductUnitsOfMeasure", (number, unit)) is None:
        engine.fail("M3/123", f"Unit {unit} is not defined for material {number} (base unit {base})", target)
    return unit


def customer(engine: "Engine", number: str) -> Row | None:
    """The customer master row, if it exists."""
    return on(engine, BP).get("A_Customer", number) if number else None


def require_customer(engine: "Engine", number: str, target: str = "SoldToParty") -> Row:
    """The customer, which must be extended to the sales area; else the sales error."""
    row = customer(engine, number)
    area = (number, org(engine, "sales_organization"), org(engine, "distribution_channel"), org(engine, "division"))
    if row is None or on(engine, BP).get("A_CustomerSalesArea", area) is None:
        engine.fail("V1/390", f"Sold-to party {number or '(empty)'} not maintained for sales area "
                    f"{area[1]} {area[2]} {area[3]}", target)
    return row  # type: ignore[return-value]


def customer_currency(engine: "Engine", number: str) -> str:
    """The customer's sales-area currency (the company currency when unknown)."""
    area = (number, org(engine, "sales_organization"), org(engine, "distribution_channel"), org(engine, "division"))
    row = on(engine, BP).get("A_CustomerSalesArea", area)
    return (row or {}).get("Currency") or org(engine, "currency", "USD")


def customer_address(engine: "Engine", number: str) -> Row | None:
    """The customer's (first) business-partner address."""
    rows = on(engine, BP).find("A_BusinessPartnerAddress", BusinessPartner=number)
    return rows[0] if rows else None


def require_org(engine: "Engine", values: dict[str, Any], fields: Iterable[str]) -> None:
    """Mandatory header fields: each must be given (SAP's 'Enter ...' check)."""
    for name in fields:
        if not values.get(name):
            engine.fail("V1/045", f"Enter a value for {name}", name)


def add_default_partners(engine: "Engine", new: NewEntity, partner_set: str, sold_to: str,
                         navigation: str = "to_Partner") -> None:
    """Sold-to (SP) and ship-to (SH) partners from the sold-to party unless the request gave them."""
    target = engine.service.entity_sets[partner_set]
    kids = new.children.setdefault(navigation, [])
    given = {k.values.get("PartnerFunction") for k in kids}
    for function in ("SP", "SH"):
        if function not in given:
            kids.append(NewEntity(target, {"PartnerFunction": function, "Customer": sold_to}, parent=new))
