"""Fixtures of the runtime tests: a runtime on a temporary state folder, loopback receivers."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from harness.emulator.runtime import InMemoryMplSink, Runtime
from harness.mocks.core import Fault, MockService, serve

from runtime_helpers import SENDER, post  # noqa: E402,F401  (re-exported for old imports)


class Receiver(MockService):
    """A loopback HTTP endpoint: records every call (``/__mock__/requests``), answers with a handler.

    The default handler echoes ``{"method", "path", "body"}`` as JSON; ``respond`` sets another.
    Faults come from the mocks' core (``faults.add(Fault(status=503, times=1))``).
    """

    name = "receiver"

    def __init__(self) -> None:
        self.handler: Callable[[Request], Response] = self._echo
        super().__init__()

    def routes(self) -> list[Rule]:
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "MERGE", "HEAD"]
        return [Rule("/", endpoint=self._dispatch, methods=methods),
                Rule("/<path:rest>", endpoint=self._dispatch, methods=methods)]

    def _dispatch(self, request: Request, rest: str = "") -> Response:
        return self.handler(request)

    @staticmethod
    def _echo(request: Request) -> Response:
        return Response(json.dumps({"method": request.method, "path": request.path,
                                    "body": request.get_data(as_text=True)}),
                        content_type="application/json")

    def respond(self, handler: Callable[[Request], Response]) -> None:
        self.handler = handler

    def fail(self, status: int, times: int | None = None, **extra: Any) -> None:
        self.faults.add(Fault(status=status, times=times, **extra))

    def calls(self, method: str | None = None) -> list:
        return self.journal.entries(method)


@pytest.fixture
def receiver():
    service = Receiver()
    server = serve(service)
    service.url = server.url  # type: ignore[attr-defined]
    yield service
    server.stop()


@pytest.fixture
def sink() -> InMemoryMplSink:
    return InMemoryMplSink()


@pytest.fixture
def make_runtime(tmp_path, sink):
    runtimes: list[Runtime] = []

    def make(**kwargs) -> Runtime:
        kwargs.setdefault("time_scale", 0.001)
        runtime = Runtime(tmp_path / "state", kwargs.pop("sink", sink), **kwargs)
        runtimes.append(runtime)
        return runtime

    yield make
    for runtime in runtimes:
        runtime.close()


@pytest.fixture
def runtime(make_runtime) -> Runtime:
    return make_runtime()

