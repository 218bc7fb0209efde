package org.apache.camel.component.ahc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stand-in for the exception Cloud Integration's HTTP receiver raises on an error status (Camel's
 * AHC component). Scripts in exception subprocesses find it in {@code CamelExceptionCaught} and
 * read the status and the response body, as SAP's own script example does. Same name, accessors
 * and message as Camel's class; Camel is not on the script classpath, so it extends
 * {@link Exception} directly (Camel's extends {@code org.apache.camel.CamelException}).
 */
public class AhcOperationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String redirectLocation;
    private final int statusCode;
    private final String statusText;
    private final Map<String, String> responseHeaders;
    private final String responseBody;

    public AhcOperationFailedException(String url, int statusCode, String statusText, String location,
                                       Map<String, String> responseHeaders, String responseBody) {
        super(message(url, statusCode, location));
        this.url = url;
        this.statusCode = statusCode;
        this.statusText = statusText;
        this.redirectLocation = location;
        this.responseHeaders = responseHeaders == null ? Collections.<String, String>emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<String, String>(responseHeaders));
        this.responseBody = responseBody;
    }

    private static String message(String url, int statusCode, String location) {
        String text = "HTTP operation failed invoking " + url + " with statusCode: " + statusCode;
        return location != null ? text + ", redirectLocation: " + location : text;
    }

    public String getUrl() {
        return url;
    }

    public boolean isRedirectError() {
        return statusCode >= 300 && statusCode < 400;
    }

    public boolean hasRedirectLocation() {
        return redirectLocation != null;
    }

    public String getRedirectLocation() {
        return redirectLocation;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public String getStatusText() {
        return statusText;
    }

    public Map<String, String> getResponseHeaders() {
        return responseHeaders;
    }

    public String getResponseBody() {
        return responseBody;
    }
}
