/*
 * Buy with Prime API access tokens (they live 15 minutes), cached per API credential with an
 * expiry skew, and the BwP request headers.
 *
 * Step 1, function prepareRequest: with a cached token still valid beyond the skew, sets
 *   Authorization: Bearer <token>, x-api-target-id, x-api-version and BwpTokenCached=true.
 *   Otherwise builds the client-credentials token request (form body) and BwpTokenCached=false.
 * Step 2, function readResponse (after POST .../token): caches {access_token, expires_in (900)}
 *   and sets the same headers; an error response throws naming the error code.
 *
 * Properties: BwpCredentialAlias (User Credentials: user = client id, password = client secret),
 * BwpTargetId (x-api-target-id), BwpApiVersion (2024-11-01), TokenExpirySkewSeconds (60).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.securestore.SecureStoreService
import groovy.json.JsonSlurper
import groovy.transform.Field

import java.util.concurrent.ConcurrentHashMap

@Field static final Map<String, Map> CACHE = new ConcurrentHashMap<String, Map>()

def Message prepareRequest(Message message) {
    def alias = required(message, 'BwpCredentialAlias')
    def cached = CACHE.get(alias)
    if (cached != null && cached.validUntil > System.currentTimeMillis()) {
        apiHeaders(message, cached.token)
        message.setProperty('BwpTokenCached', 'true')
        return message
    }
    def client = ITApiFactory.getService(SecureStoreService, null).getUserCredential(alias)
    def form = [grant_type: 'client_credentials', client_id: client.username, client_secret: new String(client.password)]
        .collect { k, v -> URLEncoder.encode(k, 'UTF-8') + '=' + URLEncoder.encode(v ?: '', 'UTF-8') }.join('&')
    message.setHeader('Content-Type', 'application/x-www-form-urlencoded')
    message.setProperty('BwpTokenCached', 'false')
    message.setBody(form)
    return message
}

def Message readResponse(Message message) {
    def status = (message.getHeader('CamelHttpResponseCode', String) ?: '200').trim().toInteger()
    def response
    try {
        response = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("bwpToken: token response is not JSON (HTTP ${status}): ${e.message}")
    }
    if (response?.error || status >= 400 || !response?.access_token) {
        def code = (response?.error ?: (status >= 400 ? "HTTP_${status}" : 'no access_token')).toString()
        message.setProperty('BwpTokenError', code)
        throw new IllegalStateException("bwpToken: Buy with Prime refused the token request: ${code}")
    }
    def expiresIn = (response.expires_in ?: 900).toString().toLong()
    def skew = (message.getProperty('TokenExpirySkewSeconds') ?: '60').toString().toLong()
    CACHE.put(required(message, 'BwpCredentialAlias'), [token: response.access_token.toString(),
                                                        validUntil: System.currentTimeMillis() + (expiresIn - skew) * 1000L])
    apiHeaders(message, response.access_token.toString())
    message.setProperty('BwpTokenCached', 'false')
    message.setProperty('BwpTokenExpiresIn', expiresIn)
    message.setBody('')
    return message
}

def apiHeaders(Message message, String token) {
    message.setHeader('Authorization', 'Bearer ' + token)
    message.setHeader('x-api-target-id', required(message, 'BwpTargetId'))
    message.setHeader('x-api-version', (message.getProperty('BwpApiVersion') ?: '2024-11-01').toString())
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("bwpToken: property ${name} is required")
    }
    return value.toString().trim()
}
