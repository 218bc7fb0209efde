"""A broken spec fails with ``file:line: field: what was expected``; nothing is written."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.build import build_all
from generator.errors import BuildError, SpecError

PACKAGE = """\
package: {id: Broken_Specs, name: Broken specs, version: 1.0.0, vendor: tests}
modified: "2026-01-01T00:00:00Z"
"""
GOOD = """\
module: orders
parameters:
  Address: /orders
receivers:
  Backend:
    http: {address: "{{Backend Host}}", auth: None}
flows:
  - id: Orders_Flow
    name: Orders flow
    parameters:
      Backend Host: https://backend.example
    sender:
      https: {address: "{{Address}}"}
    steps:
      - set: Prepare
        properties: {a: "1"}
      - script: Echo
        file: echo
      - call: Call backend
        to: Backend
"""


def _repo(tmp_path: Path, module: str, name: str = "orders") -> Path:
    (tmp_path / "mappings").mkdir(parents=True)
    (tmp_path / "mappings" / "package.yaml").write_text(PACKAGE)
    (tmp_path / "mappings" / f"{name}.yaml").write_text(textwrap.dedent(module))
    scripts = tmp_path / "groovy" / "scripts" / "common"
    scripts.mkdir(parents=True)
    (scripts / "echo.groovy").write_text("def Message processData(Message message) { message }\n")
    return tmp_path


def _fails(tmp_path: Path, module: str, *expected: str, line: int | None = None, name: str = "orders") -> str:
    root = _repo(tmp_path, module, name)
    with pytest.raises(SpecError) as info:
        build_all(root)
    text = str(info.value)
    for part in expected:
        assert part in text, f"{part!r} not in:\n{text}"
    if line is not None:
        assert f"{name}.yaml:{line}:" in text, text
    assert not (root / "iflows").exists() and not (root / "dist").exists(), "a failed build wrote files"
    return text


def test_good_spec_builds(tmp_path):
    result = build_all(_repo(tmp_path, GOOD))
    assert [a.id for a in result.artifacts] == ["Orders_Flow"]


def test_unknown_step_kind(tmp_path):
    _fails(tmp_path, GOOD.replace("- set: Prepare", "- sett: Prepare"),
           "flows[0].steps[0]", "a step needs one kind key", "got sett, properties", line=15)


def test_missing_required_field(tmp_path):
    _fails(tmp_path, GOOD.replace("        file: echo\n", ""), "flows[0].steps[1]",
           "missing required field 'file'", line=17)


def test_wrong_type_and_unknown_option(tmp_path):
    text = _fails(tmp_path, GOOD.replace('auth: None}', 'auth: None, timeout_ms: soon, colour: red}'),
                  "receivers.Backend.http")
    assert "colour" in text and "expected one of" in text
    assert "timeout_ms" in text and "a {{Parameter}} reference" in text


def test_bad_choice_value(tmp_path):
    _fails(tmp_path, GOOD.replace("auth: None", "auth: Kerberos"), "receivers.Backend.http.auth",
           "expected one of None, Basic", line=6)


def test_undeclared_parameter(tmp_path):
    _fails(tmp_path, GOOD.replace('{{Address}}', '{{Adress}}'), "flows[0].sender.https.address",
           "parameter {{Adress}} is not declared", line=13)


def test_unknown_receiver(tmp_path):
    _fails(tmp_path, GOOD.replace("to: Backend", "to: Backnd"), "[Orders_Flow] unknown receiver 'Backnd'",
           "flows[0].steps[2].to", line=20)


def test_missing_script_names_spec_flow_and_script(tmp_path):
    text = _fails(tmp_path, GOOD.replace("file: echo", "file: bwpCreateOrderRequest"),
                  "[Orders_Flow]", "script 'bwpCreateOrderRequest.groovy' not found under groovy/scripts/",
                  "flows[0].steps[1].file", line=18)
    assert "orders.yaml" in text


def test_duplicate_key(tmp_path):
    _fails(tmp_path, GOOD.replace("  Address: /orders\n", "  Address: /orders\n  Address: /again\n"),
           "parameters.Address: duplicate key", line=4)


def test_invalid_yaml(tmp_path):
    _fails(tmp_path, GOOD.replace("    steps:\n", "    steps: [\n"), "invalid YAML")


def test_module_name_must_match_file(tmp_path):
    _fails(tmp_path, GOOD, "module: expected 'sales' (the file name), got 'orders'", line=1, name="sales")


def test_unreachable_step(tmp_path):
    spec = GOOD.replace("      - script: Echo", "      - error: Stop here\n      - script: Echo")
    _fails(tmp_path, spec, "flows[0].steps[2]", "never reached")


def test_router_mixing_condition_kinds(tmp_path):
    spec = GOOD + """\
      - route: Which
        when:
          - {name: A, if: "${property.a} = '1'"}
          - {name: B, xpath: "/x"}
"""
    _fails(tmp_path, spec, "flows[0].steps[3].when", "cannot mix XML ('xpath') and non-XML ('if')")


def test_route_without_condition(tmp_path):
    spec = GOOD + """\
      - route: Which
        when:
          - {name: A, steps: []}
"""
    _fails(tmp_path, spec, "flows[0].steps[3].when[0]", "exactly one condition")


def test_unknown_and_uncalled_local_process(tmp_path):
    spec = GOOD + """\
      - process: Run
        call: missing
    processes:
      helper: {name: Helper, steps: []}
"""
    _fails(tmp_path, spec, "unknown local process 'missing'", "flows[0].steps[3].call")
    spec = GOOD + """\
    processes:
      helper: {name: Helper, steps: []}
"""
    _fails(tmp_path / "b", spec, "local process 'helper' is never called", "flows[0].processes.helper")


def test_sender_and_timer_are_exclusive(tmp_path):
    _fails(tmp_path, GOOD.replace("    sender:\n", "    timer: {once: true}\n    sender:\n"),
           "exactly one of 'sender' or 'timer'")


def test_adapter_cross_field_rule(tmp_path):
    _fails(tmp_path, GOOD.replace("auth: None", "auth: Basic"), "receivers.Backend.http.credential",
           "http receiver needs 'credential'")


def test_declared_type_conflicts_with_field(tmp_path):
    spec = GOOD.replace("  Address: /orders", "  Address: {value: /orders, type: integer}")
    _fails(tmp_path, spec, "parameters.Address", "declared type integer, but it fills urlPath, which is string",
           line=3)


def test_value_map_conflict_between_modules(tmp_path):
    vm = """\
value_maps:
  - source: {agency: S4HANA, schema: Reason}
    target: {agency: BwP, schema: Reason}
    values: {Z1: %s}
"""
    root = _repo(tmp_path, GOOD + vm.replace("%s", "LATE"))
    other = GOOD.replace("module: orders", "module: returns").replace("Orders_Flow", "Returns_Flow")
    (root / "mappings" / "returns.yaml").write_text(other + vm.replace("%s", "EARLY"))
    with pytest.raises(SpecError) as info:
        build_all(root)
    assert "S4HANA/Reason 'Z1' maps to 'EARLY' here but to 'LATE' in" in str(info.value)
    assert "orders.yaml:" in str(info.value) and "returns.yaml:" in str(info.value)


def test_value_map_needs_reverse_default(tmp_path):
    vm = """\
value_maps:
  - source: {agency: S4HANA, schema: Status}
    target: {agency: BwP, schema: State}
    values: {A: OPEN, B: OPEN}
"""
    _fails(tmp_path, GOOD + vm, "value_maps[0].values", "'OPEN' is the target of 'A', 'B'")


def test_duplicate_artifact_ids_across_modules(tmp_path):
    root = _repo(tmp_path, GOOD)
    (root / "mappings" / "copy.yaml").write_text(GOOD.replace("module: orders", "module: copy"))
    with pytest.raises(SpecError) as info:
        build_all(root)
    assert "artifact id 'Orders_Flow' is already used" in str(info.value)


def test_missing_package_yaml(tmp_path):
    (tmp_path / "mappings").mkdir()
    with pytest.raises(BuildError, match="package.yaml is missing"):
        build_all(tmp_path)


def test_duplicate_script_names(tmp_path):
    root = _repo(tmp_path, GOOD)
    (root / "groovy" / "scripts" / "other").mkdir()
    (root / "groovy" / "scripts" / "other" / "echo.groovy").write_text("")
    with pytest.raises(BuildError, match="'echo.groovy' is used twice"):
        build_all(root)


ESCALATING = GOOD + """\
      - route: Outcome
        when:
          - name: Parked
            if: "${property.a} = 'park'"
            steps:
              - escalate: Park it
                code: ParkedForReview
        otherwise:
          name: Rest
          steps:
            - escalate: Default code
"""


def test_escalation_codes_from_the_spec_and_the_default(tmp_path):
    from lxml import etree

    result = build_all(_repo(tmp_path, ESCALATING))
    [artifact] = result.artifacts
    iflw = next((artifact.folder / "src/main/resources/scenarioflows/integrationflow").glob("*.iflw"))
    tree = etree.parse(str(iflw))
    ns = {"bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL", "ifl": "http:///com.sap.ifl.model/Ifl.xsd"}
    codes = {}
    for end in tree.iterfind(".//bpmn2:endEvent", ns):
        definition = end.find("bpmn2:escalationEventDefinition", ns)
        if definition is not None:
            props = {p.findtext("key"): p.findtext("value") for p in definition.iterfind(".//ifl:property", ns)}
            codes[end.get("name")] = props["ErrorCode"]
    assert codes == {"Park it": "ParkedForReview", "Default code": "ReceiverNotFound"}


def test_escalation_code_must_be_a_name(tmp_path):
    _fails(tmp_path / "space", ESCALATING.replace("code: ParkedForReview", "code: Parked for review"),
           "flows[0].steps[3].when[0].steps[0].code", "does not match", line=27)
    _fails(tmp_path / "key", ESCALATING.replace("code: ParkedForReview", "kode: ParkedForReview"),
           "flows[0].steps[3].when[0].steps[0]", "kode")
