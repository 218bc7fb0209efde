"""Find scenario files, validate them against the JSON Schema, and build :class:`Scenario` objects.

A bad scenario fails with ``file:line: field: what was expected`` for every problem found (the
YAML is read keeping the line of every value, the schema names the field). Checks the schema
cannot express (one step kind per step, a ``file:`` that exists, a JSONPath or regex that
compiles) are reported the same way.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema
from lxml import etree

from generator.errors import Problem, SpecError
from generator.spec.loader import Document, dotted, load

from harness.contract import matchers
from harness.contract.model import (STEP_KINDS, TARGETS, Limit, MplExpectation, Payload, QueueExpectation,
                                    RequestExpectation, Scenario, StateExpectation, Step, Then, Where)

SCHEMA_FILE = Path(__file__).with_name("scenario.schema.json")
SKIPPED_FOLDERS = frozenset({"data", "fixtures", "payloads"})
DEFAULT_TIMEOUT_S = 60.0


class ScenarioError(Exception):
    """One or more scenario files are invalid; each problem names file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The scenario JSON Schema."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema())


# --- discovery ------------------------------------------------------------------------------------
def discover(paths: Iterable[Path], root: Path) -> list[Path]:
    """Scenario files under ``paths`` (files or folders; default ``root``), sorted, no data folders."""
    found: set[Path] = set()
    for path in list(paths) or [root]:
        path = path.resolve()
        if path.is_file():
            found.add(path)
            continue
        if not path.is_dir():
            raise ScenarioError([Problem(str(path), None, "", "no such scenario file or folder")])
        for candidate in path.rglob("*"):
            if candidate.suffix not in (".yaml", ".yml") or not candidate.is_file():
                continue
            relative = candidate.relative_to(path).parts[:-1]
            if any(part in SKIPPED_FOLDERS or part.startswith(("_", ".")) for part in relative):
                continue
            found.add(candidate)
    return sorted(found)


def module_of(path: Path, root: Path) -> str:
    """The module a scenario belongs to: its first folder below ``root`` (else the folder's name)."""
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return path.parent.name
    return parts[0] if len(parts) > 1 else root.name


# --- loading -------------------------------------------------------------------------------------
def load_scenario(path: Path, root: Path) -> Scenario:
    """Load and validate one file; raise :class:`ScenarioError` listing every problem."""
    try:
        doc = load(path)
    except SpecError as exc:
        raise ScenarioError(exc.problems) from None
    problems = _schema_problems(doc)
    if problems:
        raise ScenarioError(problems)
    problems = []
    scenario = _build(doc, path, root, problems)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _schema_problems(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(doc.data, dict):
        return [doc.problem((), "expected a mapping with name, when and then (docs/contract.md)")]
    for key in ("given", "when"):
        for index, step in enumerate(doc.data.get(key) or []):
            if isinstance(step, dict):
                kinds = [k for k in STEP_KINDS if k in step]
                if len(kinds) != 1:
                    shown = ", ".join(kinds) if kinds else "none"
                    problems.append(doc.problem((key, index), f"a step needs exactly one of {', '.join(STEP_KINDS)} "
                                                              f"(found {shown})"))
    for error in sorted(_validator().iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        if error.validator in ("if", "allOf") or any(p.message == _message(error) for p in problems
                                                       if p.field == dotted(path)):
            continue
        extra = _unknown_keys(error)
        if extra:                       # point at the unknown key itself
            problems.append(doc.problem(path + (extra[0],), _message(error)))
            continue
        problems.append(doc.problem(path, _message(error)))
    return _dedupe(problems)


def _unknown_keys(error: jsonschema.ValidationError) -> list[str]:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = set(error.schema.get("properties", {}))
    patterns = error.schema.get("patternProperties") or {}
    return sorted(k for k in error.instance if k not in allowed and not any(re.search(p, k) for p in patterns))


def _message(error: jsonschema.ValidationError) -> str:
    extra = _unknown_keys(error)
    if extra:
        allowed = sorted(error.schema.get("properties", {}))
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key(s) {', '.join(map(repr, extra))}{hint}"
    if "propertyNames" in error.schema_path:
        return f"key {error.instance!r} must be a JSONPath ($...) or an XPath (/...)"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator in ("anyOf", "oneOf"):
        if error.schema.get("anyOf") == [{"required": ["call"]}, {"required": ["faults"]}]:
            return "a mock step needs 'call' ('METHOD /path') or 'faults'"
        return f"{_short(error.instance)} is not valid here: expected {_alternatives(error)}"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match {error.validator_value!r}"
    if error.validator == "not" and isinstance(error.instance, dict):
        return "give either 'path' or 'path_contains', not both"
    return error.message


def _alternatives(error: jsonschema.ValidationError) -> str:
    options = error.schema.get(error.validator) or []
    kinds = []
    for option in options:
        if "$ref" in option:
            kinds.append(option["$ref"].rsplit("/", 1)[-1])
        elif "type" in option:
            kinds.append(str(option["type"]))
        elif "const" in option:
            kinds.append(repr(option["const"]))
    return " or ".join(kinds) or "another form"


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for problem in problems:
        key = (problem.line, problem.field, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def _build(doc: Document, path: Path, root: Path, problems: list[Problem]) -> Scenario:
    data = doc.data

    def where(*keys: Any) -> Where:
        return Where(path, doc.line(keys), dotted(keys))

    def steps(key: str) -> list[Step]:
        result = []
        for index, raw in enumerate(data.get(key) or []):
            kind = next(k for k in STEP_KINDS if k in raw)
            step = Step(kind, where(key, index), raw)
            step.payload = _payload(raw.get("post") if kind == "flow" else raw if kind == "mock" else None,
                                    path, doc, (key, index) + (("post",) if kind == "flow" else ()), problems)
            if kind == "flow" and raw.get("expect_body"):
                _check_assertions(raw["expect_body"], doc, (key, index, "expect_body"), problems)
            result.append(step)
        return result

    runs_on = list(data.get("runs_on") or TARGETS)
    then_raw = data.get("then") or {}
    then = Then()
    for index, raw in enumerate(then_raw.get("mpls") or []):
        then.mpls.append(MplExpectation(raw["flow"], raw.get("status"), Limit.of(raw), raw.get("error_contains"),
                                        where("then", "mpls", index)))
    for index, raw in enumerate(then_raw.get("requests") or []):
        base = ("then", "requests", index)
        for key in ("where", "body"):
            _check_assertions(raw.get(key) or {}, doc, base + (key,), problems)
        for key in ("headers", "query"):
            for name, matcher in (raw.get(key) or {}).items():
                _check_matcher(matcher, doc, base + (key, name), problems)
        if "status" in raw:
            _check_matcher(raw["status"], doc, base + ("status",), problems)
        then.requests.append(RequestExpectation(
            mock=raw["mock"], method=raw.get("method"), path=raw.get("path"), path_contains=raw.get("path_contains"),
            limit=Limit.of(raw), filters=dict(raw.get("where") or {}), body=dict(raw.get("body") or {}),
            headers=dict(raw.get("headers") or {}), query=dict(raw.get("query") or {}), status=raw.get("status"),
            has_status="status" in raw, where=where(*base)))
    for index, raw in enumerate(then_raw.get("state") or []):
        assertions = {k: v for k, v in raw.items() if k.startswith("$")}
        _check_assertions(assertions, doc, ("then", "state", index), problems)
        then.state.append(StateExpectation(raw["mock"], raw.get("resource"), assertions, where("then", "state", index)))
    for name, raw in (then_raw.get("queues") or {}).items():
        dead = name == "dead_letter"
        then.queues.append(QueueExpectation(
            queue=raw.get("queue") if dead else name, dead_letter=dead, limit=Limit.of(raw),
            flow=raw.get("flow") if dead else None, reason_contains=raw.get("reason_contains") if dead else None,
            where=where("then", "queues", name)))
    scenario = Scenario(
        path=path, module=module_of(path, root), name=str(data["name"]), description=str(data.get("description") or ""),
        tags=[str(t) for t in data.get("tags") or []], runs_on=runs_on,
        timeout_s=float(data.get("timeout_s") or DEFAULT_TIMEOUT_S), reset=bool(data.get("reset", True)),
        given=steps("given"), when=steps("when"), then=then, explicit_runs_on="runs_on" in data)
    return scenario


def _payload(raw: dict[str, Any] | None, path: Path, doc: Document, at: tuple[Any, ...],
             problems: list[Problem]) -> Payload | None:
    if not raw:
        return None
    payload = Payload()
    if "json" in raw:
        payload.json, payload.has_json = raw["json"], True
    elif "body" in raw:
        payload.text = str(raw["body"])
    elif "file" in raw:
        target = (path.parent / str(raw["file"])).resolve()
        if not target.is_file():
            problems.append(doc.problem(at + ("file",), f"no such file {target} (paths are relative to the scenario)"))
        payload.file = target
    else:
        return None
    return payload


def _check_assertions(assertions: dict[str, Any], doc: Document, at: tuple[Any, ...], problems: list[Problem]) -> None:
    for expression, matcher in assertions.items():
        where = at + (expression,)
        try:
            if expression.startswith("$"):
                matchers.compile_jsonpath(expression)
            else:
                etree.XPath(expression, namespaces=matchers.XML_NAMESPACES)
        except (matchers.MatcherError, etree.XPathSyntaxError) as exc:
            problems.append(doc.problem(where, f"invalid {'JSONPath' if expression.startswith('$') else 'XPath'}: {exc}"))
        _check_matcher(matcher, doc, where, problems)


def _check_matcher(matcher: Any, doc: Document, at: tuple[Any, ...], problems: list[Problem]) -> None:
    if isinstance(matcher, dict) and "matches" in matcher:
        try:
            re.compile(str(matcher["matches"]))
        except re.error as exc:
            problems.append(doc.problem(at + ("matches",), f"invalid regular expression: {exc}"))


def load_all(paths: Iterable[Path], root: Path) -> tuple[list[Scenario], list[ScenarioError]]:
    """Every scenario under ``paths``; invalid files are returned as errors, not raised."""
    scenarios: list[Scenario] = []
    errors: list[ScenarioError] = []
    for path in discover(paths, root):
        try:
            scenarios.append(load_scenario(path, root))
        except ScenarioError as exc:
            errors.append(exc)
    return scenarios, errors
