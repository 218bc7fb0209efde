"""`s4amz demo` on a fresh home (no dist/, no .s4amz/): build, up, suite, summary, down."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e_landscape import cli, make_home
from harness.contract.loader import load_all
from harness.paths import REPO_ROOT


def test_demo_runs_the_main_job_from_scratch_and_leaves_nothing_running(tmp_path: Path):
    if not (REPO_ROOT / "groovy" / "target" / "lib" / "s4amz-script-host.jar").is_file():
        pytest.skip("the Groovy script host is not built: run `make groovy`")
    home = make_home(tmp_path)
    demo = cli(home, "demo", "--tag", "e2e", timeout=600)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    out = demo.stdout
    for step in ("1/4 build", "2/4 up", "3/4 contract suite", "4/4 down"):
        assert step in out
    assert "S4AMZ_E2E_Forward_Event" in out and "mocks: started" in out and "emulator: started" in out
    assert "module" in out and "scenario" in out and "result" in out and "time" in out
    scenarios, _ = load_all([], home / "tests" / "contract")
    tagged = [s for s in scenarios if "e2e" in s.tags]
    assert len(tagged) >= 3
    assert "demo finished in" in out and f"{len(tagged)} passed, 0 failed, 0 skipped" in out
    assert "emulator: stopped" in out and "mocks: stopped" in out
    assert not (home / ".s4amz" / "emulator.pid").exists() and not (home / ".s4amz" / "mocks.pid").exists()
    assert (home / "reports" / "contract-local.xml").is_file() and (home / "dist" / "package.json").is_file()
