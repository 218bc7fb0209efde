"""Where things live: the repository root, the local state folder and the shared reference."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def repo_root() -> Path:
    """The repository root (the folder holding ``mappings/``, ``iflows/``, ``config/``)."""
    return Path(os.environ.get("S4AMZ_HOME", REPO_ROOT))


def state_dir() -> Path:
    """The local state folder ``.s4amz/`` (emulator database, landscape map, run records).

    ``S4AMZ_STATE_DIR`` overrides it, which tests use to keep runs apart.
    """
    path = Path(os.environ.get("S4AMZ_STATE_DIR", repo_root() / ".s4amz"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def reference_dir() -> Path | None:
    """``../shared/reference`` next to the checkout, or ``S4AMZ_REFERENCE``; None when absent.

    Only tests use it: the product never reads the shared reference at run time.
    """
    override = os.environ.get("S4AMZ_REFERENCE")
    if override is not None:  # set: only that folder counts (a missing one simulates a user's machine)
        candidates = [Path(override)]
    else:
        candidates = [repo_root().parent / "shared" / "reference",
                      Path("/work/shared/reference")]  # where CI machines keep it
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None
