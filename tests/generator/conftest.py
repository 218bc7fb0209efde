"""Fixtures for the generator tests: fixture repositories built in temporary folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildResult, build_all

FIXTURES = Path(__file__).parent / "fixtures"
IFLW_DIR = "src/main/resources/scenarioflows/integrationflow"


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a fixture repository (mappings/, groovy/scripts/) into a fresh temporary root."""

    def make(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root)
        return root

    return make


@pytest.fixture(scope="session")
def product_build(tmp_path_factory: pytest.TempPathFactory, root: Path) -> BuildResult:
    """The product's own specs (mappings/ and groovy/scripts/) built into a temporary root."""
    target = tmp_path_factory.mktemp("product")
    shutil.copytree(root / "mappings", target / "mappings")
    shutil.copytree(root / "groovy" / "scripts", target / "groovy" / "scripts")
    return build_all(target)


@pytest.fixture(scope="session")
def fixture_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Every fixture repository that builds, built once."""
    results = {}
    for name in ("all-components", "return-events"):
        target = tmp_path_factory.mktemp(name)
        shutil.copytree(FIXTURES / name, target, dirs_exist_ok=True)
        results[name] = build_all(target)
    return results


def iflw_files(result: BuildResult) -> list[Path]:
    """The .iflw file of every iFlow artifact of a build."""
    return [p for a in result.artifacts if a.kind == "IntegrationFlow"
            for p in (a.folder / IFLW_DIR).glob("*.iflw")]


@pytest.fixture(scope="session")
def iflws() -> Callable[[BuildResult], list[Path]]:
    """The function listing a build's .iflw files."""
    return iflw_files
