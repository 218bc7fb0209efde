"""What a running message carries besides the exchange: its MPL, status and deferred actions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from .mpl import COMPLETED, MplSink

if TYPE_CHECKING:  # pragma: no cover
    from .flow import DeployedFlow


class RunContext:
    """One message's run through one deployed flow (a ProcessDirect call gets its own)."""

    def __init__(self, flow: "DeployedFlow", mpl_id: str, sink: MplSink, *, depth: int = 0,
                 correlation_id: str = "") -> None:
        self.flow = flow
        self.mpl_id = mpl_id
        self.sink = sink
        self.depth = depth
        self.correlation_id = correlation_id
        self.status = COMPLETED
        self.escalation: str | None = None
        self.on_success: list[Callable[[], None]] = []

    @property
    def camel_id(self) -> str:
        return self.flow.artifact_id

    @property
    def masker(self):
        return self.flow.runtime.masker

    def log_step(self, step_id: str, step_name: str, component: str, started: datetime,
                 ended: datetime, status: str, detail: str = "") -> None:
        self.sink.mpl_step(self.mpl_id, step_id, step_name, component, started, ended, status,
                           self.masker(detail))

    def attach(self, name: str, content_type: str, text: str) -> None:
        self.sink.mpl_attach(self.mpl_id, name, content_type or "text/plain", self.masker(text))

    def mpl_property(self, name: str, value: Any) -> None:
        setter = getattr(self.sink, "mpl_property", None)
        if setter is not None:
            setter(self.mpl_id, name, self.masker(str(value)))
