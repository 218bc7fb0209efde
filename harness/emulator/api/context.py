"""What every API handler receives: the request, the caller, and the tenant's parts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from harness.emulator.api.odata import ODataError
from harness.emulator.runtime_port import FlowRuntime, Principal
from harness.emulator.store import Store

if TYPE_CHECKING:
    from harness.emulator.worker import DeployWorker


@dataclass
class Settings:
    """Tunables of the emulated tenant (``emulator:`` in the environment file)."""

    page_size: int = 1000
    error_info_delay: float = 0.0       # seconds ErrorInformation/$value answers 204 after ERROR
    max_upload_mb: float = 40.0
    keystore_aliases: list[str] = field(default_factory=lambda: ["sap_cloudintegrationcertificate"])
    tenant_name: str = "emulator"
    lint: str = "upload"                # "upload" (and again at deploy), "deploy" (only), "off"


@dataclass
class Ctx:
    """One API call."""

    request: Request
    principal: Principal
    store: Store
    worker: "DeployWorker"
    settings: Settings
    api_root: str                # e.g. http://127.0.0.1:5000/api/v1
    server_root: str             # e.g. http://127.0.0.1:5000
    runtime: FlowRuntime | None = None

    def body_json(self) -> dict[str, Any]:
        """The JSON body (a ``{"d": {...}}`` wrapper is accepted); 400 when not a JSON object."""
        raw = self.request.get_data(cache=True)
        if len(raw) > self.settings.max_upload_mb * 1024 * 1024:
            raise ODataError(413, f"request body exceeds {self.settings.max_upload_mb:g} MB")
        try:
            payload = json.loads(raw.decode("utf-8") or "null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ODataError(400, f"Wrong body format: not valid JSON ({exc})") from exc
        if isinstance(payload, dict) and isinstance(payload.get("d"), dict):
            payload = payload["d"]
        if not isinstance(payload, dict):
            raise ODataError(400, "Wrong body format: expected a JSON object")
        return payload

    def url(self, path: str) -> str:
        """An absolute API URL for a resource path."""
        return f"{self.api_root}/{path}"
