"""``s4amz build --check`` detects drift; the CLI verbs build and lint work end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build_all
from s4amz.cli import main


def test_check_reports_no_drift_after_a_build(make_repo):
    root = make_repo("all-components")
    build_all(root)
    result = build_all(root, check=True)
    assert result.ok and result.checked and not result.drift


def test_check_detects_every_kind_of_drift(make_repo):
    root = make_repo("all-components")
    build_all(root)
    prop = root / "iflows/Fixture_JMS_Flow/src/main/resources/parameters.prop"
    prop.write_text(prop.read_text() + "Extra=1\n")
    (root / "iflows/Fixture_Timer_Flow/metainfo.prop").unlink()
    (root / "iflows/Fixture_SOAP_Flow/src/main/resources/script").mkdir()
    (root / "iflows/Fixture_SOAP_Flow/src/main/resources/script/old.groovy").write_text("")
    stale = root / "iflows/Old_Flow/META-INF"
    stale.mkdir(parents=True)
    (stale / "MANIFEST.MF").write_text("Manifest-Version: 1.0\n")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    drift = build_all(root, check=True).drift
    assert "iflows/Fixture_JMS_Flow/src/main/resources/parameters.prop: differs from a fresh build" in drift
    assert "iflows/Fixture_Timer_Flow/metainfo.prop: missing" in drift
    assert "iflows/Fixture_SOAP_Flow/src/main/resources/script/old.groovy: not produced by the spec" in drift
    assert "iflows/Old_Flow/: not produced by any spec" in drift
    assert before == {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}, "check wrote files"


def test_spec_change_is_drift(make_repo):
    root = make_repo("all-components")
    build_all(root)
    spec = root / "mappings/everything.yaml"
    spec.write_text(spec.read_text().replace("- set: Tick", "- set: Tock"))
    assert any("Fixture_Timer_Flow" in d for d in build_all(root, check=True).drift)


def test_build_removes_artifacts_no_spec_produces(make_repo):
    root = make_repo("all-components")
    build_all(root)
    spec = root / "mappings/everything.yaml"
    text = spec.read_text()
    spec.write_text(text[: text.index("  - id: Fixture_ProcessDirect_Flow")])
    build_all(root)
    assert not (root / "iflows/Fixture_ProcessDirect_Flow").exists()
    assert not (root / "dist/Fixture_ProcessDirect_Flow.zip").exists()


def test_cli_build_check_and_lint(make_repo, monkeypatch, capsys):
    root = make_repo("all-components")
    monkeypatch.setenv("S4AMZ_HOME", str(root))
    assert main(["build", "--check"]) == 1, "nothing built yet: drift"
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "Fixture_HTTPS_Flow" in out and "6 artifacts" in out
    assert main(["build", "--check"]) == 0
    assert main(["lint"]) == 0
    assert main(["lint", str(root / "dist" / "Fixture_JMS_Flow.zip")]) == 0
    manifest = root / "iflows/Fixture_JMS_Flow/META-INF/MANIFEST.MF"
    manifest.write_bytes(manifest.read_bytes().replace(b"Bundle-Version: 1.0.0\r\n", b""))
    capsys.readouterr()
    assert main(["lint", str(root / "iflows" / "Fixture_JMS_Flow")]) == 1
    assert "required header Bundle-Version is missing" in capsys.readouterr().out


def test_cli_build_reports_spec_errors(make_repo, monkeypatch, capsys):
    root = make_repo("all-components")
    spec = root / "mappings/everything.yaml"
    spec.write_text(spec.read_text().replace("file: echo\n", "file: nowhere\n", 1))
    monkeypatch.setenv("S4AMZ_HOME", str(root))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "everything.yaml:" in err and "script 'nowhere.groovy' not found" in err


@pytest.mark.reference
def test_cli_lint_reference_exports(reference: Path, capsys):
    assert main(["lint", "--resources-stripped", "--errors-only", str(reference / "iflows")]) == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_package_json(make_repo):
    import json
    root = make_repo("all-components")
    result = build_all(root)
    doc = json.loads((root / "dist/package.json").read_text())
    assert doc["Id"] == "Fixture_All_Components" and doc["Version"] == "2.1.0"
    assert doc["Description"] == "Exercises every component the generator knows."
    entries = {a["Id"]: a for a in doc["artifacts"]}
    assert entries["Fixture_Value_Mappings"]["Type"] == "ValueMapping"
    assert entries["Fixture_HTTPS_Flow"]["Version"] == "2.0.1"
    for artifact in result.artifacts:
        assert entries[artifact.id]["Sha256"] == artifact.sha256
        assert (root / "dist" / entries[artifact.id]["File"]).is_file()
