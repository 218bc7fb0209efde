"""Parameters: types from the fields they fill, references for adapter fields, externalize, timers."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from generator.package.artifact import read_dir
from generator.render import javaprops

PROP = "src/main/resources/parameters.prop"
PROPDEF = "src/main/resources/parameters.propdef"


def _artifact(result, artifact_id: str) -> dict[str, bytes]:
    return read_dir(next(a.folder for a in result.artifacts if a.id == artifact_id))


def _defs(files) -> dict[str, dict]:
    root = etree.fromstring(files[PROPDEF])
    out = {p.findtext("name"): {"type": p.findtext("type"), "combobox": p.findtext("additionalMetadata/isCombobox"),
                                "description": p.findtext("description")} for p in root.findall("parameter")}
    for ref in root.iter("reference"):
        out[ref.get("param_key")].setdefault("refs", []).append(dict(ref.attrib))
    return out


def test_types_and_comboboxes_follow_the_field(fixture_builds):
    files = _artifact(fixture_builds["all-components"], "Fixture_HTTPS_Flow")
    defs, values = _defs(files), javaprops.load(files[PROP].decode("latin-1"))
    assert defs["Backend Timeout (in ms)"]["type"] == "xsd:integer"
    assert defs["Backend Timeout (in ms)"]["combobox"] is None
    assert values["Backend Timeout (in ms)"] == "60000"
    assert defs["Backend Retry Failed Requests"]["type"] == "xsd:boolean"
    assert defs["Backend Retry Failed Requests"]["combobox"] == "false"
    assert defs["ODataBackend Authentication"]["combobox"] == "true"
    assert defs["ODataBackend Enable Batch Processing"]["type"] == "xsd:boolean"
    assert values["ODataBackend Enable Batch Processing"] == "0"
    assert defs["Backend Host"]["description"] == "backend root"


def test_adapter_fields_get_references_even_for_partial_use(fixture_builds):
    files = _artifact(fixture_builds["all-components"], "Fixture_HTTPS_Flow")
    refs = _defs(files)["Backend Host"]["refs"]
    ids = {r["attribute_id"] for r in refs}
    assert "ctype::AdapterVariant/cname::HTTP/tp::HTTP/mp::None/direction::Receiver/version::1.17.0/attrId::httpAddressWithoutQuery" in ids
    assert any(r["attribute_category"] == "ODataBackend.Receiver.System" for r in refs)
    https = _defs(files)["Fixture Path"]["refs"]
    assert https == [{"attribute_category": "Sender", "attribute_id": "/attrId::urlPath",
                      "attribute_uilabel": "", "param_key": "Fixture Path"}]
    assert "refs" not in _defs(files)["Fail Marker"], "step parameters have no references"


def test_call_level_externalize_is_named_after_the_channel(fixture_builds):
    values = javaprops.load(_artifact(fixture_builds["all-components"], "Fixture_HTTPS_Flow")[PROP].decode("latin-1"))
    assert values["OData Query Options"] == "$top=5"
    assert values["ODataBackend Query Options"] == ""


def test_condition_parameters_are_declared(fixture_builds):
    files = _artifact(fixture_builds["all-components"], "Fixture_HTTPS_Flow")
    assert javaprops.load(files[PROP].decode("latin-1"))["Fail Marker"] == "false"
    iflw = next(v for k, v in files.items() if k.endswith(".iflw")).decode()
    assert "'{{Fail Marker}}'</bpmn2:conditionExpression>" in iflw


def test_unused_flow_parameters_are_kept_and_reported(fixture_builds):
    result = fixture_builds["all-components"]
    assert any("'Unused One' is declared but never used" in w for w in result.warnings)
    assert "Unused One" in javaprops.load(_artifact(result, "Fixture_HTTPS_Flow")[PROP].decode("latin-1"))


def test_externalized_timer_schedule(product_build):
    files = _artifact(product_build, "S4AMZ_Replicate_Sales_Orders_Timer")
    assert _defs(files)["Order Replication Schedule"]["type"] == "custom:schedule"
    table = javaprops.load(files[PROP].decode("latin-1"))["Order Replication Schedule"]
    assert "<row><cell>OnEveryMinute</cell><cell>15</cell></row>" in table
    assert "<cell>0+0/15+0-23+?+*+*+*&amp;trigger.timeZone=Etc/GMT</cell>" in table
    assert b"\\:00 ) Greenwich" in files[PROP]
    iflw = next(v for k, v in files.items() if k.endswith(".iflw")).decode()
    assert "<value>{{Order Replication Schedule}}</value>" in iflw


def test_literal_timer_schedule_is_escaped_twice(fixture_builds):
    files = _artifact(fixture_builds["all-components"], "Fixture_Timer_Flow")
    iflw = next(v for k, v in files.items() if k.endswith(".iflw")).decode()
    assert "&lt;row&gt;&lt;cell&gt;schedule1&lt;/cell&gt;&lt;cell&gt;fireNow=true&lt;/cell&gt;&lt;/row&gt;" in iflw
    assert files[PROP].decode().count("\n") == 1, "no parameters: only the date line"
    assert files[PROPDEF].endswith(b"<parameters><param_references/></parameters>")


def test_field_map_reaches_the_script_as_constant_json(fixture_builds):
    files = _artifact(fixture_builds["all-components"], "Fixture_HTTPS_Flow")
    iflw = next(v for k, v in files.items() if k.endswith(".iflw")).decode()
    expected = ("&lt;cell id='Type'&gt;constant&lt;/cell&gt;&lt;cell id='Value'&gt;{&amp;quot;orderId&amp;quot;"
                ":&amp;quot;SalesOrder&amp;quot;")
    assert expected in iflw
    assert "&lt;cell id='Name'&gt;fields&lt;/cell&gt;" in iflw


def test_product_has_no_secret_values(product_build):
    credential_keys = ("credentialName", "alias")
    for artifact in product_build.artifacts:
        files = read_dir(artifact.folder)
        for path, data in files.items():
            if "/script/" in path:
                continue
            text = data.decode("utf-8").lower()
            assert "password" not in text and "bearer " not in text, f"{artifact.id}/{path}"
        iflw = next((v for k, v in files.items() if k.endswith(".iflw")), None)
        if iflw is None:
            continue
        values = javaprops.load(files[PROP].decode("latin-1"))
        for prop in etree.fromstring(iflw).iter("{http:///com.sap.ifl.model/Ifl.xsd}property"):
            if prop.findtext("key") in credential_keys and prop.findtext("value"):
                name = prop.findtext("value").strip("{}")
                alias = values.get(name, prop.findtext("value"))
                assert alias.replace("_", "").isalnum(), f"{artifact.id}: credential {alias!r} is not an alias"


def test_spec_file_is_recorded(product_build):
    import yaml

    for artifact in product_build.artifacts:
        spec = Path(artifact.spec_file)
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        if spec.name == "package.yaml":               # the value mapping artifact of the package
            assert artifact.id == data["value_mapping"]["id"]
        else:                                         # the module spec that defines the flow
            assert artifact.id in {flow["id"] for flow in data["flows"]}, f"{artifact.id} not in {spec.name}"
