"""Generic OData V2 operations on the entity store, with the business rules applied.

:class:`Engine` is bound to one service and one user. It reads (by key, by query, along a
navigation), creates (deep insert), updates (PUT/MERGE/PATCH), deletes and calls function imports,
enforcing the description (entity-set capabilities, keys, ETags) and running the rules registered
in :mod:`harness.mocks.s4hana.rules`. No HTTP and no wire format here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import EntitySet, EntityType, FunctionImport, Service
from harness.mocks.s4hana.exceptions import (BusinessError, InvalidPayload, MethodNotAllowed,
                                             MethodNotImplemented, PreconditionFailed,
                                             PreconditionRequired, ResourceNotFound)
from harness.mocks.s4hana.models import Row, S4System
from harness.mocks.s4hana.query import Node, evaluate, sort_rows
from harness.mocks.s4hana.rules import RULES, NewEntity

import harness.mocks.s4hana.behaviour  # noqa: E402,F401  (registers the rules)

_PY_TYPES: dict[str, type | tuple[type, ...]] = {
    "Edm.String": str, "Edm.Guid": str, "Edm.Decimal": Decimal, "Edm.Boolean": bool, "Edm.Int16": int,
    "Edm.Int32": int, "Edm.Int64": int, "Edm.Byte": int, "Edm.Double": float, "Edm.DateTime": datetime,
    "Edm.DateTimeOffset": datetime, "Edm.Time": timedelta, "Edm.Binary": bytes,
}


def check_row_types(etype: EntityType, values: dict[str, Any]) -> None:
    """Guard against a rule storing a value of the wrong Python type (a bug in the mock, not the client)."""
    for name, value in values.items():
        if name.startswith("_") or value is None:
            continue
        prop = etype.properties.get(name)
        if prop is None:
            raise TypeError(f"rule bug: {etype.name} has no property {name!r}")
        expected = _PY_TYPES[prop.edm]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise TypeError(f"rule bug: {etype.name}.{name} holds {value!r}, expected {prop.edm}")
        if prop.edm == "Edm.String" and prop.max_length and len(value) > prop.max_length:
            raise TypeError(f"rule bug: {etype.name}.{name} = {value!r} is longer than {prop.max_length}")
        if prop.edm == "Edm.DateTimeOffset" and value.tzinfo is None:
            raise TypeError(f"rule bug: {etype.name}.{name} needs an aware timestamp")
        if prop.edm == "Edm.DateTime" and value.tzinfo is not None:
            raise TypeError(f"rule bug: {etype.name}.{name} needs a naive UTC date-time")


class Engine:
    """OData operations on one service of an S/4HANA system, as one user."""

    def __init__(self, system: S4System, service: Service | str, user: str = "CPI_USER",
                 require_if_match_on_actions: bool = True) -> None:
        self.system = system
        self.service = system.services[service] if isinstance(service, str) else service
        self.user = user
        self.require_if_match_on_actions = require_if_match_on_actions

    def other(self, service: str) -> "Engine":
        """An engine for another service of the same system and user."""
        return Engine(self.system, service, self.user, self.require_if_match_on_actions)

    # --- lookups ---------------------------------------------------------------------------------
    def entity_set(self, name: str) -> EntitySet:
        """A served entity set, or 404 naming the segment."""
        entity_set = self.service.entity_sets.get(name)
        if entity_set is None:
            raise ResourceNotFound(f"Resource not found for segment '{name}'")
        return entity_set

    def table(self, entity_set: str) -> dict[tuple[Any, ...], Row]:
        """The rows of an entity set by key."""
        return self.system.store.table(self.service.name, entity_set)

    def rows(self, entity_set: str) -> list[Row]:
        """All rows of an entity set."""
        return list(self.table(entity_set).values())

    def find(self, entity_set: str, **equals: Any) -> list[Row]:
        """Rows whose properties equal the given values."""
        return [r for r in self.rows(entity_set) if all(r.get(k) == v for k, v in equals.items())]

    def get(self, entity_set: str, key: tuple[Any, ...] | Any) -> Row | None:
        """The row with that key (a tuple, or the single key value), or None."""
        return self.table(entity_set).get(key if isinstance(key, tuple) else (key,))

    def require(self, entity_set: str, key: tuple[Any, ...] | Any) -> Row:
        """The row with that key, or 404 as Gateway answers for a missing entity."""
        row = self.get(entity_set, key)
        if row is None:
            etype = self.entity_set(entity_set).type
            raise ResourceNotFound(f"Resource not found for segment '{etype.name}'")
        return row

    def key_of(self, entity_set: str, row: Row) -> tuple[Any, ...]:
        """A row's key tuple."""
        return tuple(row[k] for k in self.entity_set(entity_set).type.key)

    def navigate(self, entity_set: str, row: Row, navigation: str) -> tuple[EntitySet, list[Row] | Row | None]:
        """Follow a navigation property: the target set and its rows (to-many) or row (to-one)."""
        source = self.entity_set(entity_set)
        nav = source.type.navigation.get(navigation)
        if nav is None:
            raise ResourceNotFound(f"Resource not found for segment '{navigation}'")
        target = self.entity_set(nav.target)
        if nav.many:
            fields = tuple(b for _, b in nav.join)
            values = tuple(row.get(a) for a, _ in nav.join)
            if set(fields) <= set(target.type.key):
                return target, list(self.system.store.lookup(self.service.name, target.name, fields, values))
            rows = [r for r in self.rows(target.name) if all(r.get(b) == v for b, v in zip(fields, values))]
            return target, rows
        wanted = {b: row.get(a) for a, b in nav.join}
        if set(wanted) == set(target.type.key):
            return target, self.get(target.name, tuple(wanted[k] for k in target.type.key))
        matches = [r for r in self.rows(target.name) if all(r.get(k) == v for k, v in wanted.items())]
        return target, matches[0] if matches else None

    def query(self, entity_set: str, rows: list[Row] | None = None, where: Node | None = None,
              order: list | None = None, skip: int = 0, top: int | None = None) -> tuple[list[Row], int]:
        """Filter, sort and page rows (all rows of the set unless given); also the filtered count."""
        selected = self.rows(entity_set) if rows is None else rows
        if where is not None:
            selected = [r for r in selected if evaluate(where, r) is True]
        if order:
            selected = sort_rows(selected, order)
        total = len(selected)
        selected = selected[skip:]
        if top is not None:
            selected = selected[:top]
        return selected, total

    # --- ETags -----------------------------------------------------------------------------------
    def etag(self, entity_set: str, row: Row) -> str | None:
        """The entity's ETag as S/4HANA writes it (``W/"datetimeoffset'...'"``, ``W/"'0002'"``)."""
        prop = self.entity_set(entity_set).type.etag_property
        if prop is None:
            return None
        return 'W/"' + quote(edm.to_literal(prop, row.get(prop.name)), safe="'") + '"'

    def check_etag(self, entity_set: str, row: Row, if_match: str | None) -> None:
        """428 without ``If-Match``, 412 when it is not the current ETag (``*`` always matches)."""
        current = self.etag(entity_set, row)
        if current is None:
            return
        if if_match is None or not if_match.strip():
            raise PreconditionRequired("Precondition required: send If-Match with the ETag read from "
                                       f"{entity_set} (for example {current})")
        candidates = [c.strip() for c in if_match.split(",")]
        if "*" in candidates or any(_same_etag(c, current) for c in candidates):
            return
        raise PreconditionFailed(f"Precondition failed: the {entity_set} entity has changed since it was read "
                                 f"(If-Match {if_match}, current ETag {current})")

    # --- low-level writes (no rules) ---------------------------------------------------------------
    def insert(self, entity_set: str, values: dict[str, Any]) -> Row:
        """Store a new row: defaults for absent properties, a first ETag; 400 on a duplicate key."""
        etype = self.entity_set(entity_set).type
        check_row_types(etype, values)
        row = {name: edm.default(prop) for name, prop in etype.properties.items()}
        row.update(values)
        for k in etype.key:  # parts of composite keys may be empty (e.g. Batch in stock keys)
            if row.get(k) is None or (row.get(k) == "" and len(etype.key) == 1):
                raise InvalidPayload(f"Key property '{k}' of '{etype.name}' has no value", target=k)
        key = tuple(row[k] for k in etype.key)
        table = self.table(entity_set)
        if key in table:
            raise BusinessError("/IWBEP/CM_MGW_RT/022",
                                f"{etype.name} with key {', '.join(map(str, key))} already exists")
        self._touch(etype, row, created=True)
        table[key] = row
        self.system.store.changed(self.service.name, entity_set)
        return row

    def change(self, entity_set: str, row: Row, changes: dict[str, Any]) -> Row:
        """Apply changes to a stored row and advance its ETag (no rules)."""
        etype = self.entity_set(entity_set).type
        check_row_types(etype, changes)
        row.update(changes)
        self._touch(etype, row, created=False)
        return row

    def remove(self, entity_set: str, row: Row) -> None:
        """Delete a stored row."""
        self.table(entity_set).pop(self.key_of(entity_set, row), None)
        self.system.store.changed(self.service.name, entity_set)

    def _touch(self, etype: Any, row: Row, created: bool) -> None:
        now = self.system.now()
        for name in ("LastChangeDateTime",):
            prop = etype.properties.get(name)
            if prop is not None and prop.edm == "Edm.DateTimeOffset":
                row[name] = now
        if "LastChangeDate" in etype.properties:
            row["LastChangeDate"] = self.system.today()
        if created:
            if "CreationDate" in etype.properties and row.get("CreationDate") is None:
                row["CreationDate"] = self.system.today()
            if "CreatedByUser" in etype.properties and not row.get("CreatedByUser"):
                row["CreatedByUser"] = self.user[:12]
        prop = etype.etag_property
        if prop is not None and prop.edm == "Edm.String":
            width = prop.max_length or 4
            current = row.get(prop.name) or ""
            row[prop.name] = str(int(current) + 1 if current.isdigit() else 1).zfill(width)
        elif prop is not None and prop.edm in ("Edm.DateTime", "Edm.DateTimeOffset") and prop.name != "LastChangeDateTime":
            row[prop.name] = now if prop.edm == "Edm.DateTimeOffset" else now.replace(tzinfo=None)

    # --- operations with rules ---------------------------------------------------------------------
    def create(self, entity_set: str, new: NewEntity, deep: bool = False) -> Row:
        """Create an entity and its deep-insert children; rules run parent first."""
        target = self.entity_set(entity_set)
        if not deep and not target.creatable:
            raise MethodNotImplemented(f"Method '{entity_set.upper()}_CREATE_ENTITY' not implemented "
                                       "in data provider class")
        rule = RULES.before_create_rules.get((self.service.name, entity_set))
        if rule:
            rule(self, new)
        row = self.insert(entity_set, new.values)
        new.row = row
        for nav_name, kids in new.children.items():
            nav = target.type.navigation[nav_name]
            for kid in kids:
                for a, b in nav.join:
                    kid.values[b] = row[a]
                self.create(nav.target, kid, deep=True)
        rule = RULES.after_create_rules.get((self.service.name, entity_set))
        if rule:
            rule(self, row, new)
        return row

    def update(self, entity_set: str, key: tuple[Any, ...], changes: dict[str, Any], if_match: str | None,
               replace: bool = False) -> Row:
        """PUT (``replace``) or MERGE/PATCH an entity after the ETag check."""
        target = self.entity_set(entity_set)
        if not target.updatable:
            raise MethodNotImplemented(f"Method '{entity_set.upper()}_UPDATE_ENTITY' not implemented "
                                       "in data provider class")
        row = self.require(entity_set, key)
        self.check_etag(entity_set, row, if_match)
        changes = {k: v for k, v in changes.items() if k not in target.type.key}
        if replace:
            for name, prop in target.type.properties.items():
                if prop.updatable and name not in changes and name not in target.type.key:
                    changes[name] = edm.default(prop)
        rule = RULES.before_update_rules.get((self.service.name, entity_set))
        if rule:
            rule(self, row, changes)
        old = dict(row)
        self.change(entity_set, row, changes)
        rule = RULES.after_update_rules.get((self.service.name, entity_set))
        if rule:
            rule(self, row, old)
        return row

    def delete(self, entity_set: str, key: tuple[Any, ...], if_match: str | None) -> None:
        """Delete an entity (and its to-many children) after the ETag check."""
        target = self.entity_set(entity_set)
        if not target.deletable:
            raise MethodNotImplemented(f"Method '{entity_set.upper()}_DELETE_ENTITY' not implemented "
                                       "in data provider class")
        row = self.require(entity_set, key)
        self.check_etag(entity_set, row, if_match)
        rule = RULES.before_delete_rules.get((self.service.name, entity_set))
        if rule:
            rule(self, row)
        self._delete_tree(entity_set, row)
        rule = RULES.after_delete_rules.get((self.service.name, entity_set))
        if rule:
            rule(self, row)

    def _delete_tree(self, entity_set: str, row: Row) -> None:
        for nav in self.entity_set(entity_set).type.navigation.values():
            if nav.many:
                _, children = self.navigate(entity_set, row, nav.name)
                for child in list(children or []):  # type: ignore[union-attr]
                    self._delete_tree(nav.target, child)
        self.remove(entity_set, row)

    def call(self, name: str, method: str, params: dict[str, Any], if_match: str | None) -> tuple[FunctionImport, Any]:
        """Call a function import; actions on an entity with an ETag need ``If-Match``."""
        fi = self.service.function_imports.get(name)
        if fi is None:
            raise ResourceNotFound(f"Resource not found for segment '{name}'")
        if method != fi.method and not (method == "HEAD" and fi.method == "GET"):
            raise MethodNotAllowed(f"Function import '{name}' must be called with HTTP {fi.method}, not {method}")
        for pname, prop in fi.parameters.items():
            if params.get(pname) is None and not prop.nullable:
                raise InvalidPayload(f"Parameter '{pname}' of function import '{name}' is missing", target=pname)
        bound = None
        if fi.action_for:
            bound_set = self.service.set_of_type(fi.action_for)
            if bound_set is not None and all(k in params for k in bound_set.type.key):
                key = tuple(params[k] for k in bound_set.type.key)
                if any(v in (None, "") for v in key):
                    raise InvalidPayload(f"Function import '{name}' needs {', '.join(bound_set.type.key)}")
                bound = self.require(bound_set.name, key)
                if self.require_if_match_on_actions:
                    self.check_etag(bound_set.name, bound, if_match)
            elif bound_set is not None:
                raise InvalidPayload(f"Function import '{name}' needs the parameter(s) "
                                     f"{', '.join(bound_set.type.key)}", target=bound_set.type.key[0])
        implementation = RULES.functions.get((self.service.name, name))
        if implementation is None:
            raise MethodNotImplemented(f"Function import '{name}' is not implemented")
        return fi, implementation(self, params, bound)

    # --- helpers for rules -------------------------------------------------------------------------
    def fail(self, code: str, message: str, target: str = "") -> None:
        """Reject the request with an application message (400)."""
        raise BusinessError(code, message, target=target)


def _same_etag(given: str, current: str) -> bool:
    def norm(value: str) -> str:
        value = value.strip()
        if value.startswith("W/"):
            value = value[2:]
        return unquote(value.strip('"'))
    return norm(given) == norm(current)
