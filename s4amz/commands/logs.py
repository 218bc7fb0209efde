"""``s4amz logs --env ENV [--flow ID] [--failed]``: message processing logs of a tenant."""

from __future__ import annotations

import argparse

from harness.tenant import commands


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("logs", help="message processing logs (failed ones with their error)")
    parser.add_argument("--env", default="local", help="environment (config/<env>.yaml); default: local")
    parser.add_argument("--flow", metavar="ID", help="only this integration flow")
    parser.add_argument("--failed", action="store_true", help="only FAILED messages")
    parser.add_argument("--since", type=float, default=60, metavar="MINUTES",
                        help="messages started in the last MINUTES (default 60; 0 = all)")
    parser.add_argument("--correlation-id", metavar="ID", help="only this correlation id")
    parser.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return commands.logs(args.env, flow=args.flow, failed=args.failed, since_minutes=args.since or None,
                         correlation_id=args.correlation_id, limit=args.limit)
