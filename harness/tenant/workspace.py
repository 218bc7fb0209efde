"""Where the tenant commands find their inputs: the environment, the client, ``dist/``, the package."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from harness.config import Environment, load_environment
from harness.paths import repo_root
from harness.tenant.artifact import LocalArtifact, load_dist
from harness.tenant.client import TenantClient
from harness.tenant.rollout import read_package

SOURCES = ("mappings", "groovy/scripts")


@dataclass
class Workspace:
    """One environment and the local artifacts to bring to it."""

    env: Environment
    client: TenantClient
    dist: Path

    @classmethod
    def open(cls, env_name: str, dist: Path | None = None) -> "Workspace":
        """Load ``config/<env>.yaml`` and connect (no call is made yet)."""
        env = load_environment(env_name)
        return cls(env, TenantClient.from_environment(env), dist or repo_root() / "dist")

    def artifacts(self, only: list[str] | None = None) -> list[LocalArtifact]:
        """The zips in ``dist/`` (optionally only some ids)."""
        return load_dist(self.dist, only)

    def package(self) -> dict[str, object]:
        """The integration package from ``dist/package.json``, overridden by ``package:`` of the env."""
        override = self.env.get("package", {}) or {}
        return read_package(self.dist / "package.json", override)


def needs_build(root: Path, dist: Path) -> bool:
    """True when ``dist/`` is missing or older than any spec or script."""
    marker = dist / "package.json"
    if not marker.is_file():
        return True
    built = marker.stat().st_mtime
    for folder in SOURCES:
        base = root / folder
        if base.is_dir() and any(p.stat().st_mtime > built for p in base.rglob("*") if p.is_file()):
            return True
    return False


def build_if_needed(root: Path, dist: Path) -> str | None:
    """Run ``generator.build.build_all`` when ``dist/`` is stale; returns a message or None."""
    if dist != root / "dist" or not (root / "mappings").is_dir() or not needs_build(root, dist):
        return None
    from generator.build import build_all

    result = build_all(root)
    marker = dist / "package.json"
    if marker.is_file():
        os.utime(marker)
    return f"built {len(result.artifacts)} artifact(s) into {dist}"
