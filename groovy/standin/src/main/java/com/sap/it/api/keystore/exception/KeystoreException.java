package com.sap.it.api.keystore.exception;

/** Thrown when a keystore entry cannot be read. */
public class KeystoreException extends Exception {
    public KeystoreException() {
        super();
    }

    public KeystoreException(String message) {
        super(message);
    }

    public KeystoreException(String message, Exception cause) {
        super(message, cause);
    }

    public KeystoreException(Exception cause) {
        super(cause);
    }
}
