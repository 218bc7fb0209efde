"""The Buy with Prime SDL and event shapes held against the documented facts (reference FACTS §13).

Amazon publishes no machine-readable BwP schema, so the reference is the fact sheet: its example
operation must validate against our SDL, every enum it lists must exist with those values, the
event list and the EventBridge envelope must match what the mock emits, and so must the error
classification keys.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, parse, validate

from harness.mocks.bwp.events import EVENT_TYPES, EventBus, Subscription
from harness.mocks.bwp.exceptions import ValidationError
from harness.mocks.bwp.responses import schema
from harness.mocks.core.clock import Clock

pytestmark = pytest.mark.reference


@pytest.fixture(scope="module")
def facts(reference: Path) -> str:
    text = (reference / "amazon" / "FACTS.md").read_text(encoding="utf-8")
    start = text.index("## 13. Buy with Prime")
    return text[start:text.index("\n## 14.", start)]


def _blocks(facts: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", facts, flags=re.S)


def _row(facts: str, label: str) -> set[str]:
    line = next(line for line in facts.splitlines() if line.startswith(f"| {label}"))
    values = line.split("|")[2]
    return set(re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", values))


def _enum(name: str) -> set[str]:
    enum = schema().type_map[name]
    assert isinstance(enum, GraphQLEnumType), name
    return set(enum.values)


def test_the_documented_create_order_example_is_valid(facts):
    (example,) = [b for b in _blocks(facts, "graphql") if "createOrder" in b]
    assert validate(schema(), parse(example)) == []


@pytest.mark.parametrize("label, enums, relation", [
    ("`OrderMetadata.executionState`", ["OrderExecutionState", "OrderExecutionStateInput"], "equal"),
    ("`PackageInformationSummary.state`", ["PackageState"], "equal"),
    ("`PackageInformationDetails.reason`", ["PackageCancellationReason"], "equal"),
    ("`PackageMilestoneStatus.code`", ["PackageMilestoneStatusCode"], "equal"),
    ("Cancellation `state`", ["CancellationState"], "equal"),
    ("Cancellation `requestedBy`", ["CancellationRequester"], "equal"),
    ("`ReturnDetails.state`", ["ReturnState"], "equal"),
    ("`ReturnPackageDetails.state`", ["ReturnPackageState"], "equal"),
    ("`ReturnPackageDetails.reason`", ["ReturnPackageFailureReason"], "subset"),
    ("Graded units", ["ItemCondition"], "equal"),
    ("`RefundStateInput`", ["RefundStateInput"], "equal"),
    ("`RefundRequestReasonInput`", ["RefundRequestReasonInput"], "equal"),
    ("`RefundStatusReasonInput`", ["RefundStatusReasonInput"], "equal"),
    ("`DeliveryProviderInput`", ["DeliveryProviderInput"], "subset"),
])
def test_enums_carry_the_documented_values(facts, label, enums, relation):
    documented = _row(facts, label)
    for name in enums:
        ours = _enum(name)
        if relation == "equal":
            assert ours == documented, (name, ours ^ documented)
        else:
            assert ours <= documented and len(ours) >= 2, (name, ours - documented)


def test_cancellation_reasons_match_the_cancel_order_page(facts):
    match = re.search(r"`reason: CancellationReasonInput` \(`([A-Z_,\s]+)`\)", facts)
    assert match is not None
    assert _enum("CancellationReasonInput") == {v.strip() for v in match.group(1).split(",")}


def test_event_types_are_the_documented_list(facts):
    listing = facts[facts.index("Event list"):facts.index("Deprecated")]
    names: set[str] = set()
    for token in re.findall(r"[A-Z_{},]+[A-Z_}]", listing):
        parts = re.split(r"(\{[A-Z_,]+\})", token)
        options = [p[1:-1].split(",") if p.startswith("{") else [p] for p in parts if p]
        names |= {"".join(combo) for combo in itertools.product(*options)}
    names = {n.strip(",") for n in names if "_" in n}
    assert set(EVENT_TYPES) == names


def test_emitted_envelope_has_the_documented_keys(facts):
    (example,) = [json.loads(b) for b in _blocks(facts, "json") if '"detail-type"' in b]
    bus = EventBus(Clock(), "bp-1", "111122223333", "src")
    bus.subscribe(Subscription("sub-1", "eventbridge", None))
    bus.publish("PACKAGE_DELIVERED", bus.resource("order", "322-AAAA-BBBBBB", "delivery", "PKG-1"))
    envelope = bus.deliveries[0].body
    assert set(envelope) == set(example)
    assert set(envelope["detail"]) == set(example["detail"])
    assert envelope["source"].startswith("aws.partner/buywithprime/")
    assert envelope["detail"]["apiVersion"] == example["detail"]["apiVersion"]
    bus.close()


def test_error_classification_has_the_documented_keys(facts):
    (example,) = [json.loads(b) for b in _blocks(facts, "json") if '"classification"' in b]
    documented = example["errors"][0]["extensions"]["classification"]
    ours = ValidationError("x", "InvalidAddress").extensions["classification"]
    assert set(ours) == set(documented)
    assert (ours["errorType"], ours["errorCode"]) == (documented["errorType"], documented["errorCode"])
