package com.sap.it.api.securestore;

import java.util.Map;

/** A deployed User Credentials or Secure Parameter artifact. */
public interface UserCredential {
    String getUsername();

    char[] getPassword();

    Map<String, String> getCredentialProperties();
}
