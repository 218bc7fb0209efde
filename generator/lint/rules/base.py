"""What every lint rule is: an id, a severity, the bundle types it applies to and a check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from generator.lint.artifact import ArtifactView
from generator.lint.findings import Finding


class Rule:
    """One concern, checked over an artifact read once."""

    id: ClassVar[str] = ""
    severity: ClassVar[str] = "error"
    #: Bundle types the rule applies to; empty = every artifact.
    bundle_types: ClassVar[tuple[str, ...]] = ("IntegrationFlow",)
    #: Rules that need the parsed .iflw.
    needs_iflw: ClassVar[bool] = True

    def applies(self, view: ArtifactView) -> bool:
        if self.bundle_types and view.bundle_type not in self.bundle_types:
            return False
        return not self.needs_iflw or view.tree is not None

    def check(self, view: ArtifactView) -> Iterator[Finding]:  # pragma: no cover - interface
        raise NotImplementedError
