package com.sap.it.script.v2.api;

import java.util.Map;
import javax.activation.DataHandler;

/**
 * The message a Script step version 2.x (Groovy 4) receives. Public v2 scripts use the v1 method
 * names for body, headers, properties and attachments; only those are offered here.
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
}
