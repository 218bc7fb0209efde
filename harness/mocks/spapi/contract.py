"""The mock's own SP-API contracts (``schemas/*.json``): operations, parameters, bodies, responses.

Each file describes one API: its operations (method, path, usage plan, parameters with a JSON
Schema each, request body and response definitions) and JSON Schema ``definitions``. The service
uses them to route, to coerce and check parameters, to check request bodies (unknown fields are
rejected) and to check its own responses before sending them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from werkzeug.datastructures import MultiDict

from harness.mocks.spapi.exceptions import InvalidInput

SCHEMA_DIR = Path(__file__).with_name("schemas")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """ISO 8601 date and time (``T`` separator; offset optional, then UTC is meant)."""
    if not isinstance(value, str):
        return True
    parse_datetime(value)
    return True


@FORMATS.checks("int32", raises=ValueError)
def _is_int32(value: object) -> bool:
    if isinstance(value, int) and not -2**31 <= value < 2**31:
        raise ValueError("outside the int32 range")
    return True


def parse_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date-time; raise ValueError with a readable reason."""
    if "T" not in value and "t" not in value:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time (no 'T' between date and time)")
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        from datetime import timezone
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


@dataclass(frozen=True)
class Parameter:
    """A path or query parameter."""

    name: str
    location: str
    required: bool
    schema: dict[str, Any]


@dataclass(frozen=True)
class Operation:
    """One SP-API operation as the mock serves it."""

    name: str
    api: str
    method: str
    path: str
    rate: float
    burst: float
    parameters: tuple[Parameter, ...]
    body: str | None
    responses: dict[str, str | None]
    envelope: str
    sandbox_only: bool = False

    @property
    def rule(self) -> str:
        """The path as a werkzeug rule (``{id}`` -> ``<id>``)."""
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)

    @property
    def rate_header(self) -> str:
        """``x-amzn-RateLimit-Limit`` as SP-API writes it (``"2.0"``, ``"0.0167"``)."""
        return repr(float(self.rate))

    def response_definition(self, status: int) -> str | None:
        """The definition a response with ``status`` must match (None = no body)."""
        if str(status) in self.responses:
            return self.responses[str(status)]
        return self.responses.get("default")


class Contract:
    """One schema file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.definitions: dict[str, Any] = self.document["definitions"]
        self.model: str = self.document["model"]
        self.operations: dict[str, Operation] = {}
        for name, spec in self.document["operations"].items():
            params = tuple(Parameter(p["name"], p["in"], bool(p.get("required")), p["schema"])
                           for p in spec.get("parameters", []))
            self.operations[name] = Operation(
                name=name, api=path.stem, method=spec["method"], path=spec["path"],
                rate=float(spec["rate"]), burst=float(spec["burst"]), parameters=params,
                body=spec.get("body"), responses=dict(spec["responses"]),
                envelope=self.document.get("envelope", "payload"), sandbox_only=bool(spec.get("sandbox_only")))
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, definition: str) -> Draft202012Validator:
        """A validator for ``#/definitions/<definition>`` (cached)."""
        if definition not in self._validators:
            if definition not in self.definitions:
                raise KeyError(f"{self.path.name}: no definition {definition!r}")
            schema = {"$ref": f"#/definitions/{definition}", "definitions": self.definitions}
            self._validators[definition] = Draft202012Validator(schema, format_checker=FORMATS)
        return self._validators[definition]


@lru_cache(maxsize=1)
def contracts() -> dict[str, Contract]:
    """Every contract, keyed by file stem."""
    return {path.stem: Contract(path) for path in sorted(SCHEMA_DIR.glob("*.json"))}


def operations() -> list[Operation]:
    """Every operation of every contract."""
    return [op for contract in contracts().values() for op in contract.operations.values()]


def contract_of(operation: Operation) -> Contract:
    """The contract an operation belongs to."""
    return contracts()[operation.api]


# --- requests ------------------------------------------------------------------------------------
def parse_parameters(operation: Operation, args: MultiDict[str, str], path_values: dict[str, str]) -> dict[str, Any]:
    """Coerce and check the operation's parameters; raise InvalidInput naming the parameter.

    Arrays are comma-separated (Swagger 2.0's default ``csv``) and may also repeat the parameter.
    Query parameters the operation does not declare are ignored, as API Gateway does.
    """
    values: dict[str, Any] = {}
    for param in operation.parameters:
        where = "Path" if param.location == "path" else "Query"
        raw: list[str] = [path_values[param.name]] if param.location == "path" and param.name in path_values \
            else args.getlist(param.name)
        if not raw:
            if param.required:
                raise InvalidInput(f"{where} parameter [{param.name}] is required but missing.")
            if "default" in param.schema:
                values[param.name] = param.schema["default"]
            continue
        value = _coerce(param, raw, where)
        errors = sorted(Draft202012Validator(param.schema, format_checker=FORMATS).iter_errors(value),
                        key=lambda e: list(e.path))
        if errors:
            error = errors[0]
            if error.validator == "format" and error.validator_value == "date-time":
                raise InvalidInput(f"{where} parameter [{param.name}] value is not a valid ISO date-time object")
            raise InvalidInput(f"{where} parameter [{param.name}] is invalid: {error.message}")
        values[param.name] = value
    return values


def _coerce(param: Parameter, raw: list[str], where: str) -> Any:
    kind = param.schema.get("type")
    if kind == "array":
        items = [part for value in raw for part in value.split(",")]
        item_kind = param.schema.get("items", {}).get("type", "string")
        return [_scalar(item_kind, item, param.name, where) for item in items]
    if len(raw) > 1:
        raise InvalidInput(f"{where} parameter [{param.name}] was given {len(raw)} times; expected once.")
    return _scalar(kind or "string", raw[0], param.name, where)


def _scalar(kind: str, text: str, name: str, where: str) -> Any:
    if kind == "boolean":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise InvalidInput(f"{where} parameter [{name}] value {text!r} is not a valid boolean (true or false)")
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise InvalidInput(f"{where} parameter [{name}] value {text!r} is not a valid integer") from None
    return text


def parse_body(operation: Operation, data: bytes, mimetype: str) -> Any:
    """The JSON body checked against the operation's request definition."""
    if operation.body is None:
        return None
    if not data.strip():
        raise InvalidInput("The request body is missing; expected a JSON object.")
    if mimetype and mimetype != "application/json":
        raise InvalidInput(f"Unsupported Content-Type {mimetype!r}; expected application/json.")
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise InvalidInput(f"The request body is not valid JSON: {exc}") from exc
    problems = describe_errors(contract_of(operation).validator(operation.body).iter_errors(body))
    if problems:
        raise InvalidInput(f"Invalid request body: {problems[0]}",
                           details="; ".join(problems[1:6]) if len(problems) > 1 else "")
    return body


# --- responses -----------------------------------------------------------------------------------
def response_problems(operation: Operation, status: int, body: Any) -> list[str]:
    """What is wrong with a response the mock is about to send (empty when it is valid)."""
    definition = operation.response_definition(status)
    if definition is None:
        return [] if body is None else [f"HTTP {status} of {operation.name} must have no body"]
    if body is None:
        return [f"HTTP {status} of {operation.name} needs a {definition} body"]
    return describe_errors(contract_of(operation).validator(definition).iter_errors(body))


def describe_errors(errors: Iterable[ValidationError]) -> list[str]:
    """Readable ``field.path: message`` lines, most specific first."""
    lines = []
    for error in sorted(errors, key=lambda e: (-len(e.absolute_path), list(map(str, e.absolute_path)))):
        lines.append(f"{json_path(error.absolute_path)}: {error.message}")
    return lines


def json_path(parts: Iterable[Any]) -> str:
    """``items[0].quantity`` for a jsonschema path (``(root)`` when empty)."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"
