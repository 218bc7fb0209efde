"""Receiver addresses come from a parameter or an expression, not a hard-coded host."""

from __future__ import annotations

import re

from generator.lint.rules.base import Rule

ADDRESS_KEYS = {"HTTP": "httpAddressWithoutQuery", "HCIOData": "address", "SOAP": "address",
                "IDOC": "address", "XI": "Address", "SuccessFactors": "address"}
HOST = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


class NoHardcodedAddresses(Rule):
    id = "no-hardcoded-addresses"

    def check(self, view):
        for flow in view.all("//bpmn2:messageFlow"):
            props = view.props(flow)
            if props.get("direction") != "Receiver":
                continue
            key = ADDRESS_KEYS.get(props.get("ComponentType", ""))
            value = props.get(key or "", "")
            if key and HOST.match(value) and "{{" not in value and "${" not in value:
                yield view.finding(type(self), f"{key} is the literal {value!r}; use a parameter "
                                   "so each landscape can set its own host", flow.get("id"))
