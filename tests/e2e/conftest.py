"""One local landscape for the whole end-to-end session, started and stopped as a user would
(``s4amz up`` / ``s4amz down`` as subprocesses in a test home; see ``e2e_landscape.py``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

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
