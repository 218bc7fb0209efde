"""Helpers for the Groovy tests (a module with a unique name: tests/ folders are not packages)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.scripthost import ScriptResult, scripts_dir

DATA = Path(__file__).parent / "data"


def library_script(name: str) -> Path:
    """A script of the library by file name (names are unique across area folders)."""
    hits = list(scripts_dir().rglob(f"{name}.groovy"))
    assert len(hits) == 1, f"expected one {name}.groovy under groovy/scripts, found {hits}"
    return hits[0]


def data_json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def expect_failure(result: ScriptResult, *fragments: str) -> None:
    """The script must have thrown, and its message must name every fragment."""
    assert result.exception is not None, f"expected an exception, got body {result.body[:300]!r}"
    text = result.exception.message or ""
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in exception message {text!r}"


def schema(name: str) -> dict[str, Any]:
    """A canonical JSON Schema from groovy/schemas/."""
    return json.loads((scripts_dir().parent / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def validate(instance: Any, name: str) -> None:
    """Validate against a canonical schema (raises jsonschema.ValidationError)."""
    import jsonschema

    jsonschema.Draft202012Validator(schema(name)).validate(instance)
