"""Client for the SAP Cloud Integration OData API (a real tenant or the local emulator).

One small client per resource over one shared :class:`~harness.tenant.http.TenantSession`;
:class:`~harness.tenant.client.TenantClient` bundles them. Pure planning lives in
:mod:`harness.tenant.plan`; :mod:`harness.tenant.rollout` and :mod:`harness.tenant.promotion`
orchestrate deploys and promotions; :mod:`harness.tenant.records` keeps test-run records.
"""

from harness.tenant.client import TenantClient
from harness.tenant.errors import ArtifactError, AuthError, DeployFailed, NotFound, TenantError

__all__ = ["ArtifactError", "AuthError", "DeployFailed", "NotFound", "TenantClient", "TenantError"]
