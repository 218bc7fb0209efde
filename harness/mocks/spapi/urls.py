"""SP-API routes: one per operation of the mock's contracts, plus presigned document downloads."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from werkzeug.routing import Rule

from harness.mocks.spapi.contract import operations

if TYPE_CHECKING:
    from harness.mocks.spapi.responses import SpApiService

#: Where presigned report-document URLs point (S3 in production; no SP-API token needed).
DOCUMENTS = "/__documents__/<document_id>"


def rules(service: "SpApiService") -> list[Rule]:
    """A rule per contract operation (werkzeug matches static paths before ``<id>`` paths)."""
    table = [Rule(op.rule, endpoint=partial(service.handle, operation=op), methods=[op.method])
             for op in operations()]
    table.append(Rule(DOCUMENTS, endpoint=service.download, methods=["GET"]))
    return table
