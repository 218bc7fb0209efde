"""SOAP 1.1 / 1.2 envelopes: read the body payload of a request, wrap a payload, write a fault."""

from __future__ import annotations

from lxml import etree

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class EnvelopeError(ValueError):
    """The request is not a SOAP envelope with one payload element."""


def read(body: bytes) -> tuple[str, etree._Element]:
    """The SOAP version (``"1.1"``/``"1.2"``) and the payload element of a request."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise EnvelopeError(f"The request is not well-formed XML: {exc}") from exc
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "Envelope" or namespace not in (SOAP11, SOAP12):
        raise EnvelopeError(f"Expected a SOAP Envelope, got <{root.tag}>")
    version = "1.1" if namespace == SOAP11 else "1.2"
    body_element = root.find(f"{{{namespace}}}Body")
    if body_element is None:
        raise EnvelopeError("The SOAP Envelope has no Body")
    payload = [child for child in body_element if isinstance(child.tag, str)]
    if len(payload) != 1:
        raise EnvelopeError(f"The SOAP Body must hold exactly one element, found {len(payload)}")
    return version, payload[0]


def wrap(payload: etree._Element, soap_version: str = "1.1") -> bytes:
    """A SOAP envelope around a payload element."""
    namespace = SOAP11 if soap_version == "1.1" else SOAP12
    envelope = etree.Element(f"{{{namespace}}}Envelope", nsmap={"soap-env": namespace})
    etree.SubElement(envelope, f"{{{namespace}}}Header")
    body = etree.SubElement(envelope, f"{{{namespace}}}Body")
    body.append(payload)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def fault_envelope(message: str, client: bool = True, soap_version: str = "1.1") -> bytes:
    """A SOAP fault document."""
    if soap_version == "1.2":
        envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"env": SOAP12})
        body = etree.SubElement(envelope, f"{{{SOAP12}}}Body")
        fault = etree.SubElement(body, f"{{{SOAP12}}}Fault")
        code = etree.SubElement(fault, f"{{{SOAP12}}}Code")
        etree.SubElement(code, f"{{{SOAP12}}}Value").text = "env:Sender" if client else "env:Receiver"
        reason = etree.SubElement(fault, f"{{{SOAP12}}}Reason")
        text = etree.SubElement(reason, f"{{{SOAP12}}}Text")
        text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        text.text = message
    else:
        envelope = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soap-env": SOAP11})
        etree.SubElement(envelope, f"{{{SOAP11}}}Header")
        body = etree.SubElement(envelope, f"{{{SOAP11}}}Body")
        fault = etree.SubElement(body, f"{{{SOAP11}}}Fault")
        etree.SubElement(fault, "faultcode").text = "soap-env:Client" if client else "soap-env:Server"
        string = etree.SubElement(fault, "faultstring")
        string.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        string.text = message
        etree.SubElement(fault, "detail")
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
