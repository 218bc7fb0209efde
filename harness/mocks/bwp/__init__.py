"""Buy with Prime mock: token endpoint, schema-validating GraphQL API, stateful orders, events."""

from __future__ import annotations

from typing import Any

from harness.mocks.bwp.responses import BwpService


def create(settings: dict[str, Any] | None = None) -> BwpService:
    """The BwP mock configured by ``settings`` (clients, subscriptions, seed, delays)."""
    return BwpService(settings)


__all__ = ["BwpService", "create"]
