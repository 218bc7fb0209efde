"""``.project`` (Eclipse project file) and ``metainfo.prop`` (the description)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from generator.render import javaprops

#: The nature that marks the artifact type.
NATURES = {"IntegrationFlow": "com.sap.ide.ifl.bsn", "ValueMapping": "com.sap.ide.ifl.valmap"}


def render_project(name: str, bundle_type: str = "IntegrationFlow") -> bytes:
    """The 3-space-indented ``.project`` every 2025/2026 export carries (no trailing newline)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><projectDescription>\n'
        f"   <name>{escape(name)}</name>\n"
        "   <comment/>\n   <projects/>\n   <buildSpec>\n      <buildCommand>\n"
        "         <name>org.eclipse.jdt.core.javabuilder</name>\n         <arguments/>\n"
        "      </buildCommand>\n   </buildSpec>\n   <natures>\n"
        "      <nature>org.eclipse.jdt.core.javanature</nature>\n"
        "      <nature>com.sap.ide.ifl.project.support.project.nature</nature>\n"
        f"      <nature>{NATURES[bundle_type]}</nature>\n"
        "   </natures>\n</projectDescription>"
    ).encode("utf-8")


def render_metainfo(description: str, modified_ms: int) -> bytes:
    """``metainfo.prop`` as the API download writes it."""
    return javaprops.store([("description", description)], modified_ms, comment="Store metainfo properties")
