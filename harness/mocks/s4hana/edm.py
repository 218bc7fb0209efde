"""Edm primitive values: read them from JSON, Atom and URI literals, check facets, write them back.

In the store a value is the Python value of its Edm type: ``str`` (String, Guid), ``Decimal``,
naive UTC ``datetime`` (DateTime), aware UTC ``datetime`` (DateTimeOffset), ``timedelta`` (Time),
``bool``, ``int`` (Int16/32/64, Byte), ``float`` (Double), ``bytes`` (Binary) or ``None``.
Wire forms follow OData V2 as SAP Gateway writes it: verbose JSON with Decimal and Int64 as strings
keeping the scale, ``/Date(ms)/``, ``PT10H06M00S``; Atom text ``2026-01-31T00:00:00``.
"""

from __future__ import annotations

import base64
import re
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from harness.mocks.s4hana.descriptions import Property

EPOCH = datetime(1970, 1, 1)
_JSON_DATE = re.compile(r"^/Date\((-?\d+)(?:([+-])(\d{4}))?\)/$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DURATION = re.compile(r"^P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_INT_RANGES = {"Edm.Byte": (0, 255), "Edm.Int16": (-2**15, 2**15 - 1), "Edm.Int32": (-2**31, 2**31 - 1),
               "Edm.Int64": (-2**63, 2**63 - 1)}


class EdmValueError(ValueError):
    """A value does not fit its property's type or facets; the message says what was expected."""


def default(prop: Property) -> Any:
    """The value an ABAP field has when nobody set it (what S/4HANA returns for empty fields)."""
    edm = prop.edm
    if edm == "Edm.String":
        return ""
    if edm == "Edm.Decimal":
        return Decimal(0)
    if edm == "Edm.Boolean":
        return False
    if edm in _INT_RANGES:
        return 0
    if edm == "Edm.Double":
        return 0.0
    if edm == "Edm.Time":
        return timedelta(0)
    return None  # dates, timestamps, GUIDs, binaries: null when initial


# --- reading -----------------------------------------------------------------------------------
def from_json(prop: Property, value: Any) -> Any:
    """A verbose-JSON request value as the store value; raise EdmValueError when it does not fit."""
    if value is None:
        return check(prop, None)
    edm = prop.edm
    if edm in ("Edm.String", "Edm.Guid"):
        if not isinstance(value, str):
            raise _expected(prop, value, "a JSON string")
        return check(prop, value.lower() if edm == "Edm.Guid" and _GUID.match(value) else value)
    if edm == "Edm.Boolean":
        if not isinstance(value, bool):
            raise _expected(prop, value, "true or false")
        return value
    if edm == "Edm.Decimal":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _expected(prop, value, "a decimal number as a string, e.g. \"1.500\"")
        return check(prop, _decimal(prop, str(value)))
    if edm in _INT_RANGES:
        if isinstance(value, bool):
            raise _expected(prop, value, "an integer")
        if isinstance(value, str) and edm == "Edm.Int64" and re.fullmatch(r"-?\d+", value):
            value = int(value)
        if not isinstance(value, int):
            raise _expected(prop, value, "an integer")
        return check(prop, value)
    if edm == "Edm.Double":
        if isinstance(value, bool):
            raise _expected(prop, value, "a number")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _expected(prop, value, "a number") from None
    if edm in ("Edm.DateTime", "Edm.DateTimeOffset"):
        if not isinstance(value, str):
            raise _expected(prop, value, "\"/Date(<milliseconds>)/\" or an ISO date-time string")
        return check(prop, _datetime(prop, value))
    if edm == "Edm.Time":
        if not isinstance(value, str):
            raise _expected(prop, value, "an ISO duration like \"PT10H06M00S\"")
        return check(prop, _duration(prop, value))
    if edm == "Edm.Binary":
        if not isinstance(value, str):
            raise _expected(prop, value, "base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            raise _expected(prop, value, "base64 text") from None
    raise _expected(prop, value, f"a value of {edm}")


def from_text(prop: Property, text: str | None) -> Any:
    """An Atom/XML text value (``<d:Prop>text</d:Prop>``) as the store value."""
    if text is None:
        return check(prop, None)
    edm = prop.edm
    if edm in ("Edm.String", "Edm.Guid"):
        return check(prop, text)
    if not text.strip():  # an empty element of a non-text type means "initial"
        return default(prop) if default(prop) is not None or not prop.nullable else None
    if edm == "Edm.Boolean":
        if text not in ("true", "false", "1", "0"):
            raise _expected(prop, text, "true or false")
        return text in ("true", "1")
    if edm == "Edm.Decimal":
        return check(prop, _decimal(prop, text))
    if edm in _INT_RANGES:
        if not re.fullmatch(r"-?\d+", text.strip()):
            raise _expected(prop, text, "an integer")
        return check(prop, int(text))
    if edm == "Edm.Double":
        try:
            return float(text)
        except ValueError:
            raise _expected(prop, text, "a number") from None
    if edm in ("Edm.DateTime", "Edm.DateTimeOffset"):
        return check(prop, _datetime(prop, text))
    if edm == "Edm.Time":
        return check(prop, _duration(prop, text))
    if edm == "Edm.Binary":
        return base64.b64decode(text)
    raise _expected(prop, text, f"a value of {edm}")


def check(prop: Property, value: Any) -> Any:
    """Enforce nullability and facets (length, digits, precision/scale); return the value."""
    if value is None:
        if not prop.nullable:
            raise EdmValueError(f"Property '{prop.name}' must not be null")
        return None
    if prop.edm == "Edm.String":
        if prop.max_length is not None and len(value) > prop.max_length:
            raise EdmValueError(f"Value '{value}' of property '{prop.name}' is longer than {prop.max_length} characters")
        if prop.numc and value and not value.isdigit():
            raise EdmValueError(f"Value '{value}' of property '{prop.name}' must contain digits only")
    elif prop.edm == "Edm.Guid":
        if not _GUID.match(value):
            raise EdmValueError(f"Value '{value}' of property '{prop.name}' is not a GUID")
    elif prop.edm == "Edm.Decimal" and prop.precision is not None:
        scale = prop.scale or 0
        exponent = value.normalize().as_tuple().exponent
        if value and isinstance(exponent, int) and -exponent > scale:
            raise EdmValueError(f"Value '{value}' of property '{prop.name}' has more than {scale} decimals")
        if abs(value) >= Decimal(10) ** (prop.precision - scale):
            raise EdmValueError(f"Value '{value}' of property '{prop.name}' exceeds precision "
                                f"{prop.precision} with scale {scale}")
    elif prop.edm in _INT_RANGES:
        low, high = _INT_RANGES[prop.edm]
        if not low <= value <= high:
            raise EdmValueError(f"Value {value} of property '{prop.name}' is out of range for {prop.edm}")
    return value


def _expected(prop: Property, value: Any, what: str) -> EdmValueError:
    return EdmValueError(f"Invalid value {value!r} for property '{prop.name}' of type {prop.edm}: expected {what}")


def _decimal(prop: Property, text: str) -> Decimal:
    text = text.strip()
    if text[-1:] in ("m", "M"):
        text = text[:-1]
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _expected(prop, text, "a decimal number") from None
    if not value.is_finite():
        raise _expected(prop, text, "a finite decimal number")
    return value


def _datetime(prop: Property, text: str) -> datetime:
    match = _JSON_DATE.match(text)
    if match:
        result = EPOCH + timedelta(milliseconds=int(match[1]))
        if match[2]:
            offset = timedelta(hours=int(match[3][:2]), minutes=int(match[3][2:]))
            result = result - offset if match[2] == "+" else result + offset
    else:
        match = _ISO_DATE.match(text.strip())
        if not match:
            raise _expected(prop, text, "\"/Date(<milliseconds>)/\" or an ISO date-time like 2026-01-31T00:00:00")
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        try:
            result = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                              int(second or 0), int((fraction or "0").ljust(6, "0")[:6]))
        except ValueError:
            raise _expected(prop, text, "a valid calendar date") from None
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            result -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if prop.date_only:
        result = datetime(result.year, result.month, result.day)
    if prop.edm == "Edm.DateTimeOffset":
        return result.replace(tzinfo=timezone.utc)
    return result


def _duration(prop: Property, text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise _expected(prop, text, "an ISO duration like PT10H06M00S")
    days, hours, minutes, seconds = match.groups()
    return timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                     seconds=float(seconds or 0))


# --- writing -----------------------------------------------------------------------------------
def to_json(prop: Property, value: Any) -> Any:
    """The verbose-JSON form of a store value."""
    if value is None:
        return None
    edm = prop.edm
    if edm == "Edm.Decimal":
        return format_decimal(prop, value)
    if edm == "Edm.Int64":
        return str(value)
    if edm == "Edm.DateTime":
        return f"/Date({_millis(value)})/"
    if edm == "Edm.DateTimeOffset":
        return f"/Date({_millis(value)}+0000)/"
    if edm == "Edm.Time":
        return format_duration(value)
    if edm == "Edm.Binary":
        return base64.b64encode(value).decode("ascii")
    return value


def to_text(prop: Property, value: Any) -> str:
    """The Atom/XML text form of a (non-null) store value."""
    edm = prop.edm
    if edm == "Edm.Decimal":
        return format_decimal(prop, value)
    if edm == "Edm.Boolean":
        return "true" if value else "false"
    if edm == "Edm.DateTime":
        fraction = f".{value.microsecond:06d}0" if prop.precision and value.microsecond else ""
        return value.strftime("%Y-%m-%dT%H:%M:%S") + fraction
    if edm == "Edm.DateTimeOffset":
        return format_timestamp(value)
    if edm == "Edm.Time":
        return format_duration(value)
    if edm == "Edm.Binary":
        return base64.b64encode(value).decode("ascii")
    return str(value)


def to_literal(prop: Property, value: Any) -> str:
    """The URI literal of a store value (for keys and ETags): ``'10'``, ``datetime'...'``, ``1.5M``."""
    edm = prop.edm
    if value is None:
        return "null"
    if edm == "Edm.String":
        return "'" + value.replace("'", "''") + "'"
    if edm == "Edm.Guid":
        return f"guid'{value}'"
    if edm == "Edm.Decimal":
        return format_decimal(prop, value) + "M"
    if edm == "Edm.Int64":
        return f"{value}L"
    if edm == "Edm.DateTime":
        return f"datetime'{value.strftime('%Y-%m-%dT%H:%M:%S')}'"
    if edm == "Edm.DateTimeOffset":
        return f"datetimeoffset'{format_timestamp(value)}'"
    if edm == "Edm.Time":
        return f"time'{format_duration(value)}'"
    if edm == "Edm.Boolean":
        return "true" if value else "false"
    if edm == "Edm.Double":
        return f"{value}d"
    return str(value)


def format_decimal(prop: Property, value: Decimal) -> str:
    """A decimal with the property's scale, as SAP writes it (``"180.000"``)."""
    scale = prop.scale or 0
    quantum = Decimal(1).scaleb(-scale)
    try:
        return format(Decimal(value).quantize(quantum), "f")
    except InvalidOperation:
        return format(Decimal(value), "f")


def format_timestamp(value: datetime) -> str:
    """A UTC timestamp with seven fractional digits (``2026-01-31T08:41:03.6829150Z``)."""
    value = value.astimezone(timezone.utc) if value.tzinfo else value
    return value.strftime("%Y-%m-%dT%H:%M:%S") + f".{value.microsecond:06d}0Z"


def format_duration(value: timedelta) -> str:
    """``PT10H06M00S``."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours:02d}H{minutes:02d}M{secs:02d}S"


def _millis(value: datetime) -> int:
    naive = value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    delta = naive - EPOCH
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def new_guid() -> str:
    """A fresh GUID in the store's (lower-case) form."""
    return str(uuid.uuid4())
