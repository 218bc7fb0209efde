"""Start every configured mock on loopback and describe where each one listens.

``config/<env>.yaml`` lists the services under ``mocks.services`` (name -> settings with ``port``,
0 = a free port). Each name is a package ``harness.mocks.<name>`` exposing
``create(settings) -> MockService``.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.config import Environment
from harness.mocks.core import MockService, ServerThread, serve


@dataclass
class Landscape:
    """Running mocks: service objects (for in-process tests) and their servers."""

    services: dict[str, MockService] = field(default_factory=dict)
    servers: dict[str, ServerThread] = field(default_factory=dict)

    @property
    def urls(self) -> dict[str, str]:
        """Service name -> base URL."""
        return {name: server.url for name, server in self.servers.items()}

    def write(self, path: Path) -> None:
        """Merge this landscape's mock URLs into the endpoint map at ``path``."""
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        data["mocks"] = self.urls
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    def stop(self) -> None:
        """Stop every server."""
        for server in self.servers.values():
            server.stop()
        self.servers.clear()
        for service in self.services.values():
            service.close()


def create_service(name: str, settings: dict[str, Any]) -> MockService:
    """Instantiate the mock named ``name`` (a package under ``harness.mocks``)."""
    try:
        module = importlib.import_module(f"harness.mocks.{name}")
    except ModuleNotFoundError as exc:
        raise ValueError(f"unknown mock service {name!r}: no package harness.mocks.{name}") from exc
    return module.create(settings)


def start(env: Environment, only: list[str] | None = None) -> Landscape:
    """Start the mocks configured in ``env`` (all, or those named in ``only``)."""
    host = env.get("mocks.host", "127.0.0.1")
    configured: dict[str, Any] = env.get("mocks.services", {}) or {}
    landscape = Landscape()
    try:
        for name, settings in configured.items():
            if only and name not in only:
                continue
            settings = dict(settings or {})
            service = create_service(name, settings)
            landscape.services[name] = service
            landscape.servers[name] = serve(service, host=host, port=int(settings.get("port", 0)))
    except Exception:
        landscape.stop()
        raise
    return landscape
