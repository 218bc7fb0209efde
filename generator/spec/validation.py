"""The spec JSON Schemas: hand-written structure plus the options each component declares.

``schema/module.yaml`` and ``schema/package.yaml`` describe the structure; the options of every
adapter and simple step are added here from ``generator.components`` so the schema and the
components cannot drift apart. Validation errors come back as ``file:line: field: expected ...``.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from generator.components import RECEIVERS, SENDERS, SIMPLE_STEPS
from generator.components.adapters.base import Adapter
from generator.components.steps.persistence import DATA_STORE_OPERATIONS
from generator.components.steps.processes import IFlowConfiguration
from generator.components.steps.splitting import GeneralSplitter
from generator.errors import Problem, SpecError
from generator.spec.loader import Document, dotted

SCHEMA_DIR = Path(__file__).parent / "schema"  # a data package: module.yaml, package.yaml

#: The kind key of each step schema in ``$defs`` (``step_<kind>``).
STEP_KINDS = ("set", "script", "call", "send", "route", "process", "loop", "split", "datastore",
              "variables", "gather", "json_to_xml", "xml_to_json", "filter", "xslt", "end", "error",
              "escalate")
NAME = {"$ref": "#/$defs/name"}


def _adapter_options(adapter: type[Adapter]) -> dict:
    props = adapter.options_schema()
    props["externalize"] = {
        "description": "options to turn into parameters named '<system> <label>' (true = all)",
        "anyOf": [{"const": True},
                  {"type": "array", "items": {"enum": sorted(f.option for f in adapter.fields)}}],
    }
    return {"type": "object", "additionalProperties": False, "properties": props,
            "description": adapter.summary}


def _step(kind: str, options: dict, summary: str, extra: dict | None = None) -> dict:
    props = {kind: NAME, **options, **(extra or {})}
    return {"type": "object", "additionalProperties": False, "required": [kind],
            "properties": props, "description": summary}


@lru_cache(maxsize=None)
def module_schema() -> dict:
    """The full module schema (structure plus component options)."""
    schema = yaml.safe_load((SCHEMA_DIR / "module.yaml").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    for name, adapter in SENDERS.items():
        defs[f"sender_{name}"] = _adapter_options(adapter)
    for name, adapter in RECEIVERS.items():
        defs[f"receiver_{name}"] = _adapter_options(adapter)
    settings = IFlowConfiguration.options_schema()
    settings.pop("namespaces")
    defs["component_IFlowConfiguration"] = {"type": "object", "additionalProperties": False,
                                            "properties": settings}
    for kind, component in SIMPLE_STEPS.items():
        defs[f"step_{kind}"] = _step(kind, component.options_schema(), component.summary)
    defs["step_split"] = _step("split", GeneralSplitter.options_schema(), "General or Iterating Splitter",
                               {"splitter": {"enum": ["general", "iterating"]}})
    store_options: dict[str, Any] = {}
    for component in DATA_STORE_OPERATIONS.values():
        store_options.update(component.options_schema())
    defs["step_datastore"] = _step("datastore", store_options, "Data Store operation",
                                   {"operation": {"enum": sorted(DATA_STORE_OPERATIONS)}})
    defs["step_datastore"]["required"].append("operation")
    return schema


@lru_cache(maxsize=None)
def package_schema() -> dict:
    """The package.yaml schema."""
    return yaml.safe_load((SCHEMA_DIR / "package.yaml").read_text(encoding="utf-8"))


def validate(doc: Document, schema: dict) -> None:
    """Validate a loaded document; raise SpecError with every problem, located."""
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(_explain(doc, error, schema))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise SpecError(unique)


def _explain(doc: Document, error: jsonschema.ValidationError, schema: dict | None = None) -> list[Problem]:
    """Turn one jsonschema error into located, readable problems."""
    path = tuple(error.absolute_path)
    if error.validator == "oneOf" and isinstance(error.instance, dict) and _is_step(error):
        return _explain_step(doc, error, path)
    return [doc.problem(path, _message(error))]


def _is_step(error: jsonschema.ValidationError) -> bool:
    refs = [s.get("$ref", "") for s in error.validator_value if isinstance(s, dict)]
    return bool(refs) and all(r.startswith("#/$defs/step_") for r in refs)


def _explain_step(doc: Document, error: jsonschema.ValidationError, path: tuple) -> list[Problem]:
    """A step failed ``oneOf``: find its kind key and report that kind's errors only."""
    kinds = [k for k in error.instance if k in STEP_KINDS]
    if not kinds:
        return [doc.problem(path, "a step needs one kind key: " + ", ".join(STEP_KINDS)
                            + f"; got {', '.join(map(str, error.instance)) or 'nothing'}")]
    if len(kinds) > 1:
        return [doc.problem(path, f"a step has exactly one kind key; got {' and '.join(kinds)}")]
    refs = [s.get("$ref", "") for s in error.validator_value]
    branch = refs.index(f"#/$defs/step_{kinds[0]}")
    own = [e for e in error.context if e.schema_path and e.schema_path[0] == branch]
    problems: list[Problem] = []
    for sub in own:
        problems.extend(_explain(doc, sub, {}) if sub.validator == "oneOf" else
                        [doc.problem(tuple(sub.absolute_path), _message(sub))])
    return problems or [doc.problem(path, f"invalid {kinds[0]} step")]


def _message(error: jsonschema.ValidationError) -> str:
    """What was expected, in words."""
    v, value, schema = error.validator, error.validator_value, error.schema
    if v == "required":
        missing = [k for k in value if k not in error.instance]
        return f"missing required field {', '.join(repr(m) for m in missing)}"
    if v in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        return (f"unknown field {', '.join(repr(e) for e in extra)}; expected one of "
                f"{', '.join(allowed)}")
    if v == "type":
        want = value if isinstance(value, str) else " or ".join(value)
        return f"expected {want}, got {_kind(error.instance)} {error.instance!r}"
    if v == "enum":
        return f"expected one of {', '.join(map(str, value))}; got {error.instance!r}"
    if v == "const":
        return f"expected {value!r}, got {error.instance!r}"
    if v == "pattern":
        return f"{error.instance!r} does not match the expected form {value}"
    if v in ("minItems", "minProperties"):
        return f"expected at least {value} entr{'y' if value == 1 else 'ies'}"
    if v in ("minimum", "maximum"):
        return f"expected a value {'>=' if v == 'minimum' else '<='} {value}, got {error.instance!r}"
    if v == "anyOf":
        return f"expected {_describe_any_of(value)}; got {error.instance!r}"
    return error.message


def _describe_any_of(options: list) -> str:
    parts = []
    for option in options:
        if "enum" in option:
            parts.append("one of " + ", ".join(map(str, option["enum"])))
        elif "const" in option:
            parts.append(repr(option["const"]))
        elif option.get("pattern") == r"\{\{[^{}]+\}\}":
            parts.append("a {{Parameter}} reference")
        elif "$ref" in option:
            parts.append(option["$ref"].rsplit("/", 1)[-1].replace("step_", "a ").replace("_", " "))
        elif "type" in option:
            t = option["type"]
            parts.append(t if isinstance(t, str) else " or ".join(t))
    return " or ".join(parts) or "a valid value"


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "boolean", int: "number",
            float: "number", type(None): "nothing"}.get(type(value), type(value).__name__)


def schema_copy() -> dict:
    """A deep copy of the module schema (for docs and editors)."""
    return copy.deepcopy(module_schema())


__all__ = ["module_schema", "package_schema", "validate", "dotted", "schema_copy"]
