/*
 * SP-API response -> outcome properties (errors {"errors":[{code,message,details}]} in both
 * envelope families; 429 QuotaExceeded). The body is kept.
 *
 * SpApiOutcome: OK | THROTTLED (429: retry after SpApiRetryAfterSeconds) | INVALID_INPUT (400) |
 *               UNAUTHORIZED (401/403 with an access-token problem: fetch a new LWA token) |
 *               ACCESS_DENIED (403 otherwise) | NOT_FOUND (404) | CONFLICT (409) |
 *               SERVER_ERROR (5xx) | ERROR
 * SpApiRetryable ("true"/"false"), SpApiErrorCode, SpApiErrorMessage, SpApiErrorDetails,
 * SpApiRequestId (x-amzn-RequestId), SpApiRateLimit (x-amzn-RateLimit-Limit, when sent).
 * Backoff: SpApiRetryAfterSeconds = SpApiBackoffBaseSeconds (2) * 2^SpApiAttempt (0), capped by
 * SpApiBackoffMaxSeconds (480), because SP-API sends no Retry-After (a Retry-After header wins).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def status = (message.getHeader('CamelHttpResponseCode', String) ?: '200').trim().toInteger()
    def text = message.getBody(String)
    def errors = []
    if (text?.trim()) {
        def parsed = null
        try {
            parsed = new JsonSlurper().parseText(text)
        } catch (Exception e) {
            if (status < 400) {
                throw new IllegalArgumentException("spapiReadResponse: response body is not JSON (HTTP ${status}): ${e.message}")
            }
        }
        if (parsed instanceof Map && parsed.errors instanceof List) {
            errors = parsed.errors
        }
    }
    def first = errors ? errors[0] : [:]
    def code = first?.code?.toString()
    def outcome = outcome(status, code, "${first?.message} ${first?.details}".toString())
    def retryable = outcome in ['THROTTLED', 'SERVER_ERROR', 'UNAUTHORIZED']

    message.setProperty('SpApiOutcome', outcome)
    message.setProperty('SpApiRetryable', String.valueOf(retryable))
    message.setProperty('SpApiHttpStatus', status)
    message.setProperty('SpApiErrorCode', code)
    message.setProperty('SpApiErrorMessage', first?.message?.toString())
    message.setProperty('SpApiErrorDetails', first?.details ? first.details.toString() : null)
    message.setProperty('SpApiRequestId', message.getHeader('x-amzn-RequestId', String))
    message.setProperty('SpApiRateLimit', message.getHeader('x-amzn-RateLimit-Limit', String))
    if (outcome == 'THROTTLED' || outcome == 'SERVER_ERROR') {
        message.setProperty('SpApiRetryAfterSeconds', retryAfter(message))
    }
    return message
}

String outcome(int status, String code, String text) {
    if (status < 300 && code == null) {
        return 'OK'
    }
    if (status == 429 || code == 'QuotaExceeded') {
        return 'THROTTLED'
    }
    if (status == 401 || code == 'Unauthorized' && text =~ /(?i)token/ || code in ['MissingAuthenticationToken', 'ExpiredToken', 'InvalidToken']) {
        return 'UNAUTHORIZED'
    }
    if (status == 403) {
        return 'ACCESS_DENIED'
    }
    if (status == 404) {
        return 'NOT_FOUND'
    }
    if (status == 409) {
        return 'CONFLICT'
    }
    if (status >= 500) {
        return 'SERVER_ERROR'
    }
    if (status == 400 || code in ['InvalidInput', 'InvalidRequest', 'InvalidParameterValue']) {
        return 'INVALID_INPUT'
    }
    return 'ERROR'
}

long retryAfter(Message message) {
    def header = message.getHeader('Retry-After', String)
    if (header?.trim() ==~ /\d+/) {
        return header.trim().toLong()
    }
    def base = number(message, 'SpApiBackoffBaseSeconds', 2)
    def max = number(message, 'SpApiBackoffMaxSeconds', 480)
    def attempt = Math.min(number(message, 'SpApiAttempt', 0), 30L)
    return Math.min(max, base * (1L << attempt))
}

long number(Message message, String name, long fallback) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        return fallback
    }
    if (!(value.toString().trim() ==~ /\d+/)) {
        throw new IllegalArgumentException("spapiReadResponse: property ${name} must be a whole number, got '${value}'")
    }
    return value.toString().trim().toLong()
}
