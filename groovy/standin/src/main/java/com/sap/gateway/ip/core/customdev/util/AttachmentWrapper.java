package com.sap.gateway.ip.core.customdev.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.activation.DataHandler;
import javax.activation.DataSource;

/**
 * An attachment with MIME headers. In SAP's jar this class extends Camel's
 * {@code DefaultAttachment}; Camel is not on the stand-in's classpath, so the same constructors and
 * header methods are provided directly.
 */
public class AttachmentWrapper {
    private final DataHandler dataHandler;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public AttachmentWrapper(DataHandler dataHandler) {
        this.dataHandler = dataHandler;
    }

    public AttachmentWrapper(DataSource dataSource) {
        this(new DataHandler(dataSource));
    }

    public DataHandler getDataHandler() {
        return dataHandler;
    }

    public String getHeader(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    public List<String> getHeaderAsList(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : Collections.unmodifiableList(values);
    }

    public void addHeader(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    public void setHeader(String name, String value) {
        List<String> values = new ArrayList<>();
        values.add(value);
        headers.put(name, values);
    }

    public void removeHeader(String name) {
        headers.remove(name);
    }

    public Collection<String> getHeaderNames() {
        return Collections.unmodifiableSet(headers.keySet());
    }
}
