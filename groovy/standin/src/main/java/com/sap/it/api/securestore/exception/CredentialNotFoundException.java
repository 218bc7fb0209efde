package com.sap.it.api.securestore.exception;

/** Thrown when no credential is deployed under the requested alias. */
public class CredentialNotFoundException extends SecureStoreException {
    public CredentialNotFoundException() {
        super();
    }

    public CredentialNotFoundException(String message) {
        super(message);
    }

    public CredentialNotFoundException(String message, Exception cause) {
        super(message, cause);
    }

    public CredentialNotFoundException(Exception cause) {
        super(cause);
    }
}
