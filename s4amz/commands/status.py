"""``s4amz status --env ENV``: what runs on a tenant compared with dist/."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.tenant import commands


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("status", help="design-time and runtime state of each artifact on a tenant")
    parser.add_argument("--env", default="local", help="environment (config/<env>.yaml); default: local")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these artifact ids")
    parser.add_argument("--dist", type=Path, help="compare with the zips in this folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return commands.status(args.env, only=args.only, dist=args.dist)
