"""A whole module: its flows as ``IFlow`` models and its value translations as groups."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Problem, SpecError
from generator.model.assemble import BuildEnv, FlowAssembler, ModuleContext
from generator.model.iflow import IFlow
from generator.render.value_mapping import Entry, Group
from generator.spec.loader import Document, PathKey


@dataclass
class Translation:
    """One value translation and where it was written (to name both sides of a conflict)."""

    group: Group
    doc: Document
    path: PathKey


def assemble_module(doc: Document, env: BuildEnv) -> list[IFlow]:
    """Every flow of a module."""
    context = ModuleContext(doc, dict(doc.data.get("namespaces") or {}),
                            dict(doc.data.get("field_maps") or {}))
    return [FlowAssembler(context, i, env).build() for i in range(len(doc.data["flows"]))]


def translations(doc: Document) -> list[Translation]:
    """The module's ``value_maps`` as value-mapping groups."""
    out = []
    for i, vm in enumerate(doc.data.get("value_maps") or []):
        path: PathKey = ("value_maps", i)
        source, target = vm["source"], vm["target"]
        by_target: dict[str, list[str]] = {}
        for src, tgt in vm["values"].items():
            by_target.setdefault(str(tgt), []).append(str(src))
        defaults = {str(k): str(v) for k, v in (vm.get("reverse_defaults") or {}).items()}
        problems = []
        for tgt, srcs in by_target.items():
            if len(srcs) > 1 and tgt not in defaults:
                problems.append(doc.problem(path + ("values",), f"{tgt!r} is the target of "
                                f"{', '.join(map(repr, srcs))}; name the one a reverse lookup "
                                f"returns in reverse_defaults"))
        for tgt, src in defaults.items():
            if src not in by_target.get(tgt, []):
                problems.append(doc.problem(path + ("reverse_defaults", tgt),
                                            f"{src!r} does not map to {tgt!r}"))
        if problems:
            raise SpecError(problems)
        for src, tgt in vm["values"].items():
            src, tgt = str(src), str(tgt)
            chosen = len(by_target[tgt]) > 1 and defaults.get(tgt) == src
            group = Group(Entry(source["agency"], source["schema"], src, chosen),
                          Entry(target["agency"], target["schema"], tgt))
            out.append(Translation(group, doc, path + ("values", src)))
    return out


def merge_translations(items: list[Translation]) -> list[Group]:
    """All modules' groups; the same source value mapped two ways is an error naming both."""
    seen: dict[tuple, Translation] = {}
    problems: list[Problem] = []
    groups = []
    for item in items:
        s, t = item.group.source, item.group.target
        forward = (s.agency, s.schema, s.value, t.agency, t.schema)
        if forward in seen:
            other = seen[forward]
            if other.group.target.value != t.value:
                problems.append(item.doc.problem(item.path, (
                    f"{s.agency}/{s.schema} {s.value!r} maps to {t.value!r} here but to "
                    f"{other.group.target.value!r} in {other.doc.path}:{other.doc.line(other.path)}")))
            continue
        seen[forward] = item
        groups.append(item.group)
    if problems:
        raise SpecError(problems)
    return groups
