"""``s4amz undeploy --env ENV ID... | --all``: remove artifacts from a tenant's runtime."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.tenant import commands


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("undeploy", help="undeploy artifacts (their design-time content stays)")
    parser.add_argument("ids", nargs="*", metavar="ID", help="artifact ids")
    parser.add_argument("--env", default="local", help="environment (config/<env>.yaml); default: local")
    parser.add_argument("--all", action="store_true", help="every artifact in dist/")
    parser.add_argument("--dist", type=Path, help="with --all: the artifacts of this folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return commands.undeploy(args.env, args.ids, all_=args.all, dist=args.dist)
