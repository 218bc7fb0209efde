"""Test-run records, verdicts and content-addressed blobs."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from harness.tenant import records

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


def test_a_passed_run_allows_exactly_that_hash_and_version(state):
    records.record_test_run("test", {"A": ("1.0.0", "aa" * 32)}, True, when=T0)
    runs = records.load_runs("test")
    assert records.verdict(runs, "test", "A", "1.0.0", "aa" * 32).ok
    other = records.verdict(runs, "test", "A", "1.0.0", "bb" * 32)
    assert not other.ok and "never contract-tested on test" in other.reason and "aaaaaaaaaaaa" in other.reason
    assert not records.verdict(runs, "test", "A", "1.0.1", "aa" * 32).ok
    assert records.verdict(runs, "test", "B", "1.0.0", "aa" * 32).reason == "B was never contract-tested on test"


def test_a_later_failure_of_the_same_hash_wins(state):
    records.record_test_run("test", {"A": ("1.0.0", "aa" * 32)}, True, when=T0)
    records.record_test_run("test", {"A": ("1.0.0", "aa" * 32)}, False, when=T0 + timedelta(hours=1))
    verdict = records.verdict(records.load_runs("test"), "test", "A", "1.0.0", "aa" * 32)
    assert not verdict.ok and "FAILED the contract suite on test at 2026-03-01 11:00" in verdict.reason


def test_runs_of_other_environments_do_not_count(state):
    records.record_test_run("local", {"A": ("1.0.0", "aa" * 32)}, True)
    assert not records.verdict(records.load_runs("test"), "test", "A", "1.0.0", "aa" * 32).ok


def test_committed_record_file_is_read_and_appended(state, tmp_path):
    committed = tmp_path / "ci" / "test-runs.jsonl"
    records.record_test_run("test", {"A": ("1.0.0", "cc" * 32)}, True, record_file=committed, when=T0)
    line = json.loads(committed.read_text().splitlines()[0])
    assert line["artifacts"] == {"A": {"version": "1.0.0", "sha256": "cc" * 32}} and line["passed"] is True
    for path in (state / "runs" / "test").glob("*.json"):
        path.unlink()                      # another machine: only the committed file is there
    assert records.verdict(records.load_runs("test", [committed]), "test", "A", "1.0.0", "cc" * 32).ok
    with pytest.raises(ValueError, match="no such run record file"):
        records.load_runs("test", [tmp_path / "missing.jsonl"])
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1: not a test run record"):
        records.load_runs("test", [tmp_path / "bad.jsonl"])


def test_blobs_are_content_addressed_and_verified(state):
    digest = records.store_blob(b"zip bytes")
    assert digest == hashlib.sha256(b"zip bytes").hexdigest()
    assert records.load_blob(digest) == b"zip bytes"
    (state / "blobs" / f"{digest}.zip").write_bytes(b"tampered")
    assert records.load_blob(digest) is None
    assert records.load_blob("0" * 64) is None


def test_promotion_record(state, tmp_path):
    path = records.write_promotion_record("test", "prod", {"A": {"version": "1.0.0", "sha256": "aa"}}, True,
                                          tmp_path / "promotions.jsonl")
    data = json.loads(path.read_text())
    assert data["from"] == "test" and data["to"] == "prod" and data["ok"] and data["artifacts"]["A"]["sha256"] == "aa"
    assert json.loads((tmp_path / "promotions.jsonl").read_text())["to"] == "prod"
