"""Camel Simple, Java date patterns, Java properties, parameters and schedules."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from harness.emulator.runtime import Exchange, MissingParameter, ProcessingError
from harness.emulator.runtime.javadate import format_java
from generator.render.javaprops import load as parse_properties
from harness.emulator.runtime.package import resolve_parameters
from harness.emulator.runtime.schedule import parse_schedule
from harness.emulator.runtime.simple import evaluate, interpolate, predicate


@pytest.fixture
def ex() -> Exchange:
    e = Exchange(body=b"<a>1</a>")
    e.headers["SAPJMSRetries"] = 3
    e.headers["Kind"] = "Return"
    e.properties.update({"token": "", "name": "kind", "list": "a,b", "amount": "10.50"})
    return e


@pytest.mark.parametrize("text,expected", [
    ("${header.SAPJMSRetries} > '2'", True),
    ("${header.sapjmsretries} >= 4", False),
    ("${header.kind} = 'Return'", True),
    ("${header.Kind} == 'Return' && ${property.token} != ''", False),
    ("${header.Kind} = 'X' or ${property.amount} > '9.99'", True),
    ("${property.amount} < '100'", True),
    ("${property.missing} = null", True),
    ("${property.missing} != ''", True),
    ("${header.Kind} contains 'tur'", True),
    ("${header.Kind} not contains 'tur'", False),
    ("${header.Kind} ~~ 'RETURN'", True),
    ("${header.Kind} in 'Order,Return'", True),
    ("${header.Kind} not in 'Order,Return'", False),
    ("${header.Kind} regex 'R.*n'", True),
    ("${header.SAPJMSRetries} range '1..5'", True),
    ("${in.body} starts with '<a>'", True),
    ("${property.name} = 'kind' and ${header.${property.name}} = 'Return'", True),
])
def test_predicates(ex, text, expected):
    assert predicate(text, ex) is expected


def test_templates(ex):
    assert evaluate("${null}", ex) is None
    assert evaluate("${header.SAPJMSRetries}", ex) == 3
    assert interpolate("n=${header.SAPJMSRetries};b=${bodyAs(String)}", ex) == "n=3;b=<a>1</a>"
    assert interpolate("${header.${property.name}}", ex) == "Return"
    with pytest.raises(ProcessingError, match="Unknown function: nonsense"):
        interpolate("${nonsense}", ex)
    ex.exception = ProcessingError("boom", java_class="x.Y")
    assert interpolate("${exception.message}|${exception}", ex) == "boom|x.Y: boom"


def test_java_date_patterns():
    moment = datetime(2026, 1, 8, 9, 5, 3, 45000, tzinfo=timezone.utc)
    assert format_java(moment, "yyyy-MM-dd'T'HH:mm:ss.SSSX") == "2026-01-08T09:05:03.045Z"
    assert format_java(moment, "yyyyMMddHHmmss") == "20260108090503"
    assert format_java(moment, "EEE, dd MMM yyyy HH:mm:ss Z") == "Thu, 08 Jan 2026 09:05:03 +0000"
    assert format_java(moment, "''yy''") == "'26'"


def test_java_properties_and_parameters():
    text = ("#Thu Jan 08 09:51:18 UTC 2026\nS4\\ Address=https\\://s4.example\\:443\n"
            "Pagination_ConditionExpression=${property.nextToken} \\!\\= ''\n"
            "long=a\\\n   b\nunicode=\\u00e9\n")
    props = parse_properties(text)
    assert props == {"S4 Address": "https://s4.example:443",
                     "Pagination_ConditionExpression": "${property.nextToken} != ''",
                     "long": "ab", "unicode": "é"}
    assert resolve_parameters("{{S4 Address}}/sap", props) == "https://s4.example:443/sap"
    with pytest.raises(MissingParameter, match=r"\{\{Nope\}\}"):
        resolve_parameters("{{Nope}}", props)


def test_schedules():
    once = parse_schedule("<row><cell>triggerType</cell><cell>simple</cell></row>"
                          "<row><cell>noOfSchedules</cell><cell>1</cell></row>"
                          "<row><cell>schedule1</cell><cell>fireNow=true&amp;trigger.timeZone=UTC</cell></row>")
    assert once.once and not once.crons
    cron = parse_schedule("<row><cell>noOfSchedules</cell><cell>1</cell></row><row><cell>schedule1</cell>"
                          "<cell>0+0/5+0-23+?+*+*+*&amp;trigger.timeZone=Etc/GMT</cell></row>")
    start = datetime(2026, 1, 8, 9, 7, 30, tzinfo=timezone.utc)
    assert cron.next_after(start) == datetime(2026, 1, 8, 9, 10, 0, tzinfo=timezone.utc)
    weekly = parse_schedule("<row><cell>schedule1</cell><cell>0+30+14+?+*+MON+*&amp;trigger.timeZone=Asia/Calcutta"
                            "</cell></row>")
    assert weekly.next_after(start) == datetime(2026, 1, 12, 9, 0, 0, tzinfo=timezone.utc)
