"""Shared mechanics for every mock: journal, faults, control endpoints, loopback server."""

from harness.mocks.core.faults import Fault, FaultPlan
from harness.mocks.core.journal import Journal, RecordedRequest
from harness.mocks.core.server import ServerThread, serve
from harness.mocks.core.service import MockService, json_response

__all__ = [
    "Fault",
    "FaultPlan",
    "Journal",
    "MockService",
    "RecordedRequest",
    "ServerThread",
    "json_response",
    "serve",
]
