"""``s4amz build [--check]``: render mappings/ into iflows/ and dist/ (or check for drift)."""

from __future__ import annotations

import argparse
import sys

from generator.build import build_all
from generator.errors import BuildError, SpecError
from harness.paths import repo_root


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("build", help="render mappings/*.yaml into iflows/ and dist/")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when iflows/ differs from a fresh build")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = build_all(repo_root(), check=args.check)
    except (SpecError, BuildError) as exc:
        print(f"build failed:\n{exc}", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        if result.drift:
            print("iflows/ is out of date with mappings/ (run `s4amz build` and commit):", file=sys.stderr)
            for line in result.drift:
                print(f"  {line}", file=sys.stderr)
            return 1
        print(f"iflows/ is up to date ({len(result.artifacts)} artifacts)")
        return 0
    for artifact in result.artifacts:
        print(f"{artifact.kind:16} {artifact.id:48} {artifact.version}  {artifact.sha256[:12]}")
    print(f"{len(result.artifacts)} artifacts in iflows/ and dist/ (package {result.package.id})")
    return 0
