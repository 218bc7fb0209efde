"""Deploys move through their states in the background; state survives restarts; the runtime seam."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from tenant_builders import iflow_zip, value_mapping_zip
from harness.emulator.runtime_port import DeployError, FlowRuntime, Principal, SecurityMaterial, ValueMapEntry
from harness.emulator.api.context import Settings
from harness.emulator.server import Emulator
from harness.tenant.artifact import LocalArtifact
from harness.tenant.deploy import Backoff, DeployWaiter

from emulator_helpers import CLIENT, client_for


class RecordingRuntime:
    """A FlowRuntime test double: records calls, fails deploys of ids in ``refuse``."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        self.refuse = refuse or {}
        self.deployed: dict[str, tuple] = {}
        self.undeployed: list[str] = []
        self.value_maps: list[ValueMapEntry] = []
        self.calls: list[tuple] = []

    def deploy(self, artifact_id, version, zip_bytes, configuration, value_mappings, security):
        if artifact_id in self.refuse:
            raise DeployError(self.refuse[artifact_id])
        self.deployed[artifact_id] = (version, zip_bytes, configuration, value_mappings, security)

    def undeploy(self, artifact_id):
        self.undeployed.append(artifact_id)
        self.deployed.pop(artifact_id, None)

    def handle_http(self, method, path, headers, body, principal):
        self.calls.append((method, path, body, principal))
        return 200, {"Content-Type": "text/plain"}, f"{principal.name if principal else 'anonymous'}:{body.decode()}".encode()

    def value_mappings_changed(self, entries):
        self.value_maps = list(entries)


def _setup(client, *zips: bytes) -> None:
    client.packages.create({"Id": "PKG", "Name": "Package"})
    for data in zips:
        artifact = LocalArtifact.from_zip(data, "upload.zip")
        client.designtime(artifact.api_kind).create(artifact, "PKG")


def _waiter(client) -> DeployWaiter:
    return DeployWaiter(client.deploys, client.runtime, backoff=Backoff(0.02, 1.5, 0.1), error_wait=2)


def test_runtime_port_is_a_protocol_the_double_satisfies():
    assert isinstance(RecordingRuntime(), FlowRuntime)


def test_deploy_states_build_then_start_with_the_previous_version_visible_meanwhile(make_emulator):
    emulator = make_emulator(deploy_latency=0.6)
    client = client_for(emulator)
    _setup(client, iflow_zip("Flow_A"))
    assert _waiter(client).wait("Flow_A", "1.0.0", client.deploys.deploy("Flow_A"), time.monotonic() + 10).ok
    client.integration.update(LocalArtifact.from_zip(iflow_zip("Flow_A", "1.0.1"), "Flow_A.zip"))
    task = client.deploys.deploy("Flow_A")
    assert client.deploys.build_status(task) == "DEPLOYING"
    during_build = client.runtime.get("Flow_A")
    assert (during_build.status, during_build.version) == ("STARTED", "1.0.0")   # the old one still runs
    seen = set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        artifact = client.runtime.get("Flow_A")
        seen.add((artifact.status, artifact.version))
        if artifact.status == "STARTED" and artifact.version == "1.0.1":
            break
        time.sleep(0.02)
    assert ("STARTING", "1.0.1") in seen and ("STARTED", "1.0.1") in seen
    assert client.deploys.build_status(task) == "SUCCESS"


def test_lint_failure_at_deploy_ends_in_fail_with_the_findings(make_emulator):
    pytest.importorskip("generator.lint")
    emulator = make_emulator(lint="deploy")                 # accepted on upload, refused at deploy
    client = client_for(emulator)
    _setup(client, iflow_zip("Flow_A"))
    outcome = _waiter(client).wait("Flow_A", "1.0.0", client.deploys.deploy("Flow_A"), time.monotonic() + 10)
    assert not outcome.ok and outcome.status == "FAIL"
    assert outcome.error.startswith("Validation of the artifact failed: ")
    assert "[diagram-complete]" in outcome.error
    assert client.runtime.get("Flow_A").status == "ERROR"
    validation = client.integration.validate("Flow_A")
    assert not validation.passed and "diagram-complete" in validation.text()


def test_runtime_refusal_becomes_the_error_information(make_emulator):
    runtime = RecordingRuntime(refuse={"Flow_A": "UnsupportedComponent: MessageMapping 1.0 at CallActivity_3"})
    emulator = make_emulator(runtime=runtime)
    client = client_for(emulator)
    _setup(client, iflow_zip("Flow_A"))
    outcome = _waiter(client).wait("Flow_A", "1.0.0", client.deploys.deploy("Flow_A"), time.monotonic() + 10)
    assert (outcome.ok, outcome.status) == (False, "ERROR")
    assert outcome.error == "UnsupportedComponent: MessageMapping 1.0 at CallActivity_3"


def test_error_information_answers_204_for_a_while(make_emulator):
    runtime = RecordingRuntime(refuse={"Flow_A": "boom"})
    emulator = make_emulator(runtime=runtime, error_info_delay=0.5)
    client = client_for(emulator)
    _setup(client, iflow_zip("Flow_A"))
    client.deploys.deploy("Flow_A")
    deadline = time.monotonic() + 5
    while getattr(client.runtime.get("Flow_A"), "status", None) != "ERROR" and time.monotonic() < deadline:
        time.sleep(0.02)
    url = emulator.api_url + "/IntegrationRuntimeArtifacts('Flow_A')/ErrorInformation/$value"
    assert requests.get(url, auth=CLIENT).status_code == 204
    assert client.runtime.error_information("Flow_A", wait=3, interval=0.1) == "boom"


def test_the_runtime_gets_configuration_value_maps_and_security(make_emulator):
    runtime = RecordingRuntime()
    emulator = make_emulator(runtime=runtime)
    emulator.store.security_put("UserCredentials", "S4_Basic", {"user": "u", "password": "p"})
    client = client_for(emulator)
    _setup(client, iflow_zip("Flow_A"), value_mapping_zip("VM_1"))
    waiter = _waiter(client)
    assert waiter.wait("VM_1", "1.0.0", client.deploys.deploy("VM_1", "ValueMapping"), time.monotonic() + 10).ok
    assert waiter.wait("Flow_A", "1.0.0", client.deploys.deploy("Flow_A"), time.monotonic() + 10).ok
    version, content, configuration, value_maps, security = runtime.deployed["Flow_A"]
    assert content == iflow_zip("Flow_A") and configuration["Credential Name"] == "S4_Basic"
    assert {(v.src_value, v.tgt_value) for v in value_maps} == {("01", "STANDARD"), ("02", "EXPEDITED")}
    assert isinstance(security, SecurityMaterial) and security.user_credentials["S4_Basic"]["password"] == "p"
    assert len(runtime.value_maps) == 2                       # the VM deploy notified the runtime
    client.runtime.undeploy("Flow_A")
    assert runtime.undeployed == ["Flow_A"] and client.runtime.get("Flow_A") is None


def test_runtime_endpoints_pass_the_principal_or_answer_503_without_a_runtime(make_emulator):
    bare = make_emulator("bare.db")
    answer = requests.post(bare.url + "/http/orders", data=b"x")
    assert answer.status_code == 503 and "no runtime" in answer.text
    runtime = RecordingRuntime()
    emulator = make_emulator("rt.db", runtime=runtime, clients=[{"client_id": "sender", "client_secret": "s",
                                                                 "roles": ["ESBMessaging.send"]}])
    reply = requests.post(emulator.url + "/http/orders/create", data=b"hello", auth=("sender", "s"))
    assert reply.text == "sender:hello"
    method, path, body, principal = runtime.calls[-1]
    assert (method, path) == ("POST", "/http/orders/create")
    assert principal == Principal("sender", frozenset({"ESBMessaging.send"}), "basic")
    requests.post(emulator.url + "/cxf/orders", data=b"soap")
    assert runtime.calls[-1][3] is None                        # anonymous: the runtime answers 401 itself


def test_state_survives_a_restart_and_pending_deploys_resume(tmp_path):
    db = tmp_path / "persist.db"
    first = Emulator.create(db, client=CLIENT, deploy_latency=5.0, settings=Settings(lint="off")).start()
    try:
        client = client_for(first)
        _setup(client, iflow_zip("Flow_A"))
        mpl = first.store.mpl_begin("Flow_A", "corr-9", "Sender", {})
        first.store.mpl_end(mpl, "COMPLETED")
        task = client.deploys.deploy("Flow_A")               # still DEPLOYING when we stop
    finally:
        first._server.stop()
        first._server = None
        first.worker.abandon()
        first.store.close()                                  # the process dies: worker never finishes
    runtime = RecordingRuntime()
    second = Emulator.create(db, client=CLIENT, runtime=runtime, deploy_latency=0.02, settings=Settings(lint="off")).start()
    try:
        client = client_for(second)
        assert client.packages.get("PKG") is not None
        assert client.integration.get("Flow_A").version == "1.0.0"
        assert [m.guid for m in client.logs.query(correlation_id="corr-9")] == [mpl]
        outcome = _waiter(client).wait("Flow_A", "1.0.0", task, time.monotonic() + 10)
        assert outcome.ok and "Flow_A" in runtime.deployed     # the interrupted task was resumed
    finally:
        second.stop()
    third_runtime = RecordingRuntime()
    third = Emulator.create(db, client=CLIENT, runtime=third_runtime, settings=Settings(lint="off")).start()
    try:
        assert "Flow_A" in third_runtime.deployed              # STARTED flows are restored into a new runtime
    finally:
        third.stop()


def test_parallel_deploys_overlap(make_emulator):
    emulator = make_emulator(deploy_latency=0.4)
    client = client_for(emulator)
    _setup(client, *(iflow_zip(f"Flow_{i}") for i in range(6)))
    started = time.monotonic()
    tasks = {f"Flow_{i}": client.deploys.deploy(f"Flow_{i}") for i in range(6)}
    results = {}
    threads = [threading.Thread(target=lambda a=a, t=t: results.__setitem__(a, _waiter(client).wait(a, "1.0.0", t, time.monotonic() + 10)))
               for a, t in tasks.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(o.ok for o in results.values())
    assert time.monotonic() - started < 6 * 0.4               # not one after the other
