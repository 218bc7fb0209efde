"""What a mock received: every request with its response status, in arrival order."""

from __future__ import annotations

import base64
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

# Headers whose values are credentials: the journal keeps only the scheme ("Basic ***").
SECRET_HEADERS = {"authorization", "proxy-authorization", "x-amz-access-token", "cookie",
                  "x-csrf-token", "x-api-access-key"}
# Body fields that carry secrets in token requests and responses. `code` (an OAuth authorization
# code) only counts in form bodies: in JSON payloads it is an ordinary business field.
SECRET_FIELDS = {"client_secret", "refresh_token", "password", "access_token", "client_assertion"}
SECRET_FORM_FIELDS = SECRET_FIELDS | {"code"}
_JSON_SECRET = re.compile(r'("(?:%s)"\s*:\s*)"[^"]*"' % "|".join(sorted(SECRET_FIELDS)))


def redact_header(name: str, value: str) -> str:
    """A header value fit for a log: credentials replaced, the auth scheme kept."""
    if name.lower() not in SECRET_HEADERS or value.lower() == "fetch":
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} ***" if rest and name.lower().endswith("authorization") else "***"


def redact_body(body: str, content_type: str) -> str:
    """A body fit for a log: secret form or JSON fields replaced."""
    if "application/x-www-form-urlencoded" in content_type:
        pairs = parse_qsl(body, keep_blank_values=True)
        return urlencode([(k, "***" if k in SECRET_FORM_FIELDS else v) for k, v in pairs])
    if "json" in content_type:
        return _JSON_SECRET.sub(r'\1"***"', body)
    return body


@dataclass
class RecordedRequest:
    """One request as the mock saw it."""

    seq: int
    time: float
    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes
    status: int | None = None
    fault: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON form served by ``/__mock__/requests``: secrets redacted, binary bodies base64."""
        content_type = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        try:
            body: str = redact_body(self.body.decode("utf-8"), content_type)
            encoding = "utf-8"
        except UnicodeDecodeError:
            body = base64.b64encode(self.body).decode("ascii")
            encoding = "base64"
        return {
            "seq": self.seq,
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "query_string": self.query_string,
            "headers": {k: redact_header(k, v) for k, v in self.headers.items()},
            "body": body,
            "body_encoding": encoding,
            "status": self.status,
            "fault": self.fault,
            **({"extra": self.extra} if self.extra else {}),
        }


class Journal:
    """Thread-safe, append-only list of recorded requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RecordedRequest] = []
        self._seq = 0

    def record(self, method: str, path: str, query_string: str, headers: dict[str, str],
               body: bytes) -> RecordedRequest:
        """Append a request and return its entry (the caller fills in the status later)."""
        with self._lock:
            self._seq += 1
            entry = RecordedRequest(self._seq, time.time(), method, path, query_string, headers, body)
            self._entries.append(entry)
            return entry

    def entries(self, method: str | None = None, path_contains: str | None = None,
                since: int = 0) -> list[RecordedRequest]:
        """Entries filtered by method, a path substring and a minimum sequence number."""
        with self._lock:
            return [
                e for e in self._entries
                if e.seq > since
                and (method is None or e.method == method.upper())
                and (path_contains is None or path_contains in e.path)
            ]

    def clear(self) -> None:
        """Forget everything (sequence numbers keep counting so clients never see a reused one)."""
        with self._lock:
            self._entries.clear()
