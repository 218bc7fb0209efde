"""Data Store operations (``put``, ``get``, ``select``, ``delete``; 1.1-1.7) and Write Variables.

Entries persist in SQLite under the state folder. ``visibility=local`` keeps them per iFlow,
``global`` shares them between flows. The entry id of a write is ``messageId`` (a Simple
expression), else the ``SAP_DataStoreId`` header, else a generated UUID; writes and reads set the
``SAP_DataStoreId`` header to the id used. Deletion by Get/Select (``delete=true``) happens when
the message completes successfully, as on the tenant (the read is transactional).
"""

from __future__ import annotations

import json

from lxml import etree

from ..context import RunContext
from ..errors import ProcessingError
from ..exchange import Exchange
from ..registry import STEPS
from ..tables import parse_table
from .. import simple
from .. import xpath as xp
from .base import Step

DS_ERROR = "com.sap.esb.datastore.exceptions.DataStoreException"
ID_HEADER = "SAP_DataStoreId"


class _DataStoreStep(Step):
    min_version = "1.0"
    max_version = "1.7"

    def compile(self) -> None:
        self.store_expr = self.prop("storageName")
        if not self.store_expr:
            raise self.fail("no data store name (storageName)")
        visibility = self.prop("visibility", "local")
        if visibility not in ("local", "global"):
            raise self.fail(f"visibility {visibility!r} is not local or global")
        self.owner = "" if visibility == "global" else self.flow.artifact_id

    @property
    def store(self):
        return self.flow.runtime.datastore

    def store_name(self, ex: Exchange, ctx: RunContext) -> str:
        name = simple.interpolate(self.store_expr, ex, ctx)
        if not name:
            raise ProcessingError(f"the data store name {self.store_expr!r} evaluates to an empty value",
                                  java_class=DS_ERROR, step_id=self.node.id)
        return name


@STEPS.register("put")
class DataStoreWrite(_DataStoreStep):
    title = "Data Store Write"

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        store = self.store_name(ex, ctx)
        entry_id = simple.interpolate(self.prop("messageId"), ex, ctx) if self.prop("messageId") else ""
        entry_id = entry_id or str(ex.headers.get(ID_HEADER) or "")
        expire = float(self.prop("expire", "90") or 90)
        headers = dict(ex.headers.items()) if self.flag("includeMessageHeaders") else None
        entry_id, written = self.store.put(store, self.owner, entry_id or None, ex.body, headers, expire,
                                           self.flag("override"))
        if not written:
            raise ProcessingError(f"An entry with ID {entry_id} already exists in data store {store}",
                                  java_class="com.sap.esb.datastore.exceptions.DuplicateEntryException",
                                  step_id=self.node.id)
        ex.headers[ID_HEADER] = entry_id


@STEPS.register("get")
class DataStoreGet(_DataStoreStep):
    title = "Data Store Get"

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        store = self.store_name(ex, ctx)
        entry_id = simple.interpolate(self.prop("dataStoreId"), ex, ctx) or str(ex.headers.get(ID_HEADER) or "")
        entry = self.store.get(store, self.owner, entry_id) if entry_id else None
        if entry is None:
            if self.flag("stopOnMissingEntry"):
                raise ProcessingError(f"No entry with ID {entry_id} found in data store {store}",
                                      java_class=DS_ERROR, step_id=self.node.id)
            return
        ex.body = entry.body
        for key, value in (entry.headers or {}).items():
            ex.headers[key] = value
        ex.headers[ID_HEADER] = entry_id
        if self.flag("delete"):
            owner = self.owner
            ctx.on_success.append(lambda: self.store.delete(store, owner, entry_id))


@STEPS.register("select")
class DataStoreSelect(_DataStoreStep):
    """Returns ``<messages><message id="...">body</message>...</messages>``."""

    title = "Data Store Select"

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        store = self.store_name(ex, ctx)
        limit = int(self.prop("maxresults", "1") or 1)
        root = etree.Element("messages")
        entries = self.store.select(store, self.owner, limit)
        for entry in entries:
            message = etree.SubElement(root, "message", id=entry.entry_id)
            try:
                message.append(etree.fromstring(entry.body))
            except etree.XMLSyntaxError:
                message.text = entry.body.decode("utf-8", "replace")
        ex.body = etree.tostring(root, encoding="UTF-8")
        if self.flag("delete"):
            owner = self.owner
            ids = [e.entry_id for e in entries]
            ctx.on_success.append(lambda: [self.store.delete(store, owner, i) for i in ids])


@STEPS.register("delete")
class DataStoreDelete(_DataStoreStep):
    title = "Data Store Delete"

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        store = self.store_name(ex, ctx)
        entry_id = simple.interpolate(self.prop("messageId"), ex, ctx) or str(ex.headers.get(ID_HEADER) or "")
        self.store.delete(store, self.owner, entry_id)


@STEPS.register("Variables")
class WriteVariables(Step):
    """Rows: name, data type, type (constant, expression, header, property, xpath), value, scope."""

    title = "Write Variables"
    min_version = "1.0"
    max_version = "1.2"

    def compile(self) -> None:
        self.rows = []
        for row in parse_table(self.node.props.get("variable")):
            cells = list(row.cells) + [""] * 5
            name, _datatype, kind, value, scope = cells[:5]
            if not name:
                raise self.fail("a variable row has no name")
            kind = kind or "constant"
            if kind not in ("constant", "expression", "header", "property", "xpath"):
                raise self.fail(f"variable {name!r}: type {kind!r} is not supported")
            compiled = None
            if kind == "xpath":
                try:
                    compiled = xp.compile_xpath(value, self.flow.namespaces)
                except ValueError as exc:
                    raise self.fail(f"variable {name!r}: {exc}") from exc
            self.rows.append((name, kind, value, (scope or self.prop("visibility", "local")).lower(), compiled))

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        for name, kind, value, scope, compiled in self.rows:
            if kind == "constant":
                result = value
            elif kind == "expression":
                result = simple.evaluate(value, ex, ctx)
            elif kind == "header":
                result = ex.headers.get(value)
            elif kind == "property":
                result = ex.properties.get(value)
            else:
                result = xp.as_string(xp.evaluate(compiled, value, xp.parse_body(ex, "Write Variables"), ex))
            owner = "" if scope == "global" else self.flow.artifact_id
            if result is not None and not isinstance(result, (str, int, float, bool)):
                result = json.dumps(result) if isinstance(result, (dict, list)) else str(result)
            self.flow.runtime.datastore.set_variable(owner, name, result)
