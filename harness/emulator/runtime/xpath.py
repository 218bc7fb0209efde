"""XPath 1.0 over the message body (lxml), with the iFlow's namespace mapping.

``$name`` in an expression is an XPath variable bound to the exchange property ``name`` (or, when
there is none, the header), as the tenant binds them for Filter and router conditions.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .errors import ProcessingError
from .exchange import Exchange

XPATH_ERROR = "javax.xml.xpath.XPathExpressionException"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
_VAR = re.compile(r"\$([A-Za-z_][\w.\-]*)")


def parse_body(ex: Exchange, what: str = "XPath") -> etree._Element:
    """The body as an XML element; a non-XML body raises the tenant's parse error."""
    try:
        return etree.fromstring(ex.body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ProcessingError(f"{what}: the message body is not XML: {exc}",
                              java_class="org.xml.sax.SAXParseException") from exc


def compile_xpath(expression: str, namespaces: dict[str, str]) -> etree.XPath:
    """Compile once at deploy; raise ValueError with the reason when invalid."""
    try:
        return etree.XPath(expression, namespaces=namespaces or None)
    except (etree.XPathSyntaxError, etree.XPathEvalError) as exc:
        raise ValueError(f"invalid XPath {expression!r}: {exc}") from exc


def variables_for(expression: str, ex: Exchange) -> dict[str, Any]:
    """XPath variables for every ``$name`` in the expression."""
    values: dict[str, Any] = {}
    for name in set(_VAR.findall(expression)):
        value = ex.properties.get(name)
        if value is None:
            value = ex.headers.get(name)
        values[name] = "" if value is None else (value if isinstance(value, (int, float)) else str(value))
    return values


def evaluate(xpath: etree.XPath, expression: str, node: Any, ex: Exchange) -> Any:
    """Run a compiled XPath on ``node`` with the exchange's variables bound."""
    try:
        return xpath(node, **variables_for(expression, ex))
    except etree.XPathEvalError as exc:
        raise ProcessingError(f"cannot evaluate XPath {expression!r}: {exc}", java_class=XPATH_ERROR) from exc


def as_boolean(result: Any) -> bool:
    """XPath boolean() of a result."""
    if isinstance(result, list):
        return len(result) > 0
    if isinstance(result, bool):
        return result
    if isinstance(result, float):
        return result != 0 and result == result
    if isinstance(result, str):
        return result != ""
    return bool(result)


def as_string(result: Any) -> str:
    """XPath string() of a result (first node's text for a node set)."""
    if isinstance(result, list):
        if not result:
            return ""
        first = result[0]
        if isinstance(first, etree._Element):
            return "".join(first.itertext())
        return str(first)
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        return str(int(result)) if result.is_integer() else str(result)
    return str(result)


def serialize(result: Any) -> bytes:
    """Nodes as XML (concatenated), other results as text."""
    if isinstance(result, list):
        parts = []
        for item in result:
            if isinstance(item, etree._Element):
                parts.append(etree.tostring(item, encoding="utf-8", with_tail=False))
            else:
                parts.append(str(item).encode("utf-8"))
        return b"".join(parts)
    return as_string(result).encode("utf-8")
