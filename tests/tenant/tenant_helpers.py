"""Shared helpers of the tenant tests (imported by name; conftest modules are not importable)."""

from __future__ import annotations

API = "https://tenant.example.com/api/v1"
TOKEN_URL = "https://sub.authentication.example.com/oauth/token"


class FakeClock:
    """A monotonic clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
