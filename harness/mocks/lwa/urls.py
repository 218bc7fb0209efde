"""Login with Amazon routes (host ``api.amazon.com`` in production)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.routing import Rule

if TYPE_CHECKING:
    from harness.mocks.lwa.responses import LwaService


def rules(service: "LwaService") -> list[Rule]:
    """The token endpoint."""
    return [Rule("/auth/o2/token", endpoint=service.token, methods=["POST"])]
