"""Keep secrets out of reports: known secret values, credential headers, credential fields in bodies."""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from harness.config import Environment
from harness.paths import state_dir

MASK = "********"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-csrf-token",
                            "x-amz-access-token", "x-api-key", "apikey"})
_SECRET_KEY = re.compile(r"(secret|password|passwd|token|credential|private_key|api_key)", re.IGNORECASE)
_JSON_FIELD = re.compile(r'("(?:access_token|refresh_token|client_secret|password|id_token|assertion)"\s*:\s*")'
                         r'((?:[^"\\]|\\.)*)(")', re.IGNORECASE)
_FORM_FIELD = re.compile(r"\b((?:access_token|refresh_token|client_secret|password|assertion)=)([^&\s\"']+)",
                         re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=\-|]{8,}")


class Masker:
    """Replaces every known secret value (and credential-looking fields) with ``********``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for value in secrets:
            self.add(value)

    def add(self, value: Any) -> None:
        """Remember a secret (values shorter than 4 characters would mask too much; they are ignored)."""
        if isinstance(value, str) and len(value) >= 4:
            self._secrets.add(value)

    def __call__(self, text: Any) -> str:
        if text is None:
            return ""
        out = text if isinstance(text, str) else str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in out:
                out = out.replace(secret, MASK)
        out = _JSON_FIELD.sub(lambda m: m.group(1) + MASK + m.group(3), out)
        out = _FORM_FIELD.sub(lambda m: m.group(1) + MASK, out)
        return _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", out)

    def headers(self, headers: dict[str, Any]) -> dict[str, str]:
        """Headers with credential headers masked whole and secrets masked in the rest."""
        return {k: (MASK if k.lower() in SECRET_HEADERS else self(v)) for k, v in headers.items()}


def environment_secrets(env: Environment | None) -> list[str]:
    """Local generated secrets and every resolvable value the environment keeps under a secret-like key."""
    values: list[str] = []
    path = state_dir() / "secrets.json"
    if path.is_file():
        try:
            values += [str(v) for v in json.loads(path.read_text(encoding="utf-8")).values()]
        except ValueError:
            pass
    if env is not None:
        values += list(_walk(env, env.raw, ""))
    return values


def _walk(env: Environment, node: Any, where: str) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{where}.{key}" if where else str(key)
            if isinstance(value, str) and _SECRET_KEY.search(str(key)):
                try:
                    yield str(env.resolve(value, child))
                except Exception:  # noqa: BLE001 - an unresolvable placeholder holds no secret we know
                    continue
            else:
                yield from _walk(env, value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(env, item, f"{where}[{index}]")
