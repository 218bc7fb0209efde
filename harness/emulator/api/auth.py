"""Authentication as a tenant does it: an OAuth2 token endpoint, bearer or Basic on the API, CSRF.

* ``POST /oauth/token`` with ``grant_type=client_credentials`` (query or form) and the client
  authenticated by HTTP Basic or ``client_id``/``client_secret`` form fields. Tokens are opaque,
  live ``token_lifetime`` seconds, and are forgotten on restart (clients must re-fetch on 401).
* The API accepts a bearer token or Basic ``clientid:clientsecret``.
* CSRF: with Basic, every write needs the ``X-CSRF-Token`` fetched by a GET with
  ``X-CSRF-Token: Fetch`` in the same session (cookie); otherwise 403 with ``X-CSRF-Token:
  Required`` and "CSRF token validation failed". Bearer calls need none (as flashpipe and Piper
  observe on real tenants), unless ``csrf_with_bearer`` is set to emulate a stricter tenant.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from harness.emulator.api.odata import ODataError, json_response
from harness.emulator.runtime_port import Principal

API_ROLES = frozenset({"WorkspacePackagesEdit", "WorkspacePackagesConfigure", "WorkspaceArtifactsDeploy",
                       "MonitoringDataRead", "CredentialsEdit", "MessagePayloadsRead", "SecurityMaterialEdit"})
SESSION_COOKIE = "JSESSIONID"
WRITES = frozenset({"POST", "PUT", "PATCH", "MERGE", "DELETE"})


@dataclass(frozen=True)
class Client:
    """An OAuth client (or Basic user) the emulated tenant knows, with its roles."""

    client_id: str
    client_secret: str
    roles: frozenset[str]


@dataclass
class AuthSettings:
    """How strict the emulated tenant is."""

    token_lifetime: float = 43199.0
    csrf_with_bearer: bool = False
    clients: dict[str, Client] = field(default_factory=dict)


class Authenticator:
    """Tokens, principals and CSRF tokens (all in memory)."""

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._tokens: dict[str, tuple[str, float]] = {}
        self._csrf: dict[str, str] = {}
        self._lock = threading.Lock()
        self.tokens_issued = 0

    # --- token endpoint --------------------------------------------------------------------------
    def token_endpoint(self, request: Request) -> Response:
        """Answer ``/oauth/token``."""
        if request.method not in ("POST", "GET"):
            return json_response({"error": "invalid_request", "error_description": "use POST"}, 405)
        grant = request.args.get("grant_type") or request.form.get("grant_type")
        if grant != "client_credentials":
            return json_response({"error": "unsupported_grant_type",
                                  "error_description": f"grant_type {grant!r} is not supported; use client_credentials"},
                                 400)
        client = self._client_from_basic(request) or self._client_from_form(request)
        if client is None:
            return json_response({"error": "invalid_client", "error_description": "Bad credentials"}, 401,
                                 {"WWW-Authenticate": 'Basic realm="oauth"'})
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (client.client_id, time.time() + self.settings.token_lifetime)
            self.tokens_issued += 1
        return json_response({"access_token": token, "token_type": "bearer",
                              "expires_in": int(self.settings.token_lifetime),
                              "scope": " ".join(sorted(client.roles)), "jti": secrets.token_hex(16)})

    def _client_from_basic(self, request: Request) -> Client | None:
        auth = request.authorization
        if auth is None or auth.type != "basic":
            return None
        return self._check(auth.username or "", auth.password or "")

    def _client_from_form(self, request: Request) -> Client | None:
        client_id = request.form.get("client_id")
        secret = request.form.get("client_secret")
        return self._check(client_id, secret) if client_id and secret else None

    def _check(self, client_id: str, secret: str) -> Client | None:
        client = self.settings.clients.get(client_id)
        if client is None or not hmac.compare_digest(client.client_secret.encode(), secret.encode()):
            return None
        return client

    def expire_all(self) -> None:
        """Forget every token (what a restart does)."""
        with self._lock:
            self._tokens.clear()

    # --- callers -----------------------------------------------------------------------------------
    def principal(self, request: Request) -> Principal | None:
        """Who is calling (bearer or Basic), or None."""
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            token = header[7:].strip()
            with self._lock:
                entry = self._tokens.get(token)
            if entry is None or entry[1] < time.time():
                return None
            client = self.settings.clients.get(entry[0])
            return Principal(entry[0], client.roles if client else frozenset(), "oauth2") if client else None
        if header.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            client = self._check(user, password)
            return Principal(client.client_id, client.roles, "basic") if client else None
        return None

    def require(self, request: Request) -> Principal:
        """The caller, or 401."""
        principal = self.principal(request)
        if principal is None:
            raise ODataError(401, "Unauthorized: missing or invalid credentials",
                             {"WWW-Authenticate": 'Bearer realm="api", Basic realm="api"'})
        return principal

    @staticmethod
    def require_role(principal: Principal, role: str) -> None:
        """403 unless the caller has ``role``."""
        if role not in principal.roles:
            raise ODataError(403, f"Forbidden: the caller {principal.name} lacks the role {role}")

    # --- CSRF --------------------------------------------------------------------------------------
    def csrf_fetch(self, request: Request, response: Response) -> None:
        """On ``X-CSRF-Token: Fetch``: issue a token bound to the session cookie."""
        if request.headers.get("X-CSRF-Token", "").lower() != "fetch":
            return
        session = request.cookies.get(SESSION_COOKIE) or secrets.token_hex(16)
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._csrf[session] = token
        response.headers["X-CSRF-Token"] = token
        response.set_cookie(SESSION_COOKIE, session, httponly=True, path="/")

    def csrf_check(self, request: Request, principal: Principal) -> None:
        """403 on a write without the session's CSRF token (Basic always; bearer when configured)."""
        if request.method not in WRITES:
            return
        if principal.auth == "oauth2" and not self.settings.csrf_with_bearer:
            return
        session = request.cookies.get(SESSION_COOKIE)
        sent = request.headers.get("X-CSRF-Token", "")
        with self._lock:
            expected = self._csrf.get(session or "")
        if not expected or not hmac.compare_digest(expected, sent):
            raise ODataError(403, "CSRF token validation failed", {"X-CSRF-Token": "Required"})


def clients_from_config(api_client: tuple[str, str] | None, extra: list[dict[str, Any]]) -> dict[str, Client]:
    """The API client (all API roles) plus configured clients (``client_id``, ``client_secret``, ``roles``)."""
    clients: dict[str, Client] = {}
    if api_client:
        clients[api_client[0]] = Client(api_client[0], api_client[1], API_ROLES)
    for item in extra:
        clients[str(item["client_id"])] = Client(str(item["client_id"]), str(item["client_secret"]),
                                                 frozenset(str(r) for r in item.get("roles") or []))
    return clients
