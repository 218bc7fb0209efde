"""The registry of business rules: what S/4HANA does beyond storing rows.

A rule module (``behaviour/*.py``) registers functions per (service, entity set) or per function
import with the decorators of :data:`RULES`:

* ``before_create(engine, new)``: check and complete a new entity (number, defaults, derived data);
  runs for every entity of a deep insert, parents first (``new.parent.row`` is stored already);
* ``after_create(engine, row, new)``: after the entity and its children are stored (totals, statuses);
* ``before_update(engine, row, changes)``: check a change (``changes`` may be edited) before it applies;
* ``after_update(engine, row, old)``: consequences of a change;
* ``before_delete(engine, row)`` and ``after_delete(engine, row)``;
* ``function(engine, params, bound_row)``: a function import; returns the result (a list of
  complex-type dicts, an entity row, or None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from harness.mocks.s4hana.descriptions import EntitySet

Row = dict[str, Any]
Key = tuple[str, str]


@dataclass
class NewEntity:
    """An entity to create: its given values and, for a deep insert, its children by navigation."""

    entity_set: "EntitySet"
    values: dict[str, Any]
    children: dict[str, list["NewEntity"]] = field(default_factory=dict)
    parent: "NewEntity | None" = None
    row: Row | None = None

    def kids(self, navigation: str) -> list["NewEntity"]:
        """The children given for one navigation property (empty when none)."""
        return self.children.get(navigation, [])


@dataclass
class Rules:
    """Registered rules, looked up by (service, entity set) or (service, function import)."""

    before_create_rules: dict[Key, Callable[..., None]] = field(default_factory=dict)
    after_create_rules: dict[Key, Callable[..., None]] = field(default_factory=dict)
    before_update_rules: dict[Key, Callable[..., None]] = field(default_factory=dict)
    after_update_rules: dict[Key, Callable[..., None]] = field(default_factory=dict)
    before_delete_rules: dict[Key, Callable[..., None]] = field(default_factory=dict)
    after_delete_rules: dict[Key, Callable[..., None]] = field(default_factory=dict)
    functions: dict[Key, Callable[..., Any]] = field(default_factory=dict)

    def _register(self, table: dict[Key, Callable[..., Any]], service: str, *names: str) -> Callable[..., Any]:
        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            for name in names:
                if (service, name) in table:
                    raise ValueError(f"rule for {service}/{name} registered twice")
                table[(service, name)] = fn
            return fn
        return decorate

    def before_create(self, service: str, *sets: str) -> Callable[..., Any]:
        """Register a before-create rule."""
        return self._register(self.before_create_rules, service, *sets)

    def after_create(self, service: str, *sets: str) -> Callable[..., Any]:
        """Register an after-create rule."""
        return self._register(self.after_create_rules, service, *sets)

    def before_update(self, service: str, *sets: str) -> Callable[..., Any]:
        """Register a before-update rule."""
        return self._register(self.before_update_rules, service, *sets)

    def after_update(self, service: str, *sets: str) -> Callable[..., Any]:
        """Register an after-update rule."""
        return self._register(self.after_update_rules, service, *sets)

    def before_delete(self, service: str, *sets: str) -> Callable[..., Any]:
        """Register a before-delete rule."""
        return self._register(self.before_delete_rules, service, *sets)

    def after_delete(self, service: str, *sets: str) -> Callable[..., Any]:
        """Register an after-delete rule."""
        return self._register(self.after_delete_rules, service, *sets)

    def function(self, service: str, *names: str) -> Callable[..., Any]:
        """Register a function-import implementation."""
        return self._register(self.functions, service, *names)


RULES = Rules()
