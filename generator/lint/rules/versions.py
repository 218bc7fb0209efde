"""Only component versions a current tenant knows (none newer than the newest real export)."""

from __future__ import annotations

from generator.lint import catalog
from generator.lint.rules.base import Rule


class KnownComponentVersions(Rule):
    id = "known-versions"

    def check(self, view):
        rule = type(self)
        for prop in view.all("//ifl:property[key='cmdVariantUri']"):
            uri = prop.findtext("value") or ""
            owner = prop.getparent().getparent()
            element_id = owner.get("id") or owner.getparent().get("id")
            parsed = catalog.parse(uri)
            if parsed is None:
                yield view.finding(rule, f"malformed cmdVariantUri {uri!r}", element_id)
                continue
            key, version = parsed
            if not version:
                if key.split("|")[0] not in catalog.VERSIONLESS and "|" not in key:
                    yield view.finding(rule, f"{key} has no version", element_id, severity="warning")
                continue
            newest = catalog.NEWEST.get(key)
            if newest is None:
                yield view.finding(rule, f"{key} {version} is not in the component catalog; its "
                                   "version cannot be checked", element_id, severity="warning")
            elif catalog.version_tuple(version) > catalog.version_tuple(newest):
                yield view.finding(rule, f"{key} {version} is newer than the newest known version "
                                   f"{newest}", element_id)
            elif "componentVersion" in self._siblings(prop):
                expected = ".".join(version.split(".")[:2])
                if self._siblings(prop)["componentVersion"] != expected:
                    yield view.finding(rule, f"componentVersion should be {expected} for {version}",
                                       element_id)

    @staticmethod
    def _siblings(prop):
        return {p.findtext("key"): p.findtext("value") or "" for p in prop.getparent()}
