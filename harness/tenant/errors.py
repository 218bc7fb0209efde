"""Errors the tenant client raises. The tenant's own text is always carried verbatim."""

from __future__ import annotations


class TenantError(Exception):
    """A call to the tenant failed.

    ``text`` is what the tenant said (the OData ``error.message.value``, or the raw body), never
    reworded; ``str(error)`` prefixes it with the call and the HTTP status.
    """

    def __init__(self, text: str, *, status: int | None = None, method: str | None = None,
                 url: str | None = None) -> None:
        self.text = text
        self.status = status
        self.method = method
        self.url = url
        where = f"{method} {url}: " if method and url else ""
        code = f"HTTP {status}: " if status is not None else ""
        super().__init__(f"{where}{code}{text}")


class NotFound(TenantError):
    """The entity does not exist (404, or the newer non-404 'Requested entity could not be found')."""


class AuthError(TenantError):
    """The token endpoint or the API refused the credentials."""


class ArtifactError(ValueError):
    """A local artifact (a zip about to be uploaded) is malformed; names the file and what is wrong."""


class DeployFailed(TenantError):
    """An artifact did not reach STARTED with the expected version; ``text`` holds the tenant's reason."""

    def __init__(self, artifact_id: str, text: str, *, status: str | None = None) -> None:
        self.artifact_id = artifact_id
        self.runtime_status = status
        super().__init__(text)
        self.args = (f"{artifact_id}: {text}",)

    def __str__(self) -> str:
        return f"{self.artifact_id}: {self.text}"
