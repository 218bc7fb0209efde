"""``s4amz demo``: build, start the local landscape, deploy, run the contract suite, summarize, stop.

The README's main job (``make demo``): everything runs on loopback, nothing needs a tenant.
"""

from __future__ import annotations

import argparse
import os
import time

from harness import local_landscape
from harness.config import ConfigError
from harness.contract import Selection, TestOptions, run_tests
from harness.contract.targets import TargetError
from harness.paths import repo_root
from harness.tenant.console import console
from harness.tenant.errors import TenantError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="build, up, deploy, run the contract suite, print the summary, down")
    parser.add_argument("--env", default="local", help="an environment of kind emulator (default: local)")
    parser.add_argument("--keep", action="store_true", help="leave the landscape running afterwards")
    parser.add_argument("--tag", action="append", default=[], help="only scenarios with this tag")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.build import build_all
    from generator.errors import BuildError, SpecError

    out = console()
    began = time.monotonic()
    already = local_landscape.running(args.env) is not None
    out.rule("1/4 build: mappings/ -> iflows/ and dist/")
    try:
        result = build_all(repo_root())
    except (SpecError, BuildError) as exc:
        out.print("[red]build failed[/red]")
        out.print(str(exc), markup=False, highlight=False)
        return 2
    for artifact in result.artifacts:
        out.print(f"  {artifact.kind:16} {artifact.id:44} {artifact.version}", highlight=False)
    marker = repo_root() / "dist" / "package.json"
    if marker.is_file():
        os.utime(marker)                              # dist/ is fresh: `up` will not build again
    out.rule("2/4 up: mocks and emulator, deploy every package")
    code, landscape = local_landscape.up(args.env, build=False, out=out)
    if code != 0 or landscape is None:
        return code or 1
    suite = None
    try:
        out.rule("3/4 contract suite")
        try:
            code, suite = run_tests(TestOptions(env=args.env, selection=Selection(tags=args.tag), start_landscape=False),
                                    out)
        except (ConfigError, TargetError, TenantError) as exc:
            out.print("[red]error:[/red] ", end="")
            out.print(str(exc), markup=False, highlight=False)
            code = 2
    finally:
        out.rule("4/4 down")
        if args.keep or already:
            out.print("the landscape keeps running" + (" (it ran before the demo)" if already and not args.keep else "")
                      + "; `s4amz down` stops it")
        else:
            local_landscape.down(out)
    summary = suite.summary() if suite is not None else "no result"
    out.print(f"demo finished in {time.monotonic() - began:.1f} s: {summary}", highlight=False)
    return code
