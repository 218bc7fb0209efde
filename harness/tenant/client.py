"""One object holding every resource client over one shared session, built from an environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.config import ConfigError, Environment
from harness.tenant.auth import ServiceKey, TokenSource
from harness.tenant.configurations import ConfigurationsClient
from harness.tenant.deploy import DeployClient
from harness.tenant.designtime import DesigntimeClient
from harness.tenant.endpoints import EndpointsClient
from harness.tenant.http import TenantSession
from harness.tenant.logs import LogsClient
from harness.tenant.packages import PackagesClient
from harness.tenant.runtime import RuntimeClient
from harness.tenant.security import SecurityClient
from harness.tenant.valuemappings import ValueMappingsClient


@dataclass
class TenantClient:
    """The Cloud Integration API of one tenant, split by resource like flashpipe's ``internal/api``."""

    session: TenantSession

    def __post_init__(self) -> None:
        s = self.session
        self.packages = PackagesClient(s)
        self.integration = DesigntimeClient(s, "Integration")
        self.value_mapping = DesigntimeClient(s, "ValueMapping")
        self.configurations = ConfigurationsClient(s)
        self.deploys = DeployClient(s)
        self.runtime = RuntimeClient(s)
        self.value_mappings = ValueMappingsClient(s)
        self.logs = LogsClient(s)
        self.endpoints = EndpointsClient(s)
        self.security = SecurityClient(s)

    def designtime(self, kind: str) -> DesigntimeClient:
        """The design-time client for an API kind (``Integration``, ``ValueMapping``, ...)."""
        if kind == "Integration":
            return self.integration
        if kind == "ValueMapping":
            return self.value_mapping
        return DesigntimeClient(self.session, kind)

    @classmethod
    def from_environment(cls, env: Environment, **session_kwargs: Any) -> "TenantClient":
        """Build from an environment's ``tenant:`` section.

        ``auth: oauth2`` (default) uses ``token_url``/``client_id``/``client_secret``, or a
        ``service_key`` (a file path or ``${env:...}`` JSON) which supplies all of them;
        ``auth: basic`` uses ``user``/``password``.
        """
        return cls(session_from_environment(env, **session_kwargs))


def session_from_environment(env: Environment, **session_kwargs: Any) -> TenantSession:
    """The shared session for ``env``; raise ConfigError naming the missing key."""
    section = env.get("tenant", None)
    if not isinstance(section, dict):
        raise ConfigError(f"{env.path}: no 'tenant:' section (api_url, token_url, client_id, client_secret)")
    auth = str(env.get("tenant.auth", "oauth2")).lower()
    timeout = float(env.get("tenant.timeout_s", 60))
    session_kwargs.setdefault("timeout", timeout)
    if auth == "basic":
        return TenantSession.basic(_required(env, "tenant.api_url"), _required(env, "tenant.user"),
                                   _required(env, "tenant.password"), **session_kwargs)
    if auth != "oauth2":
        raise ConfigError(f"{env.path}: tenant.auth: expected 'oauth2' or 'basic', got {auth!r}")
    try:
        key_ref = env.get("tenant.service_key", None)
    except ConfigError:
        key_ref = None  # ${env:...} not set: fall back to the explicit URLs and client
    if key_ref:
        key = _service_key(str(key_ref), env)
        try:
            api_url = env.get("tenant.api_url", None) or key.api_url
        except ConfigError:
            api_url = key.api_url  # api_url names an unset variable: the service key's url wins
        return TenantSession.oauth(api_url, TokenSource.from_service_key(key), **session_kwargs)
    tokens = TokenSource(_required(env, "tenant.token_url"), _required(env, "tenant.client_id"),
                         _required(env, "tenant.client_secret"))
    return TenantSession.oauth(_required(env, "tenant.api_url"), tokens, **session_kwargs)


def _required(env: Environment, dotted: str) -> str:
    value = env.get(dotted, None)
    if value in (None, ""):
        raise ConfigError(f"{env.path}: {dotted} is required")
    return str(value)


def _service_key(ref: str, env: Environment) -> ServiceKey:
    text = ref.strip()
    if text.startswith("{"):
        return ServiceKey.from_json(text, source=f"{env.path}: tenant.service_key")
    path = Path(os.path.expanduser(text))
    if not path.is_absolute():
        path = env.path.parent.parent / path
    return ServiceKey.from_file(path)
