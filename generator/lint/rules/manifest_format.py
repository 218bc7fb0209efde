"""MANIFEST.MF present, with the required headers, CRLF lines of at most 72 bytes."""

from __future__ import annotations

from generator.lint.rules.base import Rule

REQUIRED = {
    "IntegrationFlow": ("Manifest-Version", "Bundle-ManifestVersion", "Bundle-Name",
                        "Bundle-SymbolicName", "Bundle-Version", "SAP-BundleType", "SAP-NodeType",
                        "SAP-RuntimeProfile", "Import-Package"),
    "ValueMapping": ("Manifest-Version", "Bundle-ManifestVersion", "Bundle-Name",
                     "Bundle-SymbolicName", "Bundle-Version", "SAP-BundleType", "Import-Package"),
}
BASE = ("Manifest-Version", "Bundle-Name", "Bundle-SymbolicName", "Bundle-Version", "SAP-BundleType")


class ManifestFormatRequired(Rule):
    id = "manifest-format"
    bundle_types = ()
    needs_iflw = False

    def check(self, view):
        data = view.files.get("META-INF/MANIFEST.MF")
        file = "META-INF/MANIFEST.MF"
        if data is None:
            yield view.finding(type(self), "META-INF/MANIFEST.MF is missing", file=file)
            return
        lines = data.split(b"\n")
        if b"\r\n" not in data:
            yield view.finding(type(self), "lines end in LF; tenant exports use CRLF", file=file,
                               severity="warning")
        for number, line in enumerate(lines, 1):
            size = len(line.rstrip(b"\r"))
            if size > 512:
                yield view.finding(type(self), f"line {number} is {size} bytes; a manifest line "
                                   "may not exceed 512", file=file)
            elif size > 72:
                yield view.finding(type(self), f"line {number} is {size} bytes; wrap at 72",
                                   file=file, severity="warning")
            if line.strip(b"\r") and not line.startswith(b" ") and b": " not in line:
                yield view.finding(type(self), f"line {number} is not 'Name: value'", file=file)
        if not data.endswith(b"\n\r\n") and not data.endswith(b"\n\n"):
            yield view.finding(type(self), "the manifest must end with an empty line", file=file)
        headers = view.manifest_headers or {}
        for header in REQUIRED.get(view.bundle_type, BASE):
            if header not in headers:
                yield view.finding(type(self), f"required header {header} is missing", file=file)
