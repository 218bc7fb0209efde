"""The V2 settlement flat file (``GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2``) from seed data.

Tab-separated, a header row with the 23 documented columns (FACTS §10), then a summary row
(settlement id, period, deposit date, total, currency) and one detail row per amount component.
The total is the sum of the detail amounts (decimal arithmetic). Dates follow the US layout
(``posted-date`` as ``MM/DD/YY``, the others ``YYYY-MM-DD HH:MM:SS UTC``); ``amount_format:
comma`` writes amounts the EU way (``-7,34``). The summary-row date layout is an assumption
(FACTS marks it so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

COLUMNS = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount", "currency",
    "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id", "marketplace-name",
    "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date", "posted-date-time",
    "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id", "sku", "quantity-purchased",
)


class SettlementError(ValueError):
    """A settlement definition is malformed."""


@dataclass(frozen=True)
class Settlement:
    """A rendered settlement: its period and the file's text."""

    settlement_id: str
    start: float
    end: float
    deposit: float
    total: Decimal
    currency: str
    text: str
    gzip: bool


def render(spec: dict[str, Any], now: float, currency: str, marketplace_name: str) -> Settlement:
    """Render one settlement definition (seed entry or control request) into the flat file."""
    sid = str(spec.get("settlement_id") or "")
    if not sid.isdigit() or len(sid) > 20:
        raise SettlementError(f"settlement_id must be 1-20 digits, got {sid!r}")
    start = _moment(spec, "start", now)
    end = _moment(spec, "end", now)
    deposit = _moment(spec, "deposit", now)
    if not start < end:
        raise SettlementError(f"settlement {sid}: the period must start before it ends")
    currency = str(spec.get("currency", currency))
    comma = spec.get("amount_format", "dot") == "comma"
    market = str(spec.get("marketplace_name", marketplace_name))
    details: list[dict[str, str]] = []
    total = Decimal("0")
    for index, txn in enumerate(spec.get("transactions") or []):
        where = f"settlement {sid}: transactions[{index}]"
        if not isinstance(txn, dict) or not txn.get("type"):
            raise SettlementError(f"{where}: 'type' is required")
        posted = _moment(txn, "posted", now, default=end)
        common = {
            "settlement-id": sid, "transaction-type": str(txn["type"]), "order-id": str(txn.get("order_id", "")),
            "merchant-order-id": str(txn.get("merchant_order_id", "")),
            "adjustment-id": str(txn.get("adjustment_id", "")), "shipment-id": str(txn.get("shipment_id", "")),
            "marketplace-name": market if txn.get("order_id") else "",
            "fulfillment-id": str(txn.get("fulfillment_id", "AFN" if txn.get("order_id") else "")),
            "posted-date": _utc(posted).strftime("%m/%d/%y"),
            "posted-date-time": _utc(posted).strftime("%Y-%m-%d %H:%M:%S UTC"),
        }
        groups = txn.get("items") or [{"amounts": txn.get("amounts") or []}]
        for item in groups:
            row_base = dict(common, **{
                "order-item-code": str(item.get("order_item_code", "")),
                "merchant-order-item-id": str(item.get("merchant_order_item_id", "")),
                "merchant-adjustment-item-id": str(item.get("merchant_adjustment_item_id", "")),
                "sku": str(item.get("sku", "")),
                "quantity-purchased": str(item.get("quantity", "")),
            })
            for position, amount in enumerate(item.get("amounts") or []):
                if not (isinstance(amount, (list, tuple)) and len(amount) == 3):
                    raise SettlementError(f"{where}: amounts[{position}]: expected [amount-type, amount-description, amount]")
                value = _decimal(amount[2], f"{where}: amounts[{position}]")
                total += value
                details.append(dict(row_base, **{"amount-type": str(amount[0]), "amount-description": str(amount[1]),
                                                 "amount": _amount(value, comma)}))
    summary = {"settlement-id": sid, "settlement-start-date": _long(start), "settlement-end-date": _long(end),
               "deposit-date": _long(deposit), "total-amount": _amount(total, comma), "currency": currency}
    lines = ["\t".join(COLUMNS)]
    for row in [summary, *details]:
        lines.append("\t".join(row.get(column, "") for column in COLUMNS))
    return Settlement(sid, start, end, deposit, total, currency, "\n".join(lines) + "\n", bool(spec.get("gzip")))


def _moment(spec: dict[str, Any], name: str, now: float, default: float | None = None) -> float:
    if f"{name}_days_ago" in spec:
        return now - float(spec[f"{name}_days_ago"]) * 86400
    if name in spec:
        value = spec[name]
        if isinstance(value, datetime):
            return value.replace(tzinfo=value.tzinfo or timezone.utc).timestamp()
        try:
            return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
        except ValueError as exc:
            raise SettlementError(f"{name}: expected an ISO 8601 date-time, got {value!r}") from exc
    if default is not None:
        return default
    raise SettlementError(f"'{name}' or '{name}_days_ago' is required")


def _utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, tz=timezone.utc)


def _long(moment: float) -> str:
    return _utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC")


def _decimal(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise SettlementError(f"{where}: {value!r} is not a decimal amount") from exc


def _amount(value: Decimal, comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if comma else text
