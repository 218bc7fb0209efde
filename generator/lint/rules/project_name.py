"""``.project`` name equals ``Bundle-SymbolicName`` (the artifact id)."""

from __future__ import annotations

from lxml import etree

from generator.lint.rules.base import Rule


class ProjectNameMatchesSymbolicName(Rule):
    id = "project-name"
    bundle_types = ()
    needs_iflw = False

    def check(self, view):
        data = view.files.get(".project")
        if data is None or view.manifest_headers is None:
            return
        try:
            name = etree.fromstring(data).findtext("name")
        except etree.XMLSyntaxError as exc:
            yield view.finding(type(self), f".project is not well-formed XML: {exc}", file=".project")
            return
        if name != view.symbolic_name:
            yield view.finding(type(self), f".project name {name!r} differs from Bundle-SymbolicName "
                               f"{view.symbolic_name!r}", file=".project")
