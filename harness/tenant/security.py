"""Security content: which credentials, secure parameters and keystore aliases exist (names only).

Security material never travels with content (FACTS §0.9): it must exist on every tenant under the
same names. This client only ever reads names; secrets are neither requested nor returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from harness.tenant.http import TenantSession

KINDS = {
    "UserCredentials": "user credential",
    "OAuth2ClientCredentials": "OAuth2 client credential",
    "SecureParameters": "secure parameter",
}


@dataclass
class SecurityNames:
    """Names present on a tenant, per kind."""

    by_kind: dict[str, set[str]] = field(default_factory=dict)
    keystore_aliases: set[str] = field(default_factory=set)

    def all_credentials(self) -> set[str]:
        """Every credential-like name (any kind)."""
        names: set[str] = set()
        for values in self.by_kind.values():
            names |= values
        return names

    def missing(self, aliases: Iterable[str]) -> list[str]:
        """The aliases not deployed under any credential kind, sorted."""
        have = self.all_credentials()
        return sorted(a for a in set(aliases) if a not in have)


class SecurityClient:
    """``/UserCredentials``, ``/OAuth2ClientCredentials``, ``/SecureParameters``, ``/KeystoreEntries``."""

    def __init__(self, session: TenantSession) -> None:
        self.session = session

    def names(self, kind: str) -> set[str]:
        """The names of one kind."""
        rows = self.session.get_collection(kind, {"$select": "Name"})
        return {r["Name"] for r in rows if r.get("Name")}

    def keystore_aliases(self) -> set[str]:
        """Aliases in the tenant keystore."""
        rows = self.session.get_collection("KeystoreEntries", {"$select": "Alias"})
        return {r["Alias"] for r in rows if r.get("Alias")}

    def snapshot(self) -> SecurityNames:
        """All credential names of every kind."""
        return SecurityNames({kind: self.names(kind) for kind in KINDS})
