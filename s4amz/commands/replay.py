"""``s4amz replay [--env ENV] [--flow ID] [--queue Q] [--all | MESSAGE_ID...]``: dead letters back to their queue."""

from __future__ import annotations

import argparse

from harness import replay
from harness.config import ConfigError
from harness.tenant.console import console
from harness.tenant.errors import TenantError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("replay", help="move dead-lettered JMS messages back to their queue")
    parser.add_argument("ids", nargs="*", type=int, metavar="MESSAGE_ID", help="dead letters to requeue")
    parser.add_argument("--env", default="local", help="environment (default: local)")
    parser.add_argument("--flow", help="only dead letters of this flow (its consumer or producer)")
    parser.add_argument("--queue", help="only dead letters of this queue")
    parser.add_argument("--all", action="store_true", help="every dead letter matching --flow/--queue")
    parser.add_argument("--list", action="store_true", help="only list the dead letters")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = console()
    try:
        return replay.replay(args.env, ids=args.ids, flow=args.flow, queue=args.queue, all_=args.all,
                             list_only=args.list, out=out)
    except (ConfigError, TenantError, ValueError) as exc:
        out.print("[red]error:[/red] ", end="")
        out.print(str(exc), markup=False, highlight=False)
        return 2
