"""Value mappings: read schemas and values; reconcile with ``UpsertValMaps`` (never delete+create).

flashpipe replaces a value mapping by DELETE then POST, which wipes values configured on the
target tenant (engswee/flashpipe#48). Here the desired pairs are merged value by value: missing
pairs are added, pairs whose target differs are updated in place (by ``ValMapId``), and values
that exist only on the tenant are kept and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.tenant import odata
from harness.tenant.http import TenantSession


@dataclass(frozen=True)
class Schema:
    """A source/target pair of agency and identifier (``ValMapSchema``)."""

    src_agency: str
    src_id: str
    tgt_agency: str
    tgt_id: str

    def label(self) -> str:
        """``SAP/ShippingCondition -> AMAZON/DeliverySpeed``."""
        return f"{self.src_agency}/{self.src_id} -> {self.tgt_agency}/{self.tgt_id}"

    def key(self) -> str:
        """The OData key predicate."""
        return odata.key(SrcAgency=self.src_agency, SrcId=self.src_id, TgtAgency=self.tgt_agency,
                         TgtId=self.tgt_id)


@dataclass(frozen=True)
class ValMap:
    """One value pair on the tenant."""

    id: str
    src_value: str
    tgt_value: str


@dataclass
class DesiredMapping:
    """What an environment wants in one schema of one value mapping artifact."""

    artifact_id: str
    schema: Schema
    values: dict[str, str]


@dataclass
class ReconcileResult:
    """What a reconcile did (or, dry, would do)."""

    added: list[tuple[str, Schema, str, str]] = field(default_factory=list)
    updated: list[tuple[str, Schema, str, str, str]] = field(default_factory=list)
    kept: list[tuple[str, Schema, str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when anything was (or would be) written."""
        return bool(self.added or self.updated)


def _artifact(artifact_id: str, version: str) -> str:
    return "ValueMappingDesigntimeArtifacts" + odata.key(Id=artifact_id, Version=version)


class ValueMappingsClient:
    """``ValueMappingDesigntimeArtifacts`` value-level access."""

    def __init__(self, session: TenantSession) -> None:
        self.session = session

    def schemas(self, artifact_id: str, version: str = "active") -> list[Schema]:
        """The schemas of a value mapping artifact."""
        rows = self.session.get_collection(f"{_artifact(artifact_id, version)}/ValMapSchema")
        return [Schema(r["SrcAgency"], r["SrcId"], r["TgtAgency"], r["TgtId"]) for r in rows]

    def valmaps(self, artifact_id: str, schema: Schema, version: str = "active") -> list[ValMap]:
        """The value pairs of one schema (empty when the schema does not exist yet)."""
        path = f"{_artifact(artifact_id, version)}/ValMapSchema{schema.key()}/ValMaps"
        rows = self.session.get_optional(path)
        if not rows:
            return []
        if isinstance(rows, dict):
            rows = [rows]
        return [ValMap(r.get("Id") or "", _value(r, "SrcValue"), _value(r, "TgtValue")) for r in rows]

    def upsert(self, artifact_id: str, schema: Schema, src_value: str, tgt_value: str,
               valmap_id: str | None = None, version: str = "active") -> None:
        """``UpsertValMaps``: add a pair, or update the pair ``valmap_id``. IsConfigured stays true."""
        params: dict[str, Any] = {
            "Id": odata.literal(artifact_id), "Version": odata.literal(version),
            "SrcAgency": odata.literal(schema.src_agency), "SrcId": odata.literal(schema.src_id),
            "TgtAgency": odata.literal(schema.tgt_agency), "TgtId": odata.literal(schema.tgt_id),
            "SrcValue": odata.literal(src_value), "TgtValue": odata.literal(tgt_value),
            "IsConfigured": "true",
        }
        if valmap_id:
            params["ValMapId"] = odata.literal(valmap_id)
        self.session.request("POST", "UpsertValMaps", params=params, ok=(200, 201, 202, 204))

    def reconcile(self, desired: list[DesiredMapping], *, dry_run: bool = False,
                  version: str = "active") -> ReconcileResult:
        """Make the tenant hold every desired pair; never delete anything."""
        result = ReconcileResult()
        for want in desired:
            existing = {v.src_value: v for v in self.valmaps(want.artifact_id, want.schema, version)}
            for src, tgt in want.values.items():
                have = existing.get(src)
                if have is None:
                    result.added.append((want.artifact_id, want.schema, src, tgt))
                    if not dry_run:
                        self.upsert(want.artifact_id, want.schema, src, tgt, version=version)
                elif have.tgt_value != tgt:
                    result.updated.append((want.artifact_id, want.schema, src, have.tgt_value, tgt))
                    if not dry_run:
                        self.upsert(want.artifact_id, want.schema, src, tgt, valmap_id=have.id, version=version)
            for src, have in existing.items():
                if src not in want.values:
                    result.kept.append((want.artifact_id, want.schema, src, have.tgt_value))
        return result


def _value(row: dict[str, Any], name: str) -> str:
    value = row.get("Value")
    if isinstance(value, dict):
        return str(value.get(name) or "")
    return str(row.get(name) or "")


def desired_from_config(section: dict[str, Any] | None, source: str) -> list[DesiredMapping]:
    """Read an environment's ``value_mappings`` section.

    Shape::

        value_mappings:
          <ValueMapping artifact id>:
            - source: {agency: SAP, id: ShippingCondition}
              target: {agency: AMAZON, id: DeliverySpeed}
              values: {"01": STANDARD, "02": EXPEDITED}
    """
    desired: list[DesiredMapping] = []
    for artifact_id, schemas in (section or {}).items():
        if not isinstance(schemas, list):
            raise ValueError(f"{source}: value_mappings.{artifact_id}: expected a list of schemas")
        for index, entry in enumerate(schemas):
            where = f"{source}: value_mappings.{artifact_id}[{index}]"
            try:
                schema = Schema(str(entry["source"]["agency"]), str(entry["source"]["id"]),
                                str(entry["target"]["agency"]), str(entry["target"]["id"]))
            except (KeyError, TypeError) as exc:
                raise ValueError(f"{where}: expected source.agency, source.id, target.agency, target.id") from exc
            values = entry.get("values") or {}
            if not isinstance(values, dict):
                raise ValueError(f"{where}.values: expected a mapping of source value to target value")
            desired.append(DesiredMapping(str(artifact_id), schema, {str(k): str(v) for k, v in values.items()}))
    return desired
