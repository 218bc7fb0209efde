"""Groovy Script step 1.1.2 (Script step 1.1: Groovy 2.4).

The Script step 2.0 (Groovy 4) is not offered: no real export of a 2.0 step is known, so its
``cmdVariantUri``/``componentVersion`` encoding is unknown (see docs/generator.md).
"""

from __future__ import annotations

from generator.components.base import Field
from generator.components.steps.base import FlowStep


class GroovyScript(FlowStep):
    """Runs a Groovy script packaged in the iFlow (or, if named, from a script collection)."""

    summary = "Groovy Script (Script step 1.1, Groovy 2.4)"
    cname = "GroovyScript"
    version = "1.1.2"
    activity_type = "Script"
    sub_activity_type = "GroovyScript"
    keys = ("scriptFunction", "scriptBundleId", "componentVersion", "activityType",
            "cmdVariantUri", "subActivityType", "script")
    fields = (
        Field("script", "file", doc="script name in groovy/scripts/** (.groovy optional)"),
        Field("scriptFunction", "function", doc="function to call; empty = processData"),
        Field("scriptBundleId", "collection",
              doc="script collection id; only for scripts not packaged in the iFlow"),
    )

    @staticmethod
    def file_name(name: str) -> str:
        """The script file name with its ``.groovy`` extension."""
        return name if name.endswith((".groovy", ".gsh")) else f"{name}.groovy"
