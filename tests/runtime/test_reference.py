"""Every real export in ../shared/reference/iflows either deploys or names what it cannot run.

The reference copies leave out scripts and XSLT files; the test adds placeholders for the files the
``.iflw`` names (and deploys the script collection they refer to), and fills unconfigured
credential names, so what remains is the interpreter's own verdict on each component.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from harness.emulator.runtime import DeployError, Runtime, UnsupportedComponent
from harness.emulator.runtime.bpmn import load_model
from generator.render.javaprops import load as parse_properties

pytestmark = pytest.mark.reference

EXPECTED = {
    "amazon-create-fulfillment-order": "ok",
    "amazon-read-inventory-summary-jms": "ok",
    "amazon-receive-refund-notification-soap-rcv": "ok",
    "amazon-receive-return-events-https": "ok",
    "amazon-retrieve-refunds-timer-odata": "ok",
    "amazon-sync-all-orders-timer-mapping": {("MessageMapping", "1.3.1", "CallActivity_353")},
    "amazon-sync-inventory-updates-looping": "authentication 'Client Certificate' is not supported",
    "amazon-sync-selected-orders-soap": "ok",
    "emarsys-contact-custom-mapping": {("MessageMapping", "1.3.1", "CallActivity_6")},
    "flashpipe-integration-test-iflow": "ok",
    "ibp-create-datastore-variables": "ok",
    "pipeline-ds-manage-entries": {("XmlValidator", "2.2.3", "CallActivity_302721"),
                                   ("XmlValidator", "2.2.3", "CallActivity_59326"),
                                   ("MIME Multipart Message Encode", "1.2.0", "CallActivity_6005065")},
    "recipe-simulate-response-variables-datastore": {("Mail receiver adapter", "1.8.0", "MessageFlow_17")},
    "sfcommissions-reprocess-error-events": "ok",
    "utils-export-vm-csv-iterating-splitter": {("XmlToCsvConverter", "1.2.0", "CallActivity_5660149")},
    "utils-upload-vm-gather-json": "ok",
}

IDENTITY_XSL = (b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                b'<xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>'
                b"</xsl:template></xsl:stylesheet>")
SCRIPT = b"import com.sap.gateway.ip.core.customdev.util.Message\ndef Message processData(Message m) { m }\n"


def _exports(reference: Path) -> list[Path]:
    folders = []
    for folder in sorted((reference / "iflows").iterdir()):
        base = folder / "unpacked" if (folder / "unpacked").is_dir() else folder
        if (base / "src").is_dir():
            folders.append(base)
    return folders


def _package(base: Path) -> tuple[bytes, dict[str, str], set[str]]:
    iflw = next(base.rglob("*.iflw")).read_bytes()
    params = parse_properties((base / "src/main/resources/parameters.prop").read_text("latin-1"))
    config = {k: ("alias" if (not v and re.search(r"credential|alias", k, re.I)) else
                  "http://localhost:1/x" if (not v and re.search(r"address|endpoint|url|\bPD\b", k, re.I)) else v)
              for k, v in params.items()}
    buffer = io.BytesIO()
    collection: set[str] = set()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in base.rglob("*"):
            if path.is_file():
                archive.write(path, path.relative_to(base).as_posix())
        model = load_model(iflw, config)
        present = set(archive.namelist())
        for node in model.nodes.values():
            if node.props.get("script"):
                if node.props.get("scriptBundleId"):
                    collection.add(node.props["script"])
                elif f"src/main/resources/script/{node.props['script']}" not in present:
                    present.add(f"src/main/resources/script/{node.props['script']}")
                    archive.writestr(f"src/main/resources/script/{node.props['script']}", SCRIPT)
            uri = node.props.get("mappinguri", "")
            target = uri.split("dir://mapping/xslt/", 1)[-1]
            if "mapping/xslt/" in uri and target not in present:
                present.add(target)
                archive.writestr(target, IDENTITY_XSL)
    return buffer.getvalue(), config, collection


def _collection(names: set[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names or {"none.groovy"}:
            archive.writestr(f"src/main/resources/script/{name}", SCRIPT)
    return buffer.getvalue()


def test_every_reference_export_deploys_or_names_unsupported_components(reference, tmp_path):
    runtime = Runtime(tmp_path / "state")
    seen = {}
    try:
        for base in _exports(reference):
            name = base.parent.name if base.name == "unpacked" else base.name
            data, config, scripts = _package(base)
            runtime.deploy_script_collection("Reusable_Groovy_Scripts_for_Amazon_accelerators", _collection(scripts))
            try:
                runtime.deploy(name, "1.0.0", data, config)
                runtime.undeploy(name)
                seen[name] = "ok"
            except UnsupportedComponent as error:
                seen[name] = set(error.components)
            except DeployError as error:
                seen[name] = str(error)
    finally:
        runtime.close()
    assert set(seen) == set(EXPECTED), "reference folders changed"
    for name, expected in EXPECTED.items():
        if isinstance(expected, str) and expected != "ok":
            assert expected in seen[name], f"{name}: {seen[name]}"
        else:
            assert seen[name] == expected, f"{name}: {seen[name]}"


def test_reference_exports_parse_into_complete_graphs(reference):
    for base in _exports(reference):
        iflw = next(base.rglob("*.iflw")).read_bytes()
        params = parse_properties((base / "src/main/resources/parameters.prop").read_text("latin-1"))
        model = load_model(iflw, params)
        assert model.main_processes(), base
        for scope in model.scopes.values():
            for flow in scope.flows.values():
                assert flow.source in scope.nodes and flow.target in scope.nodes, (base, flow.id)
        for channel in model.message_flows:
            assert channel.component_type and channel.direction in ("Sender", "Receiver"), (base, channel.id)


def test_missing_parameter_value_names_it(reference, tmp_path):
    base = reference / "iflows" / "amazon-receive-return-events-https"
    data, config, _ = _package(base)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.namelist():
            if not item.endswith("parameters.prop"):
                target.writestr(item, source.read(item))
    runtime = Runtime(tmp_path / "state")
    try:
        with pytest.raises(DeployError) as info:
            runtime.deploy("R", "1", buffer.getvalue(), {k: v for k, v in config.items()
                                                         if k != "Receiver_HTTP_Event_Address"})
        assert "{{Receiver_HTTP_Event_Address}}" in str(info.value)
    finally:
        runtime.close()
