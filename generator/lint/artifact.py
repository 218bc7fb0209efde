"""An artifact read once for the rules: files, manifest, the iFlow XML and its parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from generator.render import javaprops, manifest

NS = {"bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "ifl": "http:///com.sap.ifl.model/Ifl.xsd"}
IFLW_DIR = "src/main/resources/scenarioflows/integrationflow/"
PARAM_RE = re.compile(r"\{\{([^{}]+)\}\}")


@dataclass
class LintOptions:
    """``resources_stripped``: the artifact's scripts/mappings were removed on purpose (the
    reference exports): a missing resource is then a warning, not an error."""

    resources_stripped: bool = False


@dataclass
class ArtifactView:
    """The artifact as the rules see it."""

    name: str
    files: dict[str, bytes]
    options: LintOptions = field(default_factory=LintOptions)

    @cached_property
    def manifest_headers(self) -> dict[str, str] | None:
        data = self.files.get("META-INF/MANIFEST.MF")
        return dict(manifest.parse(data)) if data is not None else None

    @property
    def bundle_type(self) -> str:
        return (self.manifest_headers or {}).get("SAP-BundleType", "")

    @property
    def symbolic_name(self) -> str:
        return (self.manifest_headers or {}).get("Bundle-SymbolicName", "").split(";")[0].strip()

    @cached_property
    def iflw_paths(self) -> list[str]:
        return sorted(p for p in self.files if p.startswith(IFLW_DIR) and p.endswith(".iflw"))

    @property
    def iflw_path(self) -> str:
        return self.iflw_paths[0] if len(self.iflw_paths) == 1 else ""

    @cached_property
    def parse_error(self) -> str | None:
        if not self.iflw_path:
            return None
        try:
            etree.fromstring(self.files[self.iflw_path])
        except etree.XMLSyntaxError as exc:
            return str(exc)
        return None

    @cached_property
    def tree(self) -> etree._Element | None:
        """The iFlow XML root, or None when there is not exactly one well-formed .iflw."""
        if not self.iflw_path or self.parse_error:
            return None
        return etree.fromstring(self.files[self.iflw_path])

    def all(self, xpath: str) -> list[etree._Element]:
        return self.tree.xpath(xpath, namespaces=NS) if self.tree is not None else []

    @staticmethod
    def props(element: etree._Element) -> dict[str, str]:
        """The element's own ``ifl:property`` map (from its direct extensionElements)."""
        ext = element.find("bpmn2:extensionElements", NS)
        if ext is None:
            return {}
        return {p.findtext("key"): p.findtext("value") or "" for p in ext.findall("ifl:property", NS)}

    @cached_property
    def ids(self) -> dict[str, etree._Element]:
        return {e.get("id"): e for e in self.all("//*[@id]")}

    @cached_property
    def prop_values(self) -> dict[str, str] | None:
        data = self.files.get("src/main/resources/parameters.prop")
        return javaprops.load(data.decode("latin-1")) if data is not None else None

    @cached_property
    def propdef(self) -> etree._Element | None:
        data = self.files.get("src/main/resources/parameters.propdef")
        if data is None:
            return None
        try:
            return etree.fromstring(data)
        except etree.XMLSyntaxError:
            return None

    @cached_property
    def used_parameters(self) -> dict[str, str]:
        """``{{Name}}`` used in the iFlow -> id of the first element using it."""
        used: dict[str, str] = {}
        for prop in self.all("//ifl:property"):
            for name in PARAM_RE.findall(prop.findtext("value") or ""):
                owner = prop.getparent().getparent()
                used.setdefault(name, owner.get("id") or owner.getparent().get("id") or "")
        for condition in self.all("//bpmn2:conditionExpression | //bpmn2:loopCondition"):
            for name in PARAM_RE.findall(condition.text or ""):
                used.setdefault(name, condition.getparent().get("id") or "")
        return used

    def finding(self, rule: type, message: str, element_id: str | None = None,
                file: str | None = None, severity: str | None = None):
        from generator.lint.findings import Finding
        return Finding(rule.id, severity or rule.severity, f"{self.name}/{file or self.iflw_path or ''}".rstrip("/"),
                       element_id, message)
