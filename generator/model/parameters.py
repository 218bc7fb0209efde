"""Externalized parameters: declarations, where each ``{{Name}}`` is used, types and references.

A parameter is declared in the module or the flow (``parameters:``) or made by an adapter's
``externalize``. Every ``{{Name}}`` the flow uses must be declared; the propdef type and combo-box
flag follow the field the parameter fills, and adapter fields get a ``param_references`` entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.components.adapters.base import Adapter
from generator.components.base import PARAM_RE, Field, OptionError
from generator.errors import Problem
from generator.model.iflow import Parameter, ParamReference
from generator.spec.loader import Document, PathKey


@dataclass
class Declaration:
    """A declared parameter and where it was declared."""

    name: str
    value: Any
    type: str | None
    description: str
    doc: Document
    path: PathKey


def declarations(doc: Document, raw: dict[str, Any] | None, path: PathKey) -> dict[str, Declaration]:
    """Read a ``parameters:`` mapping."""
    out = {}
    for name, spec in (raw or {}).items():
        if isinstance(spec, dict):
            out[name] = Declaration(name, spec.get("value", ""), spec.get("type"),
                                    spec.get("description", ""), doc, path + (name,))
        else:
            out[name] = Declaration(name, spec, None, "", doc, path + (name,))
    return out


class ParameterTable:
    """Collects parameter use while a flow is assembled, then yields its ``Parameter`` list."""

    def __init__(self, declared: dict[str, Declaration]):
        self.declared = declared
        self.params: dict[str, Parameter] = {}
        self.problems: list[Problem] = []
        self._typed_by: dict[str, str] = {}
        self._externalized: dict[str, str] = {}

    def use_text(self, text: str, doc: Document, path: PathKey) -> None:
        """Record every ``{{Name}}`` in a value that is not an adapter/step field (tables, bodies)."""
        for name in PARAM_RE.findall(text):
            self._use(name, doc, path)

    def use_field(self, value: str, spec_field: Field, doc: Document, path: PathKey, *,
                  adapter: type[Adapter] | None = None, system: str = "") -> None:
        """Record the parameters in one field value.

        A parameter that is the whole value takes the field's type; every parameter in an adapter
        field (whole or part, like ``{{Host}}/path``) gets a ``param_references`` entry.
        """
        for name in PARAM_RE.findall(value):
            self._use(name, doc, path)
            if adapter is not None and spec_field.ref:
                ref_id = adapter.reference_id(spec_field.key)
                if ref_id:
                    ref = ParamReference(adapter.reference_category(system, spec_field), ref_id,
                                         adapter.reference_label(spec_field))
                    if ref not in self.params[name].references:
                        self.params[name].references.append(ref)
        whole = PARAM_RE.fullmatch(value)
        if whole:
            self._type(self.params[whole.group(1)], spec_field.param_type, spec_field.combobox,
                       doc, path, spec_field)

    def use_schedule(self, name: str, table: str, doc: Document, path: PathKey) -> None:
        """A Timer schedule externalized as ``name`` (type ``custom:schedule``)."""
        if name in self.declared:
            self.problems.append(doc.problem(path, f"parameter {name!r} is made by the timer; "
                                                   "do not declare it too"))
            return
        self.declared[name] = Declaration(name, table, "schedule", "", doc, path)
        self._use(name, doc, path)
        self.params[name].type = "schedule"

    def externalize(self, name: str, value: str, spec_field: Field, doc: Document,
                    path: PathKey) -> None:
        """Declare a parameter an adapter's ``externalize`` makes (explicit declarations win)."""
        if name in self._externalized:
            if self._externalized[name] != value:
                self.problems.append(doc.problem(path, f"externalized parameter {name!r} gets two "
                                                 f"defaults ({self._externalized[name]!r} and "
                                                 f"{value!r}); declare it under 'parameters'"))
            return
        self._externalized[name] = value
        if name not in self.declared:
            self.declared[name] = Declaration(name, value, spec_field.param_type, "", doc, path)

    def _use(self, name: str, doc: Document, path: PathKey) -> None:
        if name in self.params:
            return
        decl = self.declared.get(name)
        if decl is None:
            self.problems.append(doc.problem(
                path, f"parameter {{{{{name}}}}} is not declared; add it under 'parameters' "
                      f"(module or flow) with its default value"))
            self.params[name] = Parameter(name, used=True)
            return
        self.params[name] = Parameter(name, decl.type or "string", "", decl.description,
                                      used=True)

    def _type(self, param: Parameter, kind: str, combobox: bool | None, doc: Document,
              path: PathKey, spec_field: Field) -> None:
        decl = self.declared.get(param.name)
        if param.name in self._typed_by:
            if self._typed_by[param.name] != kind:
                self.problems.append(doc.problem(path, f"parameter {param.name!r} fills fields "
                                                       f"of types {self._typed_by[param.name]} "
                                                       f"and {kind}"))
            return
        if decl is not None and decl.type and decl.type != kind:
            self.problems.append(decl.doc.problem(decl.path, f"declared type {decl.type}, but it "
                                                  f"fills {spec_field.key}, which is {kind}"))
            return
        self._typed_by[param.name] = kind
        param.type = kind
        param.combobox = combobox
        if decl is not None:
            try:
                param.value = spec_field.encode(decl.value) if decl.value != "" else ""
            except OptionError as exc:
                self.problems.append(decl.doc.problem(decl.path, f"default value: {exc}"))

    def finish(self, keep_unused: list[Declaration]) -> dict[str, Parameter]:
        """Used parameters in first-use order, then the unused declarations to keep."""
        out: dict[str, Parameter] = {}
        for name, param in self.params.items():
            decl = self.declared.get(name)
            if decl is not None and name not in self._typed_by:
                param.value = _text(decl.value)
            out[name] = param
        for decl in keep_unused:
            out[decl.name] = Parameter(decl.name, decl.type or "string", _text(decl.value),
                                       decl.description, used=False)
        return out

    def unused(self, scope: PathKey) -> list[Declaration]:
        """Declarations under ``scope`` (e.g. the flow's own) that the flow never uses."""
        return [d for n, d in self.declared.items()
                if n not in self.params and d.path[:len(scope)] == scope]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
