"""Resource paths below a service root: ``A_SalesOrder('1')/to_Item``, composite keys, ``$count``,
``$value``, function imports, and building the canonical URI of an entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import EntityType
from harness.mocks.s4hana.query import Literal, QueryError, coerce, parse_literal, tokenize


@dataclass
class Segment:
    """One path segment: a name and, if given, its key predicate (name or None, literal)."""

    name: str
    key: list[tuple[str | None, Literal]] | None = None


def split_path(path: str) -> list[Segment]:
    """Split a resource path into segments; quotes may contain ``/``, ``(`` and ``,``."""
    segments: list[Segment] = []
    i, n = 0, len(path)
    while i < n:
        if path[i] == "/":
            i += 1
            continue
        start = i
        while i < n and path[i] not in "(/":
            i += 1
        name = path[start:i]
        key = None
        if i < n and path[i] == "(":
            depth_start = i
            i += 1
            in_quote = False
            while i < n:
                ch = path[i]
                if ch == "'":
                    if in_quote and i + 1 < n and path[i + 1] == "'":
                        i += 2
                        continue
                    in_quote = not in_quote
                elif ch == ")" and not in_quote:
                    break
                i += 1
            if i >= n:
                raise QueryError(f"Unbalanced parentheses in resource path '{path}'")
            key = parse_key_predicate(path[depth_start + 1:i])
            i += 1
        if not name:
            raise QueryError(f"Malformed resource path '{path}'")
        segments.append(Segment(name, key))
    return segments


def parse_key_predicate(text: str) -> list[tuple[str | None, Literal]]:
    """``'1'`` or ``SalesOrder='1',SalesOrderItem='10'`` as [(name, literal)]."""
    tokens = tokenize(text)
    if not tokens:
        return []
    items: list[tuple[str | None, Literal]] = []
    pos = 0
    while pos < len(tokens):
        kind, value = tokens[pos]
        name = None
        if kind == "name" and pos + 1 < len(tokens) and tokens[pos + 1][1] == "=":
            name = value
            pos += 2
            if pos >= len(tokens):
                raise QueryError(f"Missing value for key '{name}' in ({text})")
            kind, value = tokens[pos]
        items.append((name, parse_literal(kind, value)))
        pos += 1
        if pos < len(tokens):
            if tokens[pos][1] != ",":
                raise QueryError(f"Invalid key predicate ({text})")
            pos += 1
    return items


def key_values(etype: EntityType, predicate: list[tuple[str | None, Literal]]) -> tuple[Any, ...]:
    """The key tuple a predicate names, in the type's key order, checked against the key types."""
    if len(predicate) == 1 and predicate[0][0] is None:
        if len(etype.key) != 1:
            raise QueryError(f"Entity type '{etype.name}' has a composite key "
                             f"({', '.join(etype.key)}): name every key property")
        predicate = [(etype.key[0], predicate[0][1])]
    named = {}
    for name, literal in predicate:
        if name is None:
            raise QueryError(f"Mixed positional and named key values for '{etype.name}'")
        if name not in etype.key:
            raise QueryError(f"'{name}' is not a key property of '{etype.name}'")
        named[name] = literal
    missing = [k for k in etype.key if k not in named]
    if missing:
        raise QueryError(f"Key property '{missing[0]}' missing for '{etype.name}'")
    values = []
    for name in etype.key:
        prop = etype.properties[name]
        value = coerce(prop, named[name])
        try:
            edm.check(prop, value)
        except edm.EdmValueError as exc:
            raise QueryError(str(exc)) from exc
        values.append(value)
    return tuple(values)


def key_predicate(etype: EntityType, row: dict[str, Any]) -> str:
    """``('1')`` or ``(SalesOrder='1',SalesOrderItem='10')`` for a stored row."""
    if len(etype.key) == 1:
        prop = etype.properties[etype.key[0]]
        return f"({edm.to_literal(prop, row[prop.name])})"
    parts = [f"{k}={edm.to_literal(etype.properties[k], row[k])}" for k in etype.key]
    return "(" + ",".join(parts) + ")"
