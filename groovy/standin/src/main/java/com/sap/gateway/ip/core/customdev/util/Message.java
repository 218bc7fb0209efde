package com.sap.gateway.ip.core.customdev.util;

import java.util.List;
import java.util.Map;
import javax.activation.DataHandler;

/**
 * The message a Script step (version 1.x, Groovy 2.4) receives. Stand-in with SAP's package, type
 * and method names; the behaviour lives in {@code s4amz.cpi.runtime.MessageSupport}.
 */
public interface Message {
    Object getBody();

    <T> T getBody(Class<T> type);

    void setBody(Object body);

    long getBodySize();

    Map<String, Object> getHeaders();

    <T> T getHeader(String name, Class<T> type);

    void setHeader(String name, Object value);

    void setHeaders(Map<String, Object> headers);

    Map<String, Object> getProperties();

    Object getProperty(String name);

    void setProperty(String name, Object value);

    void setProperties(Map<String, Object> properties);

    Map<String, DataHandler> getAttachments();

    void setAttachments(Map<String, DataHandler> attachments);

    long getAttachmentsSize();

    Map<String, AttachmentWrapper> getAttachmentWrapperObjects();

    void setAttachmentWrapperObjects(Map<String, AttachmentWrapper> attachments);

    void addAttachmentObject(String id, AttachmentWrapper content);

    void addAttachmentHeader(String headerName, String headerValue, AttachmentWrapper attachment);

    void setAttachmentHeader(String headerName, String headerValue, AttachmentWrapper attachment);

    String getAttachmentHeader(String headerName, AttachmentWrapper attachment);

    void removeAttachmentHeader(String headerName, AttachmentWrapper attachment);

    List<SoapHeader> getSoapHeaders();

    void setSoapHeaders(List<SoapHeader> soapHeaders);

    void clearSoapHeaders();
}
