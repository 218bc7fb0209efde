"""Logon, client and CSRF protection as SAP NetWeaver Gateway does them.

* ``sap-client`` (query option or header) must name this system's client.
* Authentication: HTTP Basic with the configured user, an OAuth bearer token from the system's
  token endpoint (``/sap/bc/sec/oauth2/token``, client credentials), or the session cookie of an
  earlier authenticated request. Anything else is 401 with a Basic challenge.
* CSRF: ``X-CSRF-Token: Fetch`` on a GET/HEAD returns a token bound to a new session (cookies
  ``SAP_SESSIONID_<SID>_<client>`` and ``sap-usercontext``); every modifying request needs that
  token and the session cookie, else 403 ``CSRF token validation failed``.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from harness.mocks.core.service import json_response
from harness.mocks.s4hana.exceptions import CsrfTokenInvalid, LogonFailed

MODIFYING = {"POST", "PUT", "PATCH", "MERGE", "DELETE"}


@dataclass
class Session:
    """A security session: its user, CSRF token and expiry."""

    user: str
    token: str
    expires: float


class Security:
    """The logon and CSRF state of one OData endpoint."""

    def __init__(self, settings: dict[str, Any], sid: str, client: str) -> None:
        self.sid = sid
        self.client = str(settings.get("client") or client)
        self.user = str(settings.get("user") or "S4AMZ_CPI")
        password = settings.get("password")
        if not password:
            from harness.config import local_secret

            password = local_secret("s4hana_password")
        self.password = str(password)
        self.oauth_clients = {str(k): str(v) for k, v in (settings.get("oauth_clients") or {}).items()}
        self.csrf = bool(settings.get("csrf", True))
        self.session_timeout = float(settings.get("session_timeout", 1800))
        self.token_lifetime = int(settings.get("token_lifetime", 3600))
        self.realm = f"SAP NetWeaver Application Server [{sid}/{self.client}]"
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._tokens: dict[str, tuple[str, float]] = {}

    @property
    def session_cookie(self) -> str:
        """The session cookie name, e.g. ``SAP_SESSIONID_S4H_100``."""
        return f"SAP_SESSIONID_{self.sid}_{self.client}"

    def reset(self) -> None:
        """Forget sessions and issued tokens."""
        with self._lock:
            self._sessions.clear()
            self._tokens.clear()

    # --- checks ------------------------------------------------------------------------------------
    def check_client(self, request: Request) -> None:
        """``sap-client`` must be this system's client when given."""
        client = request.args.get("sap-client") or request.headers.get("sap-client")
        if client is not None and client != self.client:
            raise LogonFailed(self.realm, f"Logon failed: client {client} is not available in this system")

    def authenticate(self, request: Request) -> tuple[str, Session | None]:
        """The user of a request and its session (if the cookie names a live one); 401 otherwise."""
        session = self._session(request)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                raise LogonFailed(self.realm, "Logon failed: malformed Basic credentials") from None
            if user.upper() != self.user.upper() or not secrets.compare_digest(password, self.password):
                raise LogonFailed(self.realm, "Logon failed: user or password is not correct")
            return self.user, session if session and session.user == self.user else None
        if auth.startswith("Bearer "):
            token = auth[7:].strip()
            with self._lock:
                issued = self._tokens.get(token)
            if issued is None or issued[1] < time.time():
                raise LogonFailed(self.realm, "Logon failed: the OAuth access token is invalid or has expired")
            return issued[0], session if session and session.user == issued[0] else None
        if session is not None:
            return session.user, session
        raise LogonFailed(self.realm, "Logon failed: no credentials were given")

    def _session(self, request: Request) -> Session | None:
        sid = request.cookies.get(self.session_cookie)
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is None or session.expires < time.time():
                self._sessions.pop(sid, None)
                return None
            session.expires = time.time() + self.session_timeout
            return session

    def check_csrf(self, request: Request, method: str, session: Session | None) -> None:
        """A modifying request needs the token of its session."""
        if not self.csrf or method not in MODIFYING:
            return
        token = request.headers.get("X-CSRF-Token", "")
        if session is None or not token or not secrets.compare_digest(token, session.token):
            raise CsrfTokenInvalid()

    def fetch(self, request: Request, user: str, session: Session | None, response: Response) -> None:
        """Answer ``X-CSRF-Token: Fetch``: the session's token (a new session when there is none)."""
        if request.headers.get("X-CSRF-Token", "").lower() != "fetch" or request.method not in ("GET", "HEAD"):
            return
        if session is None:
            sid = secrets.token_urlsafe(32)
            session = Session(user, base64.b64encode(secrets.token_bytes(18)).decode("ascii"),
                              time.time() + self.session_timeout)
            with self._lock:
                self._sessions[sid] = session
            response.set_cookie(self.session_cookie, sid, path="/", httponly=True)
            response.set_cookie("sap-usercontext", f"sap-client={self.client}", path="/")
        response.headers["x-csrf-token"] = session.token

    # --- OAuth token endpoint --------------------------------------------------------------------------
    def token_endpoint(self, request: Request) -> Response:
        """``POST /sap/bc/sec/oauth2/token`` with the client-credentials grant."""
        client_id, client_secret = request.form.get("client_id"), request.form.get("client_secret")
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            client_id, client_secret = auth.username, auth.password
        if not client_id or self.oauth_clients.get(client_id) is None or \
                not secrets.compare_digest(self.oauth_clients[client_id], client_secret or ""):
            return json_response({"error": "invalid_client", "error_description": "Client authentication failed"},
                                 status=401, headers={"WWW-Authenticate": f'Basic realm="{self.realm}"'})
        grant = request.form.get("grant_type")
        if grant != "client_credentials":
            return json_response({"error": "unsupported_grant_type",
                                  "error_description": f"grant_type {grant!r} is not supported; use client_credentials"},
                                 status=400)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (client_id.upper()[:12], time.time() + self.token_lifetime)
        return json_response({"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime,
                              "scope": request.form.get("scope", "")})

    def state(self) -> dict[str, Any]:
        """Counts for ``/__mock__/state`` (never the secrets)."""
        with self._lock:
            return {"sessions": len(self._sessions), "oauth_tokens": len(self._tokens), "client": self.client,
                    "user": self.user}
