"""Shared test fixtures.

Tests that hold the product against ``../shared/reference`` use the ``reference`` fixture; it skips
with a clear reason where that folder is absent (a user's machine). CI always has it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.paths import reference_dir, repo_root


@pytest.fixture(scope="session")
def reference() -> Path:
    """The shared reference folder, or skip the test."""
    path = reference_dir()
    if path is None:
        pytest.skip("../shared/reference is absent: reference cross-checks need it (CI has it)")
    return path


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return repo_root()
