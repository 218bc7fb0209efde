/*
 * In an exception subprocess: what went wrong, and what to do with the event.
 *
 * Reads the caught exception (property CamelExceptionCaught: the exception object, or its text) and
 * the header CamelHttpResponseCode. The HTTP status comes from the exception's getStatusCode()
 * (HTTP receiver), its text (OData receiver: "... : 412 : HTTP/1.1 412 ...", HTTP receiver:
 * "statusCode: 503") or the header.
 *   FailureKind CONFLICT   412/428: the ETag was stale; read again and retry at once
 *               BUSINESS   400/404/409/422, or a script's IllegalArgumentException: the data must be
 *                          fixed; retrying cannot help (park the event with the reason)
 *               TECHNICAL  anything else (5xx, 429, 401/403, connection errors, timeouts): retry later
 * Sets FailureKind, FailureRetryable, FailureStatus, FailureReason (one line, at most 600 characters,
 * with S/4HANA's or Buy with Prime's own error message when the response body has one), and
 * ConflictCount (+1 on CONFLICT).
 * What happens next is the flow's decision (park, retry, or the dead-letter queue once the retry
 * budget in header SAPJMSRetries is spent), not this script's.
 *
 * fail: ends the message with a failure of a known kind: property FailMessage (the reason) and
 * FailRetryable ("true": IllegalStateException, retried later; otherwise IllegalArgumentException,
 * the event is parked).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper
import groovy.transform.Field

@Field static final int MAX_REASON = 600

def Message processData(Message message) {
    def caught = message.getProperty('CamelExceptionCaught')
    def chain = causes(caught)
    def status = statusOf(chain, message)
    def kind
    if (status in [412, 428]) {
        kind = 'CONFLICT'
    } else if (status in [400, 404, 409, 422] || chain.any { it.className.endsWith('IllegalArgumentException') }) {
        kind = 'BUSINESS'
    } else {
        kind = 'TECHNICAL'
    }
    def reason = describe(chain, message)
    if (status && !reason.contains(status.toString())) {
        reason = "HTTP ${status}: ${reason}"
    }
    reason = reason.replaceAll(/\s+/, ' ').trim()
    if (reason.length() > MAX_REASON) {
        reason = reason.substring(0, MAX_REASON - 3) + '...'
    }
    message.setProperty('FailureKind', kind)
    message.setProperty('FailureRetryable', String.valueOf(kind != 'BUSINESS'))
    message.setProperty('FailureStatus', status == null ? null : status.toString())
    message.setProperty('FailureReason', reason)
    if (kind == 'CONFLICT') {
        def count = (message.getProperty('ConflictCount') ?: '0').toString()
        message.setProperty('ConflictCount', String.valueOf((count.isInteger() ? count.toInteger() : 0) + 1))
    }
    return message
}

def Message fail(Message message) {
    def text = (message.getProperty('FailMessage') ?: 'the event cannot be processed').toString()
    if ('true'.equalsIgnoreCase(String.valueOf(message.getProperty('FailRetryable')))) {
        throw new IllegalStateException(text)
    }
    throw new IllegalArgumentException(text)
}

/** The exception and its causes as [className, message, throwable] (a text becomes one entry). */
List causes(caught) {
    def out = []
    if (caught instanceof Throwable) {
        def seen = [] as Set
        def current = caught
        while (current != null && seen.add(System.identityHashCode(current))) {
            out << [className: current.getClass().getName(), message: current.getMessage() ?: '', error: current]
            current = current.getCause()
        }
    } else if (caught != null) {
        def text = caught.toString()
        def match = text =~ /^([a-zA-Z_$][\w$]*(?:\.[a-zA-Z_$][\w$]*)+):\s?(.*)$/
        out << (match.find() ? [className: match.group(1), message: match.group(2)] : [className: 'java.lang.Exception', message: text])
    }
    return out
}

Integer statusOf(List chain, Message message) {
    for (Map entry : chain) {
        def error = entry.error
        if (error != null && error.metaClass.respondsTo(error, 'getStatusCode')) {
            def code = error.getStatusCode()
            if (code instanceof Number && code.intValue() >= 100) {
                return code.intValue()
            }
        }
        def odata = entry.message =~ /:\s(\d{3})\s:\sHTTP\/1\.[01]\s\d{3}/
        if (odata.find()) {
            return odata.group(1).toInteger()
        }
        def http = entry.message =~ /statusCode:\s?(\d{3})/
        if (http.find()) {
            return http.group(1).toInteger()
        }
    }
    def header = message.getHeader('CamelHttpResponseCode', String)?.trim()
    return header?.isInteger() && header.toInteger() >= 400 ? header.toInteger() : null
}

String describe(List chain, Message message) {
    if (chain.isEmpty()) {
        return 'unknown error (no exception caught)'
    }
    def first = chain[0]
    def name = first.className.tokenize('.').last()
    def text = "${name}: ${first.message}".toString()
    def detail = serviceMessage(first.error, message)
    if (detail && !text.contains(detail)) {
        text += " (${detail})"
    }
    return text
}

/** S/4HANA's error.message.value or Buy with Prime's errors[0].message from the response body. */
String serviceMessage(error, Message message) {
    def body = null
    if (error != null && error.metaClass.respondsTo(error, 'getResponseBody')) {
        body = error.getResponseBody()
    }
    if (!body) {
        def code = message.getHeader('CamelHttpResponseCode', String)?.trim()
        if (code?.isInteger() && code.toInteger() >= 400) {
            body = message.getBody(String)
        }
    }
    if (!body || !body.toString().trim().startsWith('{')) {
        return null
    }
    try {
        def parsed = new JsonSlurper().parseText(body.toString())
        if (parsed instanceof Map && parsed.error instanceof Map) {
            def value = parsed.error.message instanceof Map ? parsed.error.message.value : parsed.error.message
            return value ? "${parsed.error.code ? parsed.error.code + ' ' : ''}${value}".toString() : null
        }
        if (parsed instanceof Map && parsed.errors instanceof List && parsed.errors) {
            return parsed.errors[0]?.message?.toString()
        }
    } catch (Exception ignored) {
        return null
    }
    return null
}
