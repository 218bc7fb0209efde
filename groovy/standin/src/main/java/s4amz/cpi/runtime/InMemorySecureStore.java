package s4amz.cpi.runtime;

import com.sap.it.api.securestore.AccessTokenAndUser;
import com.sap.it.api.securestore.SecureStoreService;
import com.sap.it.api.securestore.UserCredential;
import com.sap.it.api.securestore.exception.CredentialNotFoundException;
import com.sap.it.api.securestore.exception.SecureStoreException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Deployed credentials fed from test data (User Credentials, Secure Parameters, OAuth2 tokens). */
public final class InMemorySecureStore implements SecureStoreService {
    private final Map<String, UserCredential> users = new HashMap<>();
    private final Map<String, AccessTokenAndUser> tokens = new HashMap<>();

    public void addUserCredential(final String alias, final String username, final String password,
            Map<String, String> properties) {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("alias", alias);
        if (properties != null) {
            props.putAll(properties);
        }
        users.put(alias, new UserCredential() {
            @Override
            public String getUsername() {
                return username;
            }

            @Override
            public char[] getPassword() {
                return password == null ? null : password.toCharArray();
            }

            @Override
            public Map<String, String> getCredentialProperties() {
                return Collections.unmodifiableMap(props);
            }

            @Override
            public String toString() {
                return "UserCredential[" + alias + "]"; // never the secret
            }
        });
    }

    public void addAuthorizationCodeToken(String name, final String accessToken, final String user) {
        tokens.put(name, new AccessTokenAndUser() {
            @Override
            public String getAccessToken() {
                return accessToken;
            }

            @Override
            public String getUser() {
                return user;
            }
        });
    }

    @Override
    public UserCredential getUserCredential(String alias) throws SecureStoreException {
        UserCredential credential = users.get(alias);
        if (credential == null) {
            throw new CredentialNotFoundException("Could not fetch the credential for alias " + alias);
        }
        return credential;
    }

    @Override
    public AccessTokenAndUser getAccesTokenForOauth2AuthorizationCodeCredential(String credentialName)
            throws SecureStoreException {
        AccessTokenAndUser token = tokens.get(credentialName);
        if (token == null) {
            throw new CredentialNotFoundException(
                    "Could not fetch the OAuth2 Authorization Code credential " + credentialName);
        }
        return token;
    }
}
