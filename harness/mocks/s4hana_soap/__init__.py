"""S/4HANA SOAP mock: inbound enterprise services (``BDwReferenceRequest_In``) and the outbound
``SalesOrderBulkReplication`` message, over the same S/4HANA system as the OData mock.

Settings (``config/<env>.yaml`` under ``mocks.services.s4hana_soap``):

* ``system`` / ``seed``: as for the OData mock (same ``system`` id = same S/4HANA)
* ``user`` / ``password`` / ``client``: logon for inbound calls (password default: the local
  secret ``s4hana_password``, the same as the OData mock's)
* ``replication``: the receiver of outbound messages ``{endpoint, user, password | bearer,
  soap_version, timeout}``; can also be set at run time with ``PUT /__mock__/replication``
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule

from harness.mocks.core.service import MockService
from harness.mocks.s4hana import seed_path
from harness.mocks.s4hana.models import S4System, get_system
from harness.mocks.s4hana.security import Security
from harness.mocks.s4hana_soap import urls
from harness.mocks.s4hana_soap.models import SoapLog
from harness.mocks.s4hana_soap.responses import SoapResponses

__all__ = ["S4HanaSoap", "create"]


class S4HanaSoap(MockService):
    """The SOAP side of one mocked S/4HANA system."""

    name = "s4hana_soap"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        self.system_id = str(settings.get("system") or "S4H")
        self._seed = seed_path(settings)
        system = self.system
        self.security = Security({**settings, "csrf": False}, system.org.get("sid", "S4H"), system.org.get("client", "100"))
        self.replication: dict[str, Any] = dict(settings.get("replication") or {})
        self.log = SoapLog()
        self.responses = SoapResponses(self)
        super().__init__(settings)

    @property
    def system(self) -> S4System:
        """The shared system (looked up each time: the OData mock may have replaced it at start)."""
        return get_system(self.system_id, self._seed)

    def routes(self) -> list[Rule]:
        return urls.routes(self)

    def extra_control_routes(self) -> list[Rule]:
        return urls.control_routes(self)

    def replication_view(self) -> dict[str, Any]:
        """The replication receiver without secrets."""
        return {k: ("***" if k in ("password", "bearer") else v) for k, v in self.replication.items()}

    def state(self) -> dict[str, Any]:
        return {"system": self.system_id, "replication": self.replication_view(), **self.log.to_json()}

    def reset(self) -> None:
        """Forget the messages and reset the shared S/4HANA system to its seed."""
        self.log.clear()
        system = self.system
        with system.lock:
            system.reset()


def create(settings: dict[str, Any]) -> S4HanaSoap:
    """The landscape's factory."""
    return S4HanaSoap(settings)
