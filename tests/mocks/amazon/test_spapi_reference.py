"""The SP-API mock's own contracts held against Amazon's published models (../shared/reference).

Every operation, path, parameter, usage plan and field in ``harness/mocks/spapi/schemas`` must
exist in the real model with the same type. Request bodies must declare exactly the model's
fields (else the mock would reject valid requests or accept invented ones); response bodies may
declare fewer fields but never other ones, and must require at least what the model requires.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.mocks.spapi.contract import Contract, contracts

pytestmark = pytest.mark.reference

_CONSTRAINTS = ("maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum")


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


class Comparison:
    """Walks one of our schemas beside the real one and lists every difference."""

    def __init__(self, ours: dict[str, Any], real: dict[str, Any]) -> None:
        self.ours, self.real = ours, real
        self.problems: list[str] = []
        self.checked = 0

    def compare(self, mine: dict[str, Any], theirs: dict[str, Any], where: str, request: bool) -> None:
        mine, theirs = _resolve(self.ours, mine), _resolve(self.real, theirs)
        self.checked += 1
        if mine.get("type") != theirs.get("type"):
            self.problems.append(f"{where}: type {mine.get('type')!r} here, {theirs.get('type')!r} in the model")
            return
        if "format" in mine and mine["format"] != theirs.get("format"):
            self.problems.append(f"{where}: format {mine['format']!r} here, {theirs.get('format')!r} in the model")
        if "enum" in mine:
            ours_enum, real_enum = set(mine["enum"]), set(theirs.get("enum", []))
            if (request and ours_enum != real_enum) or not ours_enum <= real_enum:
                self.problems.append(f"{where}: enum {sorted(ours_enum)} here, {sorted(real_enum)} in the model")
        if request:
            for key in _CONSTRAINTS:
                if mine.get(key) != theirs.get(key):
                    self.problems.append(f"{where}: {key} {mine.get(key)} here, {theirs.get(key)} in the model")
        if mine.get("type") == "array":
            self.compare(mine.get("items", {}), theirs.get("items", {}), f"{where}[]", request)
        if mine.get("type") == "object":
            self._object(mine, theirs, where, request)

    def _object(self, mine: dict[str, Any], theirs: dict[str, Any], where: str, request: bool) -> None:
        ours_props, real_props = mine.get("properties", {}), theirs.get("properties", {})
        for name, schema in ours_props.items():
            if name not in real_props:
                self.problems.append(f"{where}.{name}: not in the model")
            else:
                self.compare(schema, real_props[name], f"{where}.{name}", request)
        missing_required = set(theirs.get("required", [])) - set(mine.get("required", []))
        if missing_required:
            self.problems.append(f"{where}: the model requires {sorted(missing_required)}, we do not")
        if request:
            if set(ours_props) != set(real_props):
                self.problems.append(f"{where}: request fields differ: only here {sorted(set(ours_props) - set(real_props))},"
                                     f" only in the model {sorted(set(real_props) - set(ours_props))}")
            extra_required = set(mine.get("required", [])) - set(theirs.get("required", []))
            if extra_required:
                self.problems.append(f"{where}: we require {sorted(extra_required)}, the model does not")
        if isinstance(mine.get("additionalProperties"), dict):
            if not isinstance(theirs.get("additionalProperties"), dict):
                self.problems.append(f"{where}: a map here, not in the model")
            else:
                self.compare(mine["additionalProperties"], theirs["additionalProperties"], f"{where}{{}}", request)


def _usage_plan(description: str) -> tuple[float, float] | None:
    match = re.search(r"Rate \(requests per second\)\s*\|\s*Burst\s*\|\s*\n\|[-\s|]+\|\s*\n\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|",
                      description)
    return (float(match.group(1)), float(match.group(2))) if match else None


def check_contract(contract: Contract, model: dict[str, Any]) -> Comparison:
    """Every difference between one of our contracts and its real model."""
    ours = contract.document
    comparison = Comparison(ours, model)
    problems = comparison.problems
    for op in contract.operations.values():
        where = f"{op.name} ({op.method} {op.path})"
        real_op = model["paths"].get(op.path, {}).get(op.method.lower())
        if real_op is None:
            problems.append(f"{where}: no such operation in {contract.model}")
            continue
        if real_op.get("operationId") != op.name:
            problems.append(f"{where}: the model calls it {real_op.get('operationId')}")
        plan = _usage_plan(real_op.get("description", ""))
        if plan is None:
            if not (op.sandbox_only and "x-amzn-api-sandbox-only" in model["paths"][op.path]):
                problems.append(f"{where}: the model states no usage plan")
        elif plan != (op.rate, op.burst):
            problems.append(f"{where}: usage plan {op.rate}/{op.burst} here, {plan[0]}/{plan[1]} in the model")
        real_params = {p["name"]: p for p in real_op.get("parameters", []) if p.get("in") != "body"}
        ours_params = {p.name: p for p in op.parameters}
        if set(real_params) != set(ours_params):
            problems.append(f"{where}: parameters {sorted(ours_params)} here, {sorted(real_params)} in the model")
        for name, param in ours_params.items():
            real = real_params.get(name)
            if real is None:
                continue
            if (param.location, param.required) != (real["in"], bool(real.get("required"))):
                problems.append(f"{where}: parameter {name} is {param.location}/required={param.required} here, "
                                f"{real['in']}/required={real.get('required')} in the model")
            comparison.compare(param.schema, {k: v for k, v in real.items() if k not in ("name", "in", "required")},
                               f"{where} parameter {name}", request=True)
            if "default" in param.schema and param.schema["default"] != real.get("default"):
                problems.append(f"{where}: parameter {name} defaults to {param.schema['default']} here, "
                                f"{real.get('default')} in the model")
        body = next((p for p in real_op.get("parameters", []) if p.get("in") == "body"), None)
        if (body is None) != (op.body is None):
            problems.append(f"{where}: request body {'expected' if body else 'not expected'} by the model")
        elif body is not None:
            comparison.compare({"$ref": f"#/definitions/{op.body}"}, body["schema"], f"{where} body", request=True)
        for status, definition in op.responses.items():
            statuses = [s for s in real_op["responses"] if s.startswith(("4", "5"))] if status == "default" else [status]
            for code in statuses:
                real_response = real_op["responses"].get(code)
                if real_response is None:
                    problems.append(f"{where}: the model declares no HTTP {code}")
                    continue
                if definition is None:
                    if "schema" in real_response:
                        problems.append(f"{where}: HTTP {code} has a body in the model")
                    continue
                if "schema" not in real_response:
                    problems.append(f"{where}: HTTP {code} has no body in the model")
                    continue
                comparison.compare({"$ref": f"#/definitions/{definition}"}, real_response["schema"],
                                   f"{where} HTTP {code}", request=False)
    return comparison


@pytest.mark.parametrize("name", sorted(contracts()))
def test_contract_matches_the_real_model(reference: Path, name: str):
    contract = contracts()[name]
    model = json.loads((reference / "amazon" / contract.model).read_text(encoding="utf-8"))
    comparison = check_contract(contract, model)
    assert comparison.problems == []
    assert comparison.checked > 20  # the walk really covered the contract


def test_the_comparison_notices_a_wrong_type_an_invented_field_and_a_wrong_plan(reference: Path):
    contract = contracts()["fulfillmentOutbound_2020-07-01"]
    model = json.loads((reference / "amazon" / contract.model).read_text(encoding="utf-8"))
    broken = copy.deepcopy(contract.document)
    broken["definitions"]["Money"]["properties"]["value"] = {"type": "number"}
    broken["definitions"]["FulfillmentOrder"]["properties"]["amazonOrderId"] = {"type": "string"}
    clone = copy.copy(contract)
    clone.document, clone.definitions = broken, broken["definitions"]
    clone.operations = dict(contract.operations)
    clone.operations["getFulfillmentOrder"] = replace(contract.operations["getFulfillmentOrder"], rate=5.0)
    problems = "\n".join(check_contract(clone, model).problems)
    assert "value: type 'number' here, 'string' in the model" in problems
    assert "amazonOrderId: not in the model" in problems
    assert "usage plan 5.0/30.0 here, 2.0/30.0 in the model" in problems
