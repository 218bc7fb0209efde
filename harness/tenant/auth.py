"""Authentication for the Cloud Integration API: OAuth2 client credentials (cached) or Basic.

A service key is read as the tenant hands it out (``{"oauth": {"url", "tokenurl", "clientid",
"clientsecret"}}`` for plan ``api``; the flat shape and certificate keys are accepted too). The
token URL is taken from the key, never derived from the API host (Neo and Cloud Foundry differ).
"""

from __future__ import annotations

import atexit
import json
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from harness.tenant.errors import AuthError


@dataclass(frozen=True)
class ServiceKey:
    """The parts of a Process Integration Runtime service key the client needs."""

    url: str
    token_url: str
    client_id: str
    client_secret: str | None = None
    certificate: str | None = None
    key: str | None = None

    @property
    def api_url(self) -> str:
        """The OData service root, ``<url>/api/v1``."""
        return self.url.rstrip("/") + "/api/v1"

    @classmethod
    def from_json(cls, data: dict[str, Any] | str, source: str = "service key") -> "ServiceKey":
        """Read a service key (``oauth`` wrapper or flat); raise AuthError naming what is missing."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise AuthError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
        if not isinstance(data, dict):
            raise AuthError(f"{source}: expected a JSON object")
        body = data.get("oauth", data)
        missing = [k for k in ("url", "tokenurl", "clientid") if not body.get(k)]
        if missing:
            raise AuthError(f"{source}: missing {', '.join(missing)} (expected the 'oauth' section "
                            "of a service key of plan 'api')")
        if not body.get("clientsecret") and not (body.get("certificate") and body.get("key")):
            raise AuthError(f"{source}: has neither clientsecret nor certificate+key")
        return cls(url=body["url"], token_url=body["tokenurl"], client_id=body["clientid"],
                   client_secret=body.get("clientsecret"), certificate=body.get("certificate"),
                   key=body.get("key"))

    @classmethod
    def from_file(cls, path: Path) -> "ServiceKey":
        """Read a service key file."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise AuthError(f"{path}: cannot read the service key ({exc.strerror})") from exc
        return cls.from_json(text, source=str(path))


class TokenSource:
    """OAuth2 client-credentials tokens, cached and refreshed ``leeway`` seconds before expiry.

    Thread-safe: parallel deploy workers share one source and at most one refresh is in flight.
    """

    def __init__(self, token_url: str, client_id: str, client_secret: str | None = None, *,
                 certificate: str | None = None, key: str | None = None,
                 http: requests.Session | None = None, leeway: float = 60.0, timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._cert_files = _cert_files(certificate, key) if certificate and key else None
        self._http = http or requests.Session()
        self._leeway = leeway
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.fetches = 0

    @classmethod
    def from_service_key(cls, key: ServiceKey, **kwargs: Any) -> "TokenSource":
        """A token source for a service key."""
        return cls(key.token_url, key.client_id, key.client_secret, certificate=key.certificate,
                   key=key.key, **kwargs)

    def token(self) -> str:
        """A valid access token, fetching a new one when none is cached or it expires soon."""
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at - self._leeway:
                self._token, lifetime = self._fetch()
                self._expires_at = self._clock() + lifetime
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token (after a 401: revoked, or the server restarted)."""
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        self.fetches += 1
        data = {"grant_type": "client_credentials"}
        kwargs: dict[str, Any] = {"timeout": self._timeout, "headers": {"Accept": "application/json"}}
        if self._cert_files:
            kwargs["cert"] = self._cert_files
            data["client_id"] = self.client_id
        else:
            kwargs["auth"] = HTTPBasicAuth(self.client_id, self._secret or "")
        try:
            response = self._http.post(self.token_url, data=data, **kwargs)
        except requests.RequestException as exc:
            raise AuthError(f"token endpoint {self.token_url} unreachable: {exc}") from exc
        if response.status_code != 200:
            raise AuthError(_token_error(response), status=response.status_code, method="POST",
                            url=self.token_url)
        try:
            payload = response.json()
            token = payload["access_token"]
        except (ValueError, KeyError) as exc:
            raise AuthError(f"token endpoint {self.token_url} answered without access_token: "
                            f"{response.text[:300]}") from exc
        return token, float(payload.get("expires_in") or 3600)


def _token_error(response: requests.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return response.text.strip()[:1000] or response.reason
    if isinstance(payload, dict):
        parts = [str(payload[k]) for k in ("error", "error_description") if payload.get(k)]
        if parts:
            return ": ".join(parts)
    return response.text.strip()[:1000]


def _cert_files(certificate: str, key: str) -> tuple[str, str]:
    """requests wants files for a client certificate; write the PEMs to private temp files."""
    paths = []
    for suffix, pem in ((".crt", certificate), (".key", key)):
        handle = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8")
        with handle:
            handle.write(pem)
        Path(handle.name).chmod(0o600)
        paths.append(handle.name)
        atexit.register(Path(handle.name).unlink, missing_ok=True)
    return paths[0], paths[1]


class BearerAuth(AuthBase):
    """Adds ``Authorization: Bearer <token>`` from a token source."""

    def __init__(self, source: TokenSource) -> None:
        self.source = source

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.source.token()}"
        return request
