"""``s4amz emulator serve|start|stop|status [--env local]``: the local tenant emulator."""

from __future__ import annotations

import argparse
import sys

from harness.config import ConfigError
from harness.daemon import DaemonError
from harness.emulator import process


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("emulator", help="run the local tenant emulator (same API as a tenant)")
    parser.add_argument("action", choices=("serve", "start", "stop", "status"),
                        help="serve: foreground; start: background; stop; status")
    parser.add_argument("--env", default="local", help="environment whose emulator: section to use (default local)")
    parser.add_argument("--host", help="bind address (default from the environment, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default from the environment; 0 = a free port)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "serve":
            return process.serve(args.env, args.host, args.port)
        if args.action == "start":
            info = process.start(args.env)
            print(f"emulator for {info.details.get('env')} running at {info.details.get('url')} (pid {info.pid}, "
                  f"log {info.log})")
            return 0
        if args.action == "stop":
            print("stopped the emulator" if process.stop_running() else "no emulator running")
            return 0
        info = process.running()
        print(f"emulator for {info.details.get('env')} running at {info.details.get('url')} (pid {info.pid})"
              if info else "no emulator running")
        return 0 if info else 1
    except (ConfigError, DaemonError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
