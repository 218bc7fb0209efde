"""Parameters, timers, redeploys, MPL contents, generated packages and Groovy script steps."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from harness.emulator.runtime import COMPLETED, DeployError, FAILED, InvalidPackage, MissingParameter
from harness.emulator.runtime_port import ValueMapEntry

from builder import FlowBuilder, http_receiver, https_sender, plain_table
from runtime_helpers import post

SCHEDULE_ONCE = plain_table([["triggerType", "simple"], ["noOfSchedules", "1"],
                             ["schedule1", "fireNow=true&trigger.timeZone=UTC"]])


def timer_zip(url: str) -> bytes:
    b = FlowBuilder("Timed")
    p = b.process()
    start, end = p.timer_start("{{Scheduler}}"), p.message_end()
    cm = p.content_modifier(body="{{Greeting}} from ${camelId}", body_type="expression")
    call = p.request_reply(http_receiver("{{Target}}/tick"))
    p.chain(start, cm, call, end)
    return b.zip(parameters={"Scheduler": SCHEDULE_ONCE, "Greeting": "hello", "Target": url})


def test_parameters_from_package_overridden_by_configuration(runtime, receiver):
    runtime.deploy("Timed", "1", timer_zip("http://127.0.0.1:9"), {"Target": receiver.url, "Greeting": "hi"})
    runtime.fire_timer("Timed")
    assert receiver.calls()[0].body == b"hi from Timed"


def test_parameter_without_value_fails_deploy(runtime):
    b = FlowBuilder("P")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    p.chain(start, p.content_modifier(body="{{Missing One}}"), end)
    b.sender(start, https_sender("{{Path}}"))
    with pytest.raises(MissingParameter) as info:
        runtime.deploy("P", "1", b.zip())
    assert info.value.names == ["Missing One", "Path"]


def test_timer_fires_on_demand_and_run_once_on_start(make_runtime, receiver, sink):
    runtime = make_runtime()
    runtime.deploy("Timed", "1", timer_zip(receiver.url))
    mpl_id = runtime.fire_timer("Timed")
    assert sink.get(mpl_id).status == COMPLETED and sink.get(mpl_id).sender == "Timer"
    runtime.start()
    sink.wait_for(lambda rs: len(rs) == 2 and all(r.status == COMPLETED for r in rs))
    assert [c.body for c in receiver.calls()] == [b"hello from Timed"] * 2
    with pytest.raises(KeyError):
        runtime.fire_timer("Nope")


def test_invalid_packages_are_refused(runtime):
    with pytest.raises(InvalidPackage, match="not a zip"):
        runtime.deploy("X", "1", b"nope")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n")
    with pytest.raises(InvalidPackage, match="exactly one .iflw"):
        runtime.deploy("X", "1", buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("src/main/resources/scenarioflows/integrationflow/x.iflw", "<definitions/>")
    with pytest.raises(InvalidPackage, match="expected bpmn2:definitions"):
        runtime.deploy("X", "1", buffer.getvalue())
    with pytest.raises(DeployError, match="no integration process"):
        runtime.deploy("X", "1", FlowBuilder("Empty").zip())


def test_mpl_steps_and_masked_error_text(runtime, receiver, sink):
    receiver.fail(500)
    b = FlowBuilder("M")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    cm = p.content_modifier(properties=[{"Action": "Create", "Type": "constant", "Value": "Custom!",
                                         "Name": "SAP_MessageProcessingLogCustomStatus"}], name="Prepare")
    call = p.request_reply(http_receiver(receiver.url + "/pw-top-secret", auth="Basic", credential="C"))
    p.chain(start, cm, call, end)
    b.sender(start, https_sender("/m"))
    runtime.deploy("M", "1", b.zip(), security={"C": {"user": "u", "password": "pw-top-secret"}})
    status, _, body = post(runtime, "/http/m", "x")
    assert status == 500 and b"pw-top-secret" not in body
    record = sink.for_flow("M")[0]
    assert record.status == FAILED
    assert [(s.step_name, s.status) for s in record.steps] == [("Prepare", "COMPLETED"), (call, "FAILED")]
    assert "pw-top-secret" not in record.error_text and "********" in record.error_text
    assert record.properties["CustomStatus"] == "Custom!"
    assert all(s.ended >= s.started for s in record.steps)


def test_redeploy_replaces_and_undeploy_removes(runtime):
    for text in ("one", "two"):
        b = FlowBuilder("V")
        p = b.process()
        start, end = p.message_start(), p.message_end()
        p.chain(start, p.content_modifier(body=text), end)
        b.sender(start, https_sender("/v"))
        runtime.deploy("V", text, b.zip())
    assert post(runtime, "/http/v", "")[2] == b"two"
    runtime.undeploy("V")
    assert post(runtime, "/http/v", "")[0] == 404
    assert runtime.deployed() == []


# --- generated packages ---------------------------------------------------------------------------
def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def test_generated_packages_deploy(root, runtime):
    folders = [f for f in sorted((root / "iflows").glob("*"))
               if list(f.glob("src/main/resources/scenarioflows/integrationflow/*.iflw"))] \
        if (root / "iflows").is_dir() else []
    if not folders:
        pytest.skip("no generated iFlows under iflows/ yet")
    for folder in folders:
        runtime.deploy(folder.name, "1.0.0", _zip_folder(folder))
    assert runtime.deployed() == sorted(f.name for f in folders)


# --- Groovy script steps (the real script host) ------------------------------------------------------
SCRIPT = """import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi

def Message processData(Message message) {
    def body = message.getBody(String)
    def vm = ITApiFactory.getService(ValueMappingApi, null)
    def mapped = vm.getMappedValue('S4', 'Plant', message.getHeaders().get('plant'), 'AMZ', 'Node')
    message.setHeader('node', mapped)
    message.setProperty('length', body.length())
    def log = messageLogFactory.getMessageLog(message)
    log?.addAttachmentAsString('payload', 'pw-script-secret ' + body, 'text/plain')
    message.setBody(body.toUpperCase())
    return message
}

def Message boom(Message message) {
    throw new IllegalStateException('bad order ' + message.getProperty('length'))
}
"""


@pytest.fixture
def script_flow(runtime):
    from harness.scripthost import JvmNotBuilt, ScriptHost

    try:
        ScriptHost.shared("2.4").ping()
    except JvmNotBuilt as exc:
        pytest.skip(f"the Groovy script host is not built: {exc}")
    b = FlowBuilder("S", allowed_headers="plant")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    run, fail = p.script("order.groovy"), p.script("order.groovy", "boom")
    gw = p.router()
    out = p.content_modifier(body="${in.body}:${property.length}", body_type="expression")
    p.chain(start, run, gw)
    p.route(gw, fail, "${header.fail} = 'yes'")
    p.route(gw, out, None, default=True)
    p.chain(fail, out, end)
    b.sender(start, https_sender("/s"))
    runtime.deploy("S", "1", b.zip({"script/order.groovy": SCRIPT}),
                   value_mappings=[ValueMapEntry("VM", "S4", "Plant", "1710", "AMZ", "Node", "FC-1")],
                   security={"X": {"user": "u", "password": "pw-script-secret"}})
    return runtime


@pytest.mark.jvm
def test_groovy_script_step_runs_packaged_script(script_flow, sink):
    status, headers, body = post(script_flow, "/http/s", "abc", {"plant": "1710"})
    assert (status, body) == (200, b"ABC:3")
    assert headers["node"] == "FC-1"
    record = sink.for_flow("S")[0]
    assert record.attachment("payload") == "******** abc"


@pytest.mark.jvm
def test_groovy_script_exception_fails_step(script_flow, sink):
    script_flow.flows["S"].model.props["allowedHeaderList"] = "plant|fail"
    status, _, body = post(script_flow, "/http/s", "abcd", {"fail": "yes"})
    assert status == 500 and b"java.lang.IllegalStateException: bad order 4" in body


def test_emulator_store_as_mpl_sink(tmp_path):
    """The emulator's SQLite store receives the runtime's logs through the seam."""
    store_module = pytest.importorskip("harness.emulator.store")
    from harness.emulator.runtime import Runtime

    store = store_module.Store(tmp_path / "emulator.sqlite")
    runtime = Runtime(tmp_path / "state", store)
    try:
        b = FlowBuilder("Logged")
        p = b.process()
        start, end = p.message_start(), p.message_end()
        p.chain(start, p.content_modifier(body="ok", name="Set body"), end)
        b.sender(start, https_sender("/logged"))
        runtime.deploy("Logged", "1", b.zip())
        assert post(runtime, "/http/logged", "x")[0] == 200
        logs = store.mpl_list("Logged")
        assert len(logs) == 1
        assert "COMPLETED" in str(logs[0])
        assert any("Set body" in str(step) for step in store.mpl_steps(next(
            v for k, v in logs[0].items() if k.lower() in ("messageguid", "guid", "mpl_id"))))
    finally:
        runtime.close()
