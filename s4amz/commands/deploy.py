"""``s4amz deploy --env ENV [--only ID...] [--dry-run] [--prune]``: bring a tenant up to date."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.tenant import commands


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("deploy", help="upload changed artifacts, apply parameters, deploy and wait")
    parser.add_argument("--env", default="local", help="environment (config/<env>.yaml); default: local")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these artifact ids")
    parser.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    parser.add_argument("--prune", action="store_true",
                        help="also undeploy and delete package artifacts that are no longer in dist/")
    parser.add_argument("--dist", type=Path, help="take the zips from this folder (no build)")
    parser.add_argument("--no-build", action="store_true", help="do not rebuild a stale dist/")
    parser.add_argument("--deadline", type=float, metavar="SECONDS", help="one deadline for all deploys")
    parser.add_argument("--parallel", type=int, metavar="N", help="deploys waited on at once (1 = one by one)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return commands.deploy(args.env, only=args.only, dry_run=args.dry_run, prune=args.prune, dist=args.dist,
                           build=not args.no_build, deadline_s=args.deadline, parallel=args.parallel)
