package com.sap.gateway.core.ip.component.odata.exception;

/**
 * Stand-in for the exception Cloud Integration's OData V2 receiver raises on an error answer. Only
 * the name and {@link #getMessage()} are known from tenant traces; the superclass is inferred. As on
 * a tenant, the receiver's status is in the header {@code CamelHttpResponseCode} and its error
 * response is the message body when the exception subprocess runs.
 */
public class OsciException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OsciException(String message) {
        super(message);
    }
}
