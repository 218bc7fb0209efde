"""Fixtures for the tenant client tests: a fake clock, sessions for `responses`, emulators."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness.tenant.auth import TokenSource  # noqa: E402
from harness.tenant.http import TenantSession  # noqa: E402

from tenant_helpers import API, TOKEN_URL, FakeClock  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tokens(clock: FakeClock) -> TokenSource:
    return TokenSource(TOKEN_URL, "cid", "csecret", clock=clock)


@pytest.fixture
def session(tokens: TokenSource, clock: FakeClock) -> TenantSession:
    """An OAuth session whose retries sleep on the fake clock."""
    return TenantSession.oauth(API, tokens, sleep=clock.sleep, backoff=0.5, max_backoff=4)


@pytest.fixture
def token_endpoint() -> Iterator[None]:
    """Registers a token answer on the active `responses` mock."""
    import responses

    responses.add(responses.POST, TOKEN_URL, json={"access_token": "tok-1", "expires_in": 3600})
    yield


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private .s4amz state folder."""
    folder = tmp_path / "state"
    monkeypatch.setenv("S4AMZ_STATE_DIR", str(folder))
    return folder
