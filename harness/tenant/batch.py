"""OData V2 ``$batch`` bodies: build a request with changesets, parse a multipart answer.

Both sides use it (the client to send, the emulator to read and answer); the format follows SAP's
example for Configurations (``integration-flow-example-requests``): a ``multipart/mixed`` batch
holding ``multipart/mixed`` changesets of ``application/http`` parts.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

CRLF = "\r\n"
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


@dataclass
class Operation:
    """One HTTP request inside a batch (``url`` relative to the service root)."""

    method: str
    url: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Part:
    """One HTTP answer (or request, on the server side) found in a multipart body."""

    status: int
    headers: dict[str, str]
    body: str
    method: str = ""
    url: str = ""
    changeset: int | None = None

    def json(self) -> Any:
        """The body parsed as JSON (None when empty)."""
        return json.loads(self.body) if self.body.strip() else None


def build(changesets: list[list[Operation]], reads: list[Operation] | None = None) -> tuple[str, bytes]:
    """A batch body; returns ``(content_type, body)``. Each inner list becomes one changeset."""
    batch = f"batch_{uuid.uuid4()}"
    lines: list[str] = []
    for operations in changesets:
        changeset = f"changeset_{uuid.uuid4()}"
        lines += [f"--{batch}", f"Content-Type: multipart/mixed; boundary={changeset}", ""]
        for op in operations:
            lines += [f"--{changeset}", *_http_request(op)]
        lines += [f"--{changeset}--", ""]
    for op in reads or []:
        lines += [f"--{batch}", *_http_request(op)]
    lines += [f"--{batch}--", ""]
    return f"multipart/mixed; boundary={batch}", CRLF.join(lines).encode("utf-8")


def _http_request(op: Operation) -> list[str]:
    body = "" if op.body is None else (op.body if isinstance(op.body, str) else json.dumps(op.body))
    headers = {"Accept": "application/json", **op.headers}
    if body:
        headers.setdefault("Content-Type", "application/json")
    out = ["Content-Type: application/http", "Content-Transfer-Encoding: binary", "",
           f"{op.method} {op.url} HTTP/1.1"]
    out += [f"{k}: {v}" for k, v in headers.items()]
    out += ["", body]
    return out


def boundary_of(content_type: str) -> str:
    """The multipart boundary named in a Content-Type header."""
    match = _BOUNDARY.search(content_type or "")
    if not match:
        raise ValueError(f"no multipart boundary in Content-Type {content_type!r}")
    return match.group(1)


def _split(body: str, boundary: str) -> list[str]:
    delimiter = f"--{boundary}"
    chunks = body.split(delimiter)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith("--"):
            break
        parts.append(chunk.lstrip("\r\n") if chunk.startswith(("\r\n", "\n")) else chunk)
    return parts


def _headers_and_rest(chunk: str) -> tuple[dict[str, str], str]:
    normalized = chunk.replace("\r\n", "\n")
    head, _, rest = normalized.partition("\n\n")
    headers = {}
    for line in head.split("\n"):
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return headers, rest


def parse(content_type: str, body: bytes | str) -> list[Part]:
    """Every application/http part of a batch (request or response), changesets flattened."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    parts: list[Part] = []
    _collect(text, boundary_of(content_type), None, parts, [0])
    return parts


def _collect(text: str, boundary: str, changeset: int | None, out: list[Part], counter: list[int]) -> None:
    for chunk in _split(text, boundary):
        headers, rest = _headers_and_rest(chunk)
        ctype = headers.get("content-type", "")
        if ctype.lower().startswith("multipart/mixed"):
            counter[0] += 1
            _collect(rest, boundary_of(ctype), counter[0], out, counter)
        elif ctype.lower().startswith("application/http"):
            out.append(_http_part(rest, changeset))
        else:
            raise ValueError(f"unexpected batch part Content-Type {ctype!r}")


def _http_part(text: str, changeset: int | None) -> Part:
    first, _, remainder = text.partition("\n")
    first = first.strip()
    headers, body = _headers_and_rest(remainder)
    body = body.rstrip("\r\n")
    if first.upper().startswith("HTTP/"):
        pieces = first.split(" ", 2)
        return Part(status=int(pieces[1]), headers=headers, body=body, changeset=changeset)
    pieces = first.split(" ")
    if len(pieces) < 2:
        raise ValueError(f"malformed request line in batch: {first!r}")
    return Part(status=0, headers=headers, body=body, method=pieces[0].upper(), url=pieces[1],
                changeset=changeset)


def build_response(groups: list[tuple[bool, list[tuple[int, str, str]]]]) -> tuple[str, bytes]:
    """A batch answer. Each group is ``(is_changeset, [(status, reason, json_body), ...])``."""
    batch = f"batchresponse_{uuid.uuid4()}"
    lines: list[str] = []
    for is_changeset, answers in groups:
        if is_changeset:
            changeset = f"changesetresponse_{uuid.uuid4()}"
            lines += [f"--{batch}", f"Content-Type: multipart/mixed; boundary={changeset}", ""]
            for answer in answers:
                lines += [f"--{changeset}", *_http_response(*answer)]
            lines += [f"--{changeset}--", ""]
        else:
            for answer in answers:
                lines += [f"--{batch}", *_http_response(*answer)]
    lines += [f"--{batch}--", ""]
    return f"multipart/mixed; boundary={batch}", CRLF.join(lines).encode("utf-8")


def _http_response(status: int, reason: str, body: str) -> list[str]:
    out = ["Content-Type: application/http", "Content-Transfer-Encoding: binary", "",
           f"HTTP/1.1 {status} {reason}"]
    if body:
        out += ["Content-Type: application/json", f"Content-Length: {len(body.encode('utf-8'))}"]
    out += ["", body]
    return out
