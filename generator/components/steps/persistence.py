"""Data Store operations 1.7.1 (their cname is the operation) and Write Variables 1.2.0."""

from __future__ import annotations

from typing import Any

from generator.components.base import Field, OptionError
from generator.components.steps.base import FlowStep
from generator.components.tables import plain_table

_VISIBILITY = Field("visibility", "visibility", "local", "choice", ("local", "global"),
                    doc="local = this iFlow only, global = every iFlow of the tenant")
_STORE = Field("storageName", "store", doc="data store name")


class _DataStore(FlowStep):
    activity_type = "DBstorage"
    version = "1.7.1"

    @classmethod
    def defaults(cls):
        values = super().defaults()
        values["operation"] = cls.cname
        return values

    @classmethod
    def fill(cls, options):
        values = super().fill(options)
        if not values["storageName"]:
            raise OptionError("store", "a data store step needs 'store'")
        return values


class DataStoreWrite(_DataStore):
    """Writes the body to a data store entry."""

    summary = "Data Store Write"
    cname = "put"
    keys = ("visibility", "alert", "encrypt", "expire", "messageId", "componentVersion",
            "override", "activityType", "cmdVariantUri", "operation", "storageName",
            "includeMessageHeaders")
    fields = (_STORE, _VISIBILITY,
              Field("messageId", "entry_id", doc="entry id, e.g. ${property.salesOrder}"),
              Field("encrypt", "encrypt", "true", "boolean"),
              Field("override", "overwrite", "false", "boolean"),
              Field("expire", "expire_days", "90", "integer"),
              Field("alert", "alert_days", "2", "integer"),
              Field("includeMessageHeaders", "include_headers", "false", "boolean"))


class DataStoreGet(_DataStore):
    """Reads one entry into the body."""

    summary = "Data Store Get"
    cname = "get"
    keys = ("visibility", "dataStoreId", "componentVersion", "activityType", "cmdVariantUri",
            "operation", "delete", "stopOnMissingEntry", "storageName")
    fields = (_STORE, _VISIBILITY,
              Field("dataStoreId", "entry_id"),
              Field("delete", "delete", "false", "boolean", doc="delete the entry on completion"),
              Field("stopOnMissingEntry", "fail_if_missing", "true", "boolean"))


class DataStoreSelect(_DataStore):
    """Reads several entries into the body."""

    summary = "Data Store Select"
    cname = "select"
    keys = ("visibility", "maxresults", "componentVersion", "activityType", "cmdVariantUri",
            "operation", "delete", "storageName")
    fields = (_STORE, _VISIBILITY,
              Field("maxresults", "max_results", "1", "integer"),
              Field("delete", "delete", "false", "boolean"))


class DataStoreDelete(_DataStore):
    """Deletes an entry."""

    summary = "Data Store Delete"
    cname = "delete"
    keys = ("visibility", "messageId", "componentVersion", "activityType", "cmdVariantUri",
            "operation", "storageName")
    fields = (_STORE, _VISIBILITY, Field("messageId", "entry_id"))


DATA_STORE_OPERATIONS = {"put": DataStoreWrite, "get": DataStoreGet, "select": DataStoreSelect,
                         "delete": DataStoreDelete}

_VARIABLE_SOURCES = ("expression", "constant", "header", "property", "xpath")


class WriteVariables(FlowStep):
    """Persists variables for later runs of this iFlow (local) or of every iFlow (global)."""

    summary = "Write Variables"
    cname = "Variables"
    version = "1.2.0"
    activity_type = "Variables"
    keys = ("visibility", "encrypt", "expire", "variable", "componentVersion", "activityType",
            "cmdVariantUri")
    fields = (Field("encrypt", "encrypt", "true", "boolean"),
              Field("expire", "expire_days", "90", "integer"))
    fixed = {"visibility": "local", "variable": ""}

    @classmethod
    def build(cls, options: dict[str, Any], variables: dict[str, Any]) -> dict[str, str]:
        """Key values with the ``variables`` table: name -> {source: value, type, global}."""
        values = cls.fill(options)
        rows = []
        for name, spec in variables.items():
            kinds = [k for k in _VARIABLE_SOURCES if k in spec]
            if len(kinds) != 1:
                raise OptionError(f"variables.{name}",
                                  "expected exactly one of " + ", ".join(_VARIABLE_SOURCES))
            kind = kinds[0]
            data_type = spec.get("type", "java.lang.String" if kind in ("expression", "xpath") else "")
            rows.append((name, data_type, kind, str(spec[kind]),
                         "global" if spec.get("global") else "local"))
        if not rows:
            raise OptionError("variables", "expected at least one variable")
        values["variable"] = plain_table(rows)
        return values
