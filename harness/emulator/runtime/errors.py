"""Errors of the runtime: deploy-time rejections and the exceptions a message meets while it runs.

Deploy-time errors (:class:`DeployError` and its subclasses) end a deploy in ERROR with their text.
Processing errors (:class:`ProcessingError` and its subclasses) travel with the exchange: an
exception subprocess sees them as ``CamelExceptionCaught`` and ``${exception.message}``; unhandled,
they fail the message and their text becomes the MPL's error information. Each carries the Java
class name the tenant would report, so error texts read like a tenant's.
"""

from __future__ import annotations

try:  # the seam's own error type, so the emulator can catch either
    from harness.emulator.runtime_port import DeployError as _PortDeployError
except ImportError:  # pragma: no cover - the runtime also works on its own
    _PortDeployError = Exception  # type: ignore[misc,assignment]


class DeployError(_PortDeployError):
    """A package cannot be deployed; ``reason`` is the text the deploy status shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedComponent(DeployError):
    """A component (step, event, adapter) the interpreter does not run.

    ``name`` and ``version`` come from the element's cmdVariantUri (or the adapter's ComponentType
    and direction), ``element_id`` names the element in the ``.iflw``. When several elements are
    unsupported, the first is in the attributes and all of them are in :attr:`components`.
    """

    def __init__(self, name: str, version: str, element_id: str = "", detail: str = "",
                 components: list[tuple[str, str, str]] | None = None) -> None:
        self.name = name
        self.version = version
        self.element_id = element_id
        self.detail = detail
        self.components = components or [(name, version, element_id)]
        shown = "; ".join(f"{n} {v or '(no version)'} at {e}" for n, v, e in self.components)
        text = f"unsupported component{'s' if len(self.components) > 1 else ''}: {shown}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class MissingParameter(DeployError):
    """``{{Name}}`` references without a value in parameters.prop or the deployed configuration."""

    def __init__(self, names: list[str]) -> None:
        self.names = sorted(set(names))
        super().__init__("externalized parameter(s) without a value: "
                         + ", ".join(f"{{{{{n}}}}}" for n in self.names))


class InvalidPackage(DeployError):
    """The zip is not an integration flow package the runtime can read."""


class ProcessingError(Exception):
    """An exception raised while a message runs, named like the tenant's Java exception."""

    java_class = "com.sap.it.rt.adapter.exception.MessageProcessingException"

    def __init__(self, message: str, *, java_class: str | None = None, step_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        if java_class:
            self.java_class = java_class
        self.step_id = step_id

    def __str__(self) -> str:
        return f"{self.java_class}: {self.message}"


class HttpResponseError(ProcessingError):
    """A receiver answered with an error status (HTTP, OData, SOAP adapters)."""

    def __init__(self, message: str, *, status: int, body: bytes = b"", headers: dict | None = None,
                 url: str = "", java_class: str | None = None, status_text: str = "") -> None:
        super().__init__(message, java_class=java_class)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.url = url
        self.status_text = status_text

    @property
    def response_text(self) -> str:
        return self.body.decode("utf-8", "replace")


class ConnectError(ProcessingError):
    """A receiver could not be reached (refused, timed out, dropped)."""

    java_class = "java.net.ConnectException"


class ScriptException(ProcessingError):
    """A Groovy script threw; the class is the script's own exception class."""


class EscalationSignal(Exception):
    """An escalation end event was reached: processing ends with status ESCALATED."""

    def __init__(self, error_code: str, element_id: str) -> None:
        super().__init__(error_code)
        self.error_code = error_code
        self.element_id = element_id


class TerminateSignal(Exception):
    """A terminate end event was reached: processing ends at once, successfully."""


class SenderRejection(Exception):
    """A sender adapter refuses a call before any message exists (401, 403, 404, 413 ...)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
