"""Fixtures for the S/4HANA mocks: the OData and SOAP servers on loopback over one system (started
once per module, reset to the seed for every test) and a SOAP receiver."""

from __future__ import annotations

import itertools
import threading
from typing import Any, Iterator

import pytest
import requests
from werkzeug.wrappers import Request, Response

from harness.mocks.core import serve
from harness.mocks.s4hana import S4HanaOData
from harness.mocks.s4hana_soap import S4HanaSoap
from s4_support import OAUTH, PASSWORD, USER, Landscape, Receiver

_ids = itertools.count(1)


def _settings(system: str, **extra: Any) -> dict[str, Any]:
    return {"system": system, "user": USER, "password": PASSWORD, "oauth_clients": {OAUTH[0]: OAUTH[1]}, **extra}


@pytest.fixture(scope="module")
def _s4_servers() -> Iterator[tuple[S4HanaOData, S4HanaSoap, str, str]]:
    """Both mocks over one system, started once per test module."""
    system = f"TEST{next(_ids)}"
    odata = S4HanaOData(_settings(system))
    soap = S4HanaSoap(_settings(system))
    servers = [serve(odata), serve(soap)]
    try:
        yield odata, soap, servers[0].url, servers[1].url
    finally:
        for server in servers:
            server.stop()


@pytest.fixture()
def s4(_s4_servers: tuple[S4HanaOData, S4HanaSoap, str, str]) -> Landscape:
    """The S/4HANA mocks back at their seed (journal, faults, sessions and messages cleared)."""
    odata, soap, odata_url, soap_url = _s4_servers
    for url in (odata_url, soap_url):
        assert requests.post(url + "/__mock__/reset").status_code == 200
    odata.page_size = 0
    odata.require_if_match_on_actions = True
    soap.replication = {}
    return Landscape(odata, soap, odata_url, soap_url)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    """Records what it receives and answers with ``receiver.status``."""
    lock = threading.Lock()
    holder: dict[str, Receiver] = {}

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with lock:
            holder["r"].requests.append({"path": request.path, "headers": dict(request.headers),
                                         "body": request.get_data()})
            status = holder["r"].status
        return Response("" if status < 400 else "<fault/>", status=status)(environ, start_response)

    server = serve(app)
    holder["r"] = Receiver(server.url + "/cxf/s4/salesorder")
    try:
        yield holder["r"]
    finally:
        server.stop()
