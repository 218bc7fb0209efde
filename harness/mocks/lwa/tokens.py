"""Self-contained access tokens: what the token endpoints issue and the APIs check.

A token carries its claims (client, selling partner or business product, scope, expiry) and an
HMAC over them, so the API mocks verify a token without asking the issuer: the Login with Amazon
mock issues ``Atza|...`` tokens and the SP-API mock checks them, in one process or several, as
long as both use the same key (``token_key`` in their settings; the local landscape sets it to
``${secret:amazon_token_key}``). Without a configured key, every mock in the process shares one
random key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

_PROCESS_KEY = secrets.token_bytes(32)


class TokenRejected(Exception):
    """A token failed verification; ``expired`` tells an expired token from a bad one."""

    def __init__(self, reason: str, expired: bool = False) -> None:
        super().__init__(reason)
        self.expired = expired


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued token and the claims it carries."""

    value: str
    claims: dict[str, Any]

    @property
    def expires_at(self) -> float:
        """Epoch seconds (on the issuing mock's clock) when the token stops working."""
        return float(self.claims["exp"])


class TokenSigner:
    """Issues and verifies tokens of one kind (``prefix`` tells the kinds apart)."""

    def __init__(self, prefix: str, key: str | bytes | None = None) -> None:
        self.prefix = prefix
        if key is None:
            self._key = _PROCESS_KEY
        else:
            raw = key.encode("utf-8") if isinstance(key, str) else key
            self._key = hashlib.sha256(raw).digest()

    @classmethod
    def from_settings(cls, prefix: str, settings: dict[str, Any]) -> "TokenSigner":
        """A signer using ``settings['token_key']`` when present."""
        return cls(prefix, settings.get("token_key") or None)

    def issue(self, claims: dict[str, Any], now: float, lifetime: float) -> IssuedToken:
        """A token valid for ``lifetime`` seconds from ``now``."""
        body = {**claims, "iat": int(now), "exp": now + lifetime, "jti": uuid.uuid4().hex}
        payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        return IssuedToken(f"{self.prefix}{payload}.{self._mac(payload)}", body)

    def verify(self, token: str, now: float) -> dict[str, Any]:
        """The token's claims; raise :class:`TokenRejected` if it is foreign, altered or expired."""
        if not token.startswith(self.prefix):
            raise TokenRejected(f"not a {self.prefix!r} token")
        payload, _, mac = token[len(self.prefix):].rpartition(".")
        if not payload or not hmac.compare_digest(mac, self._mac(payload)):
            raise TokenRejected("malformed or altered token")
        try:
            claims = json.loads(_unb64(payload))
        except ValueError as exc:
            raise TokenRejected("malformed token") from exc
        if float(claims.get("exp", 0)) <= now:
            raise TokenRejected("token expired", expired=True)
        return claims

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, f"{self.prefix}{payload}".encode("ascii"), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
