"""Scripts, mappings, WSDL/EDMX/XSD files the steps reference are in the package."""

from __future__ import annotations

from generator.lint.rules.base import Rule

ROOT = "src/main/resources/"


class ReferencedResourcesPresent(Rule):
    id = "resources-present"

    def check(self, view):
        rule = type(self)
        stripped = view.options.resources_stripped
        collections = (view.manifest_headers or {}).get("Require-Capability", "")
        for element, path in self._references(view):
            if path is None:
                continue
            if path.startswith("collection:"):
                bundle = path.split(":", 1)[1]
                if f"scriptcollection.{bundle};" not in collections + ";":
                    yield view.finding(rule, f"script collection {bundle!r} is not declared in the "
                                       "MANIFEST's Require-Capability", element)
                continue
            if ROOT + path not in view.files:
                message = f"{path} is referenced but not in the package"
                if stripped:
                    yield view.finding(rule, message + " (resources stripped)", element, severity="warning")
                else:
                    yield view.finding(rule, message, element)

    @staticmethod
    def _references(view):
        for step in view.all("//bpmn2:callActivity"):
            props = view.props(step)
            activity = props.get("activityType")
            sid = step.get("id")
            if activity == "Script":
                if props.get("scriptBundleId"):
                    yield sid, "collection:" + props["scriptBundleId"]
                elif "{{" not in props.get("script", "") and props.get("script"):
                    yield sid, "script/" + props["script"]
            elif activity == "Mapping" and "{{" not in props.get("mappinguri", ""):
                uri = props.get("mappinguri", "")
                if props.get("messageMappingBundleId"):
                    continue
                if props.get("mappingSource", "mappingSrcIflow") != "mappingSrcIflow" and not uri:
                    continue
                if "/src/main/resources/" in uri:
                    yield sid, uri.split("/src/main/resources/", 1)[1]
            elif activity == "XmlValidator" and props.get("xmlSchemaSource", "iflowOption") == "iflowOption":
                xsd = props.get("xsd", "")
                if xsd and "{{" not in xsd:
                    yield sid, xsd.lstrip("/")
        for flow in view.all("//bpmn2:messageFlow"):
            props = view.props(flow)
            fid = flow.get("id")
            for key in ("edmxFilePath", "soapWsdlURL"):
                value = props.get(key, "")
                if value and "{{" not in value and "://" not in value:
                    yield fid, value.lstrip("/")
