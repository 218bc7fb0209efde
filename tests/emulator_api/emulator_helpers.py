"""Shared helpers of the emulator API tests (imported by name; conftest modules are not importable)."""

from __future__ import annotations

import requests

from harness.emulator.server import Emulator
from harness.tenant.auth import TokenSource
from harness.tenant.client import TenantClient
from harness.tenant.http import TenantSession

CLIENT = ("s4amz-test", "test-secret")


def client_for(emulator: Emulator, basic: bool = False) -> TenantClient:
    """A tenant client (OAuth by default) talking to ``emulator``."""
    if basic:
        session = TenantSession.basic(emulator.api_url, *CLIENT)
    else:
        session = TenantSession.oauth(emulator.api_url, TokenSource(emulator.token_url, *CLIENT))
    return TenantClient(session)


def bearer(emulator: Emulator) -> dict[str, str]:
    """Headers with a fresh bearer token."""
    token = requests.post(emulator.token_url, data={"grant_type": "client_credentials"}, auth=CLIENT).json()
    return {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"}
