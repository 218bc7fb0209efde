"""Login with Amazon state: registered clients, their refresh tokens, and the grants.

Clients come from settings (``clients``), each with ``client_id``, ``client_secret``,
``refresh_tokens`` (strings, or mappings with ``token`` and ``selling_partner_id``) and ``scopes``
(those it may request with ``client_credentials``). Access tokens last ``access_token_lifetime``
seconds (3600, FACTS §1) and are verified by the SP-API mock through
:mod:`harness.mocks.lwa.tokens`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.mocks.core.clock import Clock
from harness.mocks.lwa.exceptions import (InvalidClient, InvalidGrant, InvalidRequest, InvalidScope,
                                          UnsupportedGrantType)
from harness.mocks.lwa.tokens import TokenSigner

ACCESS_TOKEN_PREFIX = "Atza|"
#: Scopes SP-API's grantless operations use (FACTS §1, §2).
GRANTLESS_SCOPES = ("sellingpartnerapi::notifications", "sellingpartnerapi::migration",
                    "sellingpartnerapi::client_credential:rotation")


@dataclass
class Client:
    """An LWA application client."""

    client_id: str
    client_secret: str
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # token -> selling partner id
    scopes: tuple[str, ...] = GRANTLESS_SCOPES


def parse_clients(raw: Any) -> dict[str, Client]:
    """Clients from settings; raise ValueError naming the entry that is malformed."""
    clients: dict[str, Client] = {}
    for index, entry in enumerate(raw or []):
        where = f"lwa settings: clients[{index}]"
        if not isinstance(entry, dict) or not entry.get("client_id") or not entry.get("client_secret"):
            raise ValueError(f"{where}: expected a mapping with 'client_id' and 'client_secret'")
        tokens: dict[str, str] = {}
        for position, item in enumerate(entry.get("refresh_tokens") or []):
            if isinstance(item, str):
                tokens[item] = str(entry.get("selling_partner_id", "A1S4AMZSELLER"))
            elif isinstance(item, dict) and item.get("token"):
                tokens[str(item["token"])] = str(item.get("selling_partner_id", "A1S4AMZSELLER"))
            else:
                raise ValueError(f"{where}.refresh_tokens[{position}]: expected a string or {{token, selling_partner_id}}")
        scopes = tuple(entry.get("scopes") or GRANTLESS_SCOPES)
        clients[str(entry["client_id"])] = Client(str(entry["client_id"]), str(entry["client_secret"]), tokens, scopes)
    return clients


class LwaBackend:
    """The token endpoint's behaviour, free of HTTP."""

    def __init__(self, settings: dict[str, Any], clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.lifetime = float(settings.get("access_token_lifetime", 3600))
        self.signer = TokenSigner.from_settings(ACCESS_TOKEN_PREFIX, settings)
        self.reset()

    def reset(self) -> None:
        """Back to the configured clients; revocations are forgotten."""
        self.clients = parse_clients(self.settings.get("clients"))
        self.revoked: set[str] = set()
        self.issued = 0

    def grant(self, params: dict[str, str]) -> dict[str, Any]:
        """Answer one token request (already decoded from form or JSON)."""
        grant_type = params.get("grant_type")
        if not grant_type:
            raise InvalidRequest("The request is missing a required parameter : grant_type")
        if grant_type not in ("refresh_token", "client_credentials"):
            raise UnsupportedGrantType(f"The authorization grant type {grant_type} is not supported by the authorization server")
        for name in ("client_id", "client_secret"):
            if not params.get(name):
                raise InvalidRequest(f"The request is missing a required parameter : {name}")
        client = self.clients.get(params["client_id"])
        if client is None or client.client_secret != params["client_secret"]:
            raise InvalidClient()
        if grant_type == "refresh_token":
            return self._refresh(client, params)
        return self._client_credentials(client, params)

    def revoke(self, refresh_token: str) -> bool:
        """Revoke a refresh token (what a seller removing the authorization does)."""
        known = any(refresh_token in c.refresh_tokens for c in self.clients.values())
        if known:
            self.revoked.add(refresh_token)
        return known

    def _refresh(self, client: Client, params: dict[str, str]) -> dict[str, Any]:
        token = params.get("refresh_token")
        if not token:
            raise InvalidRequest("The request is missing a required parameter : refresh_token")
        if token in self.revoked:
            raise InvalidGrant("The request has an invalid grant parameter : refresh_token. "
                               "User may have revoked or didn't grant the permission.")
        if token not in client.refresh_tokens:
            raise InvalidGrant("The request has an invalid grant parameter : refresh_token")
        issued = self.signer.issue({"grant": "refresh_token", "client_id": client.client_id,
                                    "selling_partner_id": client.refresh_tokens[token]},
                                   self.clock.now(), self.lifetime)
        self.issued += 1
        return {"access_token": issued.value, "token_type": "bearer", "expires_in": int(self.lifetime)}

    def _client_credentials(self, client: Client, params: dict[str, str]) -> dict[str, Any]:
        scope = params.get("scope")
        if not scope:
            raise InvalidRequest("The request is missing a required parameter : scope")
        requested = scope.split()
        unknown = [s for s in requested if s not in client.scopes]
        if unknown:
            raise InvalidScope(f"An unknown scope was requested: {' '.join(unknown)}")
        issued = self.signer.issue({"grant": "client_credentials", "client_id": client.client_id,
                                    "scope": scope}, self.clock.now(), self.lifetime)
        self.issued += 1
        return {"access_token": issued.value, "scope": scope, "token_type": "bearer",
                "expires_in": int(self.lifetime)}

    def state(self) -> dict[str, Any]:
        """Clients (without secrets), revocations and a count of issued tokens."""
        return {
            "clients": [{"client_id": c.client_id, "refresh_tokens": len(c.refresh_tokens),
                         "scopes": list(c.scopes)} for c in self.clients.values()],
            "revoked_refresh_tokens": len(self.revoked),
            "access_tokens_issued": self.issued,
            "access_token_lifetime": self.lifetime,
        }
