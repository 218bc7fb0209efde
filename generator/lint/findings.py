"""What a lint rule reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem in one artifact: which rule, how bad, where and what."""

    rule: str
    severity: str  # error | warning
    file: str
    element_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}#{self.element_id}" if self.element_id else self.file
        return f"{self.severity}: {where}: {self.message} [{self.rule}]"
