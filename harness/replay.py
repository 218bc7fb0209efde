"""``s4amz replay``: send waiting JMS messages through their flow again.

Two kinds of messages wait for a person. The emulator's own dead letters (a message failing until
its model of message expiry, ``emulator.runtime.jms_max_retries``) go back to their queue; the
messages a flow moved to a queue of its own (a module's dead-letter or parking queue, with the
reason in a header) are moved with ``--queue Q [--to QUEUE]``, as the tenant's queue monitor moves
them. Locally both go through the emulator's ``/s4amz/v1`` control API (the message keeps its body,
headers and properties; its retry count starts again). A real tenant's JMS messages are not changed
by s4amz: the command prints where to do it (the JMS monitor, or SAP's JMS OData API) and which
queue the flow consumes, read from the package in ``dist/``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Console

from harness.config import Environment, load_environment
from harness.paths import repo_root


def replay(env_name: str, *, ids: list[int], flow: str | None = None, queue: str | None = None, all_: bool = False,
           list_only: bool = False, to: str | None = None, out: Console) -> int:
    """List or replay waiting messages; 0 done, 1 nothing could be done here (a tenant), 2 bad input.

    With ``queue``: the messages of that queue, moved to ``to`` (default: a dead letter back to its
    queue, a flow's parked message to the queue its producer consumes). Without: the emulator's dead
    letters of every queue (narrowed by ``flow``), back to their queues."""
    env = load_environment(env_name)
    if to is not None and not queue:
        raise ValueError("--to moves the messages of one queue: name that queue with --queue")
    if str(env.get("kind", "tenant")) != "emulator":
        return _tenant_instructions(env, flow, queue, out, to)
    if ids and all_:
        raise ValueError("give message ids or --all, not both")
    from harness.contract.targets import LocalTarget

    target = LocalTarget.from_environment(env)
    if queue:
        return _replay_queue(target, env.name, queue, to=to, flow=flow, ids=ids, all_=all_, list_only=list_only,
                             out=out)
    letters = [d for d in target.dead_letters() if not flow or flow in (d.get("consumer"), d.get("producer"))]
    if list_only or (not ids and not all_):
        _print_letters(out, letters, env.name)
        if letters and not list_only:
            out.print("nothing requeued: name message ids, or pass --all (with --flow to narrow)")
        return 0
    by_id = {int(d["id"]): d for d in letters}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ValueError(f"no dead letter {', '.join(map(str, missing))}"
                         + (f" for {flow}" if flow else "") + f" on {env.name} "
                         f"(dead letters: {', '.join(map(str, by_id)) or 'none'})")
    chosen = letters if all_ else [by_id[i] for i in ids]
    for letter in chosen:
        target._control("POST", f"/dead-letters/{letter['id']}/requeue")
        out.print(f"requeued {letter['id']} to {letter['queue']} (consumer {letter.get('consumer') or 'none'}): "
                  f"{letter.get('reason') or ''}", markup=False, highlight=False)
    out.print(f"{len(chosen)} dead letter(s) requeued on {env.name}" if chosen else "no dead letter matches")
    return 0


def _replay_queue(target, env: str, queue: str, *, to: str | None, flow: str | None, ids: list[int], all_: bool,
                  list_only: bool, out: Console) -> int:
    """List the messages of one queue, or move them (every waiting one, or ``ids``)."""
    from harness.contract.targets import TargetError

    listing = target.queue_messages(queue)
    consumer = listing.get("consumer")
    messages = [m for m in listing["messages"] if not flow or flow in (consumer, m.get("producer"))]
    if list_only or (not ids and not all_):
        _print_messages(out, queue, consumer, messages, env)
        if messages and not list_only:
            out.print("nothing moved: name message ids, or pass --all (with --to QUEUE to choose where they go)",
                      highlight=False)
        return 0
    if all_ and flow:
        ids = [int(m["id"]) for m in messages if m["waiting"]]
        if not ids:
            out.print(f"no message of {flow} waits in {queue}", highlight=False)
            return 0
    try:
        moved = target.move(queue, to, ids or None)
    except TargetError as exc:
        raise ValueError(str(exc)) from None
    for item in moved:
        out.print(f"moved {item['id']} from {item['from']} to {item['to']}", highlight=False)
    out.print(f"{len(moved)} message(s) of {queue} moved on {env}" if moved else f"no message waits in {queue}",
              highlight=False)
    return 0


def _print_messages(out: Console, queue: str, consumer: str | None, messages: list[dict], env: str) -> None:
    out.print(f"{len(messages)} message(s) in {queue} on {env} (consumer {consumer or 'none'})", highlight=False)
    for m in messages:
        when = datetime.fromtimestamp(m["enqueued_at"], tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") \
            if m.get("enqueued_at") else ""
        out.print(f"  {m['id']}  {m['status']}  producer {m.get('producer') or '-'}  {m.get('retries')} failed "
                  f"deliveries  since {when}", highlight=False)
        if m.get("reason"):
            out.print(f"      reason: {m['reason']}", markup=False, highlight=False, soft_wrap=True)


def _print_letters(out: Console, letters: list[dict], env: str) -> None:
    """One block per dead letter (reasons are long: a table would fold them)."""
    out.print(f"{len(letters)} dead letter(s) on {env}", highlight=False)
    for d in letters:
        when = datetime.fromtimestamp(d["dead_at"], tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") if d.get("dead_at") else ""
        out.print(f"  {d['id']}  queue {d['queue']}  consumer {d.get('consumer') or '-'}  producer "
                  f"{d.get('producer') or '-'}  {d.get('retries')} deliveries  dead since {when}", highlight=False)
        out.print(f"      reason: {d.get('reason') or ''}", markup=False, highlight=False, soft_wrap=True)


def flow_queues(env: Environment, flow: str) -> list[str]:
    """The queues a flow's JMS senders consume, read from its package in ``dist/`` with the env's parameters."""
    from harness.emulator.runtime.bpmn import load_model
    from harness.emulator.runtime.package import read_package

    path = repo_root() / "dist" / f"{flow}.zip"
    if not path.is_file():
        return []
    package = read_package(path.read_bytes())
    parameters = dict(package.parameters)
    overrides = (env.get("parameters", {}) or {}).get(flow) or {}
    parameters.update({str(k): str(v) for k, v in overrides.items()})
    try:
        model = load_model(package.iflw, parameters)
    except Exception:  # noqa: BLE001 - the queue name is a hint only
        return []
    return sorted({m.props.get("QueueName_inbound", "") for m in model.message_flows
                   if m.component_type == "JMS" and m.direction == "Sender" and m.props.get("QueueName_inbound")})


def _tenant_instructions(env: Environment, flow: str | None, queue: str | None, out: Console,
                         to: str | None = None) -> int:
    queues = [queue] if queue else (flow_queues(env, flow) if flow else [])
    named = ", ".join(queues) if queues else "the flow's queue"
    out.print(f"s4amz does not change JMS messages on a real tenant ({env.name}); nothing was replayed.", highlight=False)
    action = (f"choose Move and name {to} as the target queue" if to else
              "choose Retry (or Move them to the queue their flow consumes, for a dead-letter or parking queue)")
    out.print(f"In SAP Integration Suite: Monitor > Integrations and APIs > Manage Stores > Message Queues, select "
              f"{named}, select the messages and {action}.", highlight=False)
    out.print("Scripted: the Cloud Integration JMS OData API (MessagingQueues, MessagingMessages and the function "
              "imports RetryMessagingMessages / MoveMessagingMessages, Cloud Foundry tenants from release 7.52) does "
              "the same with an API service key; s4amz does not call it because its parameters are not in the "
              "reference facts it is held against.", highlight=False)
    return 1
