"""A small OData V2 ``$filter`` compiler for the emulator.

Supports what clients of the Cloud Integration API send: ``eq ne gt ge lt le``, ``and or not``,
parentheses, property paths (``IntegrationArtifact/Id``), string / ``datetime'...'`` / number /
boolean / null literals, and ``substringof``, ``startswith``, ``endswith``. Anything else is a
:class:`FilterError` naming the position, answered as 400 like a tenant does.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<datetime>datetime'[^']*')
    | (?P<guid>guid'[^']*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>-?\d+(?:\.\d+)?[mMdDlL]?)
    | (?P<lparen>\()
    | (?P<rparen>\))
    | (?P<comma>,)
    | (?P<name>[A-Za-z_$][A-Za-z0-9_./$]*)
    )""", re.VERBOSE)
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"substringof", "startswith", "endswith"}


class FilterError(ValueError):
    """The expression cannot be parsed or evaluated."""


def parse_literal(text: str) -> Any:
    """An OData literal (key values, function-import parameters) as a Python value."""
    text = text.strip()
    if text.startswith("datetime'") and text.endswith("'"):
        return _datetime(text[9:-1])
    if text.startswith("guid'") and text.endswith("'"):
        return text[5:-1]
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    number = text.rstrip("mMdDlL")
    try:
        return int(number)
    except ValueError:
        pass
    try:
        return float(number)
    except ValueError:
        pass
    raise FilterError(f"not an OData literal: {text!r}")


def _datetime(text: str) -> datetime:
    if text.endswith("Z") or re.search(r"[+-]\d{2}:\d{2}$", text):
        raise FilterError(f"datetime'{text}': the API assumes UTC and does not accept a zone suffix")
    try:
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    except ValueError as exc:
        raise FilterError(f"datetime'{text}' is not yyyy-mm-ddThh:mm[:ss[.fff]]") from exc


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FilterError(f"unexpected character at position {pos}: {text[pos:pos + 10]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise FilterError("unexpected end of expression")
        self.i += 1
        return token

    def word(self, value: str) -> bool:
        token = self.peek()
        if token and token[0] == "name" and token[1] == value:
            self.i += 1
            return True
        return False

    def parse(self) -> Callable[[dict[str, Any]], Any]:
        node = self.disjunction()
        if self.peek() is not None:
            kind, value, pos = self.peek()  # type: ignore[misc]
            raise FilterError(f"unexpected {value!r} at position {pos}")
        return node

    def disjunction(self):
        left = self.conjunction()
        while self.word("or"):
            right = self.conjunction()
            left = (lambda a, b: lambda r: bool(a(r)) or bool(b(r)))(left, right)
        return left

    def conjunction(self):
        left = self.negation()
        while self.word("and"):
            right = self.negation()
            left = (lambda a, b: lambda r: bool(a(r)) and bool(b(r)))(left, right)
        return left

    def negation(self):
        if self.word("not"):
            inner = self.negation()
            return lambda r: not inner(r)
        return self.comparison()

    def comparison(self):
        left = self.primary()
        token = self.peek()
        if token and token[0] == "name" and token[1] in _COMPARISONS:
            self.i += 1
            right = self.primary()
            op = token[1]
            return lambda r: _compare(op, left(r), right(r))
        return left

    def primary(self):
        kind, value, pos = self.take()
        if kind == "lparen":
            node = self.disjunction()
            closing = self.peek()
            if closing is None or closing[0] != "rparen":
                raise FilterError(f"missing ')' for '(' at position {pos}")
            self.i += 1
            return node
        if kind in ("string", "datetime", "guid", "number"):
            constant = parse_literal(value)
            return lambda r: constant
        if kind == "name":
            if value in ("true", "false", "null"):
                constant = parse_literal(value)
                return lambda r: constant
            nxt = self.peek()
            if nxt and nxt[0] == "lparen":
                return self.function(value, pos)
            path = value.split("/")
            return lambda r: _lookup(r, path)
        raise FilterError(f"unexpected {value!r} at position {pos}")

    def function(self, name: str, pos: int):
        if name not in _FUNCTIONS:
            raise FilterError(f"unsupported function {name!r} at position {pos}")
        self.take()
        args = [self.disjunction()]
        while self.peek() and self.peek()[0] == "comma":  # type: ignore[index]
            self.take()
            args.append(self.disjunction())
        if self.take()[0] != "rparen":
            raise FilterError(f"missing ')' after {name}(")
        if len(args) != 2:
            raise FilterError(f"{name} takes 2 arguments, got {len(args)}")
        a, b = args
        if name == "substringof":
            return lambda r: str(a(r) or "") in str(b(r) or "")
        if name == "startswith":
            return lambda r: str(a(r) or "").startswith(str(b(r) or ""))
        return lambda r: str(a(r) or "").endswith(str(b(r) or ""))


def _lookup(row: dict[str, Any], path: list[str]) -> Any:
    node: Any = row
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _coerce(a: Any, b: Any) -> tuple[Any, Any]:
    if isinstance(a, datetime) and isinstance(b, str):
        b = _datetime(b)
    elif isinstance(b, datetime) and isinstance(a, str):
        a = _datetime(a)
    elif isinstance(a, bool) or isinstance(b, bool):
        pass
    elif isinstance(a, (int, float)) and isinstance(b, str):
        b = float(b)
    elif isinstance(b, (int, float)) and isinstance(a, str):
        a = float(a)
    return a, b


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "eq":
        return a == b if a is None or b is None else _coerce(a, b)[0] == _coerce(a, b)[1]
    if op == "ne":
        return a != b if a is None or b is None else _coerce(a, b)[0] != _coerce(a, b)[1]
    if a is None or b is None:
        return False
    a, b = _coerce(a, b)
    try:
        return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]
    except TypeError as exc:
        raise FilterError(f"cannot compare {a!r} and {b!r}") from exc


def compile_filter(text: str) -> Predicate:
    """Compile ``$filter`` text into a predicate over a row dict; raise FilterError."""
    node = _Parser(text).parse()
    return lambda row: bool(node(row))
