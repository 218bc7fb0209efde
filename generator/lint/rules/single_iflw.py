"""Exactly one well-formed ``.iflw`` with the tenant's root and ``ifl`` namespace."""

from __future__ import annotations

from generator.lint.artifact import IFLW_DIR, NS
from generator.lint.rules.base import Rule


class SingleWellFormedIflw(Rule):
    id = "single-iflw"
    needs_iflw = False

    def check(self, view):
        if len(view.iflw_paths) != 1:
            yield view.finding(type(self), f"expected exactly one .iflw under {IFLW_DIR}, found "
                               f"{len(view.iflw_paths)}", file=IFLW_DIR)
            return
        if view.parse_error:
            yield view.finding(type(self), f"not well-formed XML: {view.parse_error}")
            return
        root = view.tree
        if root.tag != f"{{{NS['bpmn2']}}}definitions":
            yield view.finding(type(self), f"root element is {root.tag}, expected bpmn2:definitions")
        if root.nsmap.get("ifl") != NS["ifl"]:
            yield view.finding(type(self), f"the ifl namespace must be {NS['ifl']} (three slashes)")
        if len(view.all("/bpmn2:definitions/bpmn2:collaboration")) != 1:
            yield view.finding(type(self), "expected exactly one bpmn2:collaboration")
