"""The emulator's $filter compiler and OData path parsing."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from harness.emulator.api.filters import FilterError, compile_filter, parse_literal
from harness.emulator.api.odata import ODataError, split_path

ROW = {"Status": "FAILED", "CorrelationId": "c-1", "LogStart": datetime(2026, 2, 1, 8, 30, tzinfo=timezone.utc),
       "IntegrationArtifact": {"Id": "Flow_A"}, "Count": 3, "Name": "O'Brien"}


@pytest.mark.parametrize("expression, expected", [
    ("Status eq 'FAILED'", True),
    ("Status ne 'DISCARDED'", True),
    ("IntegrationArtifact/Id eq 'Flow_A' and Status eq 'FAILED'", True),
    ("IntegrationArtifact/Id eq 'Flow_B' or CorrelationId eq 'c-1'", True),
    ("not (Status eq 'FAILED')", False),
    ("LogStart gt datetime'2026-02-01T08:00:00'", True),
    ("LogStart lt datetime'2026-02-01T08:00'", False),
    ("Count ge 3 and Count lt 4", True),
    ("Name eq 'O''Brien'", True),
    ("substringof('c-', CorrelationId)", True),
    ("startswith(IntegrationArtifact/Id, 'Flow')", True),
    ("Missing eq null", True),
    ("Missing gt 1", False),
])
def test_expressions(expression, expected):
    assert compile_filter(expression)(ROW) is expected


@pytest.mark.parametrize("expression, message", [
    ("Status eq", "unexpected end of expression"),
    ("Status eq 'x' garbage", "unexpected 'garbage'"),
    ("LogStart gt datetime'2026-02-01T08:00:00Z'", "does not accept a zone suffix"),
    ("tolower(Status) eq 'failed'", "unsupported function 'tolower'"),
    ("(Status eq 'x'", r"missing '\)'"),
    ("Status eq #", "unexpected character"),
])
def test_errors_name_the_problem(expression, message):
    with pytest.raises(FilterError, match=message):
        compile_filter(expression)(ROW)


def test_literals():
    assert parse_literal("'it''s'") == "it's"
    assert parse_literal("true") is True and parse_literal("42") == 42 and parse_literal("null") is None
    assert parse_literal("datetime'2026-01-01T00:00:00'").tzinfo is not None


def test_paths_keep_slashes_inside_quoted_keys():
    segments = split_path("ValueMappingDesigntimeArtifacts(Id='VM',Version='active')/ValMapSchema(SrcAgency='SAP',"
                          "SrcId='a%2Fb',TgtAgency='AMZ',TgtId='c')/ValMaps")
    assert [s.shape for s in segments] == ["ValueMappingDesigntimeArtifacts()", "ValMapSchema()", "ValMaps"]
    assert segments[1].keys["SrcId"] == "a/b"
    assert split_path("IntegrationPackages('a/b')/IntegrationDesigntimeArtifacts")[0].keys == "a/b"
    with pytest.raises(ODataError):
        split_path("X(A='1',B)")
