"""Command-line entry point.

The CLI is deliberately thin: every verb lives in its own module under ``s4amz.commands`` and only
parses arguments and calls down into ``generator`` or ``harness``. A command module exposes

    def register(subparsers: argparse._SubParsersAction) -> None

which adds its parser and sets ``func`` (a callable taking the parsed namespace and returning an exit
code). Modules are discovered, so adding a verb never touches this file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from s4amz import __version__, commands


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every discovered command registered."""
    parser = argparse.ArgumentParser(
        prog="s4amz",
        description="SAP S/4HANA + Amazon fulfillment accelerator for SAP Cloud Integration.",
    )
    parser.add_argument("--version", action="version", version=f"s4amz {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
