"""OData V2 query options: literals, ``$filter`` (parsed into a typed tree, then evaluated),
``$orderby``, ``$select`` and ``$expand``.

Supported in ``$filter``: ``eq ne gt ge lt le and or not``, parentheses, the functions
``substringof startswith endswith tolower toupper trim length indexof concat substring``, and the
literals of MS-ODATA (``'text'`` with doubled quotes, ``datetime'..'``, ``datetimeoffset'..'``,
``guid'..'``, ``time'..'``, ``1.5M``, ``1L``, ``1.5d``, numbers, ``true false null``). Anything else
(arithmetic, navigation paths, lambda operators, unknown functions) is rejected with a
:class:`QueryError` naming the problem, as Gateway rejects what its parser cannot handle.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import EntityType, Property, Service


class QueryError(ValueError):
    """A query option or key predicate cannot be parsed or does not fit the entity type."""


@dataclass(frozen=True)
class Literal:
    """A parsed literal: its Edm kind (``Edm.String`` ... or ``null``) and Python value."""

    kind: str
    value: Any
    text: str


# --- tokens ------------------------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<typed>(?:datetimeoffset|datetime|guid|time|binary|X)'(?:[^']|'')*')
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<punct>[(),=])
""", re.VERBOSE)


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split an expression into (kind, text) tokens; raise QueryError at the first bad character."""
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise QueryError(f"Invalid token at position {pos + 1} in '{text}'")
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, match.group()))
        pos = match.end()
    return tokens


def parse_literal(kind: str, text: str) -> Literal:
    """A literal token as a :class:`Literal`."""
    if kind == "string":
        return Literal("Edm.String", text[1:-1].replace("''", "'"), text)
    if kind == "typed":
        prefix, _, rest = text.partition("'")
        body = rest[:-1].replace("''", "'")
        prefix = prefix.lower()
        if prefix in ("datetime", "datetimeoffset"):
            probe = Property("literal", "Edm.DateTimeOffset" if prefix == "datetimeoffset" else "Edm.DateTime")
            try:
                return Literal(probe.edm, edm.from_text(probe, body), text)
            except edm.EdmValueError as exc:
                raise QueryError(f"Invalid {prefix} literal {text}") from exc
        if prefix == "guid":
            return Literal("Edm.Guid", body.lower(), text)
        if prefix == "time":
            try:
                return Literal("Edm.Time", edm.from_text(Property("literal", "Edm.Time"), body), text)
            except edm.EdmValueError as exc:
                raise QueryError(f"Invalid time literal {text}") from exc
        return Literal("Edm.Binary", body, text)
    if kind == "number":
        suffix = text[-1].lower()
        if suffix == "m":
            return Literal("Edm.Decimal", Decimal(text[:-1]), text)
        if suffix == "l":
            return Literal("Edm.Int64", int(text[:-1]), text)
        if suffix in ("d", "f"):
            return Literal("Edm.Double", float(text[:-1]), text)
        if re.fullmatch(r"-?\d+", text):
            return Literal("Edm.Int32", int(text), text)
        return Literal("Edm.Double", float(text), text)
    if kind == "name" and text in ("true", "false"):
        return Literal("Edm.Boolean", text == "true", text)
    if kind == "name" and text == "null":
        return Literal("null", None, text)
    raise QueryError(f"'{text}' is not a literal")


_NUMERIC = {"Edm.Decimal", "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.Double"}


def coerce(prop: Property, literal: Literal) -> Any:
    """The literal as a value of ``prop``'s type; raise QueryError when the kinds do not match."""
    if literal.kind == "null":
        return None
    target = prop.edm
    ok = (literal.kind == target
          or (target in _NUMERIC and literal.kind in _NUMERIC)
          or (target in ("Edm.DateTime", "Edm.DateTimeOffset") and literal.kind in ("Edm.DateTime", "Edm.DateTimeOffset"))
          or (target == "Edm.Guid" and literal.kind == "Edm.String"))
    if not ok:
        raise QueryError(f"Literal {literal.text} does not fit property '{prop.name}' of type {target}")
    value = literal.value
    if target == "Edm.Decimal":
        return Decimal(str(value))
    if target in ("Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte"):
        if isinstance(value, float) and not value.is_integer():
            raise QueryError(f"Literal {literal.text} is not an integer for property '{prop.name}'")
        return int(value)
    if target == "Edm.Double":
        return float(value)
    if target == "Edm.DateTimeOffset" and isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    if target == "Edm.DateTime" and isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


# --- $filter -----------------------------------------------------------------------------------
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge,
    "lt": operator.lt, "le": operator.le,
}
_UNSUPPORTED_OPS = {"add", "sub", "mul", "div", "mod", "any", "all", "has", "in"}
# name -> (argument kinds, result kind); "S" = string, "I" = integer
_FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "substringof": (("S", "S"), "Edm.Boolean"),
    "startswith": (("S", "S"), "Edm.Boolean"),
    "endswith": (("S", "S"), "Edm.Boolean"),
    "tolower": (("S",), "Edm.String"),
    "toupper": (("S",), "Edm.String"),
    "trim": (("S",), "Edm.String"),
    "length": (("S",), "Edm.Int32"),
    "indexof": (("S", "S"), "Edm.Int32"),
    "concat": (("S", "S"), "Edm.String"),
    "substring": (("S", "I"), "Edm.String"),
}


@dataclass
class Node:
    """A typed filter expression node; ``kind`` is the Edm type of its value."""

    op: str
    kind: str
    args: list[Any] = field(default_factory=list)
    prop: Property | None = None
    value: Any = None


class _FilterParser:
    def __init__(self, text: str, etype: EntityType) -> None:
        self.text = text
        self.etype = etype
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise QueryError(f"Unexpected end of $filter expression '{self.text}'")
        self.pos += 1
        return token

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] == "name" and token[1] in words:
            self.pos += 1
            return token[1]
        return None

    def expect(self, text: str) -> None:
        token = self.take()
        if token[1] != text:
            raise QueryError(f"Expected '{text}' but found '{token[1]}' in $filter '{self.text}'")

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise QueryError(f"Unexpected '{self.peek()[1]}' in $filter '{self.text}'")  # type: ignore[index]
        if node.kind != "Edm.Boolean":
            raise QueryError(f"$filter '{self.text}' is not a boolean expression")
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.keyword("or"):
            node = Node("or", "Edm.Boolean", [self._bool(node), self._bool(self.and_expr())])
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.keyword("and"):
            node = Node("and", "Edm.Boolean", [self._bool(node), self._bool(self.not_expr())])
        return node

    def not_expr(self) -> Node:
        if self.keyword("not"):
            return Node("not", "Edm.Boolean", [self._bool(self.not_expr())])
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        token = self.peek()
        if token and token[0] == "name" and token[1] in _UNSUPPORTED_OPS:
            raise QueryError(f"Operator '{token[1]}' is not supported in $filter")
        op = self.keyword(*_COMPARE)
        if op is None:
            return left
        right = self.operand()
        left, right = _unify(left, right, self.text)
        if op not in ("eq", "ne") and left.kind == "Edm.Boolean":
            raise QueryError(f"Operator '{op}' cannot compare boolean values in $filter '{self.text}'")
        return Node("cmp", "Edm.Boolean", [left, right], value=op)

    def operand(self) -> Node:
        kind, text = self.take()
        if text == "(":
            node = self.or_expr()
            self.expect(")")
            return node
        if kind in ("string", "typed", "number") or (kind == "name" and text in ("true", "false", "null")):
            literal = parse_literal(kind, text)
            return Node("lit", literal.kind, value=literal)
        if kind == "name":
            nxt = self.peek()
            if nxt and nxt[1] == "(":
                return self.call(text)
            if "/" in text:
                raise QueryError(f"Navigation path '{text}' is not supported in $filter")
            if text in _COMPARE or text in ("and", "or", "not") or text in _UNSUPPORTED_OPS:
                raise QueryError(f"Unexpected operator '{text}' in $filter '{self.text}'")
            prop = self.etype.properties.get(text)
            if prop is None:
                raise QueryError(f"Property '{text}' not found in type '{self.etype.name}'")
            return Node("prop", prop.edm, prop=prop)
        raise QueryError(f"Unexpected '{text}' in $filter '{self.text}'")

    def call(self, name: str) -> Node:
        if name not in _FUNCTIONS:
            raise QueryError(f"Function '{name}' is not supported in $filter")
        self.expect("(")
        args = [self.or_expr()]
        while self.peek() and self.peek()[1] == ",":  # type: ignore[index]
            self.take()
            args.append(self.or_expr())
        self.expect(")")
        kinds, result = _FUNCTIONS[name]
        if len(args) != len(kinds):
            raise QueryError(f"Function '{name}' takes {len(kinds)} argument(s), got {len(args)}")
        for arg, want in zip(args, kinds):
            ok = arg.kind == "Edm.String" if want == "S" else arg.kind in ("Edm.Int32", "Edm.Int64", "Edm.Int16")
            if not ok and arg.kind != "null":
                raise QueryError(f"Function '{name}' expects {'text' if want == 'S' else 'an integer'}, "
                                 f"got {arg.kind}")
        return Node("call", result, args, value=name)

    def _bool(self, node: Node) -> Node:
        if node.kind != "Edm.Boolean":
            raise QueryError(f"Expected a boolean expression in $filter '{self.text}'")
        return node


def _unify(left: Node, right: Node, text: str) -> tuple[Node, Node]:
    """Type-check a comparison, turning a literal into the other side's property type."""
    for a, b in ((left, right), (right, left)):
        if a.op == "prop" and b.op == "lit":
            b.value = Literal(a.kind, coerce(a.prop, b.value), b.value.text)  # type: ignore[arg-type]
            b.kind = a.kind
    if left.kind != right.kind and "null" not in (left.kind, right.kind):
        if not (left.kind in _NUMERIC and right.kind in _NUMERIC):
            raise QueryError(f"Cannot compare {left.kind} with {right.kind} in $filter '{text}'")
    return left, right


def parse_filter(text: str, etype: EntityType) -> Node:
    """Parse and type-check a ``$filter`` expression against an entity type."""
    if not text.strip():
        raise QueryError("$filter is empty")
    return _FilterParser(text, etype).parse()


def evaluate(node: Node, row: dict[str, Any]) -> Any:
    """The value of a filter node for one stored row."""
    if node.op == "lit":
        return node.value.value
    if node.op == "prop":
        return row.get(node.prop.name)  # type: ignore[union-attr]
    if node.op == "and":
        return bool(evaluate(node.args[0], row)) and bool(evaluate(node.args[1], row))
    if node.op == "or":
        return bool(evaluate(node.args[0], row)) or bool(evaluate(node.args[1], row))
    if node.op == "not":
        return not evaluate(node.args[0], row)
    if node.op == "cmp":
        left, right = evaluate(node.args[0], row), evaluate(node.args[1], row)
        if left is None or right is None:
            return _COMPARE[node.value](left, right) if node.value in ("eq", "ne") else False
        return _COMPARE[node.value](left, right)
    args = [evaluate(a, row) for a in node.args]
    if any(a is None for a in args):
        return None
    name = node.value
    if name == "substringof":
        return args[0] in args[1]
    if name == "startswith":
        return args[0].startswith(args[1])
    if name == "endswith":
        return args[0].endswith(args[1])
    if name == "tolower":
        return args[0].lower()
    if name == "toupper":
        return args[0].upper()
    if name == "trim":
        return args[0].strip()
    if name == "length":
        return len(args[0])
    if name == "indexof":
        return args[0].find(args[1])
    if name == "concat":
        return args[0] + args[1]
    if name == "substring":
        return args[0][args[1]:]
    raise QueryError(f"Function '{name}' is not supported")  # pragma: no cover - parser guards


# --- $orderby, $select, $expand ------------------------------------------------------------------
def parse_orderby(text: str, etype: EntityType) -> list[tuple[Property, bool]]:
    """``A desc, B`` as [(property, descending)]."""
    result = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise QueryError(f"Invalid $orderby item '{part.strip()}'")
        prop = etype.properties.get(words[0])
        if prop is None:
            raise QueryError(f"Property '{words[0]}' not found in type '{etype.name}'")
        result.append((prop, len(words) == 2 and words[1] == "desc"))
    return result


def sort_rows(rows: list[dict[str, Any]], order: list[tuple[Property, bool]]) -> list[dict[str, Any]]:
    """Rows sorted by the $orderby items (nulls first, as SAP sorts initial values first)."""
    for prop, descending in reversed(order):
        rows = sorted(rows, key=lambda r, p=prop: (r.get(p.name) is not None, r.get(p.name) if r.get(p.name) is not None else 0),
                      reverse=descending)
    return rows


@dataclass
class Shape:
    """What to put in an entity: the properties (None = all) and the expanded navigations."""

    properties: set[str] | None = None
    expand: dict[str, "Shape"] = field(default_factory=dict)
    selected_navs: set[str] = field(default_factory=set)


def parse_shape(select: str | None, expand: str | None, service: Service, etype: EntityType) -> Shape:
    """Combine ``$select`` and ``$expand`` into a :class:`Shape` tree, checking every name."""
    root = Shape()
    for path in _split_list(expand):
        node, current = root, etype
        for name in path.split("/"):
            nav = current.navigation.get(name)
            if nav is None:
                raise QueryError(f"Navigation property '{name}' not found in type '{current.name}'")
            node = node.expand.setdefault(name, Shape())
            current = service.entity_sets[nav.target].type
    items = _split_list(select)
    if items and "*" not in items:
        _apply_select(root, items, service, etype)
    return root


def _apply_select(node: Shape, items: list[str], service: Service, etype: EntityType) -> None:
    node.properties = set()
    nested: dict[str, list[str]] = {}
    for item in items:
        head, _, rest = item.partition("/")
        if head in etype.properties and not rest:
            node.properties.add(head)
        elif head in etype.navigation:
            if head not in node.expand and rest:
                raise QueryError(f"$select path '{item}' needs $expand={head}")
            node.selected_navs.add(head)
            if rest:
                nested.setdefault(head, []).append(rest)
        else:
            raise QueryError(f"Property '{head}' not found in type '{etype.name}'")
    for head, sub in nested.items():
        if "*" not in sub:
            target = service.entity_sets[etype.navigation[head].target].type
            _apply_select(node.expand[head], sub, service, target)


def _split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]
