"""Login with Amazon (LWA) token endpoint mock: ``refresh_token`` and ``client_credentials`` grants."""

from __future__ import annotations

from typing import Any

from harness.mocks.lwa.responses import LwaService


def create(settings: dict[str, Any] | None = None) -> LwaService:
    """The LWA mock configured by ``settings`` (clients, ``token_key``, ``access_token_lifetime``)."""
    return LwaService(settings)


__all__ = ["LwaService", "create"]
