"""The emulator's runtime: an interpreter of deployed ``.iflw`` packages (see docs/runtime.md).

::

    from harness.emulator.runtime import Runtime, InMemoryMplSink
    runtime = Runtime(state_dir, InMemoryMplSink(), time_scale=0.001)
    runtime.deploy("My_Flow", "1.0.0", zip_bytes, {"Address": "/orders"})
    status, headers, body = runtime.handle_http("POST", "/http/orders", {...}, b"{}", principal)
"""

from .errors import (ConnectError, DeployError, HttpResponseError, InvalidPackage, MissingParameter,
                     ProcessingError, UnsupportedComponent)
from .exchange import Exchange, Headers
from .mpl import COMPLETED, ESCALATED, FAILED, PROCESSING, RETRY, InMemoryMplSink, Masker, MplRecord, MplSink
from .registry import ADAPTERS, STEPS
from .runtime import Outcome, Runtime

__all__ = [
    "ADAPTERS", "COMPLETED", "ConnectError", "DeployError", "ESCALATED", "Exchange", "FAILED", "Headers",
    "HttpResponseError", "InMemoryMplSink", "InvalidPackage", "Masker", "MissingParameter", "MplRecord",
    "MplSink", "Outcome", "PROCESSING", "ProcessingError", "RETRY", "Runtime", "STEPS", "UnsupportedComponent",
]
