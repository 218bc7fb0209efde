"""Fabricated evidence and an in-memory target for the runner's unit tests (no HTTP, no landscape)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from harness.config import Environment
from harness.contract.loader import load_scenario
from harness.contract.masking import Masker
from harness.contract.model import Scenario
from harness.contract.results import MplRecord
from harness.contract.targets import Endpoint, NotOnThisTarget, Target
from harness.tenant.logs import MessageLog


def scenario(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Scenario:
    path = tmp_path / "contract" / "module" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return load_scenario(path, tmp_path / "contract")


def mpl(flow: str, status: str, error: str = "", guid: str = "") -> MplRecord:
    return MplRecord(guid or f"G{abs(hash((flow, status, error))) % 10**8}", flow, status, "C1",
                     datetime(2026, 1, 1, tzinfo=timezone.utc), None, error)


def request(method: str, path: str, body: str = "", *, status: int = 200, query: str = "", seq: int = 1,
            headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"seq": seq, "method": method, "path": path, "query_string": query, "headers": headers or {},
            "body": body, "body_encoding": "utf-8", "status": status}


class FakeResponse:
    def __init__(self, status: int = 200, text: str = "", headers: dict[str, str] | None = None) -> None:
        self.status_code = status
        self.text = text
        self.content = text.encode()
        self.headers = headers or {}


class FakeTarget(Target):
    """Records what the runner asks; answers from lists the test fills in."""

    def __init__(self, kind: str = "emulator") -> None:
        self.kind = kind
        self.env = Environment("fake", Path("/nonexistent/fake.yaml"), {})
        self.mocks = {"s4hana": "http://s4hana.invalid", "bwp": "http://bwp.invalid"}
        self.masker = Masker(["top-secret-value"])
        self.calls: list[tuple[Any, ...]] = []
        self.journal: dict[str, list[dict[str, Any]]] = {"s4hana": [], "bwp": []}
        self.logs: list[MessageLog] = []
        self.produces: list[MessageLog] = []     # logs a flow call creates
        self.parameters: dict[str, dict[str, str]] = {"Flow_A": {"Address": "http://real", "Flag": "false"}}
        self.flow_status = 200
        self.fail_restore = False

    def mock_call(self, mock, method, path, *, body=None, content_type=None, headers=None):
        self.calls.append(("mock", mock, method, path, body))
        return FakeResponse(200, "{}")

    def reset_mocks(self) -> None:
        self.calls.append(("reset",))

    def mock_requests(self, mock: str, since: int = 0):
        return [e for e in self.journal[mock] if e["seq"] > since]

    def mock_state(self, mock, resource=None):
        return {"orders": [{"id": "A", "state": "OPEN"}]}

    def endpoint(self, flow: str) -> Endpoint:
        if flow == "PD_Flow" and self.kind == "tenant":
            raise NotOnThisTarget("PD_Flow starts with ProcessDirect")
        return Endpoint(flow, "http", f"http://emulator.invalid/http/{flow}")

    def call_flow(self, endpoint, *, method, path, query, headers, body, content_type, auth):
        self.calls.append(("flow", endpoint.flow, method, body, auth))
        self.journal["s4hana"].append(request("GET", "/orders/1", seq=len(self.journal["s4hana"]) + 1))
        self.logs += self.produces
        return FakeResponse(self.flow_status, '{"ok": true}', {"Content-Type": "application/json"})

    def wait_idle(self, timeout, since, known):
        self.calls.append(("idle",))
        return "idle"

    def mpls(self, since, known=frozenset()):
        return [log for log in self.logs if log.guid not in known]

    def mpl_error(self, guid: str) -> str:
        return "boom top-secret-value"

    def mpl_steps(self, guid: str):
        return [{"StepId": "Call", "Status": "FAILED", "Detail": "Authorization: Bearer abcdefghijkl"}]

    def set_parameters(self, overrides, deadline):
        previous = {a: {k: self.parameters[a][k] for k in v} for a, v in overrides.items()}
        for a, v in overrides.items():
            self.parameters[a].update(v)
        self.calls.append(("parameters", overrides))
        return previous

    def restore_parameters(self, previous, deadline):
        if self.fail_restore:
            raise RuntimeError("tenant refused")
        for a, v in previous.items():
            self.parameters[a].update(v)
        self.calls.append(("restore", previous))

    def dead_letters(self):
        if self.kind != "emulator":
            raise NotOnThisTarget("emulator-only")
        return []

    def queues(self):
        return []

    #: queue name -> messages as the emulator lists them ({"id", "status", "waiting"})
    queue_contents: dict[str, list[dict[str, Any]]] = {}

    def queue_messages(self, queue: str) -> dict[str, Any]:
        self.calls.append(("queue_messages", queue))
        return {"queue": queue, "consumer": None, "messages": list(self.queue_contents.get(queue, []))}

    def move(self, queue, to=None, ids=None):
        self.calls.append(("move", queue, to, ids))
        return [{"id": i, "from": queue, "to": to or "BACK"} for i in ids or []]


def log(guid: str, flow: str, status: str) -> MessageLog:
    return MessageLog(guid, flow, status, "C1", datetime.now(timezone.utc), None)
