"""JUnit XML is well-formed and counts what happened; the HTML report escapes and masks."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from harness.contract.loader import ScenarioError
from harness.contract.masking import Masker
from harness.contract.reports import summary_table, write_html, write_junit
from harness.contract.results import (ERROR, FAILED, SKIPPED, Check, MplRecord, RequestRecord, ScenarioResult,
                                      StepRecord, SuiteResult)
from generator.errors import Problem

from runner_fakes import scenario

SECRET = "s3cr3t-value-123"


def _suite(tmp_path: Path) -> SuiteResult:
    base = "name: {}\nwhen:\n  - wait: idle\n"
    ok = ScenarioResult(scenario(tmp_path, base.format("passes <b>"), "a.yaml"), seconds=0.5)
    ok.steps.append(StepRecord("when", "wait until idle", True, 0.1, "idle"))
    failed = ScenarioResult(scenario(tmp_path, base.format("fails"), "b.yaml"), FAILED, seconds=1.25)
    failed.checks.append(Check(False, "requests", "requests to bwp POST /graphql", "exactly 1", "0",
                               context=f"bwp: POST /graphql -> 401\n  body: client_secret={SECRET}\x00\x07"))
    failed.mpls.append(MplRecord("G1", "Flow_A", "FAILED", "C", None, None, f"token {SECRET} <script>alert(1)</script>",
                                 [{"StepId": "Call", "Status": "FAILED", "Detail": "statusCode: 401"}]))
    failed.requests.append(RequestRecord("bwp", 1, "POST", "/graphql", "", 401, {"Authorization": "********"},
                                         '{"query": "mutation"}'))
    error = ScenarioResult(scenario(tmp_path, base.format("errs"), "c.yaml"), ERROR, "TargetError: no mock bwp")
    skipped = ScenarioResult(scenario(tmp_path, base.format("skips"), "d.yaml"), SKIPPED, "timer is emulator-only")
    suite = SuiteResult("local", "emulator", datetime(2026, 1, 1, tzinfo=timezone.utc), 3.0,
                        [ok, failed, error, skipped])
    suite.invalid.append(ScenarioError([Problem("bad.yaml", 3, "when[0]", "unknown key(s) 'x'")]))
    return suite


def test_junit_xml_is_well_formed_and_counts_each_outcome(tmp_path: Path):
    path = write_junit(_suite(tmp_path), tmp_path / "out" / "junit.xml", Masker([SECRET]))
    root = etree.parse(str(path)).getroot()                  # well-formed (control characters removed)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("5", "1", "2", "1")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"passes <b>", "fails", "errs", "skips", "bad.yaml"}
    assert cases["passes <b>"].get("classname") == "contract.module" and cases["passes <b>"].get("time") == "0.500"
    failure = cases["fails"].find("failure")
    assert failure.get("message") == "1 check(s) failed: requests to bwp POST /graphql"
    assert "expected: exactly 1" in failure.text and SECRET not in etree.tostring(root, encoding="unicode")
    assert "client_secret=********" in failure.text
    assert cases["errs"].find("error").get("message") == "TargetError: no mock bwp"
    assert cases["skips"].find("skipped").get("message") == "timer is emulator-only"
    assert "bad.yaml:3: when[0]: unknown key(s) 'x'" in cases["bad.yaml"].find("error").text
    assert "MPL Flow_A FAILED G1" in cases["fails"].find("system-out").text


def test_html_report_shows_steps_mpls_and_calls_escaped_and_masked(tmp_path: Path):
    html = write_html(_suite(tmp_path), tmp_path / "report.html", Masker([SECRET])).read_text()
    assert SECRET not in html and "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "passes &lt;b&gt;" in html and "Message processing logs" in html and "statusCode: 401" in html
    assert "bwp: POST /graphql -&gt; 401" in html and "Invalid scenario files" in html
    assert "1 passed, 2 failed, 1 skipped, 1 invalid scenario file(s)" in html


def test_the_console_table_lists_module_scenario_result_and_time(tmp_path: Path):
    table = summary_table(_suite(tmp_path))
    assert [c.header for c in table.columns] == ["module", "scenario", "result", "time"]
    assert table.row_count == 4 and "1 passed, 2 failed, 1 skipped" in str(table.title)


def test_masker_hides_secrets_credential_headers_and_fields():
    mask = Masker([SECRET, "abc"])                                    # too short to be masked safely
    text = (f'pw {SECRET} {{"access_token": "eyJhbGciOi.x", "client_secret": "x\\"y"}} '
            "refresh_token=Atzr|abc&x=1 Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi abc")
    masked = mask(text)
    assert SECRET not in masked and "eyJhbGciOi" not in masked and 'x\\"y' not in masked
    assert "refresh_token=********&x=1" in masked and "Bearer ********" in masked and masked.endswith("abc")
    assert mask.headers({"Authorization": "Basic dXNlcjpwYXNz", "X-CSRF-Token": "t", "Accept": SECRET}) == {
        "Authorization": "********", "X-CSRF-Token": "********", "Accept": "********"}
