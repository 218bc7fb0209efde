"""Errors the generator raises: every one names where the problem is and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem in a spec: ``file:line: field: message``."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SpecError(Exception):
    """A spec is invalid. Holds every problem found, each with file, line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str | Path, line: int | None, field: str, message: str) -> "SpecError":
        """A spec error with a single problem."""
        return cls([Problem(str(file), line, field, message)])


class BuildError(Exception):
    """The build cannot go on (a missing script, a resource, a conflicting value mapping...)."""
