"""A value mapping artifact holds a well-formed ``<vm version="2.0">`` of two-entry groups."""

from __future__ import annotations

from lxml import etree

from generator.lint.rules.base import Rule


class ValueMappingWellFormed(Rule):
    id = "value-mapping"
    bundle_types = ("ValueMapping",)
    needs_iflw = False

    def check(self, view):
        rule = type(self)
        data = view.files.get("value_mapping.xml")
        if data is None:
            yield view.finding(rule, "value_mapping.xml is missing", file="value_mapping.xml")
            return
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            yield view.finding(rule, f"not well-formed XML: {exc}", file="value_mapping.xml")
            return
        if root.tag != "vm" or root.get("version") != "2.0":
            yield view.finding(rule, 'the root must be <vm version="2.0">', file="value_mapping.xml")
        ids = set()
        for group in root.findall("group"):
            gid = group.get("id")
            if gid in ids:
                yield view.finding(rule, "duplicate group id", gid, file="value_mapping.xml")
            ids.add(gid)
            if len(group.findall("entry")) < 2:
                yield view.finding(rule, "a group needs at least two entries", gid, file="value_mapping.xml")
