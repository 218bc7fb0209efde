"""The mock's own XSDs (``schemas/*.xsd``), loaded once, and validation with a readable reason."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import xmlschema
from lxml import etree

SCHEMA_DIR = Path(__file__).with_name("schemas")
SALES_ORDER_REPLICATION = "sales_order_bulk_replication.xsd"
CUSTOMER_RETURN_REPLICATION = "customer_return_bulk_replication.xsd"
BDW_REFERENCE_REQUEST = "bdw_reference_request.xsd"


@lru_cache(maxsize=None)
def schema(name: str) -> xmlschema.XMLSchema10:
    """A schema from ``schemas/`` by file name."""
    return xmlschema.XMLSchema10(str(SCHEMA_DIR / name))


def validation_error(name: str, element: etree._Element) -> str | None:
    """Why ``element`` is not valid for schema ``name`` (None when it is)."""
    document = etree.tostring(element)
    for error in schema(name).iter_errors(document.decode("utf-8")):
        where = f" at {error.path}" if error.path else ""
        return f"{error.reason or error.message}{where}"
    return None
