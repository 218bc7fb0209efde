"""API_BUSINESS_PARTNER: numbering of new business partners and their customer and address parts.

The product and business-partner masters are mostly read (they are loaded from the seed); a new
business partner gets its number from the ``business_partner`` range, the customer created with it
(``to_Customer``) carries the same number, and addresses are numbered per system.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.mocks.s4hana.behaviour.common import BP, assign_number, next_item_number
from harness.mocks.s4hana.rules import RULES, NewEntity

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

CATEGORIES = {"1", "2", "3"}


@RULES.before_create(BP, "A_BusinessPartner")
def create_business_partner(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    category = values.get("BusinessPartnerCategory") or "2"
    if category not in CATEGORIES:
        engine.fail("R11/401", f"Business partner category {category} is not 1 (person), 2 (organization) "
                    "or 3 (group)", "BusinessPartnerCategory")
    values["BusinessPartnerCategory"] = category
    number = assign_number(engine, new, "BusinessPartner", "business_partner")
    if new.kids("to_Customer"):
        values["Customer"] = number
    name = " ".join(values.get(k) or "" for k in ("OrganizationBPName1", "OrganizationBPName2")).strip() \
        or " ".join(values.get(k) or "" for k in ("FirstName", "LastName")).strip()
    values["BusinessPartnerFullName"] = name[:81]
    values["BusinessPartnerName"] = name[:81]


@RULES.before_create(BP, "A_Customer")
def create_customer(engine: "Engine", new: NewEntity) -> None:
    if new.parent is None or new.parent.row is None:
        engine.fail("R11/402", "A customer is created with its business partner (deep insert through to_Customer)")
    new.values["Customer"] = new.parent.row["BusinessPartner"]  # type: ignore[union-attr]


@RULES.before_create(BP, "A_BusinessPartnerAddress")
def create_address(engine: "Engine", new: NewEntity) -> None:
    if not new.values.get("AddressID"):
        existing = [r["AddressID"] for r in engine.rows("A_BusinessPartnerAddress")]
        new.values["AddressID"] = next_item_number(existing, step=1)
    if not new.values.get("Country"):
        engine.fail("AM/216", "Enter a country for the address", "Country")
