"""Environment configuration: ``config/<env>.yaml`` with placeholders resolved.

Placeholders in string values:

* ``${env:NAME}`` / ``${env:NAME:-default}``: an environment variable. Secrets for real tenants are
  only ever given this way; the YAML holds the variable's name, never the value.
* ``${secret:NAME}``: a random secret for the embedded ``local`` landscape, generated once and kept
  in ``.s4amz/secrets.json`` (mode 0600). The mocks and the emulator's security material read the
  same value, so the local landscape works with no setup and no secret is committed.
* ``${mock:NAME}``: the base URL of a running mock (from ``.s4amz/landscape.json``, written by
  ``s4amz mocks up``); ``${emulator:url}`` likewise for the emulator.

A placeholder that cannot be resolved raises :class:`ConfigError` naming the file and key path.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from harness.paths import repo_root, state_dir

_PLACEHOLDER = re.compile(r"\$\{(env|secret|mock|emulator):([A-Za-z0-9_.\-]+)(?::-([^}]*))?\}")


class ConfigError(Exception):
    """A configuration file is missing, malformed, or refers to something undefined."""


@dataclass
class Environment:
    """One environment's configuration, placeholders resolved on access through :meth:`get`."""

    name: str
    path: Path
    raw: dict[str, Any]
    landscape: dict[str, Any] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = ...) -> Any:
        """The resolved value at ``a.b.c``; raise ConfigError when absent and no default is given."""
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is not ...:
                    return default
                raise ConfigError(f"{self.path}: no key {dotted!r}")
            node = node[part]
        return self.resolve(node, where=dotted)

    def resolve(self, value: Any, where: str = "") -> Any:
        """Resolve placeholders in a value (recursively for lists and dicts)."""
        if isinstance(value, dict):
            return {k: self.resolve(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, str):
            return _PLACEHOLDER.sub(lambda m: self._lookup(m, where), value)
        return value

    def _lookup(self, match: re.Match[str], where: str) -> str:
        kind, name, default = match.group(1), match.group(2), match.group(3)
        resolvers: dict[str, Callable[[str], str | None]] = {
            "env": os.environ.get,
            "secret": local_secret,
            "mock": lambda n: (self.landscape.get("mocks") or {}).get(n),
            "emulator": lambda n: (self.landscape.get("emulator") or {}).get(n),
        }
        resolved = resolvers[kind](name)
        if resolved is None:
            resolved = default
        if resolved is None:
            hint = {
                "env": f"set the environment variable {name}",
                "mock": "start the mocks first (s4amz mocks up or s4amz up)",
                "emulator": "start the emulator first (s4amz up)",
            }.get(kind, "")
            raise ConfigError(f"{self.path}: {where}: cannot resolve ${{{kind}:{name}}}: {hint}")
        return str(resolved)


def config_dir() -> Path:
    """The folder holding the environment files."""
    return repo_root() / "config"


def load_environment(name: str = "local", landscape: dict[str, Any] | None = None) -> Environment:
    """Load ``config/<name>.yaml``; ``landscape`` defaults to ``.s4amz/landscape.json`` if present."""
    path = config_dir() / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in config_dir().glob("*.yaml"))
        raise ConfigError(f"no environment {name!r}: {path} does not exist (known: {', '.join(known)})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    if landscape is None:
        landscape = read_landscape()
    return Environment(name=name, path=path, raw=raw, landscape=landscape)


def landscape_path() -> Path:
    """Where the running landscape's endpoint map is written."""
    return state_dir() / "landscape.json"


def read_landscape() -> dict[str, Any]:
    """The running landscape's endpoint map, or an empty dict when nothing runs."""
    path = landscape_path()
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def local_secret(name: str) -> str:
    """A random secret for the local landscape, created on first use and kept in ``.s4amz/``."""
    path = state_dir() / "secrets.json"
    values: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if name not in values:
        values[name] = secrets.token_urlsafe(24)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")
        path.chmod(0o600)
    return values[name]
