"""Records that make promotion safe: contract-test runs, deployed zip bytes, promotions.

* ``record_test_run(env, {id: (version, sha256)}, passed)`` is what the contract-suite runner
  calls after a run. Runs land in ``.s4amz/runs/<env>/`` and, when asked, are appended to a JSON
  Lines file the user commits (so a promotion can be decided on another machine).
* Every zip the deploy uploads is kept by content hash in ``.s4amz/blobs/``, so promotion sends
  the **identical bytes** that were tested even after ``dist/`` was rebuilt.
* A promotion writes a record of what was promoted (when, which hashes, results).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from harness.paths import state_dir


@dataclass(frozen=True)
class TestRun:
    """One contract-suite run on one environment."""

    id: str
    env: str
    when: datetime
    passed: bool
    artifacts: dict[str, tuple[str, str]]
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "env": self.env, "when": self.when.isoformat(), "passed": self.passed,
                "artifacts": {k: {"version": v, "sha256": h} for k, (v, h) in sorted(self.artifacts.items())},
                "details": self.details}

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str) -> "TestRun":
        """Parse; raise ValueError naming ``source``."""
        try:
            artifacts = {k: (str(v["version"]), str(v["sha256"])) for k, v in data["artifacts"].items()}
            return cls(id=str(data["id"]), env=str(data["env"]), when=datetime.fromisoformat(data["when"]),
                       passed=bool(data["passed"]), artifacts=artifacts, details=data.get("details") or {})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{source}: not a test run record ({exc})") from exc


@dataclass(frozen=True)
class Verdict:
    """May this exact artifact be promoted from this environment?"""

    ok: bool
    reason: str
    run: TestRun | None = None


def runs_dir(env: str) -> Path:
    """Where runs of ``env`` are kept."""
    return state_dir() / "runs" / env


def record_test_run(env: str, artifacts: dict[str, tuple[str, str]], passed: bool, *,
                    details: dict[str, Any] | None = None, record_file: Path | None = None,
                    when: datetime | None = None) -> Path:
    """Record a contract-suite run: which artifacts (version, sha256 of the zip) and the verdict."""
    run = TestRun(id=uuid.uuid4().hex[:12], env=env, when=when or datetime.now(timezone.utc),
                  passed=passed, artifacts=dict(artifacts), details=dict(details or {}))
    folder = runs_dir(env)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run.when.strftime('%Y%m%dT%H%M%S%fZ')}-{run.id}.json"
    path.write_text(json.dumps(run.to_json(), indent=2), encoding="utf-8")
    if record_file is not None:
        record_file.parent.mkdir(parents=True, exist_ok=True)
        with record_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(run.to_json(), sort_keys=True) + "\n")
    return path


def load_runs(env: str, record_files: Iterable[Path] = ()) -> list[TestRun]:
    """Every recorded run of ``env`` (state folder and the given JSON Lines files), oldest first."""
    runs: dict[str, TestRun] = {}
    folder = runs_dir(env)
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            run = TestRun.from_json(json.loads(path.read_text(encoding="utf-8")), str(path))
            runs[run.id] = run
    for record_file in record_files:
        if not record_file.is_file():
            raise ValueError(f"{record_file}: no such run record file")
        for number, line in enumerate(record_file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                run = TestRun.from_json(json.loads(line), f"{record_file}:{number}")
                if run.env == env:
                    runs[run.id] = run
    return sorted(runs.values(), key=lambda r: r.when)


def verdict(runs: list[TestRun], env: str, artifact_id: str, version: str, sha256: str) -> Verdict:
    """The latest run on ``env`` that covered this exact (id, version, sha256) must have passed."""
    matching = [r for r in runs if r.artifacts.get(artifact_id) == (version, sha256)]
    if not matching:
        tested = [r for r in runs if artifact_id in r.artifacts]
        if tested:
            last = tested[-1]
            v, h = last.artifacts[artifact_id]
            return Verdict(False, f"{artifact_id} {version} (sha256 {sha256[:12]}) was never contract-tested on "
                                  f"{env}; the last run there ({last.when:%Y-%m-%d %H:%M} UTC, "
                                  f"{'passed' if last.passed else 'FAILED'}) tested {v} (sha256 {h[:12]})")
        return Verdict(False, f"{artifact_id} was never contract-tested on {env}")
    last = matching[-1]
    if not last.passed:
        return Verdict(False, f"{artifact_id} {version} (sha256 {sha256[:12]}) FAILED the contract suite on "
                              f"{env} at {last.when:%Y-%m-%d %H:%M} UTC (run {last.id})", last)
    return Verdict(True, f"passed on {env} at {last.when:%Y-%m-%d %H:%M} UTC (run {last.id})", last)


def store_blob(content: bytes) -> str:
    """Keep zip bytes by their sha256 (idempotent); return the hash."""
    digest = hashlib.sha256(content).hexdigest()
    folder = state_dir() / "blobs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.zip"
    if not path.is_file():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    return digest


def load_blob(digest: str) -> bytes | None:
    """The bytes stored under ``digest``, verified; None when absent."""
    path = state_dir() / "blobs" / f"{digest}.zip"
    if not path.is_file():
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == digest else None


def write_promotion_record(source: str, target: str, artifacts: dict[str, dict[str, Any]], ok: bool,
                           record_file: Path | None = None) -> Path:
    """Write what a promotion did; also append it to ``record_file`` when given."""
    when = datetime.now(timezone.utc)
    record = {"when": when.isoformat(), "from": source, "to": target, "ok": ok,
              "by": _user(), "artifacts": artifacts}
    folder = state_dir() / "promotions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{when.strftime('%Y%m%dT%H%M%S%fZ')}-{source}-to-{target}.json"
    path.write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
    if record_file is not None:
        record_file.parent.mkdir(parents=True, exist_ok=True)
        with record_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")
    return path


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
