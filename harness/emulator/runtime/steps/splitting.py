"""General and Iterating Splitter (1.1-1.6) and Gather (1.0-1.2).

A splitter produces the parts; the engine runs the steps after it once per part, up to the next
Gather (or an end event), then continues with what the Gather made of the parts. Each part carries
``CamelSplitIndex``, ``CamelSplitSize`` and ``CamelSplitComplete``.

* XPath: the General Splitter keeps the document around each part (every other matched element
  removed); the Iterating Splitter emits the matched elements alone. ``grouping`` puts N items
  in a part.
* Line Break: lines (empty lines dropped), grouped by ``grouping``.
* Token: the text split at ``tokenValue`` / ``splitExprValue``.

Gather: ``concatenate-strategy`` joins plain-text bodies; ``sap-identical-multi-mapping`` and
``sap-pi-multi-mapping`` wrap the parts' roots in
``<multimap:Messages><multimap:Message1>...``; ``xpath-merge-strategy`` copies the nodes at
``sourceXPath`` of every part under ``targetXPath`` of the first.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..context import RunContext
from ..errors import ProcessingError
from ..exchange import Exchange
from ..registry import STEPS
from .. import xpath as xp
from .base import Step

MULTIMAP = "http://sap.com/xi/XI/SplitAndMerge"


class Splitter(Step):
    """Base for splitters: :meth:`split` returns the parts."""

    min_version = "1.1"
    max_version = "1.6"
    iterating = False

    def compile(self) -> None:
        self.kind = self.prop("exprType", "XPath")
        if self.kind not in ("XPath", "Line Break", "Token"):
            raise self.fail(f"exprType {self.kind!r} is not supported (XPath, Line Break, Token)")
        self.expression = self.prop("splitExprValue") or self.prop("tokenValue")
        grouping = self.prop("grouping", "1")
        try:
            self.grouping = max(1, int(grouping))
        except ValueError:
            raise self.fail(f"grouping {grouping!r} is not a number") from None
        self.stop_on_error = self.flag("StopOnExecution", True)
        if self.kind == "XPath":
            if not self.expression:
                raise self.fail("an XPath splitter needs splitExprValue")
            try:
                self.xpath = xp.compile_xpath(self.expression, self.flow.namespaces)
            except ValueError as exc:
                raise self.fail(str(exc)) from exc
        if self.kind == "Token" and not self.expression:
            raise self.fail("a token splitter needs the token (tokenValue or splitExprValue)")

    def process(self, ex: Exchange, ctx: RunContext) -> None:  # the engine calls split()
        raise NotImplementedError

    def _groups(self, items: list) -> list[list]:
        return [items[i:i + self.grouping] for i in range(0, len(items), self.grouping)]

    def split(self, ex: Exchange, ctx: RunContext) -> list[Exchange]:
        if self.kind == "Line Break":
            lines = [line for line in ex.text.splitlines() if line.strip()]
            bodies = ["\n".join(group).encode(ex.charset) for group in self._groups(lines)]
        elif self.kind == "Token":
            token = self.expression.replace("\\n", "\n").replace("\\t", "\t")
            pieces = [p for p in ex.text.split(token) if p != ""]
            bodies = [token.join(group).encode(ex.charset) for group in self._groups(pieces)]
        else:
            bodies = self._split_xml(ex)
        parts = []
        for index, body in enumerate(bodies):
            part = ex.copy()
            part.body = body
            part.properties["CamelSplitIndex"] = index
            part.properties["CamelSplitSize"] = len(bodies)
            part.properties["CamelSplitComplete"] = index == len(bodies) - 1
            parts.append(part)
        return parts

    def _split_xml(self, ex: Exchange) -> list[bytes]:
        root = xp.parse_body(ex, "Splitter")
        matches = xp.evaluate(self.xpath, self.expression, root, ex)
        if not isinstance(matches, list):
            raise ProcessingError(f"the splitter XPath {self.expression!r} does not select nodes",
                                  java_class=xp.XPATH_ERROR, step_id=self.node.id)
        elements = [m for m in matches if isinstance(m, etree._Element)]
        element_ids = {id(e) for e in elements}
        bodies = []
        for group in self._groups(elements):
            if self.iterating:
                if len(group) == 1:
                    bodies.append(etree.tostring(group[0], encoding="UTF-8", with_tail=False))
                else:
                    parent = group[0].getparent()
                    wrapper = etree.Element(parent.tag if parent is not None else "root", nsmap=group[0].nsmap)
                    for element in group:
                        wrapper.append(copy.deepcopy(element))
                    bodies.append(etree.tostring(wrapper, encoding="UTF-8"))
            else:
                keep = set(id(e) for e in group)
                tree = copy.deepcopy(root)
                # map the matched elements onto the copy by their position in document order
                originals = list(root.iter())
                copies = list(tree.iter())
                for original, copied in zip(originals, copies):
                    if id(original) in element_ids and id(original) not in keep:
                        parent = copied.getparent()
                        if parent is not None:
                            parent.remove(copied)
                bodies.append(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))
        return bodies


@STEPS.register("GeneralSplitter")
class GeneralSplitter(Splitter):
    title = "General Splitter"


@STEPS.register("Camel")
class IteratingSplitter(Splitter):
    title = "Iterating Splitter"
    iterating = True


@STEPS.register("Gather")
class Gather(Step):
    title = "Gather"
    min_version = "1.0"
    max_version = "1.2"

    def compile(self) -> None:
        self.message_type = self.prop("messageType", "SameXMLFormat")
        self.algorithm = self.prop("aggregationAlgorithm", "sap-identical-multi-mapping")
        known = ("concatenate-strategy", "sap-identical-multi-mapping", "xpath-merge-strategy",
                 "sap-pi-multi-mapping")
        if self.algorithm not in known:
            raise self.fail(f"aggregationAlgorithm {self.algorithm!r} is not supported")
        if self.algorithm == "xpath-merge-strategy":
            try:
                self.source = xp.compile_xpath(self.prop("sourceXPath"), self.flow.namespaces)
                self.target = xp.compile_xpath(self.prop("targetXPath"), self.flow.namespaces)
            except ValueError as exc:
                raise self.fail(str(exc)) from exc

    def process(self, ex: Exchange, ctx: RunContext) -> None:  # the engine calls combine()
        return None

    def combine(self, parts: list[Exchange], original: Exchange, ctx: RunContext) -> Exchange:
        result = original.copy()
        if parts:
            last = parts[-1]
            result.headers = last.headers.copy()
            result.properties = dict(last.properties)
        for key in ("CamelSplitIndex", "CamelSplitSize", "CamelSplitComplete"):
            result.properties.pop(key, None)
        if self.algorithm == "concatenate-strategy" or self.message_type == "PlainText":
            result.body = b"".join(p.body for p in parts)
        elif self.algorithm == "xpath-merge-strategy":
            result.body = self._merge(parts)
        else:
            root = etree.Element(f"{{{MULTIMAP}}}Messages", nsmap={"multimap": MULTIMAP})
            holder = etree.SubElement(root, f"{{{MULTIMAP}}}Message1")
            for part in parts:
                holder.append(xp.parse_body(part, "Gather"))
            result.body = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
        return result

    def _merge(self, parts: list[Exchange]) -> bytes:
        if not parts:
            return b""
        base = copy.deepcopy(xp.parse_body(parts[0], "Gather"))
        targets = self.target(base)
        if not isinstance(targets, list) or not targets:
            raise ProcessingError(f"targetXPath {self.prop('targetXPath')!r} selects nothing in the first part",
                                  java_class=xp.XPATH_ERROR, step_id=self.node.id)
        target = targets[0]
        for node in self.source(base):
            if isinstance(node, etree._Element) and node.getparent() is not None:
                node.getparent().remove(node)
        for part in parts:
            for node in self.source(xp.parse_body(part, "Gather")):
                if isinstance(node, etree._Element):
                    target.append(copy.deepcopy(node))
        return etree.tostring(base, encoding="UTF-8", xml_declaration=True)
