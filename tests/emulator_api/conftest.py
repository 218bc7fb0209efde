"""Emulated tenants on loopback for the API tests (each with its own SQLite file)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "tenant"))
sys.path.insert(0, str(Path(__file__).parent))

from emulator_helpers import CLIENT, client_for  # noqa: E402
from harness.emulator.api.context import Settings  # noqa: E402
from harness.emulator.server import Emulator  # noqa: E402
from harness.tenant.client import TenantClient  # noqa: E402


@pytest.fixture
def make_emulator(tmp_path: Path) -> Iterator[Callable[..., Emulator]]:
    """Start emulators (stopped at the end): ``make_emulator(lint="off", deploy_latency=0.05, ...)``."""
    started: list[Emulator] = []

    def make(db: str = "tenant.db", *, lint: str = "off", runtime: Any = None, **kwargs: Any) -> Emulator:
        settings = kwargs.pop("settings", None) or Settings(lint=lint, page_size=kwargs.pop("page_size", 1000),
                                                            error_info_delay=kwargs.pop("error_info_delay", 0.0))
        emulator = Emulator.create(tmp_path / db, client=CLIENT, runtime=runtime, settings=settings,
                                   deploy_latency=kwargs.pop("deploy_latency", 0.02), **kwargs).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        if emulator._server is not None:
            emulator.stop()


@pytest.fixture
def emulator(make_emulator) -> Emulator:
    return make_emulator()


@pytest.fixture
def client(emulator: Emulator) -> TenantClient:
    return client_for(emulator)
