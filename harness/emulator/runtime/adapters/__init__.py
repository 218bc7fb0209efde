"""Endpoints per adapter type, chosen from a channel's ComponentType and direction."""

from . import http, jms, odata, processdirect, soap  # noqa: F401  (registration side effects)
from .base import ReceiverAdapter, SenderAdapter

__all__ = ["ReceiverAdapter", "SenderAdapter"]
