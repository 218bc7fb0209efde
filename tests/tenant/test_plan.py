"""Planning is pure: normalized per-file comparison, parameter changes, deploy decisions."""

from __future__ import annotations

import io
import zipfile

from tenant_builders import iflow_zip
from harness.tenant.artifact import LocalArtifact
from harness.tenant.plan import RemoteArtifact, changed_files, normalized_digests, plan_artifact, plan_deploy


def _local(**kwargs) -> LocalArtifact:
    return LocalArtifact.from_zip(iflow_zip("Flow_A", **kwargs), "Flow_A.zip")


def _remote_from(data: bytes, **kwargs) -> RemoteArtifact:
    local = LocalArtifact.from_zip(data, "remote")
    base = dict(id=local.id, exists=True, version=local.version, package_id="PKG",
                digests=normalized_digests(data), configuration=dict(local.parameters),
                runtime_status="STARTED", runtime_version=local.version)
    base.update(kwargs)
    return RemoteArtifact(**base)


def test_tenant_volatile_details_do_not_count_as_changes():
    ours = iflow_zip("Flow_A")
    theirs = iflow_zip("Flow_A", date_line="#Mon Mar 02 11:00:00 UTC 2026", crlf_iflw=True,
                       manifest_extra={"Origin-ModifiedDate": "1799999999999", "Origin-Bundle-Name": "other"},
                       parameters={"Sender Address": "/configured-on-tenant", "Receiver Address": "http://s4",
                                   "Credential Name": "S4_Prod"})
    assert changed_files(normalized_digests(ours), normalized_digests(theirs)) == []


def test_real_changes_are_found_per_file():
    ours = iflow_zip("Flow_A", description="new text")
    theirs = iflow_zip("Flow_A")
    changed = changed_files(normalized_digests(ours), normalized_digests(theirs))
    assert changed == ["metainfo.prop", "src/main/resources/scenarioflows/integrationflow/Flow_A.iflw"]
    more_params = iflow_zip("Flow_A", parameters={"Sender Address": "/a", "Receiver Address": "x",
                                                  "Credential Name": "c", "New Param": "1"})
    assert "src/main/resources/parameters.prop" in changed_files(normalized_digests(more_params),
                                                                 normalized_digests(theirs))


def test_new_artifact_is_created_and_deployed():
    plan, errors = plan_artifact(_local(), RemoteArtifact("Flow_A", exists=False), {}, "PKG")
    assert errors == [] and plan.upload == "create" and plan.deploy and plan.parameters == []


def test_unchanged_artifact_running_its_version_does_nothing():
    data = iflow_zip("Flow_A")
    plan, _ = plan_artifact(LocalArtifact.from_zip(data, "x"), _remote_from(data), {}, "PKG")
    assert plan.unchanged


def test_parameter_change_without_content_change_redeploys_without_upload():
    data = iflow_zip("Flow_A")
    plan, _ = plan_artifact(LocalArtifact.from_zip(data, "x"), _remote_from(data),
                            {"Credential Name": "S4_Prod"}, "PKG")
    assert plan.upload is None and plan.deploy
    assert [(c.key, c.value) for c in plan.parameters] == [("Credential Name", "S4_Prod")]
    assert plan.previous["Credential Name"] == "S4_Basic"
    assert any("param   Flow_A: Credential Name: 'S4_Basic' -> 'S4_Prod'" in line
               for line in plan_deploy([LocalArtifact.from_zip(data, "x")], {"Flow_A": _remote_from(data)},
                                       {"Flow_A": {"Credential Name": "S4_Prod"}}, "PKG", package_exists=True).lines())


def test_values_configured_on_the_tenant_are_reset_to_package_defaults_deterministically():
    data = iflow_zip("Flow_A")
    remote = _remote_from(data, configuration={"Sender Address": "/hand-edited", "Receiver Address": "http://localhost:1/x",
                                               "Credential Name": "S4_Basic"})
    plan, _ = plan_artifact(LocalArtifact.from_zip(data, "x"), remote, {}, "PKG")
    assert [(c.key, c.value) for c in plan.parameters] == [("Sender Address", "/flow_a")]


def test_updated_content_resets_configuration_to_the_zip_then_applies_the_environment():
    old = iflow_zip("Flow_A")
    new = iflow_zip("Flow_A", "1.0.1", description="changed")
    remote = _remote_from(old, configuration={"Sender Address": "/flow_a", "Receiver Address": "http://localhost:1/x",
                                              "Credential Name": "S4_Prod"})
    plan, _ = plan_artifact(LocalArtifact.from_zip(new, "x"), remote, {"Credential Name": "S4_Prod"}, "PKG")
    assert plan.upload == "update" and "META-INF/MANIFEST.MF" in plan.files
    assert [(c.key, c.value) for c in plan.parameters] == [("Credential Name", "S4_Prod")]
    assert plan.warnings == []


def test_changed_content_with_the_same_version_warns():
    plan, _ = plan_artifact(_local(description="changed"), _remote_from(iflow_zip("Flow_A")), {}, "PKG")
    assert plan.upload == "update"
    assert plan.warnings and "Bundle-Version stays 1.0.0" in plan.warnings[0]


def test_runtime_states_that_force_a_deploy():
    data = iflow_zip("Flow_A")
    local = LocalArtifact.from_zip(data, "x")
    for remote, reason in ((_remote_from(data, runtime_status=None, runtime_version=None), "not deployed"),
                           (_remote_from(data, runtime_version="0.9.0"), "runtime runs 0.9.0"),
                           (_remote_from(data, runtime_status="ERROR"), "runtime in ERROR")):
        plan, _ = plan_artifact(local, remote, {}, "PKG")
        assert plan.deploy and plan.upload is None and reason in plan.reasons


def test_unknown_parameter_and_foreign_package_are_errors():
    data = iflow_zip("Flow_A")
    _, errors = plan_artifact(LocalArtifact.from_zip(data, "x"), _remote_from(data, package_id="OTHER"),
                              {"Nope": "1"}, "PKG", "config/test.yaml")
    assert errors[0].startswith("config/test.yaml: parameters.Flow_A.Nope: Flow_A has no parameter 'Nope' (it has: ")
    assert "already exists in package 'OTHER'" in errors[1]


def test_whole_plan_lines_and_prune():
    data = iflow_zip("Flow_A")
    plan = plan_deploy([LocalArtifact.from_zip(data, "x")], {"Flow_A": _remote_from(data)}, {}, "PKG",
                       package_exists=False, prune=[("Old_Flow", "Integration")])
    assert plan.create_package and [a.id for a in plan.deletes] == ["Old_Flow"]
    text = "\n".join(plan.lines())
    assert "package PKG: create" in text and "- delete  Old_Flow" in text and "unchanged: Flow_A" in text
    assert not plan.empty


def test_binary_files_are_compared_by_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target, zipfile.ZipFile(io.BytesIO(iflow_zip("Flow_A"))) as source:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("src/main/resources/lib/x.jar", b"\x00\x01 \r\n")
    digests = normalized_digests(out.getvalue())
    assert "src/main/resources/lib/x.jar" in digests


def test_a_draft_on_the_tenant_is_not_overwritten():
    data = iflow_zip("Flow_A")
    _, errors = plan_artifact(LocalArtifact.from_zip(data, "x"), _remote_from(data, version="Active"), {}, "PKG")
    assert errors and "unsaved changes (a draft)" in errors[0]
