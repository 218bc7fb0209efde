"""The contract suite: scenarios (``tests/contract/**.yaml``, format in ``docs/contract.md``), their
JSON Schema, the runner, the targets (local landscape or a real tenant) and the reports.

::

    from harness.contract import load_scenario, run_scenarios, make_target
    scenarios, invalid = load_all([], scenarios_root())
    suite = run_scenarios(make_target(env), scenarios)
"""

from harness.contract.loader import ScenarioError, discover, load_all, load_scenario, schema
from harness.contract.model import Scenario
from harness.contract.results import SuiteResult, ScenarioResult
from harness.contract.runner import Selection, run_scenarios
from harness.contract.suite import TestOptions, run_tests, scenarios_root
from harness.contract.targets import LocalTarget, Target, TenantTarget, make_target

__all__ = ["LocalTarget", "Scenario", "ScenarioError", "ScenarioResult", "Selection", "SuiteResult", "Target",
           "TenantTarget", "TestOptions", "discover", "load_all", "load_scenario", "make_target", "run_scenarios",
           "run_tests", "scenarios_root", "schema"]
