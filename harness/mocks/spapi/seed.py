"""The Amazon seed (``config/seed/amazon.yaml``) as typed data, shared by the SP-API and BwP mocks.

``settings['seed']`` may name another file (relative to the repository root) or hold the seed
itself as a mapping (tests do that). A malformed seed raises :class:`SeedError` naming the file
and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from harness.paths import repo_root

DEFAULT_SEED = Path("config/seed/amazon.yaml")


class SeedError(Exception):
    """The Amazon seed is missing or malformed."""


@dataclass(frozen=True)
class CatalogItem:
    """One seller SKU: its S/4HANA material, Amazon identifiers, price and stock."""

    sku: str
    material: str
    asin: str
    fnsku: str
    title: str
    price: Decimal
    weight_kg: Decimal
    updated_days_ago: float
    inventory: dict[str, Any]
    bwp: dict[str, Any]


@dataclass(frozen=True)
class AmazonSeed:
    """Everything the Amazon mocks start from."""

    source: str
    seller_id: str
    marketplace_id: str
    marketplaces: tuple[str, ...]
    marketplace_name: str
    currency: str
    business_product_id: str
    aws_account: str
    partner_event_source: str
    fulfillment_center: dict[str, Any]
    delivery_offers: dict[str, dict[str, Any]]
    catalog: dict[str, CatalogItem] = field(default_factory=dict)
    return_reason_codes: tuple[dict[str, str], ...] = ()
    settlements: tuple[dict[str, Any], ...] = ()

    def item(self, sku: str) -> CatalogItem | None:
        """The catalog entry for a seller SKU."""
        return self.catalog.get(sku)


def load_seed(settings: dict[str, Any]) -> AmazonSeed:
    """Read the seed named by ``settings['seed']`` (default ``config/seed/amazon.yaml``)."""
    raw = settings.get("seed")
    if isinstance(raw, dict):
        return parse_seed(raw, "settings['seed']")
    path = Path(raw) if raw else DEFAULT_SEED
    if not path.is_absolute():
        path = repo_root() / path
    if not path.is_file():
        raise SeedError(f"Amazon seed {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from exc
    return parse_seed(data, str(path))


def parse_seed(data: Any, source: str) -> AmazonSeed:
    """Validate and type a seed mapping; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise SeedError(f"{source}: expected a mapping at the top level")
    seller = _mapping(data, "seller", source)
    catalog: dict[str, CatalogItem] = {}
    for index, entry in enumerate(data.get("catalog") or []):
        where = f"{source}: catalog[{index}]"
        if not isinstance(entry, dict):
            raise SeedError(f"{where}: expected a mapping")
        for key in ("sku", "material", "asin", "fnsku", "title", "price"):
            if not entry.get(key):
                raise SeedError(f"{where}: '{key}' is required")
        sku = str(entry["sku"])
        if sku in catalog:
            raise SeedError(f"{where}: duplicate sku {sku!r}")
        inventory = entry.get("inventory") or {}
        if not isinstance(inventory, dict):
            raise SeedError(f"{where}.inventory: expected a mapping of quantities")
        _check_quantities(inventory, f"{where}.inventory")
        catalog[sku] = CatalogItem(
            sku=sku, material=str(entry["material"]), asin=str(entry["asin"]), fnsku=str(entry["fnsku"]),
            title=str(entry["title"]), price=_decimal(entry["price"], f"{where}.price"),
            weight_kg=_decimal(entry.get("weight_kg", "1"), f"{where}.weight_kg"),
            updated_days_ago=float(entry.get("updated_days_ago", 1)), inventory=inventory,
            bwp=dict(entry.get("bwp") or {}))
    offers = data.get("delivery_offers") or {}
    for speed, offer in offers.items():
        transit = (offer or {}).get("transit_days")
        if not (isinstance(transit, list) and len(transit) == 2 and all(isinstance(d, int) for d in transit)):
            raise SeedError(f"{source}: delivery_offers.{speed}.transit_days: expected [earliest, latest] days")
    settlements = tuple(data.get("settlements") or [])
    for index, settlement in enumerate(settlements):
        if not isinstance(settlement, dict) or not settlement.get("settlement_id"):
            raise SeedError(f"{source}: settlements[{index}]: 'settlement_id' is required")
    return AmazonSeed(
        source=source,
        seller_id=str(seller.get("selling_partner_id", "A1S4AMZSELLER")),
        marketplace_id=str(seller.get("marketplace_id", "ATVPDKIKX0DER")),
        marketplaces=tuple(str(m) for m in seller.get("marketplaces") or [seller.get("marketplace_id", "ATVPDKIKX0DER")]),
        marketplace_name=str(seller.get("marketplace_name", "Amazon.com")),
        currency=str(seller.get("currency", "USD")),
        business_product_id=str(seller.get("business_product_id", "bp-s4amz-local-0001")),
        aws_account=str(seller.get("aws_account", "111122223333")),
        partner_event_source=str(seller.get("partner_event_source", "s4amz-local-events")),
        fulfillment_center=dict(data.get("fulfillment_center") or {}),
        delivery_offers={str(k): dict(v) for k, v in offers.items()},
        catalog=catalog,
        return_reason_codes=tuple(data.get("return_reason_codes") or []),
        settlements=settlements,
    )


def _mapping(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise SeedError(f"{source}: '{key}' must be a mapping")
    return value


def _check_quantities(node: dict[str, Any], where: str) -> None:
    for key, value in node.items():
        if isinstance(value, dict):
            _check_quantities(value, f"{where}.{key}")
        elif not isinstance(value, int) or value < 0:
            raise SeedError(f"{where}.{key}: expected a whole number >= 0, got {value!r}")


def _decimal(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise SeedError(f"{where}: expected a decimal number, got {value!r}") from exc
