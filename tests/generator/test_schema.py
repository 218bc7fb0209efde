"""The spec schemas are valid JSON Schema and hold every option the components accept."""

from __future__ import annotations

import jsonschema

from generator.components import RECEIVERS, SENDERS, SIMPLE_STEPS
from generator.spec import load_module, load_package
from generator.spec.validation import STEP_KINDS, module_schema, package_schema


def test_schemas_are_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(module_schema())
    jsonschema.Draft202012Validator.check_schema(package_schema())


def test_adapter_and_step_options_come_from_the_components():
    defs = module_schema()["$defs"]
    for name, adapter in SENDERS.items():
        assert set(defs[f"sender_{name}"]["properties"]) == {f.option for f in adapter.fields} | {"externalize"}
    for name, adapter in RECEIVERS.items():
        assert set(defs[f"receiver_{name}"]["properties"]) == {f.option for f in adapter.fields} | {"externalize"}
    for kind, component in SIMPLE_STEPS.items():
        assert set(defs[f"step_{kind}"]["properties"]) == {kind} | {f.option for f in component.fields}
    refs = {s["$ref"].rsplit("_", 1)[-1] for s in defs["step"]["oneOf"]}
    assert {k.rsplit("_", 1)[-1] for k in STEP_KINDS} == refs


def test_product_specs_validate(root):
    package = load_package(root / "mappings" / "package.yaml")
    assert package.modified_ms == 1768467600000
    for path in (root / "mappings").glob("*.yaml"):
        if path.name != "package.yaml":
            assert load_module(path).data["module"] == path.stem
