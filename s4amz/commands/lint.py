"""``s4amz lint [PATH...]``: check iFlow folders or zips (default: iflows/)."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.lint import LintOptions, errors, lint_path
from generator.lint.report import report
from harness.paths import repo_root


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("lint", help="lint iFlow artifact folders or zips")
    parser.add_argument("paths", nargs="*", type=Path, help="artifact folders, zips, or folders of them")
    parser.add_argument("--resources-stripped", action="store_true",
                        help="scripts/mappings were removed on purpose: report them as warnings")
    parser.add_argument("--errors-only", action="store_true", help="hide warnings")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = LintOptions(resources_stripped=args.resources_stripped)
    findings = []
    for path in args.paths or [repo_root() / "iflows"]:
        findings += lint_path(path, options)
    report(errors(findings) if args.errors_only else findings)
    return 1 if errors(findings) else 0
