"""Content Modifier (``Enricher`` 1.6.1): headers, exchange properties and the body."""

from __future__ import annotations

import json
from typing import Any

from generator.components.base import OptionError
from generator.components.steps.base import FlowStep
from generator.components.tables import modifier_table

#: Spec value forms, each naming the row ``Type`` it becomes.
SOURCES = {"constant": "constant", "expression": "expression", "xpath": "xpath",
           "header": "header", "property": "property"}


class ContentModifier(FlowStep):
    """Sets or deletes headers and properties, and optionally replaces the body."""

    summary = "Content Modifier: headers, exchange properties and body"
    cname = "Enricher"
    version = "1.6.1"
    activity_type = "Enricher"
    keys = ("bodyType", "propertyTable", "headerTable", "wrapContent", "componentVersion",
            "activityType", "cmdVariantUri")
    fixed = {"bodyType": "constant", "propertyTable": "", "headerTable": "", "wrapContent": ""}

    @classmethod
    def build(cls, *, properties: dict[str, Any], headers: dict[str, Any], body: Any,
              field_maps: dict[str, Any]) -> dict[str, str]:
        """Key values for the spec's ``properties``, ``headers`` and ``body``."""
        values = cls.defaults()
        values["propertyTable"] = modifier_table(cls.rows(properties, field_maps, "properties"))
        values["headerTable"] = modifier_table(cls.rows(headers, field_maps, "headers"))
        if body is not None:
            if isinstance(body, dict):
                (kind, text), = body.items()
                values["bodyType"] = "expression" if kind == "expression" else "constant"
            else:
                text = body
                values["bodyType"] = "expression" if "${" in str(body) else "constant"
            values["wrapContent"] = str(text)
        return values

    @staticmethod
    def rows(entries: dict[str, Any], field_maps: dict[str, Any], option: str) -> list[dict[str, str]]:
        """Table rows for one ``properties`` or ``headers`` mapping."""
        rows = []
        for name, spec in entries.items():
            row = {"Action": "Create", "Name": str(name), "Default": "", "Datatype": ""}
            if isinstance(spec, dict):
                if spec.get("delete"):
                    row.update(Action="Delete", Type="constant", Value="")
                elif "field_map" in spec:
                    map_name = spec["field_map"]
                    if map_name not in field_maps:
                        raise OptionError(f"{option}.{name}.field_map",
                                          f"unknown field map {map_name!r}; the module defines "
                                          f"{', '.join(sorted(field_maps)) or 'none'}")
                    row.update(Type="constant", Value=json.dumps(
                        field_maps[map_name], ensure_ascii=False, separators=(",", ":")))
                else:
                    kinds = [k for k in SOURCES if k in spec]
                    if len(kinds) != 1:
                        raise OptionError(f"{option}.{name}", "expected exactly one of "
                                          + ", ".join(SOURCES) + ", field_map or delete")
                    kind = kinds[0]
                    row.update(Type=SOURCES[kind], Value=str(spec[kind]))
                    row["Datatype"] = str(spec.get("type", "java.lang.String" if kind == "xpath" else ""))
                    row["Default"] = str(spec.get("default", ""))
            else:
                value = "" if spec is None else spec
                if isinstance(value, bool):
                    value = "true" if value else "false"
                row.update(Type="constant", Value=str(value))
            rows.append(row)
        return rows
