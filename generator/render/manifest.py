"""``META-INF/MANIFEST.MF`` in the current (unversioned, 2025-09+) style: CRLF, 72-byte lines."""

from __future__ import annotations

#: The unversioned Import-Package list of iFlows created on a current tenant (57 packages, in
#: the tenant's order; FORMAT.md §2).
IMPORT_PACKAGES = (
    "com.sap.esb.application.services.cxf.interceptor", "com.sap.esb.security",
    "com.sap.it.op.agent.api", "com.sap.it.op.agent.collector.camel",
    "com.sap.it.op.agent.collector.cxf", "com.sap.it.op.agent.mpl", "javax.jms", "javax.jws",
    "javax.wsdl", "javax.xml.bind.annotation", "javax.xml.namespace", "javax.xml.ws",
    "org.apache.camel", "org.apache.camel.builder", "org.apache.camel.component.cxf",
    "org.apache.camel.model", "org.apache.camel.processor", "org.apache.camel.processor.aggregate",
    "org.apache.camel.spring.spi", "org.apache.commons.logging", "org.apache.cxf.binding",
    "org.apache.cxf.binding.soap", "org.apache.cxf.binding.soap.spring", "org.apache.cxf.bus",
    "org.apache.cxf.bus.resource", "org.apache.cxf.bus.spring", "org.apache.cxf.buslifecycle",
    "org.apache.cxf.catalog", "org.apache.cxf.configuration.jsse",
    "org.apache.cxf.configuration.spring", "org.apache.cxf.endpoint", "org.apache.cxf.headers",
    "org.apache.cxf.interceptor", "org.apache.cxf.management.counters", "org.apache.cxf.message",
    "org.apache.cxf.phase", "org.apache.cxf.resource", "org.apache.cxf.service.factory",
    "org.apache.cxf.service.model", "org.apache.cxf.transport",
    "org.apache.cxf.transport.common.gzip", "org.apache.cxf.transport.http",
    "org.apache.cxf.transport.http.policy", "org.apache.cxf.workqueue",
    "org.apache.cxf.ws.rm.persistence", "org.apache.cxf.wsdl11", "org.osgi.framework",
    "org.slf4j", "org.springframework.beans.factory.config", "com.sap.esb.camel.security.cms",
    "org.apache.camel.spi", "com.sap.esb.webservice.audit.log",
    "com.sap.esb.camel.endpoint.configurator.api", "com.sap.esb.camel.jdbc.idempotency.reorg",
    "javax.sql", "org.apache.camel.processor.idempotent.jdbc", "org.osgi.service.blueprint",
)

WIDTH = 72


def wrap(header: str, value: str) -> bytes:
    """One header, wrapped at 72 bytes as the JDK writes it (continuations start with a space)."""
    data = f"{header}: {value}".encode("utf-8")
    lines, start, limit = [], 0, WIDTH
    while len(data) - start > limit:
        cut = start + limit
        while cut > start and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        lines.append(data[start:cut])
        start, limit = cut, WIDTH - 1
    lines.append(data[start:])
    return b"\r\n ".join(lines) + b"\r\n"


def render(headers: list[tuple[str, str]]) -> bytes:
    """A manifest: the headers in order, then the empty last line."""
    return b"".join(wrap(k, v) for k, v in headers) + b"\r\n"


def iflow_headers(*, name: str, symbolic_name: str, version: str, singleton: bool,
                  collections: list[str], modified_ms: int) -> list[tuple[str, str]]:
    """An iFlow's headers in the order of the 2026 exports."""
    headers = [
        ("Manifest-Version", "1.0"), ("Bundle-ManifestVersion", "2"), ("Bundle-Name", name),
        ("Bundle-SymbolicName", symbolic_name + ("; singleton:=true" if singleton else "")),
        ("Bundle-Version", version), ("SAP-BundleType", "IntegrationFlow"),
        ("SAP-NodeType", "IFLMAP"), ("SAP-RuntimeProfile", "iflmap"),
        ("Import-Package", ",".join(IMPORT_PACKAGES)),
        ("Origin-Bundle-Name", name), ("Origin-Bundle-SymbolicName", symbolic_name),
    ]
    if collections:
        headers.append(("Require-Capability", ",".join(
            f'scriptcollection.{c};resolution:=optional;bundleType:String="ScriptCollection";'
            f'source:String="reference"' for c in collections)))
    headers += [("Origin-Bundle-Version", version), ("Origin-ModifiedDate", str(modified_ms))]
    return headers


def value_mapping_headers(*, name: str, symbolic_name: str, version: str,
                          modified_ms: int) -> list[tuple[str, str]]:
    """A value mapping artifact's headers, in the order of the 2026 export."""
    return [
        ("Manifest-Version", "1.0"), ("Bundle-ManifestVersion", "2"), ("Bundle-Name", name),
        ("Bundle-SymbolicName", symbolic_name), ("Bundle-Version", version),
        ("SAP-BundleType", "ValueMapping"), ("SAP-NodeType", "IFLMAP"),
        ("Import-Package", "com.sap.xi.mapping.camel.valmap"),
        ("Bundle-Activator", "com.sap.xi.mapping.camel.valmap.ValueMappingActivator"),
        ("Origin-Bundle-Name", name), ("Origin-Bundle-Version", version),
        ("Origin-Bundle-SymbolicName", symbolic_name), ("Origin-ModifiedDate", str(modified_ms)),
    ]


def parse(data: bytes) -> list[tuple[str, str]]:
    """Read a manifest back into ordered headers (continuations joined)."""
    headers: list[tuple[str, bytes]] = []
    for line in data.replace(b"\r\n", b"\n").split(b"\n"):
        if line.startswith(b" ") and headers:
            key, value = headers[-1]
            headers[-1] = (key, value + line[1:])
        elif line:
            key, _, value = line.partition(b": ")
            headers.append((key.decode("utf-8"), value))
    return [(k, v.decode("utf-8")) for k, v in headers]
