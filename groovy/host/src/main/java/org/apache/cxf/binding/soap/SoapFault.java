package org.apache.cxf.binding.soap;

import java.io.StringReader;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * Stand-in for the fault Cloud Integration's SOAP receiver raises when the receiver answers a SOAP
 * fault (Apache CXF's class of the same name). Message = the fault string; {@link #getFaultCode()},
 * {@link #getStatusCode()} and {@link #getDetail()} as in CXF. CXF is not on the script classpath,
 * so it extends {@link RuntimeException} directly (CXF's extends {@code org.apache.cxf.interceptor.Fault}).
 */
public class SoapFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";

    private final QName faultCode;
    private final int statusCode;
    private final transient Element detail;

    public SoapFault(String message, QName faultCode) {
        this(message, faultCode, 500, null);
    }

    public SoapFault(String message, QName faultCode, int statusCode, String detailXml) {
        super(message);
        this.faultCode = faultCode;
        this.statusCode = statusCode;
        this.detail = parse(detailXml);
    }

    /** A fault code written {@code {ns}local}, {@code prefix:local} (SOAP 1.1 envelope) or {@code local}. */
    public static QName code(String text) {
        if (text == null || text.isEmpty()) {
            return new QName(SOAP11, "Server", "soap");
        }
        if (text.startsWith("{")) {
            return QName.valueOf(text);
        }
        int colon = text.indexOf(':');
        return colon < 0 ? new QName(SOAP11, text, "soap")
                : new QName(SOAP11, text.substring(colon + 1), text.substring(0, colon));
    }

    private static Element parse(String xml) {
        if (xml == null || xml.trim().isEmpty()) {
            return null;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            return null;
        }
    }

    public QName getFaultCode() {
        return faultCode;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public Element getDetail() {
        return detail;
    }

    public boolean hasDetails() {
        return detail != null;
    }
}
