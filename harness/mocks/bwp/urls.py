"""Buy with Prime routes (host ``api.buywithprime.amazon.com`` in production)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.routing import Rule

if TYPE_CHECKING:
    from harness.mocks.bwp.responses import BwpService


def rules(service: "BwpService") -> list[Rule]:
    """The token endpoint and the GraphQL endpoint."""
    return [Rule("/token", endpoint=service.token, methods=["POST"]),
            Rule("/graphql", endpoint=service.graphql, methods=["POST"])]
