/*
 * The answer of the event endpoint to Buy with Prime (or to whoever posted the event), as JSON.
 *
 * Properties: ReplyStatus (HTTP status, default 202), ReplyOutcome (accepted | parked | rejected),
 * ReplyReason (optional text), IdempotencyKey and EventType (when known).
 * Sets the body {"outcome", "eventType", "idempotencyKey", "reason"}, the header
 * CamelHttpResponseCode and Content-Type application/json.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput

def Message processData(Message message) {
    def status = (message.getProperty('ReplyStatus') ?: '202').toString().trim()
    if (!(status ==~ /[1-5]\d\d/)) {
        throw new IllegalArgumentException("bwpEventReply: ReplyStatus must be an HTTP status code, got '${status}'")
    }
    def reply = [outcome: (message.getProperty('ReplyOutcome') ?: 'accepted').toString()]
    ['EventType': 'eventType', 'IdempotencyKey': 'idempotencyKey', 'ReplyReason': 'reason'].each { property, field ->
        def value = message.getProperty(property)
        if (value != null && !value.toString().isEmpty()) {
            reply[field] = value.toString()
        }
    }
    message.setHeader('CamelHttpResponseCode', status.toInteger())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(reply))
    return message
}
