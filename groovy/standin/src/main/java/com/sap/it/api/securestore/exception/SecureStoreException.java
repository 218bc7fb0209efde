package com.sap.it.api.securestore.exception;

/** Thrown when access to the secure store fails. */
public class SecureStoreException extends Exception {
    public SecureStoreException() {
        super();
    }

    public SecureStoreException(String message) {
        super(message);
    }

    public SecureStoreException(String message, Exception cause) {
        super(message, cause);
    }

    public SecureStoreException(Exception cause) {
        super(cause);
    }
}
