"""SOAP sender (``/cxf/<address>``, SOAP 1.x 1.0-1.9) and SOAP receiver (Plain SOAP / SOAP 1.x).

The sender unwraps the envelope: the first child of ``soap:Body`` becomes the message body, as
on the tenant; the reply is wrapped again, and a failure answers a SOAP fault (HTTP 500). The
receiver wraps a body that is not already an envelope, posts it, and unwraps the reply; a SOAP
fault becomes ``org.apache.cxf.binding.soap.SoapFault`` with the fault string.
"""

from __future__ import annotations

from lxml import etree

from ..context import RunContext
from ..errors import HttpResponseError
from ..exchange import Exchange
from ..registry import ADAPTERS
from .. import simple
from .base import ReceiverAdapter, auth_header, check_auth, http_call, outbound_headers, timeout_seconds
from .http import RoleBasedSender

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def unwrap(data: bytes) -> tuple[bytes, etree._Element | None]:
    """(payload, fault element or None) of a SOAP envelope; raises ValueError when not one."""
    root = etree.fromstring(data, parser=_PARSER)
    qname = etree.QName(root)
    if qname.localname != "Envelope" or qname.namespace not in (SOAP11, SOAP12):
        raise ValueError(f"not a SOAP envelope (root {root.tag})")
    body = root.find(f"{{{qname.namespace}}}Body")
    if body is None:
        raise ValueError("the SOAP envelope has no Body")
    children = [c for c in body if isinstance(c.tag, str)]
    if not children:
        return b"", None
    first = children[0]
    if etree.QName(first).localname == "Fault" and etree.QName(first).namespace == qname.namespace:
        return etree.tostring(first), first
    return etree.tostring(first, encoding="UTF-8", xml_declaration=True), None


def wrap(payload: bytes) -> bytes:
    envelope = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soap": SOAP11})
    etree.SubElement(envelope, f"{{{SOAP11}}}Header")
    body = etree.SubElement(envelope, f"{{{SOAP11}}}Body")
    if payload.strip():
        body.append(etree.fromstring(payload, parser=_PARSER))
    return etree.tostring(envelope, encoding="UTF-8", xml_declaration=True)


def fault(text: str, code: str = "soap:Server") -> bytes:
    envelope = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soap": SOAP11})
    body = etree.SubElement(envelope, f"{{{SOAP11}}}Body")
    element = etree.SubElement(body, f"{{{SOAP11}}}Fault")
    etree.SubElement(element, "faultcode").text = code
    etree.SubElement(element, "faultstring").text = text
    return etree.tostring(envelope, encoding="UTF-8", xml_declaration=True)


@ADAPTERS.register(("SOAP", "Sender"))
class SoapSender(RoleBasedSender):
    title = "SOAP sender"
    kind = "cxf"
    min_version = "1.0"
    max_version = "1.9"

    def compile(self) -> None:
        address = self.prop("address")
        if not address:
            raise self.fail("address is empty")
        self.path = "/" + address.strip().lstrip("/")
        if self.channel.variant.mp not in ("SOAP 1.x", ""):
            raise self.fail(f"message protocol {self.channel.variant.mp!r} is not supported (SOAP 1.x)")


@ADAPTERS.register(("SOAP", "Receiver"))
class SoapReceiver(ReceiverAdapter):
    title = "SOAP receiver"
    min_version = "1.0"
    max_version = "1.12"

    def compile(self) -> None:
        if not self.prop("address"):
            raise self.fail("address is empty")
        self.auth, self.alias = check_auth(self, "authentication", "credentialName")
        self.timeout = timeout_seconds(self.prop("requestTimeout", "60000"), True, 60.0)

    def request(self, ex: Exchange, ctx: RunContext) -> None:
        url = simple.interpolate(self.prop("address"), ex, ctx)
        try:
            unwrap(ex.body)
            envelope = ex.body
        except (ValueError, etree.XMLSyntaxError):
            try:
                envelope = wrap(ex.body)
            except etree.XMLSyntaxError as exc:
                raise HttpResponseError(f"the message body is not XML and cannot be sent as SOAP: {exc}",
                                        status=0, url=url,
                                        java_class="org.apache.cxf.interceptor.Fault") from exc
        headers = outbound_headers(ex, "*" if self.flag("cleanupHeaders") is False else "")
        headers["Content-Type"] = "text/xml; charset=UTF-8"
        headers["SOAPAction"] = str(ex.headers.get("SOAPAction") or self.prop("operationName") or '""')
        headers.update(auth_header(self.flow, self.auth, self.alias))
        response = http_call(self.flow, "POST", url, headers=headers, body=envelope, timeout=self.timeout)
        ex.headers["CamelHttpResponseCode"] = response.status_code
        payload, fault_element = b"", None
        try:
            payload, fault_element = unwrap(response.content) if response.content.strip() else (b"", None)
        except (ValueError, etree.XMLSyntaxError):
            if response.status_code < 300:
                raise HttpResponseError(f"the response from {url} is not a SOAP envelope",
                                        status=response.status_code, body=response.content, url=url,
                                        java_class="org.apache.cxf.interceptor.Fault") from None
        if fault_element is not None:
            text = fault_element.findtext("faultstring") or "".join(fault_element.itertext()).strip()
            ctx.attach("SOAP_Fault", "text/xml", response.text)
            raise HttpResponseError(text, status=response.status_code, body=response.content, url=url,
                                    java_class="org.apache.cxf.binding.soap.SoapFault")
        if response.status_code >= 300:
            raise HttpResponseError(
                f"HTTP response '{response.status_code}: {response.reason}' when communicating with {url}",
                status=response.status_code, body=response.content, url=url,
                java_class="org.apache.cxf.transport.http.HTTPException")
        ex.body = payload
