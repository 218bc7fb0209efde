package com.sap.it.api.securestore;

import com.sap.it.api.ITApi;
import com.sap.it.api.securestore.exception.SecureStoreException;

/** Reads deployed User Credentials, Secure Parameters and OAuth2 Authorization Code tokens. */
public interface SecureStoreService extends ITApi {
    UserCredential getUserCredential(String alias) throws SecureStoreException;

    /** The spelling ("Acces") is SAP's. */
    AccessTokenAndUser getAccesTokenForOauth2AuthorizationCodeCredential(String credentialName)
            throws SecureStoreException;
}
