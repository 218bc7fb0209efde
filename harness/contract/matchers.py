"""Matchers and selections: JSONPath (jsonpath-ng) on JSON, XPath 1.0 (lxml) on XML.

A matcher is a plain value (``equals``) or a mapping of one or more of ``equals``, ``contains``,
``matches``, ``exists``, ``length``, ``gte``, ``lte``, ``one_of`` (all must hold). An expression
selecting several values must hold for each; one selecting none fails unless ``exists: false``.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from jsonpath_ng.ext import parse as jsonpath_parse
from lxml import etree

MATCHER_KEYS = ("equals", "contains", "matches", "exists", "length", "gte", "lte", "one_of")
XML_NAMESPACES = {
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
    "soap12": "http://www.w3.org/2003/05/soap-envelope",
    "atom": "http://www.w3.org/2005/Atom",
    "m": "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata",
    "d": "http://schemas.microsoft.com/ado/2007/08/dataservices",
}
_MISSING = object()


class MatcherError(ValueError):
    """An expression that cannot be compiled or applied."""


@dataclass(frozen=True)
class Outcome:
    """The result of one assertion: what was expected, what was found."""

    ok: bool
    expected: str
    actual: str


@lru_cache(maxsize=512)
def compile_jsonpath(expression: str):
    """A compiled JSONPath (filters like ``[?(@.SalesOrder == '5000001')]`` included)."""
    try:
        with warnings.catch_warnings():
            # jsonpath-ng deprecates `&` for `&&` in filters; both still mean "and"
            warnings.simplefilter("ignore", DeprecationWarning)
            return jsonpath_parse(expression)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001 - the library raises plain Exception too
        raise MatcherError(str(exc)) from None


@lru_cache(maxsize=256)
def _compile_xpath(expression: str) -> etree.XPath:
    try:
        return etree.XPath(expression, namespaces=XML_NAMESPACES)
    except etree.XPathSyntaxError as exc:
        raise MatcherError(f"invalid XPath {expression!r}: {exc}") from None


# --- documents ------------------------------------------------------------------------------------
def parse_body(body: bytes | str, content_type: str = "") -> Any:
    """JSON (dict/list), a form (dict), XML (an lxml element), or the text itself."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[:1] in "{[":
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    if stripped.startswith("<"):
        try:
            return etree.fromstring(stripped.encode("utf-8"),
                                    parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
        except etree.XMLSyntaxError:
            pass
    if "x-www-form-urlencoded" in content_type.lower() or re.fullmatch(r"[\w.\-~%]+=[^&]*(&[\w.\-~%]+=[^&]*)*", stripped):
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(stripped, keep_blank_values=True).items()}
    return text


def select(document: Any, expression: str) -> list[Any]:
    """The values ``expression`` selects: JSONPath (``$...``) on JSON, XPath (``/...``) on XML."""
    if expression.startswith("$"):
        if isinstance(document, etree._Element) or document is None or isinstance(document, str):
            raise MatcherError(f"{expression} is a JSONPath but the body is not JSON "
                               f"({'empty' if document is None else 'XML' if isinstance(document, etree._Element) else 'text'})")
        return [m.value for m in compile_jsonpath(expression).find(document)]
    if not isinstance(document, etree._Element):
        raise MatcherError(f"{expression} is an XPath but the body is not XML")
    result = _compile_xpath(expression)(document)
    if isinstance(result, list):
        return [_xml_value(v) for v in result]
    if isinstance(result, float) and result.is_integer():
        return [int(result)]
    return [result]


def _xml_value(value: Any) -> Any:
    if isinstance(value, etree._Element):
        return "".join(value.itertext())
    return str(value)


# --- matching -------------------------------------------------------------------------------------
def is_matcher_object(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(k in MATCHER_KEYS for k in value)


def describe(matcher: Any) -> str:
    """The expectation in words (for failure texts)."""
    if not is_matcher_object(matcher):
        return f"equals {_show(matcher)}"
    parts = []
    for key, value in matcher.items():
        if key == "length" and is_matcher_object(value):
            parts.append(f"length {describe(value)}")
        elif key == "exists":
            parts.append("exists" if value else "does not exist")
        else:
            parts.append(f"{key.replace('_', ' ')} {_show(value)}")
    return " and ".join(parts)


def check(selection: list[Any], matcher: Any) -> Outcome:
    """Apply a matcher to a selection (every value must hold; ``exists`` looks at the selection)."""
    expected = describe(matcher)
    if is_matcher_object(matcher) and "exists" in matcher:
        present = bool(selection)
        if present != bool(matcher["exists"]):
            return Outcome(False, expected, f"{len(selection)} value(s): {_show_list(selection)}" if selection else "nothing selected")
        rest = {k: v for k, v in matcher.items() if k != "exists"}
        if not rest or not present:
            return Outcome(True, expected, _show_list(selection) if selection else "nothing selected")
        matcher = rest
    if not selection:
        return Outcome(False, expected, "nothing selected")
    for value in selection:
        if not _holds(value, matcher):
            return Outcome(False, expected, _show(value) if len(selection) == 1 else
                           f"{_show(value)} (one of {len(selection)}: {_show_list(selection)})")
    return Outcome(True, expected, _show_list(selection))


def check_value(value: Any, matcher: Any) -> Outcome:
    """A matcher on one value that may be absent (``_MISSING`` / None for a header not sent)."""
    return check([] if value is None or value is _MISSING else [value], matcher)


def _holds(value: Any, matcher: Any) -> bool:
    if not is_matcher_object(matcher):
        return _equals(value, matcher)
    for key, expected in matcher.items():
        if key == "equals" and not _equals(value, expected):
            return False
        if key == "contains" and not _contains(value, expected):
            return False
        if key == "matches" and (value is None or re.search(str(expected), _text(value)) is None):
            return False
        if key == "length":
            try:
                size = len(value)
            except TypeError:
                return False
            if not (_holds(size, expected) if is_matcher_object(expected) else size == expected):
                return False
        if key in ("gte", "lte"):
            number = _number(value)
            if number is None or (number < expected if key == "gte" else number > expected):
                return False
        if key == "one_of" and not any(_equals(value, option) for option in expected):
            return False
    return True


def _equals(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        if isinstance(actual, str) and isinstance(expected, bool):
            return actual.lower() == str(expected).lower()
        return actual is expected or actual == expected and type(actual) is type(expected)
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return float(actual) == float(expected)
    if isinstance(actual, str) and isinstance(expected, (int, float)):
        return _number(actual) == float(expected)
    return actual == expected


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return str(expected) in actual
    if isinstance(actual, list):
        return any(_equals(item, expected) for item in actual)
    if isinstance(actual, dict):
        return expected in actual
    return False


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _show(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show_list(values: list[Any]) -> str:
    return _show(values[0]) if len(values) == 1 else _show(values)


def evaluate(document: Any, expression: str, matcher: Any) -> Outcome:
    """Select with ``expression`` and apply ``matcher``; a body of the wrong kind is a failed outcome."""
    try:
        selection = select(document, expression)
    except MatcherError as exc:
        return Outcome(False, describe(matcher), str(exc))
    return check(selection, matcher)
