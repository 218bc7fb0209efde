package com.sap.it.api.securestore;

/** Access token and user of an OAuth2 Authorization Code credential. */
public interface AccessTokenAndUser {
    String getAccessToken();

    String getUser();
}
