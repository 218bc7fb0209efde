"""``s4amz mocks up|down|status|run``: the mock landscape as a background process.

``up`` starts ``mocks run`` detached (see :mod:`harness.daemon`) and waits until every mock
listens; ``run`` serves in the foreground and writes the endpoint map to ``.s4amz/landscape.json``
(``{"mocks": {"lwa": "http://127.0.0.1:PORT", ...}}``), removing it again when stopped.
"""

from __future__ import annotations

import argparse
import json
import sys

from harness.config import ConfigError, landscape_path, load_environment
from harness.daemon import Daemon, DaemonError, run_until_stopped

DAEMON = "mocks"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``mocks`` with its sub-verbs."""
    parser = subparsers.add_parser("mocks", help="start, stop or inspect the mock landscape (LWA, BwP, SP-API, S/4HANA)")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name, helptext, func in (("up", "start the mocks in the background", _up),
                                 ("run", "serve the mocks in the foreground (what `up` runs)", _run)):
        verb = verbs.add_parser(name, help=helptext)
        verb.add_argument("--env", default="local", help="environment whose mocks.services to start (default: local)")
        verb.add_argument("--only", default=None, help="comma-separated services to start (default: all configured)")
        if name == "up":
            verb.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for readiness")
        verb.set_defaults(func=func)
    down = verbs.add_parser("down", help="stop the background mocks")
    down.set_defaults(func=_down)
    status = verbs.add_parser("status", help="show whether the mocks run and where")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=_status)


def _up(args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "s4amz", "mocks", "run", "--env", args.env]
    if args.only:
        argv += ["--only", args.only]
    try:
        info = Daemon(DAEMON).start(argv, timeout=args.timeout)
    except DaemonError as exc:
        print(f"s4amz mocks up: {exc}", file=sys.stderr)
        return 1
    _print_urls(info.details.get("mocks", {}), f"mocks running (pid {info.pid}); endpoint map {landscape_path()}")
    return 0


def _down(args: argparse.Namespace) -> int:
    stopped = Daemon(DAEMON).stop()
    _forget_mocks()
    print("mocks stopped" if stopped else "mocks were not running")
    return 0


def _status(args: argparse.Namespace) -> int:
    info = Daemon(DAEMON).status()
    if args.json:
        print(json.dumps(info.to_json() if info else {"name": DAEMON, "running": False}, indent=2))
    elif info is None:
        print("mocks are not running (s4amz mocks up starts them)")
    else:
        _print_urls(info.details.get("mocks", {}), f"mocks running (pid {info.pid}, since {info.started})"
                    + ("" if info.ready else ", not ready yet"))
    return 0 if info else 1


def _run(args: argparse.Namespace) -> int:
    from harness.mocks import landscape

    only = [name.strip() for name in args.only.split(",") if name.strip()] if args.only else None
    try:
        env = load_environment(args.env)
        running = landscape.start(env, only=only)
    except (ConfigError, ValueError) as exc:
        print(f"s4amz mocks run: {exc}", file=sys.stderr)
        return 2
    running.write(landscape_path())
    Daemon(DAEMON).mark_ready({"mocks": running.urls, "env": args.env})
    _print_urls(running.urls, f"mocks serving for environment {args.env!r}; stop with Ctrl-C or s4amz mocks down")
    sys.stdout.flush()

    def cleanup() -> None:
        running.stop()
        _forget_mocks()

    run_until_stopped(cleanup)
    return 0


def _forget_mocks() -> None:
    """Remove the mocks from the endpoint map (the emulator's entry stays)."""
    path = landscape_path()
    if not path.is_file():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        data = {}
    data.pop("mocks", None)
    if data:
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    else:
        path.unlink()


def _print_urls(urls: dict[str, str], headline: str) -> None:
    print(headline)
    for name, url in sorted(urls.items()):
        print(f"  {name:<12} {url}")
