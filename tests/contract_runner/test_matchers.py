"""Each matcher holds when it should and fails when it should, on JSON and on XML."""

from __future__ import annotations

import pytest

from harness.contract.matchers import check, evaluate, parse_body

ORDER = {"query": "mutation { createOrder }", "variables": {"input": {
    "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": "5000001"}, {"aliasType": "OTHER", "aliasId": "X"}],
    "lineItems": [{"qty": 1}, {"qty": 3}], "state": "STARTED", "price": "12.50", "prime": True}}}


@pytest.mark.parametrize("expression, matcher, ok", [
    ("$.variables.input.state", "STARTED", True),
    ("$.variables.input.state", "NOT_STARTED", False),
    ("$.variables.input.state", {"equals": "STARTED"}, True),
    ("$.query", {"contains": "createOrder"}, True),
    ("$.query", {"contains": "cancelOrder"}, False),
    ("$.variables.input.aliases[*].aliasType", {"one_of": ["EXTERNAL_ID", "OTHER"]}, True),
    ("$.variables.input.aliases[*].aliasType", {"one_of": ["EXTERNAL_ID"]}, False),   # every value must hold
    ("$.variables.input.aliases[?(@.aliasType == 'EXTERNAL_ID')].aliasId", "5000001", True),
    ("$.variables.input.aliases[?(@.aliasType == 'EXTERNAL_ID')].aliasId", {"matches": "^5\\d{6}$"}, True),
    ("$.variables.input.aliases[?(@.aliasType == 'EXTERNAL_ID')].aliasId", {"matches": "^6"}, False),
    ("$.variables.input.lineItems", {"length": 2}, True),
    ("$.variables.input.lineItems", {"length": 3}, False),
    ("$.variables.input.lineItems", {"length": {"gte": 1, "lte": 2}}, True),
    ("$.variables.input.lineItems[*].qty", {"gte": 1}, True),
    ("$.variables.input.lineItems[*].qty", {"lte": 2}, False),
    ("$.variables.input.price", {"gte": 12.5, "lte": 12.5}, True),
    ("$.variables.input.price", 12.5, True),                  # a number in a string equals the number
    ("$.variables.input.prime", True, True),
    ("$.variables.input.prime", "true", False),
    ("$.variables.input.aliases[*].aliasId", {"contains": "X"}, False),   # "5000001" does not contain X
    ("$.variables.input.aliases", {"contains": {"aliasType": "OTHER", "aliasId": "X"}}, True),
    ("$.variables.input.missing", {"exists": False}, True),
    ("$.variables.input.missing", {"exists": True}, False),
    ("$.variables.input.state", {"exists": False}, False),
    ("$.variables.input.missing", "anything", False),         # nothing selected fails
    ("$.variables.input.state", {"exists": True, "matches": "START"}, True),
])
def test_jsonpath_matchers(expression, matcher, ok):
    outcome = evaluate(ORDER, expression, matcher)
    assert outcome.ok is ok, outcome


ATOM = b"""<entry xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
 xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"><content><m:properties>
 <d:SalesOrder>5000001</d:SalesOrder><d:LongText>322-1234567-1234567</d:LongText></m:properties></content></entry>"""


@pytest.mark.parametrize("expression, matcher, ok", [
    ("//d:SalesOrder", "5000001", True),
    ("//d:SalesOrder", 5000001, True),
    ("//d:LongText", {"matches": "^\\d{3}-"}, True),
    ("//*[local-name()='LongText']", {"matches": "^X"}, False),
    ("count(//m:properties/*)", 2, True),
    ("//d:Missing", {"exists": False}, True),
    ("boolean(//d:SalesOrder)", True, True),
])
def test_xpath_matchers_on_an_atom_entry(expression, matcher, ok):
    assert evaluate(parse_body(ATOM), expression, matcher).ok is ok


def test_a_jsonpath_on_xml_or_an_xpath_on_json_is_a_clear_failure():
    assert "the body is not JSON (XML)" in evaluate(parse_body(ATOM), "$.a", 1).actual
    assert "the body is not XML" in evaluate(ORDER, "//a", 1).actual
    assert "the body is not JSON (empty)" in evaluate(parse_body(b""), "$.a", 1).actual


def test_forms_parse_into_fields_and_failures_show_the_values_found():
    form = parse_body(b"grant_type=client_credentials&scope=a%20b", "application/x-www-form-urlencoded")
    assert form == {"grant_type": "client_credentials", "scope": "a b"}
    outcome = check(["A", "B"], {"one_of": ["A"]})
    assert not outcome.ok and outcome.expected == 'one of ["A"]' and '"B" (one of 2: ["A", "B"])' == outcome.actual
