"""XSLT Mapping (packaged ``.xsl`` via lxml, XSLT 1.0) and Filter (XPath on the body)."""

from __future__ import annotations

from lxml import etree

from ..context import RunContext
from ..errors import ProcessingError
from ..exchange import Exchange
from ..registry import STEPS
from .. import xpath as xp
from .base import Step

XSLT_NS = "http://www.w3.org/1999/XSL/Transform"


@STEPS.register("XSLTMapping")
class XsltMapping(Step):
    """Transforms the body; top-level ``xsl:param``s are bound to headers, then properties."""

    title = "XSLT Mapping"
    min_version = "1.0"
    max_version = "1.2"

    def compile(self) -> None:
        source = self.prop("mappingSource", "mappingSrcIflow")
        if source != "mappingSrcIflow":
            raise self.fail(f"mappingSource {source!r}: only an XSLT packaged in the iFlow is supported")
        uri = self.prop("mappinguri")
        path = uri.split("src/main/resources/", 1)[-1] if "src/main/resources/" in uri else uri
        data = self.flow.package.resource(path)
        if data is None:
            raise self.fail(f"XSLT file {path} is not in the package")
        try:
            document = etree.fromstring(data)
            self.transform = etree.XSLT(document)
        except (etree.XMLSyntaxError, etree.XSLTParseError) as exc:
            raise self.fail(f"{path} is not a valid XSLT 1.0 stylesheet: {exc}") from exc
        self.params = [p.get("name") for p in document.findall(f"{{{XSLT_NS}}}param") if p.get("name")]

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        document = xp.parse_body(ex, "XSLT mapping")
        params = {}
        for name in self.params:
            value = ex.headers.get(name)
            if value is None:
                value = ex.properties.get(name)
            if value is not None:
                params[name] = etree.XSLT.strparam(str(value))
        try:
            result = self.transform(document, **params)
        except etree.XSLTApplyError as exc:
            raise ProcessingError(f"XSLT transformation failed: {exc}",
                                  java_class="javax.xml.transform.TransformerException",
                                  step_id=self.node.id) from exc
        ex.body = bytes(result)


@STEPS.register("Filter")
class Filter(Step):
    """Keeps what the XPath selects; ``xpathType`` Nodelist, Node, String, Integer or Boolean."""

    title = "Filter"
    min_version = "1.0"
    max_version = "1.1"

    def compile(self) -> None:
        self.expression = self.prop("wrapContent")
        if not self.expression:
            raise self.fail("a filter needs an XPath expression")
        self.value_type = self.prop("xpathType", "Nodelist")
        try:
            self.xpath = xp.compile_xpath(self.expression, self.flow.namespaces)
        except ValueError as exc:
            raise self.fail(str(exc)) from exc

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        result = xp.evaluate(self.xpath, self.expression, xp.parse_body(ex, "Filter"), ex)
        if self.value_type == "Node":
            ex.body = xp.serialize(result[:1] if isinstance(result, list) else result)
        elif self.value_type == "Boolean":
            ex.body = b"true" if xp.as_boolean(result) else b"false"
        elif self.value_type == "Integer":
            text = xp.as_string(result)
            try:
                ex.body = str(int(float(text))).encode()
            except ValueError:
                ex.body = b"NaN"
        elif self.value_type == "String":
            ex.body = xp.as_string(result).encode("utf-8")
        else:
            ex.body = xp.serialize(result)
