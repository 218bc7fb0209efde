"""What both wire formats (verbose JSON and Atom) share: the rendering context and request-body checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import EntitySet, Property, Service
from harness.mocks.s4hana.exceptions import InvalidPayload
from harness.mocks.s4hana.rules import Row
from harness.mocks.s4hana.uri import key_predicate

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine


@dataclass
class WireContext:
    """Where a response is rendered: the service root URL (ends with ``/``) and the engine."""

    base_url: str
    engine: "Engine"
    warnings: list[str] = field(default_factory=list)

    @property
    def service(self) -> Service:
        """The service being served."""
        return self.engine.service

    def entity_uri(self, entity_set: EntitySet, row: Row) -> str:
        """The absolute URI of an entity (``.../A_SalesOrder('1')``)."""
        return f"{self.base_url}{entity_set.name}{key_predicate(entity_set.type, row)}"

    def type_name(self, name: str) -> str:
        """A namespace-qualified type name."""
        return f"{self.service.namespace}.{name}"


Mode = str  # "create" or "update"


def accept_property(entity_set: EntitySet, name: str, raw: Any, mode: Mode, warnings: list[str],
                    read: Any) -> tuple[Property, Any] | None:
    """Check one property of a request body; return (property, store value) or None when ignored.

    ``read`` turns the raw wire value into the store value (JSON or Atom reader). Unknown
    properties and wrong types are rejected; values of read-only properties are ignored with a
    warning (reported in the ``sap-message`` header), as Gateway ignores them.
    """
    etype = entity_set.type
    prop = etype.properties.get(name)
    if prop is None:
        raise InvalidPayload(f"Property '{name}' is invalid: it is not part of entity type "
                             f"{entity_set.type.name}", target=name)
    try:
        value = read(prop, raw)
    except edm.EdmValueError as exc:
        raise InvalidPayload(str(exc), target=name) from exc
    is_key = name in etype.key
    if mode == "create" and not prop.creatable and not is_key:
        warnings.append(f"Property '{name}' of {etype.name} is read-only on create and was ignored")
        return None
    if mode == "update" and (is_key or not prop.updatable):
        if not is_key:
            warnings.append(f"Property '{name}' of {etype.name} cannot be changed and was ignored")
        return None
    return prop, value

