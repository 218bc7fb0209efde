"""Deterministic element ids in the tenant's ``<Type>_<n>`` style."""

from __future__ import annotations

from collections import defaultdict


class IdAllocator:
    """Hands out ``<Prefix>_<n>``, counting per prefix from 1 in the order of the spec.

    Ids only depend on the spec, so two builds of the same spec give the same ids. Loop and
    condition ids use the ``<Prefix>_<timestamp>`` style of real exports, with the timestamp taken
    from the package's ``modified`` date (plus a counter, so two loops never share an id).
    """

    def __init__(self, timestamp_ms: int):
        self._counters: dict[str, int] = defaultdict(int)
        self._timestamp = timestamp_ms
        self._stamps = 0

    def next(self, prefix: str) -> str:
        """The next id for ``prefix``."""
        self._counters[prefix] += 1
        return f"{prefix}_{self._counters[prefix]}"

    def stamp(self) -> int:
        """A deterministic, unique 'timestamp' for loop ids."""
        value = self._timestamp + self._stamps
        self._stamps += 1
        return value

    @property
    def timestamp(self) -> int:
        """The build timestamp (epoch ms of the package's ``modified``)."""
        return self._timestamp
