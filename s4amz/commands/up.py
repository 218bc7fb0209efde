"""``s4amz up [--env local]``: the embedded landscape (mocks + emulator) with every package deployed."""

from __future__ import annotations

import argparse

from harness import local_landscape
from harness.tenant.console import console


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("up", help="start the mocks and the emulator, build, deploy every package")
    parser.add_argument("--env", default="local", help="an environment of kind emulator (default: local)")
    parser.add_argument("--no-build", action="store_true", help="deploy dist/ as it is")
    parser.add_argument("--no-deploy", action="store_true", help="only start the processes")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds each process may take to start")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    code, _ = local_landscape.up(args.env, build=not args.no_build, deploy=not args.no_deploy, out=console(),
                                 timeout=args.timeout)
    return code
