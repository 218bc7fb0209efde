"""The ``then`` block against what was observed: MPLs, mock requests, mock state, queues.

Pure functions over evidence (lists of dicts and records), so each assertion can be tested with
fabricated requests and logs. Every check that fails says what was expected, what was found, and
shows the request or MPL concerned.
"""

from __future__ import annotations

import base64
from typing import Any, Callable, Iterable

from harness.contract import matchers
from harness.contract.model import MplExpectation, QueueExpectation, RequestExpectation, StateExpectation
from harness.contract.results import Check, MplRecord

BODY_PREVIEW = 600


# --- message processing logs -------------------------------------------------------------------------
def check_mpls(expectations: Iterable[MplExpectation], mpls: list[MplRecord]) -> list[Check]:
    checks = []
    for exp in expectations:
        of_flow = [m for m in mpls if m.flow == exp.flow]
        matching = [m for m in of_flow if (exp.status is None or m.status == exp.status)
                    and (exp.error_contains is None or exp.error_contains in (m.error or ""))]
        what = f"MPLs of {exp.flow}" + (f" with status {exp.status}" if exp.status else "") + (
            f" whose error contains {exp.error_contains!r}" if exp.error_contains else "")
        context = ""
        if not exp.limit.holds(len(matching)):
            shown = of_flow[:8]
            context = "\n".join(_mpl_line(m) for m in shown) if shown else \
                "no MPL of this flow; MPLs of the run: " + (", ".join(sorted({f"{m.flow} {m.status}" for m in mpls})) or "none")
        checks.append(Check(exp.limit.holds(len(matching)), "mpls", what, str(exp.limit), str(len(matching)),
                            exp.where, context))
    return checks


def _mpl_line(mpl: MplRecord) -> str:
    error = f": {mpl.error[:300]}" if mpl.error else ""
    return f"MPL {mpl.guid} {mpl.flow} {mpl.status}{error}"


# --- requests ----------------------------------------------------------------------------------------
def request_body(entry: dict[str, Any]) -> bytes:
    """The body a journal entry holds (text, or base64 for binary)."""
    body = entry.get("body") or ""
    if entry.get("body_encoding") == "base64":
        return base64.b64decode(body)
    return body.encode("utf-8")


def _header(entry: dict[str, Any], name: str) -> str | None:
    for key, value in (entry.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def _query(entry: dict[str, Any]) -> dict[str, Any]:
    from urllib.parse import parse_qs

    parsed = parse_qs(entry.get("query_string") or "", keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def describe_request(entry: dict[str, Any], mock: str, mask: Callable[[str], str] = str) -> str:
    query = f"?{entry.get('query_string')}" if entry.get("query_string") else ""
    body = mask(request_body(entry).decode("utf-8", "replace"))
    if len(body) > BODY_PREVIEW:
        body = body[:BODY_PREVIEW] + f"... ({len(body)} characters)"
    return f"{mock}: {entry.get('method')} {entry.get('path')}{query} -> {entry.get('status')}" + (f"\n  body: {body}" if body else "")


def _document(entry: dict[str, Any]) -> Any:
    return matchers.parse_body(request_body(entry), _header(entry, "Content-Type") or "")


def select_requests(exp: RequestExpectation, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Requests matching method, path and ``where``."""
    chosen = []
    for entry in entries:
        if exp.method and str(entry.get("method", "")).upper() != exp.method.upper():
            continue
        path = str(entry.get("path", ""))
        if exp.path and path.rstrip("/") != exp.path.rstrip("/"):
            continue
        if exp.path_contains and exp.path_contains not in path:
            continue
        if exp.filters:
            document = _document(entry)
            if not all(matchers.evaluate(document, e, m).ok for e, m in exp.filters.items()):
                continue
        chosen.append(entry)
    return chosen


def check_requests(expectations: Iterable[RequestExpectation], requests: dict[str, list[dict[str, Any]]],
                   mask: Callable[[str], str] = str) -> list[Check]:
    checks = []
    for exp in expectations:
        entries = requests.get(exp.mock, [])
        chosen = select_requests(exp, entries)
        label = f"{exp.mock} {exp.method or 'any method'} {exp.path or (('*' + exp.path_contains + '*') if exp.path_contains else 'any path')}"
        if exp.filters:
            label += " where " + ", ".join(f"{e} {matchers.describe(m)}" for e, m in exp.filters.items())
        ok = exp.limit.holds(len(chosen))
        context = ""
        if not ok:
            received = [describe_request(e, exp.mock, mask).split("\n")[0] for e in entries[:15]]
            context = ("requests received by " + exp.mock + ":\n" + "\n".join(received)) if received else \
                f"{exp.mock} received no request"
        checks.append(Check(ok, "requests", f"requests to {label}", str(exp.limit), str(len(chosen)), exp.where, context))
        for entry in chosen:
            document = None
            for expression, matcher in exp.body.items():
                if document is None:
                    document = _document(entry)
                outcome = matchers.evaluate(document, expression, matcher)
                checks.append(_per_request(outcome, exp, f"{label}: body {expression}", entry, mask))
            for name, matcher in exp.headers.items():
                outcome = matchers.check_value(_header(entry, name), matcher)
                checks.append(_per_request(outcome, exp, f"{label}: header {name}", entry, mask))
            query = _query(entry) if exp.query else {}
            for name, matcher in exp.query.items():
                outcome = matchers.check_value(query.get(name), matcher)
                checks.append(_per_request(outcome, exp, f"{label}: query {name}", entry, mask))
            if exp.has_status:
                outcome = matchers.check_value(entry.get("status"), exp.status)
                checks.append(_per_request(outcome, exp, f"{label}: answered status", entry, mask))
    return _collapse(checks)


def _per_request(outcome: matchers.Outcome, exp: RequestExpectation, what: str, entry: dict[str, Any],
                 mask: Callable[[str], str]) -> Check:
    return Check(outcome.ok, "requests", what, outcome.expected, mask(outcome.actual), exp.where,
                 "" if outcome.ok else describe_request(entry, exp.mock, mask))


def _collapse(checks: list[Check]) -> list[Check]:
    """One check per assertion: the first failing request's, else one passing entry."""
    seen: dict[tuple[str, str], int] = {}
    out: list[Check] = []
    for check in checks:
        key = (str(check.where), check.what)
        if key not in seen:
            seen[key] = len(out)
            out.append(check)
        elif out[seen[key]].ok and not check.ok:
            out[seen[key]] = check
    return out


# --- mock state ---------------------------------------------------------------------------------------
def check_state(expectations: Iterable[StateExpectation], fetch: Callable[[str, str | None], Any],
                mask: Callable[[str], str] = str) -> list[Check]:
    checks = []
    for exp in expectations:
        try:
            document = fetch(exp.mock, exp.resource)
        except Exception as exc:  # noqa: BLE001 - an unreachable state is the check's failure, not a crash
            checks.append(Check(False, "state", f"state of {exp.mock}", "readable state", str(exc), exp.where))
            continue
        for expression, matcher in exp.assertions.items():
            outcome = matchers.evaluate(document, expression, matcher)
            label = f"{exp.mock} state" + (f" {exp.resource}" if exp.resource else "") + f": {expression}"
            checks.append(Check(outcome.ok, "state", label, outcome.expected, mask(outcome.actual), exp.where))
    return checks


# --- queues (emulator) --------------------------------------------------------------------------------
def check_queues(expectations: Iterable[QueueExpectation], dead_before: set[int], dead_after: list[dict[str, Any]],
                 depth_before: dict[str, int], depth_after: dict[str, int]) -> list[Check]:
    checks = []
    for exp in expectations:
        if exp.dead_letter:
            new = [d for d in dead_after if d.get("id") not in dead_before
                   and (exp.queue is None or d.get("queue") == exp.queue)
                   and (exp.flow is None or exp.flow in (d.get("consumer"), d.get("producer")))
                   and (exp.reason_contains is None or exp.reason_contains in str(d.get("reason") or ""))]
            what = "dead letters added" + (f" on {exp.queue}" if exp.queue else "") + (
                f" of {exp.flow}" if exp.flow else "") + (f" whose reason contains {exp.reason_contains!r}"
                                                          if exp.reason_contains else "")
            added = [d for d in dead_after if d.get("id") not in dead_before]
            context = "" if exp.limit.holds(len(new)) else "\n".join(
                f"dead letter {d.get('id')} on {d.get('queue')} ({d.get('consumer')}): {d.get('reason')}"
                for d in added[:8]) or "no dead letter was added"
            checks.append(Check(exp.limit.holds(len(new)), "queues", what, str(exp.limit), str(len(new)), exp.where,
                                context))
        else:
            queue = str(exp.queue)
            added = depth_after.get(queue, 0) - depth_before.get(queue, 0)
            checks.append(Check(exp.limit.holds(added), "queues", f"messages added to queue {queue}",
                                str(exp.limit), str(added), exp.where,
                                "" if exp.limit.holds(added) else f"depth before {depth_before.get(queue, 0)}, "
                                                                  f"after {depth_after.get(queue, 0)}"))
    return checks
