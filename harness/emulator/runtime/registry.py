"""Which components the interpreter runs: a registry of (name, version range) -> class.

Step processors register by cmdVariantUri ``cname``; adapters by ``(ComponentType, direction)``.
A class declares the oldest and newest version it implements as ``major.minor`` (the versions
seen in real exports); ``versionless`` says whether an element without a version is accepted.
An element whose component or version has no class makes the deploy fail.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


class Versioned:
    """Mixin: the version range a component class implements."""

    min_version: ClassVar[str] = "1.0"
    max_version: ClassVar[str] = "1.0"
    versionless: ClassVar[bool] = False

    @classmethod
    def supports(cls, version: str) -> bool:
        if not version:
            return cls.versionless
        major_minor = version_tuple(version)[:2]
        return version_tuple(cls.min_version)[:2] <= major_minor <= version_tuple(cls.max_version)[:2]


class Registry:
    """Classes by key; ``find(key, version)`` returns the one that supports the version."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._by_key: dict[Any, list[type]] = {}

    def register(self, *keys: Any):
        def decorate(cls: type[T]) -> type[T]:
            for key in keys:
                self._by_key.setdefault(key, []).append(cls)
            return cls
        return decorate

    def find(self, key: Any, version: str) -> type | None:
        for cls in self._by_key.get(key, []):
            if cls.supports(version):  # type: ignore[attr-defined]
                return cls
        return None

    def catalogue(self) -> list[tuple[Any, str, str, bool, str]]:
        """(key, min, max, versionless, class name) for the docs."""
        rows = []
        for key, classes in self._by_key.items():
            for cls in classes:
                rows.append((key, cls.min_version, cls.max_version, cls.versionless, cls.__name__))
        return sorted(rows, key=lambda r: str(r[0]))


STEPS = Registry("flow step")
ADAPTERS = Registry("adapter")
