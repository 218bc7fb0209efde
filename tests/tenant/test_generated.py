"""Done-when with the real generator: build the specs, deploy every generated package to an emulated
tenant that lints uploads, change one spec, deploy again: only that artifact is uploaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from harness.emulator.api.context import Settings
from harness.emulator.server import Emulator
from harness.paths import REPO_ROOT
from harness.tenant.artifact import load_dist
from s4amz.cli import main

pytest.importorskip("generator.build")
CLIENT = ("s4amz-ci", "ci-secret")


def _specs() -> Path:
    """The repository's specs when there are any, else the generator's own fixture spec."""
    real = REPO_ROOT / "mappings"
    if real.is_dir() and [p for p in real.glob("*.yaml") if p.name != "package.yaml"]:
        return real
    return REPO_ROOT / "tests" / "generator" / "fixtures" / "return-events" / "mappings"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    shutil.copytree(_specs(), root / "mappings")
    if (REPO_ROOT / "groovy" / "scripts").is_dir():
        shutil.copytree(REPO_ROOT / "groovy" / "scripts", root / "groovy" / "scripts")
    monkeypatch.setenv("S4AMZ_HOME", str(root))
    monkeypatch.setenv("S4AMZ_STATE_DIR", str(root / ".s4amz"))
    monkeypatch.setenv("S4AMZ_GEN_SECRET", CLIENT[1])
    return root


def _change_first_flow_description(text: str) -> str:
    """Append " (changed)" to the first flow's description, editing the text (formatting kept)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("flows:"))
    index = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("description:"))
    indent = len(lines[index]) - len(lines[index].lstrip())
    value = lines[index].split(":", 1)[1].strip()
    if value[:1] in (">", "|"):
        last = index + 1
        while last + 1 < len(lines) and (len(lines[last + 1]) - len(lines[last + 1].lstrip())) > indent \
                and lines[last + 1].strip():
            last += 1
        lines[last] += " (changed)"
    elif value[-1:] in ("'", '"'):
        lines[index] = lines[index][:-1] + " (changed)" + value[-1]
    else:
        lines[index] += " (changed)"
    return "\n".join(lines)


def _env(root: Path, emulator: Emulator) -> None:
    (root / "config").mkdir(exist_ok=True)
    (root / "config" / "gen.yaml").write_text(f"""
tenant: {{api_url: "{emulator.api_url}", token_url: "{emulator.token_url}", client_id: {CLIENT[0]},
          client_secret: "${{env:S4AMZ_GEN_SECRET}}"}}
deploy: {{deadline_s: 30, poll: {{initial: 0.02, factor: 1.5, cap: 0.2}}}}
""")


def test_generated_packages_deploy_and_a_changed_spec_uploads_only_its_artifact(home, tmp_path, capsys):
    emulator = Emulator.create(tmp_path / "gen.db", client=CLIENT, settings=Settings(lint="upload"),
                               deploy_latency=0.02).start()
    try:
        _env(home, emulator)
        from generator.build import build_all

        build_all(home)                                             # to learn the aliases the flows need
        for artifact in load_dist(home / "dist"):
            for alias in artifact.credential_aliases():
                emulator.store.security_put("UserCredentials", alias, {"user": "u", "password": "p"})
        (home / "dist" / "package.json").unlink()                   # `deploy` must notice and rebuild

        code = main(["deploy", "--env", "gen"])
        out = capsys.readouterr().out
        assert code == 0, out
        built = load_dist(home / "dist")
        assert built and "built " in out
        runtime = {r["artifact_id"]: (r["status"], r["version"]) for r in emulator.store.runtime_list()}
        assert runtime == {a.id: ("STARTED", a.version) for a in built}

        spec = sorted(p for p in (home / "mappings").glob("*.yaml") if p.name != "package.yaml")[0]
        changed = yaml.safe_load(spec.read_text())["flows"][0]["id"]
        spec.write_text(_change_first_flow_description(spec.read_text()))
        assert yaml.safe_load(spec.read_text())["flows"][0]["description"].endswith("(changed)")
        mark = len(emulator.app.journal)

        code = main(["deploy", "--env", "gen"])
        out = capsys.readouterr().out
        assert code == 0, out
        uploads = [(m, p) for m, p, _ in list(emulator.app.journal)[mark:]
                   if m in ("POST", "PUT") and "DesigntimeArtifacts" in p and "$links" not in p]
        assert uploads == [("PUT", f"/api/v1/IntegrationDesigntimeArtifacts(Id='{changed}',Version='active')")]
        assert f"~ update  {changed}" in out
    finally:
        emulator.stop()
