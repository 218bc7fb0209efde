"""Every contract scenario, one pytest item each: the scenarios of ``tests/contract/`` (every module)
and the e2e fixture scenarios, all run exactly once per session by one ``s4amz test`` on the
session's landscape (``conftest.contract_run``); each item reports its scenario's outcome with the
runner's failure text (every failed assertion, expected and actual)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_landscape import FIXTURES
from harness.contract.loader import ScenarioError, discover, load_all, load_scenario, module_of
from harness.paths import REPO_ROOT

CONTRACT = REPO_ROOT / "tests" / "contract"


@dataclass(frozen=True)
class Case:
    """A scenario file and how the run reports it (JUnit classname ``contract.<module>``, its name)."""

    path: Path
    module: str
    name: str = ""
    error: str = ""

    @property
    def id(self) -> str:
        return f"{self.module}/{self.path.stem}"


def _cases() -> list[Case]:
    found = []
    for root, module in ((CONTRACT, None), (FIXTURES / "scenarios", "e2e")):
        for path in discover([root], root):
            where = module or module_of(path, root)
            try:
                found.append(Case(path, where, load_scenario(path, root).name))
            except ScenarioError as exc:
                found.append(Case(path, where, error=str(exc)))
    return found


CASES = _cases()


def test_every_scenario_file_is_valid_and_named_once() -> None:
    scenarios, invalid = load_all([], CONTRACT)
    assert not invalid, "\n".join(map(str, invalid))
    assert len(scenarios) >= 30
    names = [(c.module, c.name) for c in CASES]
    assert len(names) == len(set(names)), f"two scenarios of a module share a name: {sorted(names)}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_scenario(contract_run, case: Case) -> None:
    if case.error:
        pytest.fail(f"invalid scenario file: {case.error}", pytrace=False)
    found = contract_run.cases.get((f"contract.{case.module}", case.name))
    assert found is not None, (f"`s4amz test` did not report {case.module} / {case.name} "
                               f"(exit {contract_run.process.returncode}):\n{contract_run.process.stdout[-3000:]}")
    for kind in ("failure", "error"):
        problem = found.find(kind)
        if problem is not None:
            pytest.fail(f"{case.path.relative_to(REPO_ROOT)}: {problem.get('message')}\n{problem.text or ''}",
                        pytrace=False)
    skipped = found.find("skipped")
    assert skipped is None, f"skipped on the emulator: {skipped.get('message')}"
