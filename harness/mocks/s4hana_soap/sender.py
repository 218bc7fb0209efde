"""Send an outbound SOAP message to the configured receiver (a Cloud Integration SOAP sender)."""

from __future__ import annotations

from typing import Any

import requests


def send(endpoint: str, envelope: bytes, credentials: dict[str, Any], timeout: float,
         soap_version: str = "1.1") -> tuple[int, str]:
    """POST the envelope; return the HTTP status and the answer's text (raises requests errors)."""
    headers = {"Content-Type": "application/soap+xml; charset=utf-8" if soap_version == "1.2" else "text/xml; charset=utf-8"}
    if soap_version == "1.1":
        headers["SOAPAction"] = '""'
    auth = None
    if credentials.get("bearer"):
        headers["Authorization"] = f"Bearer {credentials['bearer']}"
    elif credentials.get("user"):
        auth = (str(credentials["user"]), str(credentials.get("password", "")))
    response = requests.post(endpoint, data=envelope, headers=headers, auth=auth, timeout=timeout)
    return response.status_code, response.text[:4000]
