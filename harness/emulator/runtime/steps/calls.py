"""Request-Reply, Send, Process Call and Looping Process Call."""

from __future__ import annotations

from ..context import RunContext
from ..errors import ProcessingError
from ..exchange import Exchange
from ..registry import STEPS
from .. import simple
from .base import Step


class _ReceiverCall(Step):
    def compile(self) -> None:
        self.channel = self.flow.model.receiver_flow(self.node.id)
        if self.channel is None:
            raise self.fail("no receiver channel (message flow) leaves this step")

    @property
    def adapter(self):
        return self.flow.receivers[self.channel.id]


@STEPS.register("ExternalCall")
class RequestReply(_ReceiverCall):
    """Calls the receiver and continues with its response."""

    title = "Request-Reply"
    min_version = "1.0"
    max_version = "1.0"
    versionless = True

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        self.adapter.request(ex, ctx)


@STEPS.register("Send")
class Send(_ReceiverCall):
    """Hands the message to the receiver and continues with the same message."""

    title = "Send"
    min_version = max_version = "1.0"

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        self.adapter.send(ex, ctx)


class _ProcessCall(Step):
    def compile(self) -> None:
        self.process_id = self.prop("processId")
        scope = self.flow.model.processes.get(self.process_id)
        if scope is None or scope.kind != "local":
            raise self.fail(f"processId {self.process_id!r} is not a Local Integration Process of this flow")
        self.scope = scope


@STEPS.register("NonLoopingProcess")
class ProcessCall(_ProcessCall):
    title = "Process Call"
    min_version = max_version = "1.0"

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        self.flow.engine.run_scope(self.scope, ex, ctx)


@STEPS.register("LoopingProcess")
class LoopingProcessCall(_ProcessCall):
    """Calls the local process while the condition holds, at most ``loopMaximum`` times.

    The condition is evaluated before each iteration (Camel's loop-while). When the maximum is
    reached, ``postProcessing`` decides: ``end`` continues, ``throwException`` fails the message.
    """

    title = "Looping Process Call"
    min_version = "1.1"
    max_version = "1.3"

    def compile(self) -> None:
        super().compile()
        loop = self.node.loop
        if loop is None or not loop.condition.strip():
            raise self.fail("a looping process call needs a loop condition")
        expression_type = self.prop("expressionType", "Non XML").replace(" ", "")
        if expression_type != "NonXML":
            raise self.fail(f"expressionType {expression_type!r}: only Non XML loop conditions are supported")
        self.condition = loop.condition
        self.maximum = loop.maximum
        self.post = self.prop("postProcessing", "end")

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        iterations = 0
        while simple.predicate(self.condition, ex, ctx):
            if iterations >= self.maximum:
                if self.post == "throwException":
                    raise ProcessingError(
                        f"Looping process call {self.node.name or self.node.id} reached the maximum "
                        f"number of iterations ({self.maximum}) while the condition "
                        f"'{self.condition}' was still true",
                        java_class="com.sap.it.rt.camel.processor.LoopMaxIterationException",
                        step_id=self.node.id)
                break
            self.flow.engine.run_scope(self.scope, ex, ctx)
            iterations += 1
        ex.properties["CamelLoopIndex"] = iterations
