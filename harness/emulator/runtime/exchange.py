"""The Camel exchange as the interpreter carries it: body, headers, properties, attachments.

Headers are a case-insensitive map (Camel's ``HeadersMap``) that keeps the spelling it was given;
properties are case-sensitive, as in Camel. The body is bytes plus the charset it is encoded in
(``CamelCharsetName`` overrides UTF-8 for conversions).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ProcessingError


class Headers(MutableMapping[str, Any]):
    """A case-insensitive mapping that remembers each key's last spelling."""

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, tuple[str, Any]] = {}
        if data:
            self.update(data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key.lower()][1]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key.lower()] = (key, value)

    def __delitem__(self, key: str) -> None:
        del self._data[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._data.values())

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._data

    def copy(self) -> "Headers":
        return Headers(dict(self.items()))

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass
class Attachment:
    """A message attachment."""

    data: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Exchange:
    """One message in flight."""

    body: bytes = b""
    headers: Headers = field(default_factory=Headers)
    properties: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    exception: ProcessingError | None = None
    exchange_id: str = field(default_factory=lambda: "ID-" + uuid.uuid4().hex)

    @property
    def charset(self) -> str:
        """The body's charset: ``CamelCharsetName`` or UTF-8."""
        name = self.properties.get("CamelCharsetName")
        return str(name) if name else "utf-8"

    @property
    def text(self) -> str:
        """The body decoded with the exchange's charset."""
        return self.body.decode(self.charset, errors="replace")

    def set_body(self, value: Any) -> None:
        """Set the body from bytes, text, None or anything with a string form."""
        if value is None:
            self.body = b""
        elif isinstance(value, (bytes, bytearray)):
            self.body = bytes(value)
        else:
            self.body = str(value).encode(self.charset)

    def copy(self) -> "Exchange":
        """An independent copy (splitter parts, multicast branches, ProcessDirect calls)."""
        return Exchange(
            body=self.body,
            headers=self.headers.copy(),
            properties=copy.copy(self.properties),
            attachments=dict(self.attachments),
            exception=self.exception,
        )
