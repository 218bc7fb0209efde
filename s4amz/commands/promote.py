"""``s4amz promote --from test --to prod``: deploy exactly the bytes that passed on the source."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.tenant import commands


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("promote", help="promote artifacts whose exact zip passed the contract suite")
    parser.add_argument("--from", dest="source", required=True, metavar="ENV", help="where the suite passed")
    parser.add_argument("--to", dest="target", required=True, metavar="ENV", help="where to deploy")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these artifact ids")
    parser.add_argument("--dist", type=Path, help="the zips to promote (default dist/)")
    parser.add_argument("--records", type=Path, action="append", metavar="FILE",
                        help="a committed JSON Lines file of test runs (in addition to .s4amz/runs/)")
    parser.add_argument("--record-file", type=Path, metavar="FILE",
                        help="also append the promotion record to this JSON Lines file")
    parser.add_argument("--dry-run", action="store_true", help="check and print the plan; change nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return commands.promote_command(args.source, args.target, only=args.only, dist=args.dist,
                                    records=args.records, dry_run=args.dry_run, record_file=args.record_file)
