"""Content Modifier (``Enricher``) 1.1-1.6: headers, then properties, then the body.

Row types: ``constant`` (literal text), ``expression`` (Camel Simple), ``header`` and ``property``
(copy another header or property), ``xpath`` (on the body, with the namespace mapping; the
``Datatype`` says String or NodeList), ``global variable`` / ``local variable`` (Write Variables).
``Default`` is used when the value is null. ``Delete`` removes the named header or property (``*``
wildcards allowed). The body is replaced only when the body value is not empty; ``bodyType``
``constant`` keeps it literal, ``expression`` evaluates it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from ..context import RunContext
from ..exchange import Exchange
from ..registry import STEPS
from ..tables import parse_table
from .. import xpath as xp
from .base import Step

TYPES = {"constant", "expression", "header", "property", "xpath", "global variable",
         "local variable"}


@dataclass
class _Row:
    action: str
    type: str
    name: str
    value: str
    default: str
    datatype: str
    compiled: Any = None


@STEPS.register("Enricher")
class ContentModifier(Step):
    title = "Content Modifier"
    min_version = "1.0"
    max_version = "1.6"

    def compile(self) -> None:
        self.headers = self._rows("headerTable")
        self.props = self._rows("propertyTable")
        self.body_type = self.prop("bodyType", "constant")
        self.body = self.node.props.get("wrapContent", "")
        if self.body_type not in ("constant", "expression"):
            raise self.fail(f"bodyType {self.body_type!r} is not supported (constant, expression)")

    def _rows(self, key: str) -> list[_Row]:
        try:
            table = parse_table(self.node.props.get(key))
        except ValueError as exc:
            raise self.fail(f"{key}: {exc}") from exc
        rows = []
        for raw in table:
            row = _Row(action=raw.get("Action", "Create") or "Create", type=raw.get("Type", "constant"),
                       name=raw.get("Name"), value=raw.get("Value"), default=raw.get("Default"),
                       datatype=raw.get("Datatype"))
            if not row.name:
                raise self.fail(f"{key}: a row has no Name")
            if row.action not in ("Create", "Delete"):
                raise self.fail(f"{key}: row {row.name!r}: action {row.action!r} is not Create or Delete")
            if row.action == "Create" and row.type not in TYPES:
                raise self.fail(f"{key}: row {row.name!r}: type {row.type!r} is not supported "
                                f"(supported: {', '.join(sorted(TYPES))})")
            if row.action == "Create" and row.type == "xpath":
                try:
                    row.compiled = xp.compile_xpath(row.value, self.flow.namespaces)
                except ValueError as exc:
                    raise self.fail(f"{key}: row {row.name!r}: {exc}") from exc
            rows.append(row)
        return rows

    def _value(self, row: _Row, ex: Exchange, ctx: RunContext) -> Any:
        if row.type == "constant":
            value: Any = row.value
        elif row.type == "expression":
            value = self.expr(row.value, ex, ctx)
        elif row.type == "header":
            value = ex.headers.get(row.value)
        elif row.type == "property":
            value = ex.properties.get(row.value)
        elif row.type == "xpath":
            result = xp.evaluate(row.compiled, row.value, xp.parse_body(ex, f"XPath {row.value}"), ex)
            if isinstance(result, list) and not result:
                value = None
            elif row.datatype and "NodeList" in row.datatype:
                value = xp.serialize(result).decode("utf-8")
            else:
                value = xp.as_string(result)
        else:
            owner = "" if row.type.startswith("global") else self.flow.artifact_id
            value = self.flow.runtime.datastore.get_variable(owner, row.value)
        if value is None and row.default:
            value = row.default
        return value

    @staticmethod
    def _delete(target, pattern: str) -> None:
        for key in [k for k in list(target) if fnmatch.fnmatchcase(k.lower(), pattern.lower())]:
            del target[key]

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        for rows, target in ((self.headers, ex.headers), (self.props, ex.properties)):
            for row in rows:
                if row.action == "Delete":
                    self._delete(target, row.name)
                    continue
                value = self._value(row, ex, ctx)
                if value is None:
                    target.pop(row.name, None) if target is ex.properties else ex.headers.pop(row.name, None)
                else:
                    target[row.name] = value
        if self.body:
            if self.body_type == "expression":
                ex.set_body(self.text(self.body, ex, ctx))
            else:
                ex.set_body(self.body)
