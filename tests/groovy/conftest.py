"""Fixtures for the Groovy tests: one shared script host per runtime for the whole session."""

from __future__ import annotations

import json
import os
from typing import Any, Callable

import pytest

from groovy_helpers import library_script
from harness.scripthost import JvmNotBuilt, ScriptHost, ScriptMessage, ScriptResult

RUNTIME_IDS = ["2.4", "4.0"]


def _host_or_skip(version: str) -> ScriptHost:
    host = ScriptHost.shared(version)
    try:
        host.start()
    except JvmNotBuilt as exc:
        if os.environ.get("CI"):
            raise  # CI builds the JVM side first (`make test` runs `make groovy`): never hide it
        pytest.skip(str(exc))
    return host


@pytest.fixture(scope="session", params=RUNTIME_IDS, ids=[f"groovy{v}" for v in RUNTIME_IDS])
def host(request: pytest.FixtureRequest) -> ScriptHost:
    """The shared host of each Groovy runtime (tests using it run once per runtime)."""
    return _host_or_skip(request.param)


@pytest.fixture(scope="session")
def host24() -> ScriptHost:
    return _host_or_skip("2.4")


@pytest.fixture(scope="session")
def host40() -> ScriptHost:
    return _host_or_skip("4.0")


@pytest.fixture
def run(host: ScriptHost) -> Callable[..., ScriptResult]:
    """Run a library script on the parametrized runtime: run("name", body=..., properties=...)."""

    def _run(name: str, body: Any = None, *, function: str = "processData", headers: dict | None = None,
             properties: dict | None = None, **kwargs: Any) -> ScriptResult:
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body, ensure_ascii=False)
        message = ScriptMessage(body=body, headers=headers or {}, properties=properties or {})
        return host.run(library_script(name), function, message, **kwargs)

    return _run
