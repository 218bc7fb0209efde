"""``s4amz replay [--env ENV] [--flow ID] [--queue Q [--to QUEUE]] [--list | --all | MESSAGE_ID...]``.

Dead letters back to their queue; with ``--queue``, the messages of that queue (a module's
dead-letter or parking queue) moved back to their flow's queue or to ``--to``."""

from __future__ import annotations

import argparse

from harness import replay
from harness.config import ConfigError
from harness.tenant.console import console
from harness.tenant.errors import TenantError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("replay", help="send dead-lettered or parked JMS messages through their flow again")
    parser.add_argument("ids", nargs="*", type=int, metavar="MESSAGE_ID", help="messages to replay")
    parser.add_argument("--env", default="local", help="environment (default: local)")
    parser.add_argument("--flow", help="only messages of this flow (the queue's consumer, or the producer)")
    parser.add_argument("--queue", help="the messages of this queue (e.g. a module's dead-letter or parking queue) "
                                        "instead of the emulator's dead letters")
    parser.add_argument("--to", help="with --queue: the queue to move them to (default: a dead letter back to its "
                                     "queue, a parked message to the queue of the flow that parked it)")
    parser.add_argument("--all", action="store_true", help="every waiting message matching --flow/--queue")
    parser.add_argument("--list", action="store_true", help="only list the messages")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = console()
    try:
        return replay.replay(args.env, ids=args.ids, flow=args.flow, queue=args.queue, all_=args.all,
                             list_only=args.list, to=args.to, out=out)
    except (ConfigError, TenantError, ValueError) as exc:
        out.print("[red]error:[/red] ", end="")
        out.print(str(exc), markup=False, highlight=False)
        return 2
