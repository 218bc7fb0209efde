"""Reads S/4HANA EDMX files (OData V2) into entity types: properties and navigation targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree


@dataclass
class EntityType:
    name: str
    properties: dict[str, dict[str, str]] = field(default_factory=dict)
    navigations: dict[str, str] = field(default_factory=dict)  # nav name -> target entity type name
    keys: set[str] = field(default_factory=set)


def load_edmx(path: Path) -> dict[str, Any]:
    """Entity types by name, and entity sets by name (-> entity type name)."""
    tree = etree.parse(str(path))
    ends: dict[tuple[str, str], str] = {}
    for assoc in tree.iter("{*}Association"):
        for end in assoc.iter("{*}End"):
            ends[(assoc.get("Name"), end.get("Role"))] = end.get("Type").split(".")[-1]
    types: dict[str, EntityType] = {}
    for et in tree.iter("{*}EntityType"):
        entity = EntityType(et.get("Name"))
        entity.keys = {k.get("Name") for k in et.iter("{*}PropertyRef")}
        for p in et.iter("{*}Property"):
            entity.properties[p.get("Name")] = dict(p.attrib)
        for n in et.iter("{*}NavigationProperty"):
            assoc = n.get("Relationship").split(".")[-1]
            entity.navigations[n.get("Name")] = ends[(assoc, n.get("ToRole"))]
        types[entity.name] = entity
    sets = {s.get("Name"): s.get("EntityType").split(".")[-1] for s in tree.iter("{*}EntitySet")}
    return {"types": types, "sets": sets}


def check_payload(model: dict[str, Any], entity_set: str, payload: dict[str, Any], *, creating: bool = True) -> None:
    """Every field of a (deep-insert) payload exists on its entity type; writes only creatable fields."""
    _check(model["types"], model["types"][model["sets"][entity_set]], payload, entity_set, creating)


def _check(types: dict[str, EntityType], entity: EntityType, payload: dict[str, Any], path: str, creating: bool) -> None:
    for key, value in payload.items():
        if key in entity.navigations:
            target = types[entity.navigations[key]]
            rows = value["results"] if isinstance(value, dict) and "results" in value else value
            rows = rows if isinstance(rows, list) else [rows]
            for i, row in enumerate(rows):
                _check(types, target, row, f"{path}.{key}[{i}]", creating)
            continue
        assert key in entity.properties, f"{path}: {key} is not a property of {entity.name}"
        attrs = entity.properties[key]
        flag = "{http://www.sap.com/Protocols/SAPData}creatable" if creating else "{http://www.sap.com/Protocols/SAPData}updatable"
        # keys travel in a POST to the entity set even where the EDMX marks them not creatable
        # (SAP's accelerator posts A_SalesOrderText with SalesOrder, Language, LongTextID)
        assert attrs.get(flag) != "false" or key in entity.keys, f"{path}: {key} of {entity.name} is not {'creatable' if creating else 'updatable'}"
        max_length = attrs.get("MaxLength")
        if max_length and isinstance(value, str) and attrs.get("Type") == "Edm.String":
            assert len(value) <= int(max_length), f"{path}: {key} longer than {max_length}: {value!r}"
        if attrs.get("Type") == "Edm.Decimal":
            assert isinstance(value, str), f"{path}: {key} is Edm.Decimal and must travel as a string"
            scale = int(attrs.get("Scale") or 0)
            decimals = len(value.split(".")[1]) if "." in value else 0
            assert decimals <= scale, f"{path}: {key} has more decimals than scale {scale}: {value}"
