"""Run contract scenarios against a target and judge them (``s4amz test``).

Per scenario: skip it when the target cannot run it (``runs_on``, emulator-only steps on a
tenant); reset the mocks (unless ``reset: false``); run ``given``; note where each mock's journal
stands; run ``when``; let the system settle (locally: until the emulator is idle; on a tenant the
checks are retried until they hold or the scenario's time is up); check ``then``; put back any
parameter the scenario changed. Evidence (the scenario's MPLs with their step trace, the calls
each mock received) is kept for the reports, masked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import requests

from harness.contract import assertions, matchers
from harness.contract.model import Scenario, Step
from harness.contract.results import (ERROR, FAILED, PASSED, SKIPPED, Check, MplRecord, RequestRecord, ScenarioResult,
                                      StepRecord, SuiteResult)
from harness.contract.targets import NotOnThisTarget, Target, TargetError
from harness.tenant.errors import TenantError

BODY_LIMIT = 4000
TENANT_RECHECK_S = 3.0


class StepFailed(Exception):
    """A step's own expectation failed (e.g. ``expect_status``); the scenario stops there."""

    def __init__(self, check: Check) -> None:
        super().__init__(check.text())
        self.check = check


@dataclass
class Selection:
    """Which scenarios to run."""

    tags: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tags or self.modules or self.paths)

    def accepts(self, scenario: Scenario) -> bool:
        if self.tags and not set(self.tags) & set(scenario.tags):
            return False
        return not (self.modules and scenario.module not in self.modules)

    def describe(self) -> str:
        parts = [f"tag {t}" for t in self.tags] + [f"module {m}" for m in self.modules] + [str(p) for p in self.paths]
        return ", ".join(parts)


class ScenarioRun:
    """One scenario on one target."""

    def __init__(self, target: Target, scenario: Scenario, clock: Callable[[], float] = time.monotonic) -> None:
        self.target = target
        self.scenario = scenario
        self.clock = clock
        self.result = ScenarioResult(scenario)
        self.started_at = datetime.now(timezone.utc)
        self.deadline = clock() + scenario.timeout_s
        self.known_mpls: set[str] = set()
        self.journal_marks: dict[str, int] = {}
        self.restore: dict[str, dict[str, str]] = {}
        self.dead_before: set[int] = set()
        self.depth_before: dict[str, int] = {}
        self.queue_before: dict[str, set[int]] = {}

    # --- the run ---------------------------------------------------------------------------------
    def run(self) -> ScenarioResult:
        began = self.clock()
        skip = self._skip_reason()
        if skip:
            self.result.outcome, self.result.reason = SKIPPED, skip
            return self.result
        try:
            self._prepare()
            for step in self.scenario.given:
                self._step("given", step)
            self.journal_marks = {mock: self.target.mock_seq(mock) for mock in self.target.mocks}
            for step in self.scenario.when:
                self._step("when", step)
            self._settle()
            self._judge()
        except StepFailed as failed:
            self.result.checks.append(failed.check)
            self.result.outcome = FAILED
        except NotOnThisTarget as exc:
            self.result.outcome, self.result.reason = SKIPPED, str(exc)
        except (TargetError, TenantError, requests.RequestException, OSError, TimeoutError) as exc:
            self.result.outcome, self.result.reason = ERROR, f"{type(exc).__name__}: {self.target.masker(str(exc))}"
        except Exception as exc:  # noqa: BLE001 - a runner bug fails this scenario, not the whole suite
            import traceback

            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.result.outcome = ERROR
            self.result.reason = (f"internal error of the runner: {type(exc).__name__}: {self.target.masker(str(exc))} "
                                  f"({Path(where.filename).name}:{where.lineno})")
        finally:
            self._put_back_parameters()
            self._collect_evidence(with_traces=True)
            self.result.seconds = self.clock() - began
        return self.result

    def _skip_reason(self) -> str | None:
        kind = self.target.kind
        if kind not in self.scenario.runs_on:
            return f"runs_on: {self.scenario.runs_on} (this target is the {kind})"
        if kind == "tenant":
            return self.scenario.emulator_only_reason
        return None

    def _prepare(self) -> None:
        self.known_mpls = {log.guid for log in self.target.mpls(self.started_at)}
        if self.scenario.reset:
            self.target.reset_mocks()
        if self.scenario.then.queues:
            self.dead_before = {int(d["id"]) for d in self.target.dead_letters()}
            self.depth_before = {q["name"]: int(q.get("queued", 0)) for q in self.target.queues()}
        for queue in self._replayed_queues():
            # a queue replay takes only what this scenario put there (earlier scenarios may have left some)
            self.queue_before[queue] = {int(m["id"]) for m in self.target.queue_messages(queue)["messages"]}

    def _replayed_queues(self) -> list[str]:
        specs = [s.raw["replay"] for s in (*self.scenario.given, *self.scenario.when) if s.kind == "replay"]
        return [s["queue"] for s in specs if isinstance(s, dict) and s.get("queue") and not s.get("flow")]

    def remaining(self) -> float:
        left = self.deadline - self.clock()
        if left <= 0:
            raise TimeoutError(f"the scenario's timeout_s ({self.scenario.timeout_s:g} s) is used up")
        return left

    # --- steps -----------------------------------------------------------------------------------
    def _step(self, phase: str, step: Step) -> None:
        began = self.clock()
        record = StepRecord(phase, step.label, True, 0.0, where=step.where)
        self.result.steps.append(record)
        try:
            record.detail = self.target.masker(getattr(self, f"_do_{step.kind}")(step) or "")
        except StepFailed as failed:
            record.ok, record.detail = False, self.target.masker(failed.check.actual)
            raise
        except Exception as exc:
            record.ok, record.detail = False, self.target.masker(f"{type(exc).__name__}: {exc}")
            raise
        finally:
            record.seconds = self.clock() - began

    def _do_mock(self, step: Step) -> str:
        raw, notes = step.raw, []
        if raw.get("faults"):
            import json

            response = self.target.mock_call(raw["mock"], "POST", "/__mock__/faults",
                                             body=json.dumps(raw["faults"]).encode(), content_type="application/json")
            if response.status_code != 200:
                raise TargetError(f"{raw['mock']}: the fault rules were refused ({response.status_code}): "
                                  f"{response.text[:300]}")
            notes.append(f"{len(raw['faults'])} fault rule(s) active")
        if raw.get("call"):
            method, _, path = str(raw["call"]).partition(" ")
            body, content_type = step.payload.content() if step.payload else (None, None)
            response = self.target.mock_call(raw["mock"], method, path, body=body, content_type=content_type,
                                             headers={k: str(v) for k, v in (raw.get("headers") or {}).items()})
            self._expect_status(step, response, raw.get("expect_status"))
            notes.append(f"{raw['call']} -> {response.status_code} {_preview(response.text)}")
        return "; ".join(notes)

    def _do_flow(self, step: Step) -> str:
        raw = step.raw
        endpoint = self.target.endpoint(raw["flow"])
        body, implied = step.payload.content() if step.payload else (b"", None)
        response = self.target.call_flow(
            endpoint, method=str(raw.get("method") or "POST"), path=str(raw.get("path") or ""),
            query={k: str(v) for k, v in (raw.get("query") or {}).items()},
            headers={k: str(v) for k, v in (raw.get("headers") or {}).items()}, body=body,
            content_type=raw.get("content_type") or implied, auth=str(raw.get("auth") or "sender"))
        self._expect_status(step, response, raw.get("expect_status"))
        for expression, matcher in (raw.get("expect_body") or {}).items():
            outcome = matchers.evaluate(matchers.parse_body(response.content, response.headers.get("Content-Type", "")),
                                        expression, matcher)
            if not outcome.ok:
                raise StepFailed(Check(False, "step", f"{step.label}: reply body {expression}", outcome.expected,
                                       self.target.masker(outcome.actual), step.where,
                                       f"reply {response.status_code}: {_preview(self.target.masker(response.text), 600)}"))
        mpl = response.headers.get("X-S4AMZ-MPL-ID") or ""
        return f"{endpoint.kind} {endpoint.url} -> {response.status_code}" + (f" (MPL {mpl})" if mpl else "") + (
            f" {_preview(response.text)}" if response.text else "")

    def _expect_status(self, step: Step, response: requests.Response, expected: Any) -> None:
        allowed = [expected] if isinstance(expected, int) else list(expected or [])
        ok = response.status_code in allowed if allowed else response.status_code < 300
        if not ok:
            raise StepFailed(Check(False, "step", f"{step.label}: HTTP status",
                                   " or ".join(map(str, allowed)) if allowed else "a 2xx status",
                                   str(response.status_code), step.where,
                                   f"reply: {_preview(self.target.masker(response.text), 800)}"))

    def _do_timer(self, step: Step) -> str:
        fired = self.target.fire_timer(step.raw["timer"])
        return f"MPL {fired.get('mpl_id')} {fired.get('status')}"

    def _do_wait(self, step: Step) -> str:
        timeout = min(float(step.raw.get("timeout_s") or self.remaining()), self.remaining())
        return self.target.wait_idle(timeout, self.started_at, self.known_mpls)

    def _do_sleep_s(self, step: Step) -> str:
        seconds = min(float(step.raw["sleep_s"]), self.remaining())
        time.sleep(seconds)
        return f"slept {seconds:g} s"

    def _do_parameters(self, step: Step) -> str:
        values = {a: {k: _text(v) for k, v in params.items()} for a, params in step.raw["parameters"].items()}
        deadline = time.monotonic() + self.remaining()
        previous = self.target.set_parameters(values, deadline)
        for artifact_id, old in previous.items():
            kept = self.restore.setdefault(artifact_id, {})
            for key, value in old.items():
                kept.setdefault(key, value)          # the value before the scenario wins
        return "redeployed " + ", ".join(values)

    def _do_replay(self, step: Step) -> str:
        spec = step.raw["replay"]
        if isinstance(spec, str):
            return f"{self.target.replay(spec, None)} dead letter(s) requeued"
        flow, queue, to = spec.get("flow"), spec.get("queue"), spec.get("to")
        if queue and not flow:
            before = self.queue_before.get(queue, set())
            ids = [int(m["id"]) for m in self.target.queue_messages(queue)["messages"]
                   if m.get("waiting") and int(m["id"]) not in before]
            moved = self.target.move(queue, to, ids) if ids else []
            where = ", ".join(sorted({m["to"] for m in moved})) or to or "-"
            return f"{len(moved)} message(s) of {queue} moved to {where}"
        return f"{self.target.replay(flow, queue)} dead letter(s) requeued"

    # --- settle and judge ----------------------------------------------------------------------------
    def _settle(self) -> None:
        if self.target.kind != "emulator":
            return
        began = self.clock()
        record = StepRecord("settle", "wait until idle (implicit)", True, 0.0)
        self.result.steps.append(record)
        try:
            record.detail = self.target.wait_idle(self.remaining(), self.started_at, self.known_mpls)
        except Exception as exc:
            record.ok, record.detail = False, str(exc)
            raise
        finally:
            record.seconds = self.clock() - began

    def _judge(self) -> None:
        while True:
            checks = self._evaluate()
            if all(c.ok for c in checks) or self.target.kind == "emulator" or self.deadline - self.clock() < TENANT_RECHECK_S:
                break
            time.sleep(TENANT_RECHECK_S)            # a tenant has no idle signal: look again
        self.result.checks += checks
        self.result.outcome = PASSED if all(c.ok for c in self.result.checks) else FAILED

    def _evaluate(self) -> list[Check]:
        then = self.scenario.then
        mask = self.target.masker
        self._collect_evidence(with_traces=False)
        checks = assertions.check_mpls(then.mpls, self.result.mpls)
        if then.requests:
            by_mock = {mock: self.target.mock_requests(mock, self.journal_marks.get(mock, 0))
                       for mock in {r.mock for r in then.requests}}
            checks += assertions.check_requests(then.requests, by_mock, mask)
        checks += assertions.check_state(then.state, self.target.mock_state, mask)
        if then.queues:
            dead_after = self.target.dead_letters()
            depth_after = {q["name"]: int(q.get("queued", 0)) for q in self.target.queues()}
            checks += assertions.check_queues(then.queues, self.dead_before, dead_after, self.depth_before, depth_after)
        return checks

    # --- evidence ---------------------------------------------------------------------------------
    def _collect_evidence(self, with_traces: bool) -> None:
        mask = self.target.masker
        try:
            logs = self.target.mpls(self.started_at, self.known_mpls)
        except (TenantError, requests.RequestException) as exc:
            self.result.reason = self.result.reason or f"message processing logs unavailable: {exc}"
            return
        known = {m.guid: m for m in self.result.mpls}
        records = []
        for log in sorted(logs, key=lambda entry: entry.log_start or self.started_at):
            old = known.get(log.guid)
            record = MplRecord(log.guid, log.artifact_id, log.status, log.correlation_id, log.log_start, log.log_end)
            if log.status in ("FAILED", "RETRY", "ESCALATED", "CANCELLED"):
                record.error = old.error if old and old.status == log.status and old.error else \
                    mask(self.target.mpl_error(log.guid))
            if with_traces:
                record.steps = [{k: mask(v) if isinstance(v, str) else v for k, v in s.items() if not k.startswith("__")}
                                for s in self.target.mpl_steps(log.guid)]
            records.append(record)
        self.result.mpls = records
        if with_traces:
            self.result.requests = []
            for mock in sorted(self.target.mocks):
                if mock not in self.journal_marks:
                    continue
                try:
                    entries = self.target.mock_requests(mock, self.journal_marks[mock])
                except (TargetError, requests.RequestException):
                    continue
                for entry in entries:
                    body = mask(assertions.request_body(entry).decode("utf-8", "replace"))
                    self.result.requests.append(RequestRecord(
                        mock, int(entry.get("seq", 0)), str(entry.get("method")), str(entry.get("path")),
                        str(entry.get("query_string") or ""), entry.get("status"),
                        self.target.masker.headers(dict(entry.get("headers") or {})),
                        body[:BODY_LIMIT] + (f"... ({len(body)} characters)" if len(body) > BODY_LIMIT else ""),
                        entry.get("fault")))

    def _put_back_parameters(self) -> None:
        if not self.restore:
            return
        began = self.clock()
        record = StepRecord("restore", "parameters: values before the scenario", True, 0.0)
        self.result.steps.append(record)
        try:
            self.target.restore_parameters(self.restore, time.monotonic() + 120)
        except Exception as exc:  # noqa: BLE001 - the scenario's outcome stands; the failure is reported
            record.ok, record.detail = False, str(exc)
            if self.result.outcome == PASSED:
                self.result.outcome, self.result.reason = ERROR, f"restoring parameters failed: {exc}"
        finally:
            record.seconds = self.clock() - began


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _preview(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_scenarios(target: Target, scenarios: list[Scenario], *, selection: str = "",
                  on_result: Callable[[ScenarioResult], None] | None = None) -> SuiteResult:
    """Run scenarios one after another (they share the mocks); returns the suite result."""
    suite = SuiteResult(target.name, target.kind, datetime.now(timezone.utc), selection=selection)
    began = time.monotonic()
    for scenario in scenarios:
        result = ScenarioRun(target, scenario).run()
        suite.results.append(result)
        if on_result is not None:
            on_result(result)
    suite.seconds = time.monotonic() - began
    return suite
