"""JSON to XML (1.0-1.1) and XML to JSON (1.0) converters, with the tenant's rules.

JSON to XML: members become elements; an array repeats its element; ``@name`` members become
attributes and a ``$`` member the element's text; ``null`` gives an empty element. Without
``addXMLRootElement`` the JSON must have exactly one member, which becomes the root; with it, the
document is wrapped in ``additionalRootElementName`` (in ``additionalRootElementNamespace``). With
``useNamespaces``, ``prefix<separator>name`` members use ``jsonNamespaceMapping`` (``prefix=uri``
pairs).

XML to JSON: elements become members, repeated siblings arrays, attributes ``@name``, mixed text
``$``; every value is a string; ``xmlJsonSuppressRootElement`` drops the root; with
``xmlJsonConvertAllElements=specific`` the elements whose paths are in ``xmlJsonPathTable`` are
always arrays. Namespaces: with ``useNamespaces`` an element in a mapped namespace is written
``prefix<separator>name``; otherwise only local names are kept.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from typing import Any

from lxml import etree

from ..context import RunContext
from ..errors import ProcessingError
from ..exchange import Exchange
from ..registry import STEPS
from ..tables import parse_table
from ..xpath import parse_body
from .base import Step

_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
JSON_ERROR = "com.sap.it.rt.camel.converter.JsonXmlConversionException"


def _namespace_map(text: str) -> dict[str, str]:
    result = {}
    for piece in re.split(r"[;\s]+", text or ""):
        if "=" in piece:
            prefix, _, uri = piece.partition("=")
            result[prefix.strip().removeprefix("xmlns:")] = uri.strip()
    for row in parse_table(text) if (text or "").lstrip().startswith("<row") else []:
        if len(row.cells) >= 2:
            result[row.cells[0]] = row.cells[1]
    return result


@STEPS.register("JsonToXmlConverter")
class JsonToXml(Step):
    title = "JSON to XML Converter"
    min_version = "1.0"
    max_version = "1.1"

    def compile(self) -> None:
        self.add_root = self.flag("addXMLRootElement", True)
        self.root_name = self.prop("additionalRootElementName", "root")
        self.root_ns = self.prop("additionalRootElementNamespace")
        self.use_ns = self.flag("useNamespaces")
        self.separator = self.prop("jsonNamespaceSeparator", ":")
        self.ns_map = _namespace_map(self.node.props.get("jsonNamespaceMapping", ""))
        if self.add_root and not _NAME.match(self.root_name):
            raise self.fail(f"additionalRootElementName {self.root_name!r} is not an XML name")

    def _qname(self, key: str) -> str:
        if self.use_ns and self.separator and self.separator in key:
            prefix, _, local = key.partition(self.separator)
            if prefix in self.ns_map:
                return f"{{{self.ns_map[prefix]}}}{local}"
        if not _NAME.match(key):
            raise ProcessingError(f"JSON member name {key!r} is not a valid XML element name",
                                  java_class=JSON_ERROR)
        return key

    def _fill(self, element: etree._Element, value: Any) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                if key.startswith("@"):
                    element.set(key[1:], "" if child is None else _scalar(child))
                elif key == "$":
                    element.text = "" if child is None else _scalar(child)
                else:
                    self._add(element, key, child)
        elif value is not None:
            element.text = _scalar(value)

    def _add(self, parent: etree._Element, key: str, value: Any) -> None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            child = etree.SubElement(parent, self._qname(key))
            self._fill(child, item)

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        try:
            data = json.loads(ex.text, object_pairs_hook=OrderedDict) if ex.body.strip() else {}
        except ValueError as exc:
            raise ProcessingError(f"the message body is not valid JSON: {exc}", java_class=JSON_ERROR) from exc
        if self.add_root:
            root = etree.Element(f"{{{self.root_ns}}}{self.root_name}" if self.root_ns else self.root_name)
            if isinstance(data, list):
                raise ProcessingError("a JSON array at the top level cannot be converted; expected an object",
                                      java_class=JSON_ERROR)
            self._fill(root, data)
        else:
            if not isinstance(data, dict) or len(data) != 1:
                raise ProcessingError("without an additional root element the JSON must have exactly "
                                      "one member at the top level", java_class=JSON_ERROR)
            (key, value), = data.items()
            if isinstance(value, list):
                raise ProcessingError(f"the root member {key!r} is an array; an XML document has one root",
                                      java_class=JSON_ERROR)
            root = etree.Element(self._qname(key))
            self._fill(root, value)
        ex.body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        ex.headers["Content-Type"] = "application/xml"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and "e" not in repr(value):
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


@STEPS.register("XmlToJsonConverter")
class XmlToJson(Step):
    title = "XML to JSON Converter"
    min_version = max_version = "1.0"

    def compile(self) -> None:
        self.suppress_root = self.flag("xmlJsonSuppressRootElement")
        self.specific = self.prop("xmlJsonConvertAllElements", "all") == "specific"
        self.array_paths = {r.cells[0].strip() for r in parse_table(self.node.props.get("xmlJsonPathTable"))
                            if r.cells and r.cells[0].strip()}
        self.use_ns = self.flag("useNamespaces")
        self.separator = self.prop("jsonNamespaceSeparator", ":")
        self.ns_by_uri = {uri: prefix for prefix, uri in
                          _namespace_map(self.node.props.get("jsonNamespaceMapping", "")).items()}
        self.ns_by_uri.update({uri: prefix for prefix, uri in self.flow.namespaces.items()
                               if uri not in self.ns_by_uri})

    def _name(self, element: etree._Element) -> str:
        qname = etree.QName(element)
        if self.use_ns and qname.namespace and qname.namespace in self.ns_by_uri:
            return f"{self.ns_by_uri[qname.namespace]}{self.separator}{qname.localname}"
        return qname.localname

    def _convert(self, element: etree._Element, path: str) -> Any:
        children = [c for c in element if isinstance(c.tag, str)]
        attributes = {f"@{etree.QName(k).localname}": v for k, v in element.attrib.items()}
        text = (element.text or "").strip()
        if not children and not attributes:
            return element.text or ""
        result: "OrderedDict[str, Any]" = OrderedDict(attributes)
        for child in children:
            name = self._name(child)
            child_path = f"{path}/{etree.QName(child).localname}"
            value = self._convert(child, child_path)
            if name in result:
                if not isinstance(result[name], list):
                    result[name] = [result[name]]
                result[name].append(value)
            elif self.specific and child_path in self.array_paths:
                result[name] = [value]
            else:
                result[name] = value
        if text:
            result["$"] = text
        return result

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        root = parse_body(ex, "XML to JSON")
        path = f"/{etree.QName(root).localname}"
        value = self._convert(root, path)
        data = value if self.suppress_root else OrderedDict([(self._name(root), value)])
        ex.body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        ex.headers["Content-Type"] = "application/json"
