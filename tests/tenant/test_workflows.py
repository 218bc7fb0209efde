"""Done-when: the CLI against emulated tenants (test and prod) on loopback.

Deploy everything, change one artifact and deploy again (only that one uploads), dry runs change
nothing, a rejected package ends with the tenant's text and a non-zero exit, and promotion moves
exactly the tested bytes (an untested hash is refused).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tenant_builders import iflow_zip, value_mapping_zip, write_dist
from harness.emulator.api.context import Settings
from harness.emulator.server import Emulator
from harness.tenant import records
from harness.tenant.artifact import LocalArtifact
from s4amz.cli import main

CLIENT = ("s4amz-ci", "ci-secret")
WRITES = ("POST", "PUT", "DELETE")


@dataclass
class Landscape:
    root: Path
    tenants: dict[str, Emulator]

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def writes(self, env: str, since: int = 0) -> list[tuple[str, str, int]]:
        """Write calls on a tenant's API (excluding the token endpoint)."""
        journal = list(self.tenants[env].app.journal)[since:]
        return [e for e in journal if e[0] in WRITES and e[1].startswith("/api/v1")]

    def mark(self, env: str) -> int:
        return len(self.tenants[env].app.journal)

    def snapshot(self, env: str) -> dict[str, Any]:
        store = self.tenants[env].store
        return {"packages": store.package_list(), "artifacts": [(a.id, a.version, a.content) for a in store.artifact_list()],
                "config": {a.id: store.config_list(a.id) for a in store.artifact_list()},
                "runtime": [(r["artifact_id"], r["version"], r["status"]) for r in store.runtime_list()],
                "valmaps": [(v["src_value"], v["tgt_value"]) for v in store.valmaps()]}


def _write_env(root: Path, name: str, emulator: Emulator, extra: str = "") -> None:
    (root / "config").mkdir(exist_ok=True)
    (root / "config" / f"{name}.yaml").write_text(f"""
kind: tenant
tenant:
  auth: oauth2
  api_url: {emulator.api_url}
  token_url: {emulator.token_url}
  client_id: {CLIENT[0]}
  client_secret: ${{env:S4AMZ_TEST_CLIENT_SECRET}}
deploy:
  deadline_s: 20
  parallel: 8
  poll: {{initial: 0.02, factor: 1.5, cap: 0.2}}
  error_wait_s: 2
{extra}
""")


def _start(tmp_path: Path, name: str, lint: str = "off", **kwargs: Any) -> Emulator:
    return Emulator.create(tmp_path / f"{name}.db", client=CLIENT, settings=Settings(lint=lint),
                           deploy_latency=0.02, **kwargs).start()


def _credentials(emulator: Emulator, *names: str) -> None:
    for name in names:
        emulator.store.security_put("UserCredentials", name, {"user": "u", "password": "p"})


@pytest.fixture
def landscape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "home"
    root.mkdir()
    monkeypatch.setenv("S4AMZ_HOME", str(root))
    monkeypatch.setenv("S4AMZ_STATE_DIR", str(root / ".s4amz"))
    monkeypatch.setenv("S4AMZ_TEST_CLIENT_SECRET", CLIENT[1])
    tenants = {"test": _start(tmp_path, "test"), "prod": _start(tmp_path, "prod")}
    _credentials(tenants["test"], "S4_Basic")
    _credentials(tenants["prod"], "S4_Basic", "S4_Prod")
    _write_env(root, "test", tenants["test"], """
parameters:
  Flow_A:
    Receiver Address: https://s4-test.example.com/sap/opu/odata
value_mappings:
  VM_Codes:
    - source: {agency: SAP, id: ShippingCondition}
      target: {agency: AMAZON, id: DeliverySpeed}
      values: {"02": PRIORITY, "03": SCHEDULED}
""")
    _write_env(root, "prod", tenants["prod"], """
parameters:
  Flow_A:
    Receiver Address: https://s4.example.com/sap/opu/odata
    Credential Name: S4_Prod
""")
    write_dist(root / "dist", {"Flow_A": iflow_zip("Flow_A"), "Flow_B": iflow_zip("Flow_B"),
                               "VM_Codes": value_mapping_zip("VM_Codes")})
    yield Landscape(root, tenants)
    for emulator in tenants.values():
        emulator.stop()


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_deploy_all_then_only_the_changed_artifact_uploads(landscape, capsys):
    code, out = _run(capsys, "deploy", "--env", "test")
    assert code == 0, out
    assert "+ create  Flow_A 1.0.0" in out and "package S4AMZ_Test: create" in out
    test = landscape.tenants["test"].store
    assert {(r["artifact_id"], r["status"]) for r in test.runtime_list()} == \
        {("Flow_A", "STARTED"), ("Flow_B", "STARTED"), ("VM_Codes", "STARTED")}
    assert test.config_values("Flow_A")["Receiver Address"] == "https://s4-test.example.com/sap/opu/odata"
    assert {(v["src_value"], v["tgt_value"]) for v in test.valmaps("VM_Codes")} == \
        {("01", "STANDARD"), ("02", "PRIORITY"), ("03", "SCHEDULED")}

    write_dist(landscape.dist, {"Flow_A": iflow_zip("Flow_A"), "Flow_B": iflow_zip("Flow_B", "1.0.1", description="changed"),
                                "VM_Codes": value_mapping_zip("VM_Codes")})
    mark = landscape.mark("test")
    code, out = _run(capsys, "deploy", "--env", "test")
    assert code == 0, out
    uploads = [(m, p) for m, p, _ in landscape.writes("test", mark) if "DesigntimeArtifacts" in p and "$links" not in p]
    assert uploads == [("PUT", "/api/v1/IntegrationDesigntimeArtifacts(Id='Flow_B',Version='active')")]
    deploys = [p for m, p, _ in landscape.writes("test", mark) if p.startswith("/api/v1/Deploy")]
    assert deploys == ["/api/v1/DeployIntegrationDesigntimeArtifact"]
    assert "~ update  Flow_B 1.0.1" in out and "unchanged: Flow_A, VM_Codes" in out
    assert test.runtime_get("Flow_B")["version"] == "1.0.1"

    mark = landscape.mark("test")
    code, out = _run(capsys, "deploy", "--env", "test")
    assert code == 0 and landscape.writes("test", mark) == []
    assert "unchanged: Flow_A, Flow_B, VM_Codes" in out


def test_parameters_go_in_one_batch_and_a_parameter_change_redeploys_without_upload(landscape, capsys):
    assert _run(capsys, "deploy", "--env", "test")[0] == 0
    config = landscape.root / "config" / "test.yaml"
    config.write_text(config.read_text().replace("s4-test.example.com", "s4-test2.example.com"))
    mark = landscape.mark("test")
    code, out = _run(capsys, "deploy", "--env", "test")
    assert code == 0, out
    writes = [(m, p) for m, p, _ in landscape.writes("test", mark)]
    assert writes == [("POST", "/api/v1/$batch"), ("POST", "/api/v1/ValidateIntegrationDesigntimeArtifact"),
                      ("POST", "/api/v1/DeployIntegrationDesigntimeArtifact")]
    assert "Receiver Address: 'https://s4-test.example.com/sap/opu/odata' -> 'https://s4-test2.example.com" in out


def test_dry_run_prints_the_plan_and_changes_nothing(landscape, capsys):
    before = landscape.snapshot("test")
    mark = landscape.mark("test")
    code, out = _run(capsys, "deploy", "--env", "test", "--dry-run")
    assert code == 0, out
    assert landscape.writes("test", mark) == [] and landscape.snapshot("test") == before
    assert "+ create  Flow_A 1.0.0" in out and "> deploy  Flow_B 1.0.0 (new; not deployed)" in out
    assert "+ valmap  VM_Codes: SAP/ShippingCondition -> AMAZON/DeliverySpeed: 02 -> PRIORITY" in out
    assert "dry run: nothing changed on test" in out
    assert _run(capsys, "deploy", "--env", "test")[0] == 0
    before = landscape.snapshot("test")
    config = landscape.root / "config" / "test.yaml"
    config.write_text(config.read_text().replace("03\": SCHEDULED", "03\": NEXT_DAY"))
    mark = landscape.mark("test")
    code, out = _run(capsys, "deploy", "--env", "test", "--dry-run")
    assert code == 0 and landscape.writes("test", mark) == [] and landscape.snapshot("test") == before
    assert "~ valmap  VM_Codes: SAP/ShippingCondition -> AMAZON/DeliverySpeed: 03: SCHEDULED -> NEXT_DAY" in out


def test_a_package_the_tenant_rejects_at_deploy_fails_with_its_text(landscape, capsys, tmp_path):
    pytest.importorskip("generator.lint")
    from harness.emulator.validation import lint_errors

    strict = _start(tmp_path, "strict", lint="deploy")          # saved, then refused when validated or built
    try:
        _credentials(strict, "S4_Basic")
        findings = lint_errors((landscape.dist / "Flow_A.zip").read_bytes(), "Flow_A.zip")
        assert findings
        _write_env(landscape.root, "strict", strict)
        code, out = _run(capsys, "deploy", "--env", "strict", "--only", "Flow_A")
        assert code == 1
        assert "FAILED Flow_A: FAILED: validation failed: " in out
        assert all(finding in out for finding in findings)       # ValidateIntegrationDesigntimeArtifact's text
        assert strict.store.runtime_get("Flow_A") is None        # never deployed
        _write_env(landscape.root, "strict", strict, "  validate: false")
        code, out = _run(capsys, "deploy", "--env", "strict", "--only", "Flow_A")
        assert code == 1
        tenant_text = strict.store.runtime_get("Flow_A")["error"]
        assert tenant_text == "Validation of the artifact failed: " + "; ".join(findings)
        assert f"FAILED Flow_A: FAIL: {tenant_text}" in out     # the build's error information, verbatim
        assert "1 artifact(s) failed on strict" in out
    finally:
        strict.stop()


def test_a_package_the_tenant_rejects_at_upload_fails_with_its_text(landscape, capsys, tmp_path):
    pytest.importorskip("generator.lint")
    strict = _start(tmp_path, "strict2", lint="upload")
    try:
        _credentials(strict, "S4_Basic")
        _write_env(landscape.root, "strict2", strict)
        code, out = _run(capsys, "deploy", "--env", "strict2", "--only", "Flow_A")
        assert code == 1
        assert "FAILED Flow_A: FAILED: upload failed: Artifact validation failed: " in out
        assert "the iFlow has no bpmndi:BPMNDiagram [diagram-complete]" in out
        assert strict.store.artifact_get("Flow_A") is None and strict.store.runtime_get("Flow_A") is None
    finally:
        strict.stop()


def test_a_runtime_start_failure_is_reported_with_the_runtime_reason(landscape, capsys, tmp_path):
    class Refusing:
        def deploy(self, artifact_id, *args):
            raise RuntimeError(f"UnsupportedComponent: MessageMapping 1.0 ({artifact_id})")

        def undeploy(self, artifact_id):
            pass

        def handle_http(self, *args):
            return 404, {}, b""

    tenant = _start(tmp_path, "refusing", runtime=Refusing())
    try:
        _credentials(tenant, "S4_Basic")
        _write_env(landscape.root, "refusing", tenant)
        code, out = _run(capsys, "deploy", "--env", "refusing", "--only", "Flow_B")
        assert code == 1
        assert "FAILED Flow_B: ERROR: UnsupportedComponent: MessageMapping 1.0 (Flow_B)" in out
    finally:
        tenant.stop()


def test_missing_credentials_refuse_the_whole_deploy_before_any_change(landscape, capsys, tmp_path):
    bare = _start(tmp_path, "bare")
    try:
        _write_env(landscape.root, "bare", bare)
        mark = len(bare.app.journal)
        code, out = _run(capsys, "deploy", "--env", "bare")
        assert code == 2
        assert "Flow_A: credential 'S4_Basic' is not deployed on bare" in out
        assert [e for e in list(bare.app.journal)[mark:] if e[0] in WRITES and e[1].startswith("/api")] == []
    finally:
        bare.stop()


def test_unknown_parameter_names_the_file_and_key(landscape, capsys):
    config = landscape.root / "config" / "test.yaml"
    config.write_text(config.read_text().replace("Receiver Address:", "Reciever Address:"))
    code, out = _run(capsys, "deploy", "--env", "test", "--dry-run")
    assert code == 2
    assert "test.yaml: parameters.Flow_A.Reciever Address: Flow_A has no parameter 'Reciever Address'" in out


def test_prune_removes_what_is_no_longer_local(landscape, capsys):
    assert _run(capsys, "deploy", "--env", "test")[0] == 0
    write_dist(landscape.dist, {"Flow_A": iflow_zip("Flow_A"), "VM_Codes": value_mapping_zip("VM_Codes")})
    code, out = _run(capsys, "deploy", "--env", "test")
    assert code == 0 and landscape.tenants["test"].store.artifact_get("Flow_B") is not None   # opt-in only
    code, out = _run(capsys, "deploy", "--env", "test", "--prune")
    assert code == 0, out
    assert "- delete  Flow_B" in out
    store = landscape.tenants["test"].store
    assert store.artifact_get("Flow_B") is None and store.runtime_get("Flow_B") is None
    assert _run(capsys, "deploy", "--env", "test", "--prune", "--only", "Flow_A")[0] == 2


def test_status_undeploy_and_logs(landscape, capsys):
    assert _run(capsys, "deploy", "--env", "test")[0] == 0
    code, out = _run(capsys, "status", "--env", "test")
    assert code == 0 and "in sync" in out
    store = landscape.tenants["test"].store
    guid = store.mpl_begin("Flow_A", "corr-77", "S4HANA", {})
    store.mpl_end(guid, "FAILED", "HTTP 404 from BwP: order not found")
    code, out = _run(capsys, "logs", "--env", "test", "--failed", "--flow", "Flow_A")
    assert code == 0 and guid in out and "HTTP 404 from BwP: order not found" in out
    code, out = _run(capsys, "undeploy", "--env", "test", "Flow_A")
    assert code == 0 and store.runtime_get("Flow_A") is None
    code, out = _run(capsys, "status", "--env", "test")
    assert code == 1 and "not deployed" in out
    assert _run(capsys, "undeploy", "--env", "test")[0] == 2          # neither ids nor --all


def _tested(landscape: Landscape, passed: bool = True, only: tuple[str, ...] = ("Flow_A", "Flow_B", "VM_Codes")) -> None:
    artifacts = {a: LocalArtifact.from_path(landscape.dist / f"{a}.zip") for a in only}
    records.record_test_run("test", {a: (x.version, x.sha256) for a, x in artifacts.items()}, passed)


def test_promote_moves_exactly_the_tested_bytes_to_prod(landscape, capsys):
    assert _run(capsys, "deploy", "--env", "test")[0] == 0
    _tested(landscape)
    code, out = _run(capsys, "promote", "--from", "test", "--to", "prod")
    assert code == 0, out
    prod = landscape.tenants["prod"].store
    for artifact_id in ("Flow_A", "Flow_B", "VM_Codes"):
        assert prod.artifact_get(artifact_id).content == (landscape.dist / f"{artifact_id}.zip").read_bytes()
        assert prod.runtime_get(artifact_id)["status"] == "STARTED"
    assert prod.config_values("Flow_A")["Credential Name"] == "S4_Prod"                 # prod's parameters
    assert prod.config_values("Flow_A")["Receiver Address"] == "https://s4.example.com/sap/opu/odata"
    record_files = list((landscape.root / ".s4amz" / "promotions").glob("*-test-to-prod.json"))
    record = json.loads(record_files[0].read_text())
    assert record["ok"] and record["artifacts"]["Flow_A"]["sha256"] == \
        LocalArtifact.from_path(landscape.dist / "Flow_A.zip").sha256
    assert record["artifacts"]["Flow_A"]["smoke"] == "ok"
    assert "promoted 3 artifact(s) from test to prod" in out


def test_promotion_of_an_untested_hash_is_refused_and_prod_is_untouched(landscape, capsys):
    assert _run(capsys, "deploy", "--env", "test")[0] == 0
    _tested(landscape)
    write_dist(landscape.dist, {"Flow_A": iflow_zip("Flow_A", description="built after the tests ran"),
                                "Flow_B": iflow_zip("Flow_B"), "VM_Codes": value_mapping_zip("VM_Codes")})
    before = landscape.snapshot("prod")
    mark = landscape.mark("prod")
    code, out = _run(capsys, "promote", "--from", "test", "--to", "prod")
    assert code == 1
    assert "promotion refused" in out and "Flow_A 1.0.0 (sha256 " in out and "was never contract-tested on test" in out
    assert landscape.writes("prod", mark) == [] and landscape.snapshot("prod") == before


def test_promotion_after_a_failed_run_is_refused(landscape, capsys):
    _tested(landscape, passed=True)
    _tested(landscape, passed=False)
    code, out = _run(capsys, "promote", "--from", "test", "--to", "prod", "--only", "Flow_B")
    assert code == 1 and "FAILED the contract suite on test" in out


def test_promotion_reads_a_committed_record_file(landscape, capsys, tmp_path):
    committed = tmp_path / "ci-records.jsonl"
    artifact = LocalArtifact.from_path(landscape.dist / "Flow_B.zip")
    records.record_test_run("test", {"Flow_B": (artifact.version, artifact.sha256)}, True, record_file=committed)
    for path in (landscape.root / ".s4amz" / "runs" / "test").glob("*.json"):
        path.unlink()
    assert _run(capsys, "promote", "--from", "test", "--to", "prod", "--only", "Flow_B")[0] == 1
    code, out = _run(capsys, "promote", "--from", "test", "--to", "prod", "--only", "Flow_B",
                     "--records", str(committed), "--dry-run")
    assert code == 0 and "dry run: nothing changed on prod" in out
    assert landscape.tenants["prod"].store.artifact_get("Flow_B") is None


def test_config_errors_are_clear(landscape, capsys, monkeypatch):
    code, out = _run(capsys, "deploy", "--env", "nowhere")
    assert code == 2 and "no environment 'nowhere'" in out
    monkeypatch.delenv("S4AMZ_TEST_CLIENT_SECRET")
    code, out = _run(capsys, "status", "--env", "test")
    assert code == 2 and "set the environment variable S4AMZ_TEST_CLIENT_SECRET" in out
