"""No secrets in the package: credentials are aliases of deployed security material."""

from __future__ import annotations

import re

from lxml import etree

from generator.lint.rules.base import Rule

#: Adapter keys that would hold a secret itself (an alias key names security material instead).
SECRET_KEY = re.compile(r"(^|[._-])(password|passwd|secret|clientsecret|client_secret|apikey|api_key|"
                        r"accesstoken|access_token)$", re.I)
#: Header or property names whose constant value would be a secret.
SECRET_NAME = re.compile(r"^(authorization|proxy-authorization|x-api-key|x-api-access-key|"
                         r"x-amz-access-token|password|client_secret)$", re.I)
#: Parameter names that suggest a secret value.
SECRET_PARAM = re.compile(r"pass(word)?\b|secret|token|access[ _-]?key|api[ _-]?key", re.I)
USERINFO = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)


def _literal(value: str) -> bool:
    return bool(value) and "{{" not in value and "${" not in value


class NoHardcodedCredentials(Rule):
    id = "no-hardcoded-credentials"

    def check(self, view):
        rule = type(self)
        for prop in view.all("//ifl:property"):
            key, value = prop.findtext("key") or "", prop.findtext("value") or ""
            owner = prop.getparent().getparent()
            if SECRET_KEY.search(key) and _literal(value):
                yield view.finding(rule, f"{key} holds a literal value; use a credential alias or a "
                                   "secure parameter", owner.get("id"))
            if USERINFO.search(value):
                yield view.finding(rule, f"{key} has a user and password in a URL", owner.get("id"))
            if key in ("headerTable", "propertyTable") and value:
                yield from self._table(view, value, owner.get("id"))
        for name, value in (view.prop_values or {}).items():
            if SECRET_PARAM.search(name) and value and not value.startswith("<"):
                yield view.finding(rule, f"parameter {name!r} has a literal value; secrets belong in "
                                   "the tenant's security material",
                                   file="src/main/resources/parameters.prop", severity="warning")

    def _table(self, view, table: str, element_id: str):
        try:
            rows = etree.fromstring(f"<t>{table}</t>").findall("row")
        except etree.XMLSyntaxError:
            return
        for row in rows:
            cells = {c.get("id"): c.text or "" for c in row.findall("cell")}
            if (SECRET_NAME.match(cells.get("Name", "")) and cells.get("Type") == "constant"
                    and _literal(cells.get("Value", ""))):
                yield view.finding(type(self), f"{cells['Name']} is set to a constant; take it from "
                                   "the security material in a script instead", element_id)
