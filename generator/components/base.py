"""The component model: one small class per adapter or flow step.

A component knows its exact ``cmdVariantUri`` (name and version), its ``ifl:property`` keys in the
order a real export writes them, the default value of every key, and how a spec option fills a key.
The key orders and defaults are facts taken from the newest real exports (see
``../shared/reference/iflows/FORMAT.md``); tests hold every generated component against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

PARAM_RE = re.compile(r"\{\{([^{}]+)\}\}")

#: Parameter types a propdef knows.
XSD_TYPES = {"string": "xsd:string", "integer": "xsd:integer", "boolean": "xsd:boolean",
             "schedule": "custom:schedule"}


class OptionError(ValueError):
    """A spec option has a value the component cannot take (names the option)."""

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(message)


@dataclass(frozen=True)
class Field:
    """One ``ifl:property`` a spec option can fill.

    ``kind`` says how the spec value is written: ``string``, ``integer``, ``boolean`` (written
    ``true``/``false``), ``flag`` (a boolean written ``1``/``0``, as JMS, HTTPS and SOAP fields are)
    or ``choice`` (one of ``choices``). ``label`` is the designer's label, used in
    ``param_references``; ``ref`` says whether an externalized value gets a reference entry there
    (``plain``, ``system`` for address fields, ``auth`` for credential fields, or None).
    ``dropdown`` marks free text the designer offers as a combo box; ``resource`` names the
    resource folder (``wsdl``, ``edmx``) a file-name option points into.
    """

    key: str
    option: str
    default: str = ""
    kind: str = "string"
    choices: tuple[str, ...] = ()
    label: str = ""
    ref: str | None = None
    doc: str = ""
    dropdown: bool = False
    resource: str | None = None

    @property
    def combobox(self) -> bool | None:
        """``isCombobox`` in the propdef: true for drop-downs, false for check boxes, None else."""
        if self.kind == "choice" or self.dropdown:
            return True
        if self.kind in ("boolean", "flag"):
            return False
        return None

    @property
    def param_type(self) -> str:
        """The propdef type of a parameter that fills this field."""
        return {"integer": "integer", "boolean": "boolean", "flag": "boolean"}.get(self.kind, "string")

    def encode(self, value: Any) -> str:
        """The property value for a spec value (parameter references pass through unchanged)."""
        if isinstance(value, str) and PARAM_RE.search(value):
            return value
        if self.kind in ("boolean", "flag"):
            if isinstance(value, bool):
                truthy = value
            elif isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
                truthy = value.lower() in ("true", "1")
            else:
                raise OptionError(self.option, f"expected true or false, got {value!r}")
            if self.kind == "flag":
                return "1" if truthy else "0"
            return "true" if truthy else "false"
        if self.kind == "integer":
            if isinstance(value, bool) or not (isinstance(value, int) or str(value).isdigit()):
                raise OptionError(self.option, f"expected a whole number, got {value!r}")
            return str(int(value))
        if self.kind == "choice":
            if str(value) not in self.choices:
                raise OptionError(self.option, f"expected one of {', '.join(self.choices)}; got {value!r}")
            return str(value)
        if isinstance(value, (dict, list)):
            raise OptionError(self.option, f"expected text, got {type(value).__name__}")
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    def schema(self) -> dict:
        """The JSON Schema of the spec option (a ``{{Parameter}}`` reference is always allowed)."""
        param = {"type": "string", "pattern": r"\{\{[^{}]+\}\}"}
        if self.kind in ("boolean", "flag"):
            body: dict = {"anyOf": [{"type": "boolean"}, param]}
        elif self.kind == "integer":
            body = {"anyOf": [{"type": "integer", "minimum": 0}, param]}
        elif self.kind == "choice":
            body = {"anyOf": [{"enum": list(self.choices)}, param]}
        else:
            body = {"type": ["string", "number", "boolean"]}
        if self.doc:
            body["description"] = self.doc
        return body


class Component:
    """A component rendered as ``ifl:property`` entries (subclasses are pure data plus hooks)."""

    #: ``ctype::`` part of the cmdVariantUri.
    ctype: ClassVar[str] = "FlowstepVariant"
    #: ``cname::`` part of the cmdVariantUri.
    cname: ClassVar[str] = ""
    #: ``version::`` part, or "" for versionless components (StartEvent, EndEvent, ...).
    version: ClassVar[str] = ""
    #: Property keys in the order a real export writes them.
    keys: ClassVar[tuple[str, ...]] = ()
    #: Fields a spec option fills.
    fields: ClassVar[tuple[Field, ...]] = ()
    #: Fixed values of the other keys (``componentVersion``/``cmdVariantUri`` are added for you).
    fixed: ClassVar[dict[str, str]] = {}
    #: Short description for the docs and the schema.
    summary: ClassVar[str] = ""

    @classmethod
    def cmd_variant_uri(cls) -> str:
        """The exact cmdVariantUri string."""
        uri = f"ctype::{cls.ctype}/cname::{cls.cname}"
        return f"{uri}/version::{cls.version}" if cls.version else uri

    @classmethod
    def component_version(cls) -> str:
        """``componentVersion``: the version cut to major.minor."""
        return ".".join(cls.version.split(".")[:2])

    @classmethod
    def field_by_option(cls) -> dict[str, Field]:
        """Fields keyed by their spec option name."""
        return {f.option: f for f in cls.fields}

    @classmethod
    def defaults(cls) -> dict[str, str]:
        """Every key's value before the spec is applied."""
        values = {f.key: f.default for f in cls.fields}
        values.update(cls.fixed)
        if "componentVersion" in cls.keys:
            values["componentVersion"] = cls.component_version()
        values["cmdVariantUri"] = cls.cmd_variant_uri()
        return values

    @classmethod
    def fill(cls, options: dict[str, Any]) -> dict[str, str]:
        """Key values for the spec options of this component (unknown options raise)."""
        values = cls.defaults()
        by_option = cls.field_by_option()
        for option, value in options.items():
            spec_field = by_option.get(option)
            if spec_field is None:
                raise OptionError(option, f"unknown option for {cls.__name__}; expected one of "
                                          f"{', '.join(sorted(by_option)) or '(none)'}")
            values[spec_field.key] = spec_field.encode(value)
        return values

    @classmethod
    def properties(cls, values: dict[str, str]) -> list[tuple[str, str]]:
        """The ordered ``(key, value)`` list; the key set must be exactly ``keys``."""
        missing = [k for k in cls.keys if k not in values]
        extra = [k for k in values if k not in cls.keys]
        if missing or extra:
            raise AssertionError(f"{cls.__name__}: keys missing {missing}, unexpected {extra}")
        return [(k, values[k]) for k in cls.keys]

    @classmethod
    def options_schema(cls) -> dict[str, dict]:
        """JSON Schema properties for the spec options."""
        return {f.option: f.schema() for f in cls.fields}


@dataclass
class Rendered:
    """What a component contributes to the model: its properties and any extras."""

    properties: list[tuple[str, str]]
    extras: dict[str, Any] = field(default_factory=dict)
