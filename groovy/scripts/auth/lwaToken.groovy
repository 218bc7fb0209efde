/*
 * Login with Amazon access tokens for SP-API, cached per client with an expiry skew.
 *
 * Step 1, function prepareRequest: when a cached token is still valid for longer than the skew,
 *   sets header x-amz-access-token and property LwaTokenCached=true (skip the token call).
 *   Otherwise builds the token request (form body grant_type=refresh_token, refresh_token,
 *   client_id, client_secret; header Content-Type) and sets LwaTokenCached=false.
 * Step 2, function readResponse (after POST https://api.amazon.com/auth/o2/token): reads
 *   {access_token, expires_in} and caches it, then sets x-amz-access-token; an error response
 *   ({error, error_description}) sets LwaError and throws, naming the LWA error code.
 *
 * Properties: LwaCredentialAlias (User Credentials: user = client id, password = client secret),
 * LwaRefreshTokenAlias (Secure Parameter with the refresh token), TokenExpirySkewSeconds (60, as
 * Amazon's own client). Secrets only ever go into the request body and the cache, never into
 * properties or the log.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.securestore.SecureStoreService
import groovy.json.JsonSlurper
import groovy.transform.Field

import java.util.concurrent.ConcurrentHashMap

@Field static final Map<String, Map> CACHE = new ConcurrentHashMap<String, Map>()

def Message prepareRequest(Message message) {
    def key = cacheKey(message)
    def cached = CACHE.get(key)
    if (cached != null && cached.validUntil > System.currentTimeMillis()) {
        message.setHeader('x-amz-access-token', cached.token)
        message.setProperty('LwaTokenCached', 'true')
        return message
    }
    def store = ITApiFactory.getService(SecureStoreService, null)
    def client = store.getUserCredential(required(message, 'LwaCredentialAlias'))
    def refresh = store.getUserCredential(required(message, 'LwaRefreshTokenAlias'))
    def form = [
        grant_type   : 'refresh_token',
        refresh_token: new String(refresh.password),
        client_id    : client.username,
        client_secret: new String(client.password),
    ].collect { k, v -> URLEncoder.encode(k, 'UTF-8') + '=' + URLEncoder.encode(v ?: '', 'UTF-8') }.join('&')
    message.setHeader('Content-Type', 'application/x-www-form-urlencoded;charset=UTF-8')
    message.setProperty('LwaTokenCached', 'false')
    message.setBody(form)
    return message
}

def Message readResponse(Message message) {
    def status = (message.getHeader('CamelHttpResponseCode', String) ?: '200').trim().toInteger()
    def response
    try {
        response = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("lwaToken: token response is not JSON (HTTP ${status}): ${e.message}")
    }
    if (response?.error || status >= 400) {
        def code = (response?.error ?: "HTTP_${status}").toString()
        message.setProperty('LwaError', code)
        throw new IllegalStateException("lwaToken: Login with Amazon refused the token request: ${code} (${response?.error_description ?: 'no description'})")
    }
    if (!response?.access_token) {
        throw new IllegalArgumentException('lwaToken: token response has no access_token')
    }
    def expiresIn = (response.expires_in ?: 3600).toString().toLong()
    def skew = (message.getProperty('TokenExpirySkewSeconds') ?: '60').toString().toLong()
    CACHE.put(cacheKey(message), [token: response.access_token.toString(),
                                  validUntil: System.currentTimeMillis() + (expiresIn - skew) * 1000L])
    message.setHeader('x-amz-access-token', response.access_token.toString())
    message.setProperty('LwaTokenCached', 'false')
    message.setProperty('LwaTokenExpiresIn', expiresIn)
    message.setBody('')
    return message
}

String cacheKey(Message message) {
    return required(message, 'LwaCredentialAlias') + '|' + required(message, 'LwaRefreshTokenAlias')
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("lwaToken: property ${name} is required")
    }
    return value.toString().trim()
}
