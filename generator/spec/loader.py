"""Load YAML keeping the line of every value, so errors can say ``file:line: field: ...``.

Scalars follow YAML 1.2 more than PyYAML's YAML 1.1 defaults: only ``true``/``false`` are
booleans (``no``/``on`` stay text) and dates stay text. Duplicate keys are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem, SpecError

PathKey = tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style booleans and no implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"),
                              list("tf"))


@dataclass
class Document:
    """A loaded YAML file: its data and the line of every path in it."""

    path: Path
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: PathKey, message: str) -> SpecError:
        """A SpecError located at ``path``."""
        return SpecError([self.problem(path, message)])

    def problem(self, path: PathKey, message: str) -> Problem:
        """A Problem located at ``path``."""
        return Problem(str(self.path), self.line(path), dotted(path), message)


def dotted(path: PathKey) -> str:
    """``flows[0].steps[2].call`` for ``('flows', 0, 'steps', 2, 'call')``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path: Path) -> Document:
    """Load one YAML file (raises SpecError on syntax errors and duplicate keys)."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise SpecError([Problem(str(path), line, "", f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None
    finally:
        loader.dispose()
    doc = Document(path, None)
    if node is None:
        raise SpecError([Problem(str(path), 1, "", "the file is empty")])
    doc.data = _build(loader, node, (), doc)
    return doc


def _build(loader: _Loader, node: yaml.Node, path: PathKey, doc: Document,
           line: int | None = None) -> Any:
    # A mapping value is located at its key's line: that is where a reader looks.
    doc.lines[path] = line or node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise doc.error(path, "YAML merge keys (<<) are not supported; write the keys out")
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise SpecError([Problem(str(doc.path), key_node.start_mark.line + 1,
                                         dotted(path + (key,)), "duplicate key")])
            result[key] = _build(loader, value_node, path + (key,), doc, key_node.start_mark.line + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
