package com.sap.it.api.exception;

/** Thrown by {@link com.sap.it.api.ITApiFactory} when no handler serves the requested API type. */
public class InvalidContextException extends Exception {
    public InvalidContextException() {
        super();
    }

    public InvalidContextException(String message) {
        super(message);
    }

    public InvalidContextException(String message, Throwable cause) {
        super(message, cause);
    }
}
