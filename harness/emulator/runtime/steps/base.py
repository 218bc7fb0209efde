"""The base of every step processor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..bpmn import Node
from ..context import RunContext
from ..errors import DeployError
from ..exchange import Exchange
from ..registry import Versioned
from .. import simple

if TYPE_CHECKING:  # pragma: no cover
    from ..flow import DeployedFlow


class Step(Versioned):
    """A flow step compiled at deploy time; :meth:`process` runs it on an exchange.

    ``__init__`` reads and checks the element's properties so that configuration errors fail the
    deploy (naming the element), not the first message.
    """

    title: ClassVar[str] = ""

    def __init__(self, node: Node, flow: "DeployedFlow") -> None:
        self.node = node
        self.flow = flow
        self.compile()

    # --- helpers --------------------------------------------------------------------------
    def prop(self, key: str, default: str = "") -> str:
        value = self.node.props.get(key)
        return default if value is None or value == "" else value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.node.props.get(key)
        if value is None or value == "":
            return default
        return value.strip().lower() in ("true", "1", "yes")

    def fail(self, message: str) -> DeployError:
        return DeployError(f"{self.node.label}: {message}")

    def expr(self, text: str, ex: Exchange, ctx: RunContext) -> Any:
        return simple.evaluate(text, ex, ctx)

    def text(self, text: str, ex: Exchange, ctx: RunContext) -> str:
        return simple.interpolate(text, ex, ctx)

    @property
    def component(self) -> str:
        variant = self.node.variant
        return f"{variant.cname} {variant.version}".strip()

    # --- to implement ---------------------------------------------------------------------
    def compile(self) -> None:
        """Check and precompute the configuration (raise DeployError via :meth:`fail`)."""

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        raise NotImplementedError
