"""``$batch``: multipart/mixed requests with retrieve parts and changesets, and the 202 response.

Request (OData V2 batch, as SAP Gateway reads it): parts of ``Content-Type: application/http``
(one embedded request each) or ``multipart/mixed`` changesets whose parts are modifying requests.
Response: one part per retrieve request; per changeset either a multipart with one response per
request or, when any request of the changeset failed, the single error response.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from werkzeug.datastructures import Headers
from werkzeug.http import HTTP_STATUS_CODES, parse_options_header

from harness.mocks.s4hana.exceptions import InvalidRequest


@dataclass
class Part:
    """One embedded HTTP request."""

    method: str
    url: str
    headers: Headers
    body: bytes
    content_id: str | None = None


@dataclass
class ChangeSet:
    """Modifying requests processed as one unit."""

    parts: list[Part] = field(default_factory=list)


@dataclass
class PartResponse:
    """One embedded HTTP response."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def boundary_of(content_type: str) -> str:
    """The multipart boundary of a content type, or 400."""
    mimetype, options = parse_options_header(content_type or "")
    if mimetype != "multipart/mixed" or not options.get("boundary"):
        raise InvalidRequest(f"$batch needs Content-Type multipart/mixed with a boundary, got '{content_type}'")
    return options["boundary"]


def split_multipart(body: bytes, boundary: str) -> list[bytes]:
    """The parts between ``--boundary`` lines, up to ``--boundary--``."""
    delimiter = re.compile(rb"(?:\r\n|\n|^)--" + re.escape(boundary.encode()) + rb"(--)?[ \t]*(?:\r\n|\n|$)")
    parts, start, closed = [], None, False
    for match in delimiter.finditer(body):
        if start is not None:
            parts.append(body[start:match.start()])
        if match.group(1):
            closed = True
            break
        start = match.end()
    if not closed:
        raise InvalidRequest(f"$batch body is not closed with --{boundary}--")
    return parts


def _headers_and_body(data: bytes) -> tuple[Headers, bytes]:
    match = re.search(rb"\r?\n\r?\n", data)
    head, body = (data[:match.start()], data[match.end():]) if match else (data, b"")
    headers = Headers()
    for line in re.split(rb"\r?\n", head):
        if not line.strip():
            continue
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise InvalidRequest(f"Malformed header line in $batch part: '{line.decode('latin-1')}'")
        headers.add(name.strip(), value.strip())
    return headers, body


def _request(data: bytes, where: str) -> Part:
    headers, payload = _headers_and_body(data)
    if headers.get("Content-Type", "").split(";")[0].strip() != "application/http":
        raise InvalidRequest(f"{where}: expected Content-Type application/http")
    match = re.match(rb"\s*([A-Z]+) (\S+) HTTP/1\.[01]\r?\n", payload)
    if not match:
        raise InvalidRequest(f"{where}: expected a request line like 'GET A_SalesOrder HTTP/1.1'")
    rest = payload[match.end():]
    blank = re.match(rb"\r?\n", rest)
    if blank:  # no headers: the body follows the empty line
        inner_headers, body = Headers(), rest[blank.end():]
    else:
        inner_headers, body = _headers_and_body(rest)
    length = inner_headers.get("Content-Length")
    body = body[:int(length)] if length and length.isdigit() else body.rstrip(b"\r\n")
    content_id = headers.get("Content-ID") or inner_headers.get("Content-ID")
    return Part(match.group(1).decode(), match.group(2).decode(), inner_headers, body, content_id)


def parse_batch(content_type: str, body: bytes) -> list[Part | ChangeSet]:
    """The parts of a ``$batch`` request in order."""
    result: list[Part | ChangeSet] = []
    for number, raw in enumerate(split_multipart(body, boundary_of(content_type)), start=1):
        headers, payload = _headers_and_body(raw)
        mimetype, options = parse_options_header(headers.get("Content-Type", ""))
        if mimetype == "multipart/mixed":
            changeset = ChangeSet()
            for inner_number, inner in enumerate(split_multipart(payload, options.get("boundary", "")), start=1):
                changeset.parts.append(_request(inner, f"$batch part {number}, changeset part {inner_number}"))
            result.append(changeset)
        else:
            result.append(_request(raw, f"$batch part {number}"))
    return result


def _http(response: PartResponse) -> bytes:
    reason = HTTP_STATUS_CODES.get(response.status, "")
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    lines += [f"{k}: {v}" for k, v in response.headers]
    lines.append(f"Content-Length: {len(response.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body


def _application_http(response: PartResponse) -> bytes:
    return b"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" + _http(response) + b"\r\n"


def write_batch(results: list[PartResponse | list[PartResponse]]) -> tuple[str, bytes]:
    """The 202 body: one part per retrieve response; a list is a successful changeset."""
    boundary = f"batch_{uuid.uuid4().hex}"
    chunks = []
    for result in results:
        chunks.append(f"--{boundary}\r\n".encode())
        if isinstance(result, list):
            inner = f"changeset_{uuid.uuid4().hex}"
            body = b"".join(f"--{inner}\r\n".encode() + _application_http(r) for r in result) + f"--{inner}--\r\n".encode()
            chunks.append(f"Content-Type: multipart/mixed; boundary={inner}\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        else:
            chunks.append(_application_http(result))
    chunks.append(f"--{boundary}--\r\n".encode())
    return f"multipart/mixed; boundary={boundary}", b"".join(chunks)
