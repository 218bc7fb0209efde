/*
 * Any S/4HANA OData V2 JSON response -> outcome properties; the body is kept.
 *
 * S4Outcome: OK | VALIDATION (400: a business error, fix the data) | NOT_FOUND (404) |
 *   CSRF (403 with x-csrf-token: Required: fetch a token and retry once) | FORBIDDEN (403) |
 *   PRECONDITION (412/428: read the entity again for a fresh ETag) | THROTTLED (429) |
 *   SERVER_ERROR (5xx) | ERROR
 * S4Retryable, S4ErrorCode (message class/number, e.g. V1/311), S4ErrorMessage, S4ErrorDetails
 * (all errordetails as "code: message" lines), S4ETag (the ETag header or __metadata.etag).
 * S4ResultFields (e.g. "SalesOrder,DeliveryDocument") copies those fields of the returned entity
 * into properties of the same name; Edm.DateTime values ("/Date(ms)/") become yyyy-MM-dd.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper

import java.text.SimpleDateFormat

def Message processData(Message message) {
    def status = (message.getHeader('CamelHttpResponseCode', String) ?: '200').trim().toInteger()
    def text = message.getBody(String)
    def parsed = null
    if (text?.trim()) {
        try {
            parsed = new JsonSlurper().parseText(text)
        } catch (Exception e) {
            if (status < 400) {
                throw new IllegalArgumentException("s4ReadResponse: response body is not JSON (HTTP ${status}): ${e.message}")
            }
        }
    }
    if (status >= 400) {
        readError(message, status, parsed, text)
        return message
    }
    message.setProperty('S4Outcome', 'OK')
    message.setProperty('S4Retryable', 'false')
    def entity = parsed instanceof Map && parsed.d instanceof Map ? parsed.d : null
    if (entity != null && entity.results instanceof List) {
        message.setProperty('S4ResultCount', entity.results.size())
        entity = entity.results ? entity.results[0] : null
    }
    def etag = message.getHeader('ETag', String) ?: entity?.__metadata?.etag
    message.setProperty('S4ETag', etag)
    def fields = (message.getProperty('S4ResultFields') ?: '').toString().split(',')*.trim().findAll { it }
    fields.each { field ->
        if (entity == null || !entity.containsKey(field)) {
            throw new IllegalArgumentException("s4ReadResponse: the response has no field ${field} (asked by S4ResultFields)")
        }
        message.setProperty(field, odataValue(entity[field]))
    }
    return message
}

def readError(Message message, int status, parsed, String text) {
    def error = parsed instanceof Map ? parsed.error : null
    def outcome
    if (status == 403 && 'required'.equalsIgnoreCase(message.getHeader('x-csrf-token', String) ?: '')) {
        outcome = 'CSRF'
    } else if (status == 400) {
        outcome = 'VALIDATION'
    } else if (status == 404) {
        outcome = 'NOT_FOUND'
    } else if (status == 403) {
        outcome = 'FORBIDDEN'
    } else if (status == 412 || status == 428) {
        outcome = 'PRECONDITION'
    } else if (status == 429) {
        outcome = 'THROTTLED'
    } else if (status >= 500) {
        outcome = 'SERVER_ERROR'
    } else {
        outcome = 'ERROR'
    }
    message.setProperty('S4Outcome', outcome)
    message.setProperty('S4Retryable', String.valueOf(outcome in ['CSRF', 'PRECONDITION', 'THROTTLED', 'SERVER_ERROR']))
    message.setProperty('S4HttpStatus', status)
    if (error instanceof Map) {
        message.setProperty('S4ErrorCode', error.code?.toString())
        def value = error.message instanceof Map ? error.message.value : error.message
        message.setProperty('S4ErrorMessage', value?.toString())
        def details = error.innererror?.errordetails
        if (details instanceof List && details) {
            message.setProperty('S4ErrorDetails', details.collect { "${it.code}: ${it.message}" }.join('\n'))
        }
    } else {
        message.setProperty('S4ErrorMessage', text?.trim() ? text.trim().take(500) : "HTTP ${status}".toString())
    }
}

def odataValue(value) {
    if (value instanceof String) {
        def matcher = value =~ /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/
        if (matcher.matches()) {
            def format = new SimpleDateFormat('yyyy-MM-dd')
            format.setTimeZone(TimeZone.getTimeZone('UTC'))
            return format.format(new Date(Long.parseLong(matcher.group(1))))
        }
    }
    return value
}
