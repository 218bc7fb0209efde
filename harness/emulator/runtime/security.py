"""Deployed security material: user credentials, secure parameters, OAuth2 client credentials.

The deploy call hands the runtime a mapping ``alias -> entry``. An entry may use the tenant API's
field names (``User``, ``Password``, ``TokenServiceUrl``, ``ClientId``, ``ClientSecret``,
``ClientAuthentication``, ``Scope``) or snake case (``user``, ``password``, ``token_url``,
``client_id``, ``client_secret``, ``client_authentication``, ``scope``); ``type`` (or ``Kind``) is
``UserCredential`` (default), ``SecureParameter`` or ``OAuth2ClientCredentials`` (inferred from
the fields when absent). Adapters ask for credentials by alias only.
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping

import requests

from .errors import ProcessingError
from .mpl import Masker

SECURE_STORE_ERROR = "com.sap.it.api.securestore.exception.CredentialNotFoundException"


@dataclass(frozen=True)
class Credential:
    alias: str
    type: str
    user: str | None = None
    password: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    client_authentication: str = "SendAsBodyParameter"
    scope: str | None = None

    def __repr__(self) -> str:
        return f"Credential({self.alias!r}, {self.type})"


def _pick(entry: Mapping[str, Any], *names: str) -> Any:
    lowered = {str(k).lower().replace("_", ""): v for k, v in entry.items()}
    for name in names:
        value = lowered.get(name.lower().replace("_", ""))
        if value not in (None, ""):
            return value
    return None


def credential_from(alias: str, entry: Mapping[str, Any] | str) -> Credential:
    """Normalise one security-material entry."""
    if isinstance(entry, str):
        return Credential(alias, "SecureParameter", password=entry)
    kind = _pick(entry, "type", "kind") or ""
    token_url = _pick(entry, "TokenServiceUrl", "token_url", "tokenUrl")
    if not kind or kind == "default":
        kind = "OAuth2ClientCredentials" if token_url else "UserCredential"
    if kind.lower() in ("secureparameter", "secure_parameter"):
        kind = "SecureParameter"
    elif kind.lower().startswith("oauth2"):
        kind = "OAuth2ClientCredentials"
    else:
        kind = "UserCredential"
    return Credential(
        alias=alias, type=kind, user=_pick(entry, "User", "username"),
        password=_pick(entry, "Password", "SecureParam", "value"),
        token_url=token_url, client_id=_pick(entry, "ClientId"),
        client_secret=_pick(entry, "ClientSecret"),
        client_authentication=_pick(entry, "ClientAuthentication") or "SendAsBodyParameter",
        scope=_pick(entry, "Scope"))


class SecurityStore:
    """Credentials by alias, the OAuth2 tokens fetched with them, and the masker they feed."""

    def __init__(self, masker: Masker, http: requests.Session | None = None) -> None:
        self.masker = masker
        self._credentials: dict[str, Credential] = {}
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._http = http or requests.Session()

    def update(self, material: Any) -> None:
        """Add or replace entries (the deploy call passes the tenant's current material).

        ``material`` is the emulator's ``SecurityMaterial`` (user credentials, OAuth2 client
        credentials, secure parameters) or a plain mapping ``alias -> entry``.
        """
        if material is None:
            return
        if not isinstance(material, Mapping):
            flat: dict[str, Any] = {}
            for alias, entry in (getattr(material, "user_credentials", None) or {}).items():
                flat[alias] = {"type": "UserCredential", **entry}
            for alias, entry in (getattr(material, "oauth2_credentials", None) or {}).items():
                flat[alias] = {"type": "OAuth2ClientCredentials", **entry}
            for alias, value in (getattr(material, "secure_parameters", None) or {}).items():
                flat[alias] = {"type": "SecureParameter", "password": value}
            material = flat
        for alias, entry in material.items():
            cred = credential_from(alias, entry)
            with self._lock:
                self._credentials[alias] = cred
                self._tokens.pop(alias, None)
            self.masker.add(cred.password, cred.client_secret)

    def get(self, alias: str) -> Credential:
        with self._lock:
            cred = self._credentials.get(alias)
        if cred is None:
            raise ProcessingError(f"Could not fetch the credential for alias {alias}",
                                  java_class=SECURE_STORE_ERROR)
        return cred

    def aliases(self) -> list[str]:
        with self._lock:
            return sorted(self._credentials)

    def for_scripts(self) -> dict[str, dict[str, Any]]:
        """The material in the script host's wire form (user credentials and secure parameters)."""
        with self._lock:
            creds = list(self._credentials.values())
        result = {}
        for c in creds:
            if c.type == "OAuth2ClientCredentials":
                result[c.alias] = {"kind": "user", "username": c.client_id, "password": c.client_secret,
                                   "properties": {"TokenServiceUrl": c.token_url or ""}}
            else:
                result[c.alias] = {"kind": "user", "username": c.user, "password": c.password,
                                   "properties": {}}
        return result

    def basic_header(self, alias: str) -> str:
        cred = self.get(alias)
        if cred.type == "OAuth2ClientCredentials":
            user, password = cred.client_id or "", cred.client_secret or ""
        else:
            user, password = cred.user or "", cred.password or ""
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def bearer_header(self, alias: str, timeout: float = 60.0) -> str:
        """``Bearer <token>`` from an OAuth2 client-credentials alias (cached until near expiry)."""
        now = time.time()
        with self._lock:
            cached = self._tokens.get(alias)
        if cached and cached[1] > now + 30:
            return "Bearer " + cached[0]
        cred = self.get(alias)
        if cred.type != "OAuth2ClientCredentials" or not cred.token_url:
            raise ProcessingError(f"Credential {alias} is not of type OAuth2 Client Credentials",
                                  java_class="com.sap.it.api.securestore.exception.SecureStoreException")
        data = {"grant_type": "client_credentials"}
        if cred.scope:
            data["scope"] = cred.scope
        headers = {"Accept": "application/json"}
        if str(cred.client_authentication).lower() in ("sendasbasicauth", "basic", "header"):
            headers["Authorization"] = "Basic " + base64.b64encode(
                f"{cred.client_id}:{cred.client_secret}".encode()).decode()
        else:
            data["client_id"] = cred.client_id or ""
            data["client_secret"] = cred.client_secret or ""
        try:
            response = self._http.post(cred.token_url, data=data, headers=headers, timeout=timeout)
        except requests.RequestException as exc:
            raise ProcessingError(f"Unable to fetch the access token for credential {alias} from "
                                  f"{cred.token_url}: {exc}",
                                  java_class="com.sap.it.rt.adapter.http.api.exception.OAuth2Exception") from exc
        if response.status_code != 200:
            raise ProcessingError(
                f"Unable to fetch the access token for credential {alias}: the token service "
                f"{cred.token_url} answered HTTP {response.status_code}: {self.masker(response.text[:500])}",
                java_class="com.sap.it.rt.adapter.http.api.exception.OAuth2Exception")
        try:
            payload = response.json()
            token = payload["access_token"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ProcessingError(f"The token service {cred.token_url} returned no access_token",
                                  java_class="com.sap.it.rt.adapter.http.api.exception.OAuth2Exception") from exc
        expires = now + float(payload.get("expires_in") or 3600)
        self.masker.add(token)
        with self._lock:
            self._tokens[alias] = (token, expires)
        return "Bearer " + token
