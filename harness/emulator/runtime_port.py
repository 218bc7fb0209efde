"""The seam between the emulated tenant (API, store, deploy worker) and the flow runtime.

The tenant side owns design-time content, deploy states and logs; a runtime executes deployed
iFlows. The deploy worker calls a :class:`FlowRuntime`; the runtime writes message processing logs
through an :class:`MplSink` (the emulator's store implements it). Until a runtime is attached the
emulator deploys by lint + state machine only and answers runtime endpoints with 503.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Principal:
    """Who called a runtime endpoint: a client id or user, and its roles (e.g. ESBMessaging.send)."""

    name: str
    roles: frozenset[str] = frozenset()
    auth: str = "basic"          # "basic" | "oauth2"


@dataclass(frozen=True)
class ValueMapEntry:
    """One value pair of a deployed value mapping (usable in both directions by the runtime)."""

    artifact_id: str
    src_agency: str
    src_id: str
    src_value: str
    tgt_agency: str
    tgt_id: str
    tgt_value: str
    is_default: bool = False


@dataclass
class SecurityMaterial:
    """Deployed security material by name, with secrets: only the runtime ever sees these."""

    user_credentials: dict[str, dict[str, str]] = field(default_factory=dict)   # name -> {user, password}
    oauth2_credentials: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {token_url, client_id, client_secret, scope, ...}
    secure_parameters: dict[str, str] = field(default_factory=dict)             # name -> value

    def secrets(self) -> list[str]:
        """Every secret value (for masking in logs and attachments)."""
        values = [c.get("password", "") for c in self.user_credentials.values()]
        values += [c.get("client_secret", "") for c in self.oauth2_credentials.values()]
        values += list(self.secure_parameters.values())
        return [v for v in values if v]


class DeployError(Exception):
    """The runtime cannot start an artifact; the message becomes the tenant's error information."""


@runtime_checkable
class FlowRuntime(Protocol):
    """What the emulator needs from an interpreter of deployed iFlows.

    ``deploy`` raises (any exception; :class:`DeployError` preferred) with a reason when the
    artifact cannot start: the runtime status becomes ERROR with ``str(exc)`` as error information.
    ``handle_http`` serves ``<emulator>/http/<address>`` and ``/cxf/<address>``: ``path`` is the full
    path (``/http/...``), ``principal`` is None when the caller sent no valid credentials; the
    runtime checks the sender's ``userRole`` and answers 401/403 itself.

    Optional methods, called when present: ``start()`` / ``stop()`` (background consumers: JMS,
    timers), ``fire_timer(artifact_id)``, ``value_mappings_changed(entries)`` (a value mapping
    artifact was deployed or undeployed).
    """

    def deploy(self, artifact_id: str, version: str, zip_bytes: bytes, configuration: dict[str, str],
               value_mappings: list[ValueMapEntry], security: SecurityMaterial) -> None: ...

    def undeploy(self, artifact_id: str) -> None: ...

    def handle_http(self, method: str, path: str, headers: dict[str, str], body: bytes,
                    principal: Principal | None) -> tuple[int, dict[str, str], bytes]: ...


class MplSink(Protocol):
    """Where a runtime writes message processing logs (implemented by the emulator's Store).

    Statuses: PROCESSING (while running), COMPLETED, FAILED, RETRY, ESCALATED. Times are aware
    datetimes or epoch seconds. ``mpl_begin`` returns the MessageGuid.
    """

    def mpl_begin(self, artifact_id: str, correlation_id: str | None, sender: str | None,
                  headers: dict[str, Any] | None) -> str: ...

    def mpl_step(self, mpl_id: str, step_id: str, step_name: str, component: str,
                 started: datetime | float, ended: datetime | float, status: str, detail: str | None) -> None: ...

    def mpl_attach(self, mpl_id: str, name: str, content_type: str, text: str) -> str: ...

    def mpl_end(self, mpl_id: str, status: str, error_text: str | None) -> None: ...
