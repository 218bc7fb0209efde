package com.sap.it.api.keystore;

import com.sap.it.api.ITApi;
import com.sap.it.api.keystore.exception.KeystoreException;
import java.security.Key;
import java.security.cert.Certificate;

/** Reads entries of the tenant keystore. The stand-in's keystore is empty. */
public interface KeystoreService extends ITApi {
    Certificate getCertificate(String alias) throws KeystoreException;

    Certificate[] getCertificateChain(String alias) throws KeystoreException;

    Key getKey(String alias) throws KeystoreException;
}
