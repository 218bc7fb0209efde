"""``parameters.prop`` and ``parameters.propdef`` in the export style (FORMAT.md §4)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator.components.base import XSD_TYPES
from generator.model.iflow import Parameter
from generator.render import javaprops

PROPDEF_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="no"?><parameters>'


def render_prop(parameters: dict[str, Parameter], modified_ms: int) -> bytes:
    """``parameters.prop``: the date line, then one ``name=value`` line per parameter."""
    return javaprops.store([(p.name, p.value) for p in parameters.values()], modified_ms)


def render_propdef(parameters: dict[str, Parameter]) -> bytes:
    """``parameters.propdef``: one ``<parameter>`` block each, then ``param_references``."""
    out = [PROPDEF_HEAD]
    for param in parameters.values():
        if param.combobox is None:
            metadata = "<additionalMetadata/>"
        else:
            flag = "true" if param.combobox else "false"
            metadata = f"<additionalMetadata>\n      <isCombobox>{flag}</isCombobox>\n    </additionalMetadata>"
        description = f"<description>{escape(param.description)}</description>" if param.description \
            else "<description/>"
        out.append(
            "<parameter>\n    <key/>\n"
            f"    <name>{escape(param.name)}</name>\n"
            f"    <type>{XSD_TYPES[param.type]}</type>\n"
            "    <isRequired>false</isRequired>\n    <constraint/>\n"
            f"    {description}\n    {metadata}\n  </parameter>")
    refs = [(p.name, r) for p in parameters.values() for r in p.references]
    if refs:
        out.append("<param_references>")
        for name, ref in refs:
            out.append(f"<reference attribute_category={quoteattr(ref.category)} "
                       f"attribute_id={quoteattr(ref.attribute_id)} "
                       f"attribute_uilabel={quoteattr(ref.label)} param_key={quoteattr(name)}/>")
        out.append("</param_references>")
    else:
        out.append("<param_references/>")
    out.append("</parameters>")
    return "".join(out).encode("utf-8")
