"""Per-operation token buckets with the models' usage plans (rate = tokens per second, burst = size).

SP-API keeps one bucket per operation and selling partner + application pair (FACTS §3); the mock
keys buckets by operation and the access token's client and selling partner. Time comes from the
mock's clock, so advancing it refills the buckets.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class TokenBucket:
    """A bucket that starts full."""

    rate: float
    burst: float
    tokens: float
    updated: float

    def take(self, now: float) -> bool:
        """Take one token if there is one."""
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Throttle:
    """All buckets of one mock."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def allow(self, operation: str, principal: str, rate: float, burst: float, now: float) -> bool:
        """Whether a call to ``operation`` by ``principal`` may proceed now."""
        if not self.enabled:
            return True
        with self._lock:
            bucket = self._buckets.get((operation, principal))
            if bucket is None:
                bucket = self._buckets[(operation, principal)] = TokenBucket(rate, burst, burst, now)
            return bucket.take(now)

    def reset(self) -> None:
        """Refill everything."""
        with self._lock:
            self._buckets.clear()

    def state(self) -> dict[str, float]:
        """Tokens left per ``operation principal`` (as of the last call)."""
        with self._lock:
            return {f"{op} {who}": round(b.tokens, 3) for (op, who), b in self._buckets.items()}
