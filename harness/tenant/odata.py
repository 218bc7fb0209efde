"""OData V2 wire details shared by the client (and the emulator): keys, literals, dates, queries."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping
from urllib.parse import quote

_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def literal(value: str | bool | int) -> str:
    """An OData V2 literal: strings quoted with ``'`` doubled; booleans and numbers bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def key(**parts: str) -> str:
    """A key predicate, percent-encoded for a path: ``(Id='a',Version='active')``.

    One unnamed part (``key(_='X')``) gives ``('X')``.
    """
    if list(parts) == ["_"]:
        inner = literal(parts["_"])
    else:
        inner = ",".join(f"{name}={literal(value)}" for name, value in parts.items())
    return "(" + quote(inner, safe="'=,()") + ")"


def hex_alias(alias: str) -> str:
    """Keystore entries are addressed by the hex of the alias's UTF-8 bytes (slashes are refused)."""
    return alias.encode("utf-8").hex()


def query_string(params: Mapping[str, Any]) -> str:
    """Encode query options with ``%20`` for spaces (never ``+``, which OData reads literally)."""
    pairs = []
    for name, value in params.items():
        if value is None:
            continue
        pairs.append(f"{quote(str(name), safe='$')}={quote(str(value), safe=chr(39) + '(),:/$=')}")
    return "&".join(pairs)


def parse_date(value: Any) -> datetime | None:
    """``/Date(1611846759005)/`` (or an ISO string) as an aware UTC datetime; None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    match = _DATE.match(str(value))
    if match:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=timezone.utc)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_date(moment: datetime) -> str:
    """An aware datetime as ``/Date(millis)/``."""
    return f"/Date({int(moment.timestamp() * 1000)})/"


def datetime_literal(moment: datetime) -> str:
    """A ``$filter`` datetime literal. The API assumes UTC and does not parse a zone suffix."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return f"datetime'{moment.strftime('%Y-%m-%dT%H:%M:%S')}'"


def unwrap(payload: Any) -> Any:
    """``{"d": {...}}`` -> the entity; ``{"d": {"results": [...]}}`` -> the list."""
    if isinstance(payload, dict) and "d" in payload:
        inner = payload["d"]
        if isinstance(inner, dict) and "results" in inner and isinstance(inner["results"], list):
            return inner["results"]
        return inner
    return payload


def next_link(payload: Any) -> str | None:
    """The ``__next`` paging link of a collection answer, if any."""
    if isinstance(payload, dict) and isinstance(payload.get("d"), dict):
        return payload["d"].get("__next")
    return None


def error_text(payload: Any) -> str | None:
    """SAP's error text from an OData error body (``error.message.value``), or None."""
    if not isinstance(payload, dict) or "error" not in payload:
        return None
    error = payload["error"]
    if isinstance(error, str):
        return error
    message = error.get("message") if isinstance(error, dict) else None
    if isinstance(message, dict):
        return message.get("value") or message.get("#text")
    if isinstance(message, str):
        return message
    return None
