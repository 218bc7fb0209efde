"""OData V2 receiver: a function import takes its parameters in Query Options (as SAP's delivery flows
call PostGoodsIssue with ``DeliveryDocument='...'``); writes still refuse query options."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.build import build_all
from generator.errors import SpecError

PACKAGE = """\
package: {id: FI_Specs, name: Function import specs, version: 1.0.0, vendor: tests}
modified: "2026-01-01T00:00:00Z"
"""
MODULE = """\
module: deliveries
receivers:
  S4HANA:
    odata: {address: "{{S4 Root}}", resource: A_OutbDeliveryHeader, auth: Basic, credential: S4}
flows:
  - id: Goods_Issue
    name: Goods issue
    parameters:
      S4 Root: https://s4.example/sap/opu/odata/sap/API_OUTBOUND_DELIVERY_SRV;v=0002
    sender:
      processdirect: {address: /gi}
    steps:
      - call: Post goods issue
        to: S4HANA
        odata:
          resource: PostGoodsIssue
          operation: OPERATION
          query: "DeliveryDocument='${property.DeliveryDocument}'"
"""


def _build(tmp_path: Path, operation: str):
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "package.yaml").write_text(PACKAGE)
    (tmp_path / "mappings" / "deliveries.yaml").write_text(textwrap.dedent(MODULE).replace("OPERATION", operation))
    return build_all(tmp_path)


def test_function_import_writes_its_parameters_to_query_options(tmp_path: Path) -> None:
    result = _build(tmp_path, "FunctionImport")
    iflw = next(p for a in result.artifacts for p in a.folder.rglob("*.iflw")).read_text(encoding="utf-8")
    assert "<key>operation</key>\n                    <value>FunctionImport</value>" in iflw
    assert "<key>queryOptions</key>\n                    <value>DeliveryDocument='${property.DeliveryDocument}'</value>" in iflw


def test_query_options_on_a_create_are_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        _build(tmp_path, "Create(POST)")
    assert "query options apply to Query(GET), Read(GET), FunctionImport, not Create(POST)" in str(info.value)
