"""Filter 1.1.0 and XSLT Mapping 1.2.0."""

from __future__ import annotations

from pathlib import PurePosixPath

from generator.components.base import Field, OptionError
from generator.components.steps.base import FlowStep


class Filter(FlowStep):
    """Keeps only the part of an XML body an XPath selects."""

    summary = "Filter: keeps what an XPath selects"
    cname = "Filter"
    version = "1.1.0"
    activity_type = "Filter"
    keys = ("xpathType", "wrapContent", "componentVersion", "activityType", "cmdVariantUri")
    fields = (
        Field("wrapContent", "xpath", doc="XPath; $name refers to an exchange property"),
        Field("xpathType", "value_type", "Nodelist", "choice",
              ("Nodelist", "Node", "String", "Integer", "Boolean")),
    )

    @classmethod
    def fill(cls, options):
        values = super().fill(options)
        if not values["wrapContent"]:
            raise OptionError("xpath", "a filter needs 'xpath'")
        return values


class XsltMapping(FlowStep):
    """Transforms the body with an XSLT file packaged under ``mapping/``."""

    summary = "XSLT Mapping (file in mappings/resources/mapping/)"
    cname = "XSLTMapping"
    version = "1.2.0"
    activity_type = "Mapping"
    sub_activity_type = "XSLTMapping"
    keys = ("mappingoutputformat", "mappinguri", "mappingname", "mappingHeaderNameKey",
            "mappingpath", "mappingSource", "componentVersion", "activityType", "cmdVariantUri",
            "subActivityType")
    fields = (
        Field("mappinguri", "file", resource="mapping", doc="file in mappings/resources/mapping/"),
        Field("mappingoutputformat", "output", "Bytes", "choice", ("Bytes", "String")),
    )
    fixed = {"mappingname": "", "mappingHeaderNameKey": "", "mappingpath": "",
             "mappingSource": "mappingSrcIflow"}

    @classmethod
    def fill(cls, options):
        values = super().fill(options)
        name = values["mappinguri"]
        if not name.endswith((".xsl", ".xslt")):
            raise OptionError("file", f"expected an .xsl or .xslt file name, got {name!r}")
        stem = PurePosixPath(name).stem
        values["mappinguri"] = f"dir://mapping/xslt/src/main/resources/mapping/{name}"
        values["mappingname"] = stem
        values["mappingpath"] = f"src/main/resources/mapping/{stem}"
        return values
