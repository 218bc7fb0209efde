"""Helpers the runtime tests import (a module of its own: ``conftest`` names clash across test folders)."""

from __future__ import annotations

from harness.emulator.runtime import Runtime
from harness.emulator.runtime_port import Principal

SENDER = Principal("tester", frozenset({"ESBMessaging.send"}))


def post(runtime: Runtime, path: str, body: bytes | str = b"", headers: dict | None = None,
         principal=SENDER, method: str = "POST"):
    data = body.encode() if isinstance(body, str) else body
    return runtime.handle_http(method, path, headers or {"Content-Type": "application/json"}, data, principal)
