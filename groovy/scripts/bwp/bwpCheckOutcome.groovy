/*
 * Turns the outcome bwpReadResponse found into the exception that makes the message do the right
 * thing, or lets it pass.
 *
 * Passes when BwpOutcome is one of BwpAcceptOutcomes (comma separated, default OK); outcomes in
 * BwpRetryOutcomes (comma separated, default none) count as retryable whatever their kind (e.g.
 * ALREADY_EXISTS on cancelOrder: the retry reads the cancellation that won the race).
 * Otherwise throws, naming the operation (BwpOperation, e.g. createOrder), the sales order
 * (SalesOrder), the error type, code, path and Amazon's message:
 *   - IllegalStateException when the failure can heal (BwpRetryable: throttling, 5xx, token) or
 *     lies in the configuration (ACCESS_DENIED, UNAUTHORIZED, unknown errors): the message fails and
 *     its queue retries it with backoff, then parks it in the dead-letter queue;
 *   - IllegalArgumentException when Amazon rejected this order's data (VALIDATION, NOT_FOUND,
 *     ALREADY_EXISTS where not accepted): retrying cannot help, the caller parks the message.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.transform.Field

@Field static final List<String> DATA_OUTCOMES = ['VALIDATION', 'NOT_FOUND', 'ALREADY_EXISTS']

def Message processData(Message message) {
    def outcome = prop(message, 'BwpOutcome')
    if (outcome == null) {
        throw new IllegalStateException('bwpCheckOutcome: property BwpOutcome is missing: run bwpReadResponse on the response first')
    }
    def accepted = (prop(message, 'BwpAcceptOutcomes') ?: 'OK').split(',')*.trim()
    if (outcome in accepted) {
        return message
    }
    def operation = prop(message, 'BwpOperation') ?: 'request'
    def order = prop(message, 'SalesOrder')
    def subject = "Buy with Prime ${operation}" + (order ? " for sales order ${order}" : '')
    def detail = [prop(message, 'BwpErrorType'), prop(message, 'BwpErrorCode')].findAll { it }.join(' ')
    def path = prop(message, 'BwpErrorPath')
    def text = prop(message, 'BwpErrorMessage') ?: "HTTP ${prop(message, 'BwpHttpStatus') ?: '?'}"
    def reason = "${outcome}${detail ? ' (' + detail + ')' : ''}${path ? ' at ' + path : ''}: ${text}"
    def retry = (prop(message, 'BwpRetryOutcomes') ?: '').split(',')*.trim()
    if ('true' == prop(message, 'BwpRetryable') || outcome in retry || !(outcome in DATA_OUTCOMES)) {
        throw new IllegalStateException("bwpCheckOutcome: ${subject} failed: ${reason}; the message is retried")
    }
    throw new IllegalArgumentException("bwpCheckOutcome: ${subject} was rejected: ${reason}")
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
