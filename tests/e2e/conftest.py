"""One local landscape for the whole end-to-end session, started and stopped as a user would
(``s4amz up`` / ``s4amz down`` as subprocesses in a test home; see ``e2e_landscape.py``), and one
run of the whole contract suite on it (``contract_run``)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from lxml import etree

from e2e_landscape import Landscape, cli, make_home
from harness.paths import REPO_ROOT


@pytest.fixture(scope="session")
def e2e_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO_ROOT / "groovy" / "target" / "lib" / "s4amz-script-host.jar").is_file() and not os.environ.get("CI"):
        pytest.skip("the Groovy script host is not built: run `make groovy`")
    return make_home(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="session")
def landscape(e2e_home: Path) -> Iterator[Landscape]:
    """`s4amz up` once per session (a subprocess), `s4amz down` at the end."""
    started = cli(e2e_home, "up")
    try:
        assert started.returncode == 0, f"s4amz up failed:\n{started.stdout}\n{started.stderr}"
        running = Landscape(e2e_home)
        running.up_output = started.stdout  # type: ignore[attr-defined]
        yield running
    finally:
        stopped = cli(e2e_home, "down")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


@pytest.fixture
def clean(landscape: Landscape) -> Landscape:
    """The landscape with the mocks reset and nothing left in flight."""
    landscape.wait_idle()
    landscape.reset()
    return landscape


@dataclass
class ContractRun:
    """The session's one run of the whole contract suite (``s4amz test`` in the test home)."""

    process: subprocess.CompletedProcess
    report: Path
    cases: dict[tuple[str, str], etree._Element]        # (JUnit classname, scenario name) -> testcase


@pytest.fixture(scope="session")
def contract_run(landscape: Landscape) -> ContractRun:
    """Every scenario of the test home (``tests/contract/`` of the repository and the e2e fixture
    scenarios) run once, as ``s4amz test`` runs them; the tests read its output and JUnit report."""
    landscape.wait_idle()
    run = cli(landscape.home, "test", "--record-file", "runs.jsonl", timeout=1200)
    report = landscape.home / "reports" / "contract-local.xml"
    assert report.is_file(), f"`s4amz test` wrote no report (exit {run.returncode}):\n{run.stdout[-4000:]}\n{run.stderr[-3000:]}"
    cases = {(case.get("classname"), case.get("name")): case
             for case in etree.parse(str(report)).getroot().iter("testcase")}
    return ContractRun(run, report, cases)
