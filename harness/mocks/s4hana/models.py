"""One S/4HANA system's state: the entity store of every served OData service, number ranges and
the clock. No HTTP here.

The OData mock (``s4hana``) and the SOAP mock (``s4hana_soap``) look the system up by its id
(setting ``system``, default ``S4H``) in a process-wide registry, so both mocks of one landscape
see one S/4HANA: a credit memo created through SOAP is readable through
``API_BILLING_DOCUMENT_SRV`` at once. Every change goes through :meth:`S4System.transaction`, which
rolls the whole state back when a step fails (an OData changeset, a deep insert, a SOAP call).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import yaml

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.descriptions import EntityType, Service, load_services
from harness.paths import repo_root

Row = dict[str, Any]


def default_seed_path() -> Path:
    """``config/seed/s4hana.yaml``."""
    return repo_root() / "config" / "seed" / "s4hana.yaml"


class SeedError(Exception):
    """The seed file is missing or malformed."""


class Store:
    """Rows per (service, entity set), keyed by the key tuple, in insertion order.

    Lookups by key properties (navigation from a header to its items) go through indexes built
    on first use and dropped whenever rows are added or removed (key values never change)."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], dict[tuple[Any, ...], Row]] = {}
        self._indexes: dict[tuple[str, str], dict[tuple[str, ...], dict[tuple[Any, ...], list[Row]]]] = {}

    def table(self, service: str, entity_set: str) -> dict[tuple[Any, ...], Row]:
        """The table of one entity set (created empty on first use)."""
        return self.tables.setdefault((service, entity_set), {})

    def lookup(self, service: str, entity_set: str, fields: tuple[str, ...], values: tuple[Any, ...]) -> list[Row]:
        """Rows whose key properties ``fields`` have ``values`` (indexed)."""
        indexes = self._indexes.setdefault((service, entity_set), {})
        index = indexes.get(fields)
        if index is None:
            index = {}
            for row in self.table(service, entity_set).values():
                index.setdefault(tuple(row.get(f) for f in fields), []).append(row)
            indexes[fields] = index
        return index.get(values, [])

    def changed(self, service: str, entity_set: str) -> None:
        """Rows were added to or removed from a table: its indexes are stale."""
        self._indexes.pop((service, entity_set), None)

    def replace(self, tables: dict[tuple[str, str], dict[tuple[Any, ...], Row]]) -> None:
        """Take over other tables (a restored snapshot); every index is stale."""
        self.tables = tables
        self._indexes.clear()


class S4System:
    """The state of one mocked S/4HANA system (client), shared by its OData and SOAP mocks."""

    def __init__(self, system_id: str = "S4H", seed_path: Path | None = None) -> None:
        self.system_id = system_id
        self.seed_path = seed_path or default_seed_path()
        self.services: dict[str, Service] = load_services()
        self.lock = threading.RLock()
        self.store = Store()
        self.counters: dict[str, int] = {}
        self.events: list[dict[str, Any]] = []
        self.seed: dict[str, Any] = {}
        self._last_time = datetime(1970, 1, 1, tzinfo=timezone.utc)
        self.reset()

    # --- configuration ---------------------------------------------------------------------------
    @property
    def org(self) -> dict[str, str]:
        """The organisational defaults (client, company code, sales area, plant, ...)."""
        return {k: str(v) for k, v in (self.seed.get("system") or {}).items()}

    def reset(self) -> None:
        """Forget everything and load the seed again."""
        from harness.mocks.s4hana.seed import load_seed  # seed uses the engine, which uses this module

        with self.lock:
            self.store = Store()
            self.events = []
            self.seed = read_seed(self.seed_path)
            self.counters = {k: int(v) for k, v in (self.seed.get("number_ranges") or {}).items()}
            load_seed(self)

    # --- time and numbers --------------------------------------------------------------------------
    def now(self) -> datetime:
        """The current UTC time, strictly increasing between calls (ETags must change)."""
        with self.lock:
            current = datetime.now(timezone.utc)
            if current <= self._last_time:
                current = self._last_time + timedelta(microseconds=1)
            self._last_time = current
            return current

    def today(self) -> datetime:
        """Today's date as the naive midnight value Edm.DateTime dates use."""
        now = self.now()
        return datetime(now.year, now.month, now.day)

    def next_number(self, kind: str, width: int = 0) -> str:
        """The next document number of a number range (``sales_order``, ...)."""
        with self.lock:
            if kind not in self.counters:
                raise SeedError(f"{self.seed_path}: no number range {kind!r} under 'number_ranges'")
            value = self.counters[kind]
            self.counters[kind] = value + 1
            return str(value).zfill(width)

    def bump_counter(self, kind: str, used: str) -> None:
        """Keep a number range ahead of an externally given number."""
        if kind in self.counters and used.isdigit():
            self.counters[kind] = max(self.counters[kind], int(used) + 1)

    # --- transactions --------------------------------------------------------------------------------
    def snapshot(self) -> Any:
        """A copy of the whole mutable state (row values are immutable, so copying rows suffices)."""
        tables = {name: {key: dict(row) for key, row in rows.items()} for name, rows in self.store.tables.items()}
        return tables, dict(self.counters), list(self.events)

    def restore(self, state: Any) -> None:
        """Go back to a snapshot (which stays usable for another restore)."""
        tables, counters, events = state
        self.store.replace({name: {key: dict(row) for key, row in rows.items()} for name, rows in tables.items()})
        self.counters, self.events = dict(counters), list(events)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: on an exception the state returns to where it was."""
        with self.lock:
            state = self.snapshot()
            try:
                yield
            except BaseException:
                self.restore(state)
                raise

    def record(self, kind: str, **details: Any) -> None:
        """Note a business event (goods issue, billing, inbound SOAP message) for ``/__mock__/state``."""
        self.events.append({"time": edm.format_timestamp(self.now()), "event": kind, **details})

    # --- views -----------------------------------------------------------------------------------
    def etype(self, service: str, entity_set: str) -> EntityType:
        """The entity type of a served entity set."""
        return self.services[service].entity_sets[entity_set].type

    def state(self, service: str | None = None, entity_set: str | None = None,
              full: bool = False) -> dict[str, Any]:
        """The entity store as JSON: non-empty tables, rows in verbose-JSON value form.

        Without ``full`` each row keeps only its non-initial values (the store is wide)."""
        tables: dict[str, dict[str, list[Row]]] = {}
        with self.lock:
            for (svc, es), rows in self.store.tables.items():
                if not rows or (service and svc != service) or (entity_set and es != entity_set):
                    continue
                etype = self.etype(svc, es)
                out = []
                for row in rows.values():
                    item = {}
                    for name, prop in etype.properties.items():
                        value = row.get(name)
                        if full or name in etype.key or value not in (None, "", False) and value != edm.default(prop):
                            item[name] = edm.to_json(prop, value)
                    out.append(item)
                tables.setdefault(svc, {})[es] = out
            return {"system": self.system_id, "client": self.org.get("client", ""),
                    "number_ranges": dict(self.counters), "tables": tables, "events": list(self.events)}


def read_seed(path: Path) -> dict[str, Any]:
    """Read the seed YAML; raise SeedError naming the file when it is unusable."""
    if not path.is_file():
        raise SeedError(f"S/4HANA seed file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SeedError(f"{path}: expected a mapping at the top level")
    for section in ("system", "number_ranges", "materials", "customers"):
        if section not in data:
            raise SeedError(f"{path}: missing section {section!r}")
    return data


# --- the registry shared by the OData and SOAP mocks ----------------------------------------------
_REGISTRY: dict[str, S4System] = {}
_REGISTRY_LOCK = threading.Lock()


def fresh_system(system_id: str, seed_path: Path | None = None) -> S4System:
    """A newly seeded system registered under ``system_id`` (replacing an older one)."""
    system = S4System(system_id, seed_path)
    with _REGISTRY_LOCK:
        _REGISTRY[system_id] = system
    return system


def get_system(system_id: str, seed_path: Path | None = None) -> S4System:
    """The registered system ``system_id``, created and seeded on first use."""
    with _REGISTRY_LOCK:
        system = _REGISTRY.get(system_id)
    return system if system is not None else fresh_system(system_id, seed_path)
