"""The mock's own compact service descriptions (``services/*.yaml``) as a typed model.

A description lists, for one OData V2 service, the entity types (keys, properties with their Edm
type and SAP flags, navigation properties), entity sets, function imports and complex types the
flows use. Everything else in the mock (``$metadata``, payload checks, the entity store) is driven
by this model. A malformed description raises :class:`DescriptionError` naming the file and the
element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SERVICES_DIR = Path(__file__).with_name("services")

_TYPES = {
    "String": "Edm.String", "Decimal": "Edm.Decimal", "Date": "Edm.DateTime",
    "DateTime": "Edm.DateTime", "DateTimeOffset": "Edm.DateTimeOffset", "Time": "Edm.Time",
    "Boolean": "Edm.Boolean", "Guid": "Edm.Guid", "Int16": "Edm.Int16", "Int32": "Edm.Int32",
    "Int64": "Edm.Int64", "Byte": "Edm.Byte", "Double": "Edm.Double", "Binary": "Edm.Binary",
}
_FLAGS = {"ro", "nocreate", "noupdate", "nonull", "numc", "etag"}
_SPEC = re.compile(r"^(?P<type>[A-Za-z][A-Za-z0-9]*)(?:\((?P<a>\d+)(?:,(?P<b>\d+))?\))?(?P<flags>(?:\s+[a-z]+)*)\s*$")


class DescriptionError(Exception):
    """A service description is malformed."""


@dataclass(frozen=True)
class Property:
    """One property (or function-import parameter) with its Edm facets and SAP flags."""

    name: str
    edm: str
    max_length: int | None = None
    precision: int | None = None
    scale: int | None = None
    date_only: bool = False
    numc: bool = False
    nullable: bool = True
    creatable: bool = True
    updatable: bool = True
    etag: bool = False

    @property
    def type_name(self) -> str:
        """``Edm.X`` without the prefix."""
        return self.edm[4:]


@dataclass(frozen=True)
class Navigation:
    """A navigation property: the target entity set, cardinality and the join."""

    name: str
    target: str
    many: bool
    join: tuple[tuple[str, str], ...]  # (source property, target property)


@dataclass
class EntityType:
    """An entity type: key, properties (in order) and navigation properties."""

    name: str
    key: list[str]
    properties: dict[str, Property]
    navigation: dict[str, Navigation] = field(default_factory=dict)

    @property
    def etag_property(self) -> Property | None:
        """The concurrency-token property, if the type has one."""
        return next((p for p in self.properties.values() if p.etag), None)


@dataclass
class EntitySet:
    """An entity set with the SAP capability flags."""

    name: str
    type: EntityType
    creatable: bool = True
    updatable: bool = True
    deletable: bool = True
    addressable: bool = True


@dataclass
class ComplexType:
    """A complex type (function-import results)."""

    name: str
    properties: dict[str, Property]


@dataclass
class FunctionImport:
    """A function import: HTTP method, parameters (from the query string) and return type."""

    name: str
    method: str
    parameters: dict[str, Property]
    returns: str | None = None          # as written: "Collection(PickingReport)", "A_XType"
    entity_set: str | None = None
    action_for: str | None = None       # entity type name the function acts on

    @property
    def returns_many(self) -> bool:
        """Whether the result is a collection."""
        return bool(self.returns and self.returns.startswith("Collection("))

    @property
    def return_type(self) -> str | None:
        """The returned type's name without ``Collection(...)``."""
        if not self.returns:
            return None
        return self.returns[len("Collection("):-1] if self.returns_many else self.returns


@dataclass
class Service:
    """One OData V2 service as the mock serves it."""

    name: str
    namespace: str
    roots: list[str]
    content_version: str
    service_version: str
    component: str
    entity_types: dict[str, EntityType]
    entity_sets: dict[str, EntitySet]
    function_imports: dict[str, FunctionImport]
    complex_types: dict[str, ComplexType]
    source: Path

    @property
    def container(self) -> str:
        """The entity container name (SAP's convention: ``<namespace>_Entities``)."""
        return f"{self.namespace}_Entities"

    def entity_set(self, name: str) -> EntitySet | None:
        """The entity set called ``name``, if served."""
        return self.entity_sets.get(name)

    def set_of_type(self, type_name: str) -> EntitySet | None:
        """The (first) entity set of an entity type."""
        return next((s for s in self.entity_sets.values() if s.type.name == type_name), None)


def parse_property(name: str, spec: str, where: str) -> Property:
    """Parse ``String(10) ro nonull`` into a :class:`Property`; ``where`` names the location."""
    if not isinstance(spec, str):
        raise DescriptionError(f"{where}: property {name!r}: expected a string like 'String(10)', got {spec!r}")
    match = _SPEC.match(spec)
    if not match or match["type"] not in _TYPES:
        raise DescriptionError(f"{where}: property {name!r}: cannot read type {spec!r}; "
                               f"expected one of {sorted(_TYPES)} with optional (length) or (precision,scale)")
    flags = set(match["flags"].split())
    unknown = flags - _FLAGS
    if unknown:
        raise DescriptionError(f"{where}: property {name!r}: unknown flag(s) {sorted(unknown)}; expected {sorted(_FLAGS)}")
    kind = match["type"]
    a = int(match["a"]) if match["a"] else None
    b = int(match["b"]) if match["b"] else None
    prop = dict(name=name, edm=_TYPES[kind], nullable="nonull" not in flags, numc="numc" in flags,
                creatable=not ({"ro", "nocreate"} & flags), updatable=not ({"ro", "noupdate"} & flags),
                etag="etag" in flags)
    if kind == "String":
        prop["max_length"] = a
    elif kind == "Decimal":
        if a is None or b is None:
            raise DescriptionError(f"{where}: property {name!r}: Decimal needs (precision,scale)")
        prop.update(precision=a, scale=b)
    elif kind == "Date":
        prop.update(date_only=True, precision=0)
    elif kind == "DateTime":
        prop["precision"] = 7
    elif kind == "DateTimeOffset":
        prop["precision"] = 7 if a is None else a
    elif kind == "Time":
        prop["precision"] = 0
    return Property(**prop)


def _properties(raw: Any, where: str) -> dict[str, Property]:
    if not isinstance(raw, dict) or not raw:
        raise DescriptionError(f"{where}: expected a mapping of property name to type")
    return {name: parse_property(name, spec, where) for name, spec in raw.items()}


def load_service(path: Path) -> Service:
    """Read and check one description file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DescriptionError(f"{path}: not valid YAML: {exc}") from exc
    for required in ("name", "namespace", "roots", "entity_types", "entity_sets"):
        if required not in raw:
            raise DescriptionError(f"{path}: missing top-level key {required!r}")
    types: dict[str, EntityType] = {}
    for tname, traw in raw["entity_types"].items():
        where = f"{path.name}: entity type {tname}"
        props = _properties(traw.get("properties"), where)
        key = list(traw.get("key") or [])
        if not key or any(k not in props for k in key):
            raise DescriptionError(f"{where}: key {key} must name properties of the type")
        # keys are never nullable
        for k in key:
            p = props[k]
            props[k] = Property(**{**p.__dict__, "nullable": False})
        types[tname] = EntityType(tname, key, props)
    sets: dict[str, EntitySet] = {}
    for sname, sraw in raw["entity_sets"].items():
        tname = sraw.get("type") if isinstance(sraw, dict) else None
        if tname not in types:
            raise DescriptionError(f"{path.name}: entity set {sname}: unknown type {tname!r}")
        extra = set(sraw) - {"type", "creatable", "updatable", "deletable", "addressable"}
        if extra:
            raise DescriptionError(f"{path.name}: entity set {sname}: unknown field(s) {sorted(extra)}")
        sets[sname] = EntitySet(sname, types[tname], bool(sraw.get("creatable", True)),
                                bool(sraw.get("updatable", True)), bool(sraw.get("deletable", True)),
                                bool(sraw.get("addressable", True)))
    for tname, traw in raw["entity_types"].items():
        for nname, nraw in (traw.get("navigation") or {}).items():
            where = f"{path.name}: {tname}.{nname}"
            target = sets.get(nraw.get("target"))
            if target is None:
                raise DescriptionError(f"{where}: unknown target entity set {nraw.get('target')!r}")
            many = bool(nraw.get("many", False))
            source = types[tname]
            if "join" in nraw:
                join = tuple((str(a), str(b)) for a, b in nraw["join"].items())
            else:
                names = source.key if many else target.type.key
                join = tuple((n, n) for n in names)
            for a, b in join:
                if a not in source.properties or b not in target.type.properties:
                    raise DescriptionError(f"{where}: join {a} -> {b} needs {a} in {tname} and "
                                           f"{b} in {target.type.name}; give an explicit 'join'")
            source.navigation[nname] = Navigation(nname, target.name, many, join)
    complex_types = {cname: ComplexType(cname, _properties(craw, f"{path.name}: complex type {cname}"))
                     for cname, craw in (raw.get("complex_types") or {}).items()}
    functions: dict[str, FunctionImport] = {}
    for fname, fraw in (raw.get("function_imports") or {}).items():
        where = f"{path.name}: function import {fname}"
        params = {n: parse_property(n, s, where) for n, s in (fraw.get("parameters") or {}).items()}
        fi = FunctionImport(fname, str(fraw.get("method", "POST")).upper(), params, fraw.get("returns"),
                            fraw.get("entity_set"), fraw.get("action_for"))
        rtype = fi.return_type
        if rtype and rtype not in types and rtype not in complex_types:
            raise DescriptionError(f"{where}: unknown return type {rtype!r}")
        if fi.action_for and fi.action_for not in types:
            raise DescriptionError(f"{where}: action_for names unknown type {fi.action_for!r}")
        functions[fname] = fi
    return Service(name=raw["name"], namespace=raw["namespace"], roots=list(raw["roots"]),
                   content_version=str(raw.get("content_version", "1")),
                   service_version=str(raw.get("service_version", "0001")),
                   component=str(raw.get("component", "")), entity_types=types, entity_sets=sets,
                   function_imports=functions, complex_types=complex_types, source=path)


@lru_cache(maxsize=1)
def load_services(directory: Path = SERVICES_DIR) -> dict[str, Service]:
    """Every description in ``directory``, by service name (read once per process)."""
    services = {}
    for path in sorted(directory.glob("*.yaml")):
        service = load_service(path)
        services[service.name] = service
    return services


def service_for_root(root: str) -> Service | None:
    """The service answering at URL segment ``root`` (e.g. ``API_OUTBOUND_DELIVERY_SRV;v=2``)."""
    wanted = root.upper()
    for service in load_services().values():
        if any(r.upper() == wanted for r in service.roots):
            return service
    return None
