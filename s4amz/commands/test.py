"""``s4amz test --env ENV [--tag T] [--module M] [PATH...]``: the contract suite (docs/contract.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.config import ConfigError
from harness.contract import Selection, TestOptions, run_tests
from harness.contract.targets import TargetError
from harness.local_landscape import LandscapeError
from harness.tenant.console import console
from harness.tenant.errors import TenantError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("test", help="run the contract scenarios against the emulator or a test tenant")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="scenario files or folders (default: tests/contract/)")
    parser.add_argument("--env", default="local", help="environment (config/<env>.yaml); default: local")
    parser.add_argument("--tag", action="append", default=[], help="only scenarios with this tag (repeatable)")
    parser.add_argument("--module", action="append", default=[], help="only this module's folder (repeatable)")
    parser.add_argument("--report-dir", type=Path, help="where the JUnit XML and HTML go (default: reports/)")
    parser.add_argument("--no-start", action="store_true",
                        help="use the local landscape as it is: neither start it when it is down nor redeploy "
                             "what changed in the checkout")
    parser.add_argument("--record-file", type=Path,
                        help="also append the run record to this JSON Lines file (commit it for promotion)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = console()
    options = TestOptions(env=args.env, selection=Selection(args.tag, args.module, list(args.paths)),
                          report_dir=args.report_dir, start_landscape=not args.no_start, record_file=args.record_file)
    try:
        code, _ = run_tests(options, out)
    except (ConfigError, LandscapeError, TargetError, TenantError) as exc:
        out.print("[red]error:[/red] ", end="")
        out.print(str(exc), markup=False, highlight=False)
        return 2
    return code
