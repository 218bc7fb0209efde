"""Parameters consistent between the iFlow, ``parameters.prop`` and ``parameters.propdef``."""

from __future__ import annotations

from generator.lint.rules.base import Rule

PROP = "src/main/resources/parameters.prop"
PROPDEF = "src/main/resources/parameters.propdef"


class ParametersConsistent(Rule):
    id = "parameters"

    def check(self, view):
        rule = type(self)
        used = view.used_parameters
        values = view.prop_values
        if view.propdef is None and PROPDEF in view.files:
            yield view.finding(rule, "parameters.propdef is not well-formed XML", file=PROPDEF)
        if values is None or view.propdef is None:
            if used:
                yield view.finding(rule, "the iFlow uses parameters but parameters.prop or .propdef "
                                   "is missing", file=PROP)
            return
        defined = [p.findtext("name") for p in view.propdef.findall("parameter")]
        for name, element in used.items():
            if name not in values:
                yield view.finding(rule, f"{{{{{name}}}}} is used but has no value in parameters.prop",
                                   element, file=PROP)
            if name not in defined:
                yield view.finding(rule, f"{{{{{name}}}}} is used but not defined in parameters.propdef",
                                   element, file=PROPDEF)
        for name in sorted(set(values) ^ set(defined)):
            where = "parameters.prop" if name in values else "parameters.propdef"
            yield view.finding(rule, f"parameter {name!r} is only in {where}", file=PROP)
        for name in sorted((set(values) & set(defined)) - set(used)):
            yield view.finding(rule, f"parameter {name!r} is never used by the iFlow", file=PROP,
                               severity="warning")
        for ref in view.propdef.iter("reference"):
            if ref.get("param_key") not in defined:
                yield view.finding(rule, f"param_references names unknown parameter "
                                   f"{ref.get('param_key')!r}", file=PROPDEF)
