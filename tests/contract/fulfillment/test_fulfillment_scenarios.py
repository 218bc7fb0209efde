"""The module's contract scenarios (the YAML files of this folder) through `s4amz test`, as a user
runs them: in a home of their own (a copy of the specs, scripts and config, the built JVM side
linked), which starts its own local landscape and stops it afterwards. Every scenario must pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from harness.paths import REPO_ROOT

HERE = Path(__file__).parent


def _cli(home: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "S4AMZ_HOME": str(home), "S4AMZ_STATE_DIR": str(home / ".s4amz"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "s4amz", *args], cwd=home, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_every_fulfillment_scenario_passes(tmp_path: Path) -> None:
    if not (REPO_ROOT / "groovy" / "target" / "lib" / "s4amz-script-host.jar").is_file() and not os.environ.get("CI"):
        pytest.skip("the Groovy script host is not built: run `make groovy`")
    home = tmp_path / "home"
    (home / "groovy").mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "mappings", home / "mappings")
    shutil.copytree(REPO_ROOT / "groovy" / "scripts", home / "groovy" / "scripts")
    (home / "groovy" / "target").symlink_to(REPO_ROOT / "groovy" / "target", target_is_directory=True)
    shutil.copytree(REPO_ROOT / "config", home / "config")
    scenarios = sorted(HERE.glob("*.yaml"))
    (home / "tests" / "contract" / "fulfillment").mkdir(parents=True)
    for scenario in scenarios:
        shutil.copy(scenario, home / "tests" / "contract" / "fulfillment")
    try:
        run = _cli(home, "test", "--module", "fulfillment")
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    finally:
        stopped = _cli(home, "down", timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    report = etree.parse(str(home / "reports" / "contract-local.xml")).getroot()
    cases = list(report.iter("testcase"))
    assert len(cases) == len(scenarios) >= 13
    assert not [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None
                or c.find("skipped") is not None]
