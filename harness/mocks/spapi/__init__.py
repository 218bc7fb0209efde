"""Selling Partner API mock: FBA Inventory, Fulfillment Outbound 2020-07-01 and Reports 2021-06-30."""

from __future__ import annotations

from typing import Any

from harness.mocks.spapi.responses import SpApiService


def create(settings: dict[str, Any] | None = None) -> SpApiService:
    """The SP-API mock configured by ``settings`` (``seed``, ``token_key``, ``throttle``, ...)."""
    return SpApiService(settings)


__all__ = ["SpApiService", "create"]
