"""``s4amz down``: stop the embedded landscape (emulator and mocks); state in .s4amz/ is kept."""

from __future__ import annotations

import argparse

from harness import local_landscape
from harness.tenant.console import console


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("down", help="stop the emulator and the mocks started by `s4amz up`")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return local_landscape.down(console())
