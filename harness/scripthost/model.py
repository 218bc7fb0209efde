"""The values that cross the seam between Python and the script host."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

BodyType = Literal["string", "bytes", "stream", "null"]
Api = Literal["v1", "v2"]
LogLevel = Literal["NONE", "INFO", "DEBUG", "TRACE", "ERROR"]


@dataclass(frozen=True)
class ScriptSource:
    """A script as the host caches it: file name (as packaged in the iFlow) and source text."""

    name: str
    source: str

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()

    @classmethod
    def of(cls, script: "ScriptSource | Path | str | tuple[str, str]") -> "ScriptSource":
        """Accepts a ScriptSource, a path (Path or str) to a ``.groovy`` file, or ``(name, source)``."""
        if isinstance(script, ScriptSource):
            return script
        if isinstance(script, tuple):
            name, source = script
            return cls(name=name, source=source)
        path = Path(script)
        if not path.is_file():
            raise FileNotFoundError(f"script file not found: {path}")
        return cls(name=path.name, source=path.read_text(encoding="utf-8"))


@dataclass
class Attachment:
    """A message attachment (not an MPL attachment)."""

    data: bytes
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CaughtException:
    """An exception the runtime caught, rebuilt as a Java exception object in the script host.

    A property holding one (``CamelExceptionCaught`` in an exception subprocess) reaches the script
    as an instance of ``class_name`` whose ``getMessage()`` is ``message``. Known classes carry their
    own accessors: ``org.apache.camel.component.ahc.AhcOperationFailedException`` (what CPI's HTTP
    receiver raises) answers ``getStatusCode()``, ``getStatusText()``, ``getResponseBody()``,
    ``getUrl()``, ``getResponseHeaders()``, ``getRedirectLocation()``;
    ``org.apache.cxf.binding.soap.SoapFault`` answers ``getFaultCode()``, ``getStatusCode()`` and
    ``getDetail()``. Any other class name becomes an exception of exactly that name (JDK classes
    are instantiated, others are defined on the fly) with the message only.
    """

    class_name: str
    message: str | None = None
    status_code: int | None = None
    status_text: str | None = None
    response_body: str | None = None
    url: str | None = None
    response_headers: Mapping[str, str] = field(default_factory=dict)
    fault_code: str | None = None
    detail: str | None = None
    cause: "CaughtException | None" = None

    def to_wire(self) -> dict[str, Any]:
        data: dict[str, Any] = {"class": self.class_name, "message": self.message}
        optional = {"statusCode": self.status_code, "statusText": self.status_text,
                    "responseBody": self.response_body, "url": self.url, "faultCode": self.fault_code,
                    "detail": self.detail}
        data.update({k: v for k, v in optional.items() if v is not None})
        if self.response_headers:
            data["responseHeaders"] = {str(k): str(v) for k, v in self.response_headers.items()}
        if self.cause is not None:
            data["cause"] = self.cause.to_wire()
        return data

    def __str__(self) -> str:
        return f"{self.class_name}: {self.message}" if self.message else self.class_name


@dataclass
class ScriptMessage:
    """The message handed to a script.

    ``body`` as ``str`` arrives as a Java ``String``; as ``bytes`` it arrives as an ``InputStream``
    (what adapters deliver on a tenant). ``body_type`` overrides that: ``"string"``, ``"bytes"``
    (a ``byte[]``), ``"stream"`` or ``"null"``. A property (or header) whose value is a
    :class:`CaughtException` arrives as a Java exception object, not as JSON.
    """

    body: str | bytes | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    body_type: BodyType | None = None

    def to_wire(self) -> dict[str, Any]:
        if self.body is None:
            body_type, data = "null", None
        elif isinstance(self.body, str):
            body_type, data = "string", self.body.encode("utf-8")
        else:
            body_type, data = "stream", bytes(self.body)
        if self.body_type:
            body_type = self.body_type
        return {
            "body64": base64.b64encode(data).decode("ascii") if data is not None else None,
            "bodyType": body_type,
            "headers": {k: v for k, v in self.headers.items() if not isinstance(v, CaughtException)},
            "properties": {k: v for k, v in self.properties.items() if not isinstance(v, CaughtException)},
            "exceptionHeaders": {k: v.to_wire() for k, v in self.headers.items() if isinstance(v, CaughtException)},
            "exceptionProperties": {k: v.to_wire() for k, v in self.properties.items()
                                    if isinstance(v, CaughtException)},
            "attachments": {
                name: {
                    "data64": base64.b64encode(a.data).decode("ascii"),
                    "contentType": a.content_type,
                    "headers": a.headers,
                }
                for name, a in self.attachments.items()
            },
        }


@dataclass(frozen=True)
class ValueMapping:
    """One value-mapping entry: the same value in two agency/identifier schemes (both directions)."""

    source_agency: str
    source_identifier: str
    source_value: str
    target_agency: str
    target_identifier: str
    target_value: str

    def to_wire(self) -> dict[str, str]:
        return {
            "sourceAgency": self.source_agency,
            "sourceIdentifier": self.source_identifier,
            "sourceValue": self.source_value,
            "targetAgency": self.target_agency,
            "targetIdentifier": self.target_identifier,
            "targetValue": self.target_value,
        }


@dataclass(frozen=True)
class UserCredential:
    """A deployed User Credentials artifact (or a Secure Parameter: password only)."""

    username: str | None = None
    password: str | None = None
    properties: Mapping[str, str] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        return {"kind": "user", "username": self.username, "password": self.password,
                "properties": dict(self.properties)}

    def __repr__(self) -> str:  # never print the secret
        return f"UserCredential(username={self.username!r}, password=***)"


@dataclass(frozen=True)
class AuthorizationCodeToken:
    """An OAuth2 Authorization Code credential: what ``getAccesTokenFor...`` returns."""

    access_token: str
    user: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"kind": "oauth2_authorization_code", "accessToken": self.access_token, "user": self.user}

    def __repr__(self) -> str:
        return f"AuthorizationCodeToken(user={self.user!r}, access_token=***)"


@dataclass(frozen=True)
class ScriptFailure:
    """The exception a script raised: Java class, message and the script line it came from."""

    class_name: str
    message: str | None
    line: int | None
    script: str
    phase: str = "run"
    script_frames: tuple[str, ...] = ()
    stack: tuple[str, ...] = ()
    causes: tuple[tuple[str, str | None], ...] = ()

    def __str__(self) -> str:
        where = f"{self.script}:{self.line}" if self.line else self.script
        return f"{self.class_name} at {where}: {self.message}"


class ScriptError(Exception):
    """Raised by :meth:`ScriptResult.raise_for_exception` when the script threw."""

    def __init__(self, failure: ScriptFailure) -> None:
        super().__init__(str(failure))
        self.failure = failure


@dataclass(frozen=True)
class MplAttachment:
    """An attachment a script wrote to the message processing log."""

    name: str
    media_type: str
    text: str


@dataclass
class ScriptResult:
    """What a script call left behind: the message, the MPL entries and any exception."""

    body: bytes
    body_type: str | None
    charset: str
    headers: dict[str, Any]
    properties: dict[str, Any]
    header_types: dict[str, str | None]
    property_types: dict[str, str | None]
    attachments: dict[str, Attachment]
    log_attachments: list[MplAttachment]
    log_properties: dict[str, Any]
    custom_headers: list[tuple[str, str]]
    exception: ScriptFailure | None
    binding_variables: list[str]
    stdout: str
    compiled: bool
    compile_ms: float
    run_ms: float
    allocated_bytes: int
    returned_message: bool

    @property
    def ok(self) -> bool:
        return self.exception is None

    @property
    def text(self) -> str:
        """The body decoded with the message charset."""
        return self.body.decode(self.charset or "utf-8")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.text)

    def header(self, name: str) -> Any:
        """A header by case-insensitive name (Camel's header map is case-insensitive)."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def raise_for_exception(self) -> "ScriptResult":
        if self.exception is not None:
            raise ScriptError(self.exception)
        return self

    @classmethod
    def from_wire(cls, data: dict[str, Any], script: str) -> "ScriptResult":
        exc = data.get("exception")
        failure = None
        if exc:
            failure = ScriptFailure(
                class_name=exc.get("class") or "?",
                message=exc.get("message"),
                line=exc.get("line"),
                script=script,
                phase=data.get("phase", "run"),
                script_frames=tuple(exc.get("scriptFrames") or ()),
                stack=tuple(exc.get("stack") or ()),
                causes=tuple((c.get("class"), c.get("message")) for c in exc.get("causes") or ()),
            )
        mpl = data.get("mpl") or {}
        timing = data.get("timing") or {}
        return cls(
            body=base64.b64decode(data.get("body64") or ""),
            body_type=data.get("bodyType"),
            charset=data.get("charset") or "UTF-8",
            headers=data.get("headers") or {},
            properties=data.get("properties") or {},
            header_types=data.get("headerTypes") or {},
            property_types=data.get("propertyTypes") or {},
            attachments={
                name: Attachment(base64.b64decode(a.get("data64") or ""), a.get("contentType") or "",
                                 dict(a.get("headers") or {}))
                for name, a in (data.get("attachments") or {}).items()
            },
            log_attachments=[MplAttachment(a["name"], a["mediaType"], a["text"])
                             for a in mpl.get("attachments") or ()],
            log_properties=mpl.get("properties") or {},
            custom_headers=[(p[0], p[1]) for p in mpl.get("customHeaders") or ()],
            exception=failure,
            binding_variables=list(data.get("bindingVariables") or ()),
            stdout=data.get("stdout") or "",
            compiled=bool(data.get("compiled")),
            compile_ms=float(timing.get("compileMs") or 0.0),
            run_ms=float(timing.get("runMs") or 0.0),
            allocated_bytes=int(timing.get("allocatedBytes") or -1),
            returned_message=bool(data.get("returnedMessage")),
        )
