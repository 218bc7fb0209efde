"""Message processing logs: the sink the runtime writes to, an in-memory sink, secret masking.

The emulator's API side implements :class:`MplSink` on its SQLite store; tests use
:class:`InMemoryMplSink`. Every text that reaches a sink (error texts, attachments, headers) passes
through :class:`Masker` first, so no credential value the runtime knows is ever logged.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Protocol, runtime_checkable

COMPLETED = "COMPLETED"
FAILED = "FAILED"
RETRY = "RETRY"
ESCALATED = "ESCALATED"
PROCESSING = "PROCESSING"
ABANDONED = "ABANDONED"

MASK = "********"


@runtime_checkable
class MplSink(Protocol):
    """Where message processing logs go (the emulator's store, or memory in tests)."""

    def mpl_begin(self, artifact_id: str, correlation_id: str, sender: str,
                  headers: Mapping[str, str]) -> str: ...

    def mpl_step(self, mpl_id: str, step_id: str, step_name: str, component: str,
                 started: datetime, ended: datetime, status: str, detail: str) -> None: ...

    def mpl_attach(self, mpl_id: str, name: str, content_type: str, text: str) -> None: ...

    def mpl_end(self, mpl_id: str, status: str, error_text: str | None) -> None: ...


@dataclass
class MplStep:
    step_id: str
    step_name: str
    component: str
    started: datetime
    ended: datetime
    status: str
    detail: str


@dataclass
class MplRecord:
    """One message processing log as the in-memory sink keeps it."""

    mpl_id: str
    artifact_id: str
    correlation_id: str
    sender: str
    headers: dict[str, str]
    begun: datetime
    status: str = PROCESSING
    error_text: str | None = None
    ended: datetime | None = None
    steps: list[MplStep] = field(default_factory=list)
    attachments: list[tuple[str, str, str]] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)

    def attachment(self, name: str) -> str | None:
        for n, _, text in self.attachments:
            if n == name:
                return text
        return None


class InMemoryMplSink:
    """An :class:`MplSink` that keeps everything in a list (thread-safe)."""

    def __init__(self) -> None:
        self.records: dict[str, MplRecord] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def mpl_begin(self, artifact_id: str, correlation_id: str, sender: str,
                  headers: Mapping[str, str]) -> str:
        mpl_id = "A" + uuid.uuid4().hex[:27].upper()
        with self._lock:
            self.records[mpl_id] = MplRecord(mpl_id, artifact_id, correlation_id, sender,
                                             dict(headers), datetime.now(timezone.utc))
            self._changed.notify_all()
        return mpl_id

    def mpl_step(self, mpl_id, step_id, step_name, component, started, ended, status, detail) -> None:
        with self._lock:
            self.records[mpl_id].steps.append(MplStep(step_id, step_name, component, started, ended,
                                                      status, detail))

    def mpl_attach(self, mpl_id: str, name: str, content_type: str, text: str) -> None:
        with self._lock:
            self.records[mpl_id].attachments.append((name, content_type, text))

    def mpl_property(self, mpl_id: str, name: str, value: str) -> None:
        with self._lock:
            self.records[mpl_id].properties[name] = value

    def mpl_end(self, mpl_id: str, status: str, error_text: str | None) -> None:
        with self._lock:
            record = self.records[mpl_id]
            record.status = status
            record.error_text = error_text
            record.ended = datetime.now(timezone.utc)
            self._changed.notify_all()

    # --- queries for tests -----------------------------------------------------------------
    def for_flow(self, artifact_id: str) -> list[MplRecord]:
        with self._lock:
            return [r for r in self.records.values() if r.artifact_id == artifact_id]

    def get(self, mpl_id: str) -> MplRecord:
        with self._lock:
            return self.records[mpl_id]

    def wait_for(self, predicate, timeout: float = 10.0) -> list[MplRecord]:
        """Block until ``predicate(records)`` is true; return the records (or raise TimeoutError)."""
        import time
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                records = list(self.records.values())
                if predicate(records):
                    return records
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"MPL condition not met in {timeout}s; have: "
                                       + ", ".join(f"{r.artifact_id}:{r.status}" for r in records))
                self._changed.wait(min(remaining, 0.05))


class Masker:
    """Replaces known secret values and Authorization credentials by ``********``."""

    _AUTH = re.compile(r"(?i)(authorization\s*[:=]\s*)(basic|bearer)?\s*[^\s,;\"'}]+")

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            for s in secrets:
                if s and len(s) >= 4:
                    self._secrets.add(s)

    def __call__(self, text: Any) -> Any:
        if text is None or not isinstance(text, str):
            return text
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return self._AUTH.sub(lambda m: m.group(1) + (m.group(2) + " " if m.group(2) else "") + MASK, text)

    def headers(self, headers: Mapping[str, Any]) -> dict[str, str]:
        """Headers as text, with Authorization-like values masked."""
        result = {}
        for key, value in headers.items():
            if key.lower() in ("authorization", "proxy-authorization", "cookie", "set-cookie",
                               "x-csrf-token", "x-amz-access-token"):
                result[key] = MASK
            else:
                result[key] = self("" if value is None else str(value))
        return result
