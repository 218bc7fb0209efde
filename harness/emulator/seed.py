"""Security material and value mappings for the emulated tenant, read from the environment file.

``config/local.yaml`` (resolved through ``harness.config``, so ``${secret:...}`` works)::

    security:
      user_credentials:
        S4HANA_Basic: {user: S4_COMM_USER, password: "${secret:s4hana_password}"}
      oauth2_credentials:
        BWP_OAuth: {token_url: "${mock:lwa}/auth/o2/token", client_id: ..., client_secret: ...}
      secure_parameters:
        SPAPI_Refresh_Token: "${secret:spapi_refresh_token}"
    value_mappings: (see harness.tenant.valuemappings.desired_from_config)
"""

from __future__ import annotations

from typing import Any

from harness.config import ConfigError, Environment
from harness.emulator.store import Store
from harness.tenant.valuemappings import desired_from_config

_KINDS = {"user_credentials": "UserCredentials", "oauth2_credentials": "OAuth2ClientCredentials",
          "secure_parameters": "SecureParameters"}


def seed_security(store: Store, env: Environment) -> list[str]:
    """Deploy every security artifact named in ``security:``; returns the entries still pending.

    An entry whose placeholders cannot be resolved yet (``${mock:bwp}`` before the mocks run) is
    deployed under its name with those fields left unresolved, and named in the result; the
    emulator seeds again before each deploy, when the landscape may be up.
    """
    raw: dict[str, Any] = env.raw.get("security") or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{env.path}: security: expected a mapping of kind -> name -> fields")
    unknown = sorted(set(raw) - set(_KINDS))
    if unknown:
        raise ConfigError(f"{env.path}: security: unknown kind(s) {', '.join(unknown)} "
                          f"(expected {', '.join(_KINDS)})")
    skipped: list[str] = []
    for key, kind in _KINDS.items():
        for name, raw_data in (raw.get(key) or {}).items():
            where = f"security.{key}.{name}"
            try:
                data = env.resolve(raw_data, where)
            except ConfigError as exc:
                skipped.append(f"{where}: {exc}")
                data = _lenient(env, raw_data, where)
            if kind == "SecureParameters" and not isinstance(data, dict):
                data = {"value": data}
            if not isinstance(data, dict):
                raise ConfigError(f"{env.path}: {where}: expected a mapping")
            if kind == "UserCredentials" and not {"user", "password"} <= set(data):
                raise ConfigError(f"{env.path}: {where}: expected user and password")
            if kind == "OAuth2ClientCredentials" and not {"token_url", "client_id", "client_secret"} <= set(data):
                raise ConfigError(f"{env.path}: {where}: expected token_url, client_id, client_secret")
            store.security_put(kind, str(name), {k: ("" if v is None else str(v)) for k, v in data.items()},
                               user="config")
    return skipped


def _lenient(env: Environment, value: Any, where: str) -> Any:
    """Resolve what can be resolved; keep unresolvable strings as written."""
    if isinstance(value, dict):
        return {k: _lenient(env, v, f"{where}.{k}") for k, v in value.items()}
    try:
        return env.resolve(value, where)
    except ConfigError:
        return value


def seed_value_mappings(store: Store, env: Environment) -> int:
    """Configure every pair named in ``value_mappings:`` (kept across uploads); returns how many."""
    try:
        desired = desired_from_config(env.get("value_mappings", {}), str(env.path))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    count = 0
    for want in desired:
        s = want.schema
        for src, tgt in want.values.items():
            store.valmap_upsert(want.artifact_id, s.src_agency, s.src_id, s.tgt_agency, s.tgt_id, src, tgt)
            count += 1
    return count
